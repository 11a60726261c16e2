#!/usr/bin/env bash
# rstream backup db — see docs/operations.md ("Backups, restore, sync and drills").
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec node "$ROOT/scripts/run-cli.mjs" backup db "$@"
