import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  createSession,
  goLive,
  join,
  speaker,
  startTestApp,
  WsClient,
  type TestApp,
  waitFor,
} from '../helpers.js';
import { startPrivatePostgres, type PrivatePostgres } from './private-services.js';

/** Fault 5 of issue 11: a room unloaded while its rows cannot be written; failures logged once. */
describe('room unload and persistence failures', () => {
  let db: PrivatePostgres;
  let t: TestApp;
  const lines: { event?: string; msg: string; level: number }[] = [];
  beforeAll(async () => {
    db = await startPrivatePostgres();
    const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l)) });
    t = await startTestApp('postgres', { DATABASE_URL: db.url, TICK_MS: '100' }, { logger });
  }, 60_000);
  afterAll(async () => {
    await t?.close().catch(() => {});
    await db?.destroy();
  });

  it('keeps every queued row through an outage and an unload, and logs the incident once', async () => {
    const host = await speaker(t.url);
    const s = await createSession(t.url, host.token);
    await goLive(t.url, host.token, s.id);
    const p = await join(t.url, s.code, 'Leaver');
    const l = new WsClient(t.url, s.id, p.participantToken);
    await l.next((m) => m.type === 'welcome');
    await db.stop();
    for (const level of [2, 3, 4, 5]) l.send({ type: 'understanding:set', level });
    const hub = t.app.hub;
    const room = hub.rooms.get(s.id)!;
    await waitFor(
      'the listener counted',
      async () => room.merged().n === 1 && room.merged().avg === 5,
      20_000,
    );
    // A second is recorded when the next one begins: wait for the one the listener counted in.
    const countedIn = Math.floor(room.elapsedMs(Date.now()) / 1000);
    await waitFor(
      'several failed writes and a recorded second',
      async () => hub.queue.stats.persistFailures >= 3 && room.seconds.lastSecond >= countedIn,
      20_000,
    );
    // Everyone leaves and the room idles out while nothing can be written.
    l.close();
    await l.closed();
    room.emptySince = Date.now() - 11 * 60_000;
    await waitFor('the room unloaded', async () => !hub.rooms.has(s.id), 20_000);
    expect(hub.queue.rows).toBeGreaterThan(0);

    await db.start();
    const count = async () =>
      Number(
        (await db.query<{ n: string }>('select count(*) as n from signals where session_id = $1', [s.id]))[0]!
          .n,
      );
    const stored = await waitFor(
      'the backlog written',
      async () => (await count()) === 4 && hub.queue.rows === 0 && 4,
      30_000,
    );
    console.log(
      `[measure] signals kept across an outage + unload: ${stored}/4; failures ${hub.queue.stats.persistFailures}, logged ${lines.filter((x) => x.event === 'persist_failed').length}`,
    );
    expect(stored).toBe(4);
    const secs = await db.query<{ n: string }>(
      'select count(*) as n from understanding_seconds where session_id = $1 and n = 1',
      [s.id],
    );
    expect(Number(secs[0]!.n)).toBeGreaterThan(0);
    // one line for the incident, one for the recovery — not one per retry
    expect(lines.filter((x) => x.event === 'persist_failed')).toHaveLength(1);
    expect(lines.filter((x) => x.event === 'persist_recovered')).toHaveLength(1);
    const metrics = (await api<string>(t.url, 'GET', '/metrics')).body;
    expect(metrics).toMatch(/^rstream_persist_incidents_total\{[^}]*\} 1$/m);
    const failures = Number(/^rstream_persist_failures_total\{[^}]*\} (\d+)$/m.exec(metrics)?.[1]);
    expect(failures).toBeGreaterThanOrEqual(3);
    expect(metrics).toMatch(/^rstream_persist_backlog_rows\{[^}]*\} 0$/m);
  }, 90_000);
});
