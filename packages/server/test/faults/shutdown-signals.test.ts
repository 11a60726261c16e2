import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createScratchDatabase,
  createSession,
  goLive,
  join,
  speaker,
  WsClient,
  waitFor,
} from '../helpers.js';
import { startServerProcess, type ServerProcess } from '../scale/processes.js';

const LISTENERS = 8;

interface Sent {
  level: number;
  id: number;
  answer: 'stored' | 'SHUTTING_DOWN' | 'closed' | null;
}

/**
 * Issue 11: a signal sent on a still-open socket after SIGTERM is stored or refused, never lost.
 * The gateway closes every socket with 1001 "server shutting down" (cut after 1 s when a client
 * does not complete the close), so a client knows to resend; what reached the server is stored.
 */
describe('signals sent after SIGTERM', () => {
  const procs: ServerProcess[] = [];
  const sockets: WsClient[] = [];
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await Promise.all(procs.map((p) => p.kill('SIGKILL')));
  });

  it('are each stored or answered with SHUTTING_DOWN (error frame or close), none dropped silently', async () => {
    const databaseUrl = await createScratchDatabase('sigterm');
    const proc = await startServerProcess({
      DATABASE_URL: databaseUrl,
      JWT_SECRET: randomBytes(32).toString('hex'),
      TICK_MS: '100',
      SHUTDOWN_DRAIN_MS: '3000',
    });
    procs.push(proc);
    const host = await speaker(proc.url);
    const s = await createSession(proc.url, host.token);
    await goLive(proc.url, host.token, s.id);
    const listeners: { participantId: string; ws: WsClient; sent: Sent[] }[] = [];
    for (let i = 0; i < LISTENERS; i++) {
      const p = await join(proc.url, s.code, `L${i}`);
      const ws = new WsClient(proc.url, s.id, p.participantToken);
      sockets.push(ws);
      listeners.push({ participantId: p.participantId, ws, sent: [] });
    }
    await Promise.all(listeners.map((l) => l.ws.next((m) => m.type === 'welcome')));

    // every signal is followed by a ping: a pong with no error in between means it was taken
    let next = 0;
    const answer = (l: (typeof listeners)[number]) => {
      l.ws.ws.on('message', (data) => {
        const m = JSON.parse(data.toString()) as Record<string, unknown>;
        const open = l.sent.find((x) => x.answer === null);
        if (!open) return;
        if (m.type === 'error') open.answer = m.code === 'SHUTTING_DOWN' ? 'SHUTTING_DOWN' : null;
        if (m.type === 'error' && m.code !== 'SHUTTING_DOWN') throw new Error(`unexpected ${m.code}`);
        if (m.type === 'pong' && m.id === open.id) open.answer = 'stored';
      });
    };
    listeners.forEach(answer);
    const sendOne = (l: (typeof listeners)[number]) => {
      if (l.ws.ws.readyState !== l.ws.ws.OPEN) return false;
      const x: Sent = { level: 1 + (l.sent.length % 5), id: ++next, answer: null };
      l.sent.push(x);
      l.ws.send({ type: 'understanding:set', level: x.level });
      l.ws.send({ type: 'ping', id: x.id });
      return true;
    };
    listeners.forEach(sendOne);
    await waitFor(
      'the first signals taken',
      async () => listeners.every((l) => l.sent[0]!.answer === 'stored'),
      20_000,
    );

    const exited = new Promise<number | null>((r) => proc.child.once('exit', (code) => r(code)));
    proc.child.kill('SIGTERM');
    // keep sending on every socket for as long as it stays open
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const open = listeners.filter((l) => sendOne(l)).length;
        if (open === 0) {
          clearInterval(timer);
          resolve();
        }
      }, 2);
    });
    const codes = await Promise.all(listeners.map((l) => l.ws.closed(10_000)));
    expect(await exited).toBe(0);

    // what the database holds after the drain: each participant's levels in order
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    const rows = (
      await client.query<{ participant_id: string; level: number }>(
        'select participant_id, level from signals where session_id = $1 order by id',
        [s.id],
      )
    ).rows;
    await client.end();

    const outcome = { stored: 0, SHUTTING_DOWN: 0, closed: 0 };
    for (const [i, l] of listeners.entries()) {
      const unanswered = l.sent.filter((x) => x.answer === null);
      // not answered: only the signals still in flight when the socket closed, and it closed saying why
      for (const x of unanswered) x.answer = 'closed';
      if (unanswered.length) expect(codes[i], `listener ${i} close code`).toBe(1001);
      const taken = l.sent.filter((x) => x.answer === 'stored');
      const stored = rows.filter((r) => r.participant_id === l.participantId).map((r) => r.level);
      // every taken signal is in the database (consecutive equal levels may be stored once)
      const collapse = (xs: number[]) => xs.filter((v, k) => k === 0 || v !== xs[k - 1]);
      expect(collapse(stored).slice(0, collapse(taken.map((x) => x.level)).length), `listener ${i}`).toEqual(
        collapse(taken.map((x) => x.level)),
      );
      for (const x of l.sent) outcome[x.answer!]++;
    }
    console.log('after SIGTERM:', outcome, 'close codes', [...new Set(codes)]);
  }, 90_000);
});
