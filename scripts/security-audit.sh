#!/usr/bin/env bash
# rstream audit — the runbook's security audit as one command; see docs/security.md ("Security audit").
# Exit code: 0 clean or info only, 1 warnings, 2 critical. Reports also under --out DIR (JSON + Markdown).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec node "$ROOT/scripts/run-cli.mjs" audit "$@"
