import { ConfigError, loadConfig } from './config.js';
import { migrateToLatest, openDb } from './platform/db.js';
import { runSeed } from './ops/seed.js';

/** `rstream <command>`: the operator's entry point (npm run rstream -- <command>). */
const HELP = `Usage: rstream <command>

Commands:
  migrate          apply pending database migrations
  seed             load the demo: a speaker account, a finished session with history, a live session
  help             show this help
`;

export type CliResult = { code: number };

export async function runCli(argv: string[]): Promise<number> {
  const [command] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    console.log(HELP);
    return command ? 0 : 2;
  }
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      return 2;
    }
    throw e;
  }
  switch (command) {
    case 'migrate': {
      const db = await openDb(config);
      try {
        const result = await migrateToLatest(db.kysely);
        const applied = result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
        console.log(applied.length ? `migrated: ${applied.join(', ')}` : 'migrations: already up to date');
        return 0;
      } finally {
        await db.close();
      }
    }
    case 'seed': {
      const db = await openDb(config);
      try {
        await migrateToLatest(db.kysely);
        const out = await runSeed(db.kysely, { publicUrl: config.PUBLIC_URL ?? `http://localhost:${config.PORT}` });
        console.log(out);
        return 0;
      } finally {
        await db.close();
      }
    }
    default:
      console.error(`Unknown command: ${command}\n\n${HELP}`);
      return 2;
  }
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
