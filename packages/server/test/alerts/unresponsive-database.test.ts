import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerCollectors } from '../../src/ops/monitoring/collectors.js';
import { createDbReader, createSystemReader, READ_TIMEOUT_MS } from '../../src/ops/monitoring/readers.js';
import { openDb, type Db } from '../../src/platform/db.js';
import { createMetrics } from '../../src/platform/metrics.js';
import { parsePromText } from './prom-text.js';

/** A TCP peer that accepts and never answers: a database behind a network partition. */
describe('a database that never answers', () => {
  const sockets: Socket[] = [];
  const blackHole = createServer((s) => sockets.push(s));
  let db: Db;
  let dir: string;

  beforeAll(async () => {
    await new Promise<void>((r) => blackHole.listen(0, '127.0.0.1', r));
    const { port } = blackHole.address() as { port: number };
    dir = mkdtempSync(path.join(tmpdir(), 'rstream-blackhole-'));
    db = await openDb({
      DATABASE_URL: `postgresql://postgres@127.0.0.1:${port}/rstream`,
      DATA_DIR: dir,
      DB_POOL_MAX: 2,
    });
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await db.close().catch(() => {});
    await new Promise((r) => blackHole.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('does not hold up a scrape past the read timeout: db_up is 0, the system series are there', async () => {
    const metrics = createMetrics();
    registerCollectors({
      metrics,
      db,
      readSystem: createSystemReader([{ volume: 'data', path: dir }]),
      readDb: createDbReader(db),
      readCache: null,
      slowQueryMs: 250,
      instance: { id: 'test', version: '0', db: 'postgres', bus: 'memory' },
    });
    const started = performance.now();
    const m = parsePromText(await metrics.registry.metrics());
    const elapsed = performance.now() - started;
    expect(m.value('rstream_db_up')).toBe(0);
    expect(m.value('rstream_db_pool_waiting')).toBeGreaterThanOrEqual(0);
    expect(m.find('rstream_disk_used_ratio', { volume: 'data' })).toHaveLength(1);
    // the pool's own connect timeout is 5 s; the scrape is cut at the 1.5 s read timeout
    expect(elapsed).toBeGreaterThanOrEqual(READ_TIMEOUT_MS - 50);
    expect(elapsed).toBeLessThan(4000);
    console.log(`scrape with an unresponsive database: ${elapsed.toFixed(0)} ms`);
  });
});
