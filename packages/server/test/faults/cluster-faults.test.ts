import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { api, createSession, goLive, join, speaker, WsClient, waitFor } from '../helpers.js';
import { twoInstances } from '../scale/two-instances-fixture.js';
import { startPrivateRedis, type PrivateRedis } from './private-services.js';

type Msg = Record<string, unknown>;
const ON_A = 20;
const ON_B = 10;

async function secondsOf(sessionId: string) {
  const c = new pg.Client({ connectionString: inject('pgUrl') });
  await c.connect();
  try {
    const r = await c.query<{ t_sec: number; n: number }>(
      'select t_sec, n from understanding_seconds where session_id = $1 order by t_sec',
      [sessionId],
    );
    return r.rows;
  } finally {
    await c.end();
  }
}

/** The server's clock, through a ping (no fixed sleeps: the test waits for the server's time). */
async function serverNow(ws: WsClient): Promise<number> {
  const id = Math.random();
  ws.send({ type: 'ping', id });
  return (await ws.nextNew((m) => m.type === 'pong' && m.id === id)).serverTime as number;
}
const waitServerMs = async (ws: WsClient, ms: number) => {
  const from = await serverNow(ws);
  await waitFor(
    `${ms} ms on the server clock`,
    async () => (await serverNow(ws)) - from >= ms,
    ms + 20_000,
    200,
  );
};

/** Faults 3 and 4 of issue 11: two instances, a Redis outage, then kill -9 of one instance. */
describe('two instances when Redis stops and when an instance dies', () => {
  let redis: PrivateRedis;
  beforeAll(async () => {
    redis = await startPrivateRedis();
  }, 60_000);
  afterAll(async () => {
    await redis?.kill();
  });
  // registered after the Redis hooks: started once it runs, stopped (kill -9) before it stops
  const two = twoInstances({
    env: () => ({ REDIS_URL: redis.url, PRESENCE_GRACE_MS: '3000' }),
    killSignal: 'SIGKILL',
  });

  it('loses no second and says "degraded" during a Redis outage; after kill -9 counts each listener once', async () => {
    const { a, b, ws } = two;
    const host = await speaker(a.url);
    const s = await createSession(a.url, host.token);
    await goLive(a.url, host.token, s.id);
    const spA = ws(a.url, s.id, host.token);
    const spB = ws(b.url, s.id, host.token);
    const onA = [];
    for (let i = 0; i < ON_A; i++) onA.push(await join(a.url, s.code, `A${i}`));
    const onB = [];
    for (let i = 0; i < ON_B; i++) onB.push(await join(b.url, s.code, `B${i}`));
    const la = onA.map((p) => ws(a.url, s.id, p.participantToken));
    const lb = onB.map((p) => ws(b.url, s.id, p.participantToken));
    await Promise.all([...la, ...lb].map((c) => c.next((m) => m.type === 'welcome')));
    la.forEach((c) => c.send({ type: 'understanding:set', level: 4 }));
    lb.forEach((c) => c.send({ type: 'understanding:set', level: 2 }));
    const full = (m: Msg) => m.type === 'understanding:update' && m.n === ON_A + ON_B;
    await Promise.all([spA.next(full, 10_000), spB.next(full, 10_000)]);

    // ---- Redis stops for a while --------------------------------------------------
    await redis.kill();
    const degraded = await spA.nextNew(
      (m) => m.type === 'understanding:update' && m.degraded === 'instances_unreachable',
      10_000,
    );
    console.log(
      `[measure] speaker on A during the outage: n=${String(degraded.n)} of ${ON_A + ON_B}, degraded shown`,
    );
    const readyA = await api<{ status: string }>(a.url, 'GET', '/api/ready');
    const readyB = await api<{ status: string }>(b.url, 'GET', '/api/ready');
    console.log(
      `[measure] /api/ready during the outage: A ${readyA.status} ${readyA.body.status}, B ${readyB.status} ${readyB.body.status}`,
    );
    expect([readyA.status, readyA.body.status]).toEqual([200, 'degraded']);
    expect([readyB.status, readyB.body.status]).toEqual([200, 'degraded']);
    await waitServerMs(spA, 5000);
    await redis.start();
    await spA.nextNew(
      (m) => m.type === 'understanding:update' && m.degraded === undefined && full(m),
      20_000,
    );
    await waitServerMs(spA, 2500);
    const rows = await secondsOf(s.id);
    const firstFull = rows.findIndex((r) => r.n === ON_A + ON_B);
    const last = rows.at(-1)!.t_sec;
    const missing: string[] = [];
    const have = new Map(rows.map((r) => [r.t_sec, r.n]));
    for (let t = rows[firstFull]!.t_sec; t <= last - 1; t++)
      if (have.get(t) !== ON_A + ON_B) missing.push(`${t}:${String(have.get(t))}`);
    console.log(
      `[measure] seconds ${rows[firstFull]!.t_sec}..${last - 1} across the Redis outage: ${missing.length} missing or not n=${ON_A + ON_B}`,
    );
    expect(missing).toEqual([]);

    // ---- kill -9 of A: its listeners come back through the load balancer, on B ----------
    await waitServerMs(spB, 1500); // both instances exchange partials again
    const beforeKill = (await secondsOf(s.id)).at(-1)!.t_sec;
    const killIndex = spB.messages.length;
    await a.kill('SIGKILL');
    const again = onA.map((p) => ws(b.url, s.id, p.participantToken));
    await Promise.all(again.map((c) => c.next((m) => m.type === 'welcome')));
    await waitServerMs(spB, 5000); // past the dead instance's partial TTL and the lease
    const seen = spB.messages
      .slice(killIndex)
      .filter((m) => m.type === 'understanding:update')
      .map((m) => m.n as number);
    const maxSeen = Math.max(...seen);
    const after = (await secondsOf(s.id)).filter((r) => r.t_sec > beforeKill);
    const maxStored = Math.max(...after.map((r) => r.n));
    console.log(
      `[measure] after kill -9: speaker max n=${maxSeen}, stored max n=${maxStored} (listeners ${ON_A + ON_B})`,
    );
    expect(maxSeen).toBeLessThanOrEqual(ON_A + ON_B);
    expect(maxStored).toBeLessThanOrEqual(ON_A + ON_B);
    expect(after.at(-1)!.n).toBe(ON_A + ON_B);
  }, 150_000);
});
