import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { createRedisLocks } from '../../src/platform/locks.js';
import { createSession, goLive, join, speaker, WsClient } from '../helpers.js';
import { startServerProcess, type ServerProcess } from './processes.js';
import { twoInstances } from './two-instances-fixture.js';

type Msg = Record<string, unknown>;
const update = (pred: (m: Msg) => boolean) => (m: Msg) => m.type === 'understanding:update' && pred(m);

describe('two instances on one PostgreSQL and one Redis', () => {
  const two = twoInstances();

  it('counts a listener on B in the speaker’s graph on A, drops B’s listeners when B dies, and keeps their level on A', async () => {
    const { a, b, ws } = two;
    const host = await speaker(a.url);
    const s = await createSession(a.url, host.token);
    await goLive(a.url, host.token, s.id);
    const onB = await join(b.url, s.code, 'Bea');
    const onA = await join(a.url, s.code, 'Abe');

    const sp = ws(a.url, s.id, host.token);
    const lb = ws(b.url, s.id, onB.participantToken);
    const la = ws(a.url, s.id, onA.participantToken);
    await Promise.all([sp, lb, la].map((c) => c.next((m) => m.type === 'welcome')));

    lb.send({ type: 'understanding:set', level: 2 });
    const seen = await sp.next(
      update((m) => m.n === 1 && m.avg === 2),
      5000,
    );
    expect(seen.participants).toEqual([{ participantId: onB.participantId, level: 2 }]);

    la.send({ type: 'understanding:set', level: 4 });
    await sp.next(
      update((m) => m.n === 2 && m.avg === 3),
      5000,
    );
    // The listener on B sees the same aggregate.
    await lb.next(
      update((m) => m.n === 2 && m.avg === 3),
      5000,
    );

    // B dies without a goodbye: its partial expires, no ghost listeners.
    const killedAt = Date.now();
    await b.kill('SIGKILL');
    await sp.nextNew(
      update((m) => m.n === 1 && m.avg === 4),
      8000,
    );
    expect(Date.now() - killedAt).toBeLessThan(6000);

    // Bea reconnects through the load balancer, now to A, and keeps her level.
    const again = ws(a.url, s.id, onB.participantToken);
    const welcome = await again.next((m) => m.type === 'welcome');
    expect(welcome.level).toBe(2);
    await sp.nextNew(
      update((m) => m.n === 2 && m.avg === 3),
      5000,
    );

    // Per-second aggregates are written by one instance; with B gone, A writes them.
    const db = new pg.Client({ connectionString: inject('pgUrl') });
    await db.connect();
    try {
      const startedAt = new Date(
        (await db.query('select started_at from sessions where id = $1', [s.id])).rows[0].started_at,
      ).getTime();
      const afterKillSec = Math.ceil((Date.now() - startedAt) / 1000);
      const deadline = Date.now() + 8000;
      let rows: { t_sec: number; n: number }[] = [];
      while (Date.now() < deadline) {
        rows = (
          await db.query('select t_sec, n from understanding_seconds where session_id = $1 and t_sec >= $2', [
            s.id,
            afterKillSec,
          ])
        ).rows;
        if (rows.some((r) => r.n === 2)) break;
        await sp
          .nextNew(
            update(() => true),
            1000,
          )
          .catch(() => undefined);
      }
      expect(
        rows.some((r) => r.n === 2),
        JSON.stringify(rows),
      ).toBe(true);
      const all = (
        await db.query('select t_sec from understanding_seconds where session_id = $1', [s.id])
      ).rows.map((r) => r.t_sec);
      expect(new Set(all).size).toBe(all.length);
    } finally {
      await db.end();
    }
  });

  it('gives a lease to exactly one holder and hands it over when the holder stops renewing', async () => {
    const r1 = new Redis(inject('redisUrl'));
    const r2 = new Redis(inject('redisUrl'));
    try {
      const l1 = createRedisLocks(r1);
      const l2 = createRedisLocks(r2);
      const key = `test:${randomBytes(4).toString('hex')}`;
      const results = await Promise.all([l1.acquire(key, 'one', 400), l2.acquire(key, 'two', 400)]);
      expect(results.filter(Boolean)).toHaveLength(1);
      const holder = results[0] ? 'one' : 'two';
      const [mine, other] = holder === 'one' ? [l1, l2] : [l2, l1];
      const otherName = holder === 'one' ? 'two' : 'one';
      expect(await mine.acquire(key, holder, 400)).toBe(true); // renew
      expect(await other.acquire(key, otherName, 400)).toBe(false);
      // The holder stops renewing (dies): the other takes over once the lease runs out.
      const started = Date.now();
      while (!(await other.acquire(key, otherName, 400))) {
        expect(Date.now() - started).toBeLessThan(3000);
        await new Promise((r) => setTimeout(r, 50));
      }
      expect(await mine.acquire(key, holder, 400)).toBe(false);
    } finally {
      r1.disconnect();
      r2.disconnect();
    }
  });
});

describe('several worker processes on one port, without Redis', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess({
      DATABASE_URL: inject('pgUrl'),
      WORKERS: '2',
      TICK_MS: '100',
      JWT_SECRET: randomBytes(32).toString('hex'),
    });
  }, 60_000);
  afterAll(async () => {
    await server?.kill();
  });

  it('keeps one graph for a session whose listeners land on different workers', async () => {
    const host = await speaker(server.url);
    const s = await createSession(server.url, host.token);
    await goLive(server.url, host.token, s.id);
    const sp = new WsClient(server.url, s.id, host.token);
    const listeners = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => join(server.url, s.code, `L${i}`)));
    const clients = listeners.map((l) => new WsClient(server.url, s.id, l.participantToken));
    try {
      await Promise.all([sp, ...clients].map((c) => c.next((m) => m.type === 'welcome')));
      clients.forEach((c, i) => c.send({ type: 'understanding:set', level: (i % 5) + 1 }));
      // levels 1,2,3,4,5,1 → n 6, avg 16/6
      const expected = { n: 6, counts: [2, 1, 1, 1, 1] };
      const got = await sp.next(
        update((m) => m.n === 6),
        8000,
      );
      expect(got).toMatchObject(expected);
      expect(got.avg).toBeCloseTo(16 / 6, 2);
      for (const c of clients)
        await c.next(
          update((m) => m.n === 6),
          8000,
        );
    } finally {
      sp.close();
      clients.forEach((c) => c.close());
    }
  });
});
