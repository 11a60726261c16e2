import { ConfigError, loadConfig, type Config } from './config.js';
import { migrateToLatest, openDb } from './platform/db.js';
import { runSeed } from './ops/seed.js';
import { alertsCommand } from './ops/alerts/export-rules.js';
import { backupCommands } from './ops/backup/backup-cli.js';
import { logsCommand } from './ops/logs/logs-cli.js';
import { runUserCli } from './features/admin/user-cli.js';
import { auditCommand } from './ops/audit/audit-cli.js';
import { dataDirHolder } from './ops/data-dir-lock.js';
import { reportCommand } from './features/reports/report-cli.js';

/**
 * `rstream <command> [args]`: the operator's entry point (`npm run rstream -- <command>`).
 * Each command: a one-line summary for the help, and a function returning the exit code.
 * Ops areas add their commands to COMMANDS (one entry per top-level word).
 */
export interface CliCommand {
  summary: string;
  /** `args` are the words after the command name. */
  run(args: string[], config: Config): Promise<number>;
}

const COMMANDS: Record<string, CliCommand> = {
  alerts: alertsCommand,
  audit: auditCommand,
  backup: backupCommands.backup!,
  restore: backupCommands.restore!,
  sync: backupCommands.sync!,
  drill: backupCommands.drill!,
  logs: logsCommand,
  report: reportCommand,
  user: {
    summary:
      'accounts: user create [--admin] --email … --username … [--password …] | list | disable | enable | set-role',
    run: runUserCli,
  },
  migrate: {
    summary: 'apply pending database migrations',
    async run(_args, config) {
      const db = await openDb(config);
      try {
        const result = await migrateToLatest(db.kysely);
        const applied =
          result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
        console.log(applied.length ? `migrated: ${applied.join(', ')}` : 'migrations: already up to date');
        return 0;
      } finally {
        await db.close();
      }
    },
  },
  seed: {
    summary: 'load the demo: a speaker account, a finished session with history, a live session',
    async run(_args, config) {
      const holder = dataDirHolder(config.DATA_DIR);
      if (holder && !config.DATABASE_URL) {
        // The embedded database belongs to that process: what we wrote would be lost.
        console.error(
          `rstream seed: a running R-Stream server (pid ${holder.pid}, ${holder.url}) holds ${config.DATA_DIR}.\n` +
            'Stop it first (Ctrl+C in its terminal), run `npm run seed` again, then start it.',
        );
        return 1;
      }
      const db = await openDb(config);
      try {
        await migrateToLatest(db.kysely);
        // The URL people will open: the running server's own when there is one (same database).
        const publicUrl = config.PUBLIC_URL ?? holder?.url ?? `http://localhost:${config.PORT}`;
        console.log(await runSeed(db.kysely, { publicUrl }));
        return 0;
      } finally {
        await db.close();
      }
    },
  },
};

function help(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length)) + 2;
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}${c.summary}`);
  return `Usage: rstream <command> [options]\n\nCommands:\n${lines.join('\n')}\n  ${'help'.padEnd(width)}show this help\n`;
}

export async function runCli(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    console.log(help());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`rstream: unknown command "${name}"\n\n${help()}`);
    return 2;
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      return 2;
    }
    throw e;
  }
  return command.run(args, config);
}

const isMain = process.argv[1] && /cli\.(ts|js|mjs)$/.test(process.argv[1]);
if (isMain) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(`rstream: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
