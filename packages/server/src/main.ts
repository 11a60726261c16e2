import { networkInterfaces } from 'node:os';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';

function lanAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((i) => i && i.family === 'IPv4' && !i.internal)
    .map((i) => i!.address);
}

async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`R-Stream cannot start.\n${e.message}\nSee .env.example for every setting and its default.`);
      process.exit(1);
    }
    throw e;
  }
  const app = await buildApp(config);
  const url = await app.listen();
  const port = new URL(url).port;
  const where = config.DATABASE_URL ? 'PostgreSQL' : `embedded PostgreSQL in ${config.DATA_DIR}`;
  app.log.info({ url, db: app.db.kind, bus: app.bus.kind }, 'R-Stream is listening');
  console.log(`\n  R-Stream is running: ${config.PUBLIC_URL ?? `http://localhost:${port}`}`);
  if (!config.PUBLIC_URL && (config.HOST === '0.0.0.0' || config.HOST === '::')) {
    for (const ip of lanAddresses()) console.log(`  On your network:     http://${ip}:${port}`);
  }
  console.log(`  Database: ${where} · bus: ${app.bus.kind === 'redis' ? 'Redis' : 'in-process'}\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await app.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err) => {
  console.error('R-Stream failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
