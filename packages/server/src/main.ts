import cluster from 'node:cluster';
import { availableParallelism, networkInterfaces } from 'node:os';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { runPrimary } from './platform/cluster.js';

function lanAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((i) => i && i.family === 'IPv4' && !i.internal)
    .map((i) => i!.address);
}

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(
        `R-Stream cannot start.\n${e.message}\nSee .env.example for every setting and its default.`,
      );
      process.exit(1);
    }
    throw e;
  }
}

/** How many worker processes: WORKERS, else one per core in production on PostgreSQL, else 1. */
export function workerCount(config: Config): { count: number; note?: string } {
  if (!config.DATABASE_URL) {
    const note =
      config.WORKERS && config.WORKERS > 1
        ? 'WORKERS ignored: the embedded database lives in one process (set DATABASE_URL to use several)'
        : undefined;
    return { count: 1, note };
  }
  if (config.WORKERS) return { count: config.WORKERS };
  return { count: config.NODE_ENV === 'production' ? availableParallelism() : 1 };
}

async function runServer(config: Config, announce: boolean) {
  const app = await buildApp(config);
  const url = await app.listen();
  const port = new URL(url).port;
  app.log.info(
    { url, db: app.db.kind, bus: app.bus.kind, instance: app.instanceId },
    'R-Stream is listening',
  );
  if (announce) {
    console.log(`\n  R-Stream is running: ${config.PUBLIC_URL ?? `http://localhost:${port}`}`);
    if (!config.PUBLIC_URL && (config.HOST === '0.0.0.0' || config.HOST === '::')) {
      for (const ip of lanAddresses()) console.log(`  On your network:     http://${ip}:${port}`);
    }
    const where = config.DATABASE_URL ? 'PostgreSQL' : `embedded PostgreSQL in ${config.DATA_DIR}`;
    console.log(`  Database: ${where} · bus: ${app.bus.kind === 'redis' ? 'Redis' : 'in-process'}\n`);
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    // The drain gets its full time; the rest of the shutdown gets 10 s more.
    setTimeout(() => process.exit(1), config.SHUTDOWN_DRAIN_MS + 10_000).unref();
    await app.close();
    const { spilled, file } = app.shutdownResult();
    if (spilled > 0) {
      // Non-zero so a supervisor (systemd, CI) sees that data waits in a file, not in the database.
      const line = `shut down with ${spilled} live rows not in the database: kept in ${file}; they are stored at the next start`;
      app.log.error({ spilled, file, event: 'shutdown_spilled' }, line);
      console.error(`R-Stream: ${line}`); // also when the log goes to a file

      process.exit(1);
    }
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

async function main() {
  const config = readConfig();
  if (cluster.isWorker) return runServer(config, process.env.RSTREAM_WORKER_INDEX === '1');
  const { count, note } = workerCount(config);
  if (note) console.warn(note);
  if (count <= 1) return runServer(config, true);
  console.log(`Starting ${count} worker processes on port ${config.PORT}…`);
  const primary = runPrimary(count, (m) => console.log(m));
  const stop = async () => {
    await primary.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((err) => {
  console.error('R-Stream failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
