import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, goLive, join, speaker, WsClient, waitFor } from '../helpers.js';
import { startServerProcess, type ServerProcess } from '../scale/processes.js';
import { startPrivatePostgres, type PrivatePostgres } from './private-services.js';

const LISTENERS = 20;
/** Each listener's levels: consecutive ones differ, so every one is a stored signal. */
const levelsOf = (i: number) => [1, 2, 3, 4, 5, 1 + (i % 4)];
const EXPECTED = LISTENERS * 6 + 2;

/** Fault 2 of issue 11: SIGTERM while the database is down. */
describe('stopping a server during a database outage', () => {
  let db: PrivatePostgres;
  const procs: ServerProcess[] = [];
  const sockets: WsClient[] = [];
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rstream-drain-'));
  const spillDir = path.join(dataDir, 'spill');
  const env = () => ({
    DATABASE_URL: db.url,
    DATA_DIR: dataDir,
    JWT_SECRET: randomBytes(32).toString('hex'),
    TICK_MS: '100',
    SHUTDOWN_DRAIN_MS: '1500',
    LOG_LEVEL: 'info',
  });
  beforeAll(async () => {
    db = await startPrivatePostgres();
  }, 60_000);
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await Promise.all(procs.map((p) => p.kill('SIGKILL')));
    await db?.destroy();
  });

  it('keeps every signal: drains, spills to a file, exits non-zero, and the next start stores them exactly once', async () => {
    const first = await startServerProcess(env());
    procs.push(first);
    const host = await speaker(first.url);
    const s = await createSession(first.url, host.token);
    await goLive(first.url, host.token, s.id);
    const sp = new WsClient(first.url, s.id, host.token);
    sockets.push(sp);
    const listeners: { participantId: string; participantToken: string; ws: WsClient }[] = [];
    for (let i = 0; i < LISTENERS; i++) {
      const p = await join(first.url, s.code, `L${i}`);
      const ws = new WsClient(first.url, s.id, p.participantToken);
      sockets.push(ws);
      listeners.push({ ...p, ws });
    }
    await Promise.all(listeners.map((l) => l.ws.next((m) => m.type === 'welcome')));

    await db.stop(); // the outage
    listeners.forEach((l, i) =>
      levelsOf(i).forEach((level) => l.ws.send({ type: 'understanding:set', level })),
    );
    // the server has every last level in memory
    await sp.next(
      (m) =>
        m.type === 'understanding:update' &&
        listeners.every((l, i) =>
          (m.participants as { participantId: string; level: number }[] | undefined)?.some(
            (p) => p.participantId === l.participantId && p.level === levelsOf(i)[5],
          ),
        ),
      10_000,
    );

    // let the outage last past a whole second of the session, so its per-second rows are at stake
    const serverNow = async () => {
      const id = Math.random();
      sp.send({ type: 'ping', id });
      return (await sp.nextNew((m) => m.type === 'pong' && m.id === id)).serverTime as number;
    };
    const from = await serverNow();
    await waitFor(
      '1.5 s of outage on the server clock',
      async () => (await serverNow()) - from >= 1500,
      20_000,
    );
    listeners[0]!.ws.send({ type: 'understanding:set', level: 5 }); // a tick after it, then back
    listeners[0]!.ws.send({ type: 'understanding:set', level: levelsOf(0)[5] });
    const stoppedAt = Date.now();
    await first.kill('SIGTERM');
    const exitCode = first.child.exitCode;
    console.log(`[measure] SIGTERM during outage: exit ${exitCode} after ${Date.now() - stoppedAt} ms`);
    expect(exitCode).toBe(1);
    expect(first.output()).toMatch(/live rows not in the database: kept in .*spill/);
    const spills = readdirSync(spillDir).filter((f) => f.endsWith('.json'));
    expect(spills).toHaveLength(1);
    // keep a copy: put back later, it stands for a crash between storing a file and deleting it
    const copy = path.join(dataDir, 'spill-copy.json');
    copyFileSync(path.join(spillDir, spills[0]!), copy);

    // The database is back; the next start replays the spill file before anything else.
    await db.start();
    const second = await startServerProcess(env());
    procs.push(second);
    const count = async () =>
      Number(
        (await db.query<{ n: string }>('select count(*) as n from signals where session_id = $1', [s.id]))[0]!
          .n,
      );
    const stored = await waitFor(
      'replayed signals',
      async () => (await count()) >= EXPECTED && count(),
      20_000,
    );
    console.log(`[measure] signals kept across SIGTERM during the outage: ${stored}/${EXPECTED}`);
    expect(stored).toBe(EXPECTED);
    await waitFor(
      'spill file removed',
      async () => readdirSync(spillDir).filter((f) => f.endsWith('.json')).length === 0,
      20_000,
    );
    // the outage's seconds are in the history too
    const seconds = await db.query<{ n: string }>(
      'select count(*) as n from understanding_seconds where session_id = $1 and n = $2',
      [s.id, LISTENERS],
    );
    expect(Number(seconds[0]!.n)).toBeGreaterThan(0);

    // A clean stop now exits 0; a third start, finding the same file again, stores nothing twice.
    await second.kill('SIGTERM');
    expect(second.child.exitCode).toBe(0);
    copyFileSync(copy, path.join(spillDir, spills[0]!));
    const third = await startServerProcess(env());
    procs.push(third);
    await waitFor(
      'the replayed copy removed',
      async () => readdirSync(spillDir).filter((f) => f.endsWith('.json')).length === 0,
      20_000,
    );
    expect(await count()).toBe(EXPECTED);
    const levels = await db.query<{ display_name: string; level: number }>(
      'select display_name, level from participants where session_id = $1',
      [s.id],
    );
    for (const i of listeners.keys())
      expect(levels.find((r) => r.display_name === `L${i}`)?.level).toBe(levelsOf(i)[5]);
    await third.kill('SIGTERM');
  }, 120_000);
});
