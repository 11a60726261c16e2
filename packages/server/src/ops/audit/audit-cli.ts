import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { acceptRiskBodySchema } from '@rstream/protocol';
import type { CliCommand } from '../../cli.js';
import type { Config } from '../../config.js';
import { toMarkdown } from './report-text.js';

const USAGE = `Usage:
  rstream audit [--json] [--out DIR] [--url URL] [--skip id,id] [--no-save]
      run every check; prints the Markdown report (or JSON); exit 0 clean/info, 1 warnings, 2 critical
  rstream audit accept <finding-id> --reason "…" --expires YYYY-MM-DD [--by email]
  rstream audit retention        delete expired archive sessions (with their files) and expired tokens
  rstream audit delete-orphans   delete stored files whose owner row is gone (local disk or S3)`;

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

async function writeAtomic(file: string, text: string) {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(`${file}.tmp`, text, { mode: 0o600 });
  await rename(`${file}.tmp`, file);
}

/**
 * The audit builds the app in-process (no schedulers, loopback, any free port) so that it reads
 * the real route table and probes the guards and the WebSocket origin check it serves.
 */
export const auditCommand: CliCommand = {
  summary: 'security audit: access, data protection, system settings, logs → report (exit 0/1/2)',
  async run(args, config: Config) {
    if (args.includes('--help') || args.includes('-h')) {
      console.log(USAGE);
      return 0;
    }
    const sub = args[0];
    if (sub && !sub.startsWith('--') && !['accept', 'retention', 'delete-orphans'].includes(sub)) {
      console.error(`rstream audit: unknown subcommand "${sub}"\n\n${USAGE}`);
      return 2;
    }
    const { buildApp } = await import('../../app.js');
    const { loadConfig, readEnv } = await import('../../config.js');
    const probeConfig = loadConfig(readEnv(), {
      PORT: 0,
      HOST: '127.0.0.1',
      BACKUP_SCHEDULE: 'off',
      ALERTS_ENABLED: 'false',
      AUDIT_SCHEDULE: 'off',
      LOG_DIR: undefined,
      // the report goes to stdout: the probe app's own log lines must not mix into it
      LOG_LEVEL: 'silent',
    });
    const app = await buildApp(probeConfig);
    try {
      const localUrl = await app.listen();
      if (sub === 'accept') {
        const body = acceptRiskBodySchema.safeParse({
          findingId: args[1],
          reason: flag(args, '--reason'),
          expiresAt: flag(args, '--expires') ? new Date(flag(args, '--expires')!).toISOString() : undefined,
        });
        if (!body.success) {
          console.error(
            `rstream audit accept: ${body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}\n\n${USAGE}`,
          );
          return 2;
        }
        const id = await app.securityAudit.accept(body.data, {
          userId: null,
          label: flag(args, '--by') ?? 'cli',
        });
        console.log(
          `accepted ${body.data.findingId} until ${body.data.expiresAt} (acceptance ${id}; recorded in the security trail)`,
        );
        return 0;
      }
      if (sub === 'retention') {
        const r = await app.runDataRetention();
        console.log(
          `retention: ${r.sessions} archived session(s) deleted with their files, ${r.sessionsFailed} refused (storage failed; nothing of them deleted, run again), ${r.refreshTokens} expired refresh token(s) dropped, ${r.orphans} orphaned folder(s) deleted`,
        );
        return r.sessionsFailed > 0 ? 1 : 0;
      }
      if (sub === 'delete-orphans') {
        const orphans = await app.ownedFiles.orphans();
        await app.ownedFiles.deletePrefixes([...new Set(orphans.map((o) => o.prefix))]);
        console.log(
          orphans.length
            ? orphans.map((o) => `deleted ${app.ownedFiles.locate(o.prefix)}`).join('\n')
            : 'no orphaned files',
        );
        return 0;
      }
      const { report } = await app.securityAudit.run(
        { trigger: 'cli', save: !args.includes('--no-save') },
        {
          config,
          baseUrl: flag(args, '--url') ?? config.PUBLIC_URL ?? localUrl,
          skip: flag(args, '--skip')?.split(',').filter(Boolean),
        },
      );
      const md = toMarkdown(report);
      const out = flag(args, '--out');
      if (out) {
        const stamp = report.finishedAt.replace(/[:.]/g, '-');
        await writeAtomic(path.join(out, `security-audit-${stamp}.json`), JSON.stringify(report, null, 2));
        await writeAtomic(path.join(out, `security-audit-${stamp}.md`), md);
      }
      console.log(args.includes('--json') ? JSON.stringify(report, null, 2) : md);
      return report.exitCode;
    } finally {
      await app.close();
    }
  },
};
