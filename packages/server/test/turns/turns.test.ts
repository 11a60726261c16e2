import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptInvitation, invite } from '../security/fixtures.js';
import { api, BACKENDS, startTestApp, WsClient, type TestApp, waitFor } from '../helpers.js';
import { barrier, discussion, getTurns, lastStoredT, turnUpdate, type Msg } from './turn-helpers.js';

describe.each(BACKENDS)('discussion turns on %s', (backend) => {
  let t: TestApp;
  const sockets: WsClient[] = [];
  const connect = async (sessionId: string, token: string) => {
    const c = new WsClient(t.url, sessionId, token);
    sockets.push(c);
    await c.next((m) => m.type === 'welcome');
    return c;
  };

  beforeAll(async () => {
    t = await startTestApp(backend, { TICK_MS: '100' });
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await t?.close();
  });

  it('the facilitator marks turns; participants are refused; everyone sees them', async () => {
    const { host, s, people } = await discussion(t.url, { facilitator: 'me' }, ['Alice', 'Bob'], {
      graphVisibility: 'none',
    });
    const [alice, bob] = people as [(typeof people)[0], (typeof people)[0]];
    const h = await connect(s.id, host.token);
    const a = await connect(s.id, alice.participantToken);
    const b = await connect(s.id, bob.participantToken);

    a.send({ type: 'turn:start', speaker: alice.participantId });
    const refused = await a.next((m) => m.type === 'error');
    expect(refused.code).toBe('FORBIDDEN');

    h.send({ type: 'turn:start', speaker: alice.participantId });
    for (const c of [h, a, b]) {
      const m = await c.next(turnUpdate((turn) => turn?.speaker === 'Alice'));
      expect((m.turn as Msg).participantId).toBe(alice.participantId);
    }
    // a name that is nobody's: a guest speaker; the current turn closes when the next starts
    h.send({ type: 'turn:start', speaker: 'Guest Expert' });
    await b.next(turnUpdate((turn) => turn?.speaker === 'Guest Expert'));
    let list = await getTurns(t.url, s.id, host.token);
    expect(list.status).toBe(200);
    expect(list.body.turns.map((x) => [x.speaker, x.participantId])).toEqual([
      ['Alice', alice.participantId],
      ['Guest Expert', null],
    ]);
    expect(list.body.turns[0]!.endT).toBe(list.body.turns[1]!.startT);
    expect(list.body.turns[1]!.endT).toBeNull();
    expect(list.body.reactionLagMs).toBe(3000);

    const from = a.messages.length;
    a.send({ type: 'turn:end' });
    await barrier(a);
    expect(a.messages.slice(from).find((m) => m.type === 'error')?.code).toBe('FORBIDDEN');

    // an invited facilitator marks turns too
    const inv = await invite(t.url, host.token, s.id, { role: 'facilitator' });
    const accepted = await acceptInvitation(t.url, inv.token, 'Fran Facilitator');
    expect(accepted.status).toBe(200);
    const f = await connect(s.id, accepted.body.participantToken);
    f.send({ type: 'turn:start', speaker: 'bob' }); // names match whatever the case
    await a.next(turnUpdate((turn) => turn?.participantId === bob.participantId));
    f.send({ type: 'turn:end' });
    await a.next(turnUpdate((turn) => turn === null));
    list = await getTurns(t.url, s.id, host.token);
    expect(list.body.turns).toHaveLength(3);
    expect(list.body.turns.every((x) => x.endT !== null)).toBe(true);

    // graphVisibility "none" with a facilitator: listeners get no aggregate and no figures
    b.send({ type: 'understanding:set', level: 4 });
    await h.next((m) => m.type === 'understanding:update' && m.n === 1);
    await barrier(a);
    expect(a.messages.some((m) => m.type === 'understanding:update')).toBe(false);
    const asListener = await getTurns(t.url, s.id, alice.participantToken);
    expect(asListener.status).toBe(200);
    expect(asListener.body.turns.every((x) => x.avg === null && x.delta === null)).toBe(true);
  });

  it('with no facilitator anyone marks turns, and everyone gets the listeners’ aggregate', async () => {
    const { host, s, people } = await discussion(t.url, { facilitator: 'none' }, ['Alice', 'Bob'], {
      graphVisibility: 'none',
    });
    const [alice, bob] = people as [(typeof people)[0], (typeof people)[0]];
    const h = await connect(s.id, host.token);
    const a = await connect(s.id, alice.participantToken);
    const b = await connect(s.id, bob.participantToken);

    a.send({ type: 'turn:start', speaker: alice.participantId }); // "I am speaking"
    await b.next(turnUpdate((turn) => turn?.participantId === alice.participantId));
    b.send({ type: 'turn:start', speaker: bob.participantId });
    await h.next(turnUpdate((turn) => turn?.participantId === bob.participantId));
    a.send({ type: 'turn:end' }); // anyone, even for someone else's turn
    await b.next(turnUpdate((turn) => turn === null));

    // whatever graphVisibility says, the aggregate goes to every participant
    b.send({ type: 'understanding:set', level: 4 });
    const seen = await a.next((m) => m.type === 'understanding:update' && m.n === 1);
    expect(seen.avg).toBe(4);
    expect(seen.participants).toBeUndefined(); // the aggregate, not each listener's level
    const history = await waitFor('the stored history, as a listener', async () => {
      const r = await api<{ points: { n: number }[] }>(t.url, 'GET', `/api/sessions/${s.id}/understanding`, {
        token: alice.participantToken,
      });
      return r.body.points.some((p) => p.n === 1) ? r.body : undefined;
    });
    expect(history.points.length).toBeGreaterThan(0);

    // the session ends with a turn open: it closes with the session
    a.send({ type: 'turn:start', speaker: 'Alice' });
    await h.next(
      turnUpdate((turn) => turn?.speaker === 'Alice' && turn.participantId === alice.participantId),
    );
    const closedByEnd = b.nextNew(turnUpdate((turn) => turn === null));
    const ended = await api(t.url, 'PUT', `/api/sessions/${s.id}`, {
      body: { status: 'ended' },
      token: host.token,
    });
    expect(ended.status).toBe(200);
    await closedByEnd; // everyone is told the turn ended with the session
    const list = await getTurns(t.url, s.id, bob.participantToken);
    expect(list.body.turns).toHaveLength(3);
    const last = list.body.turns.at(-1)!;
    expect(last.endT).not.toBeNull();
    expect(last.endT!).toBeGreaterThanOrEqual(last.startT);
    // and no turn starts after the end
    a.send({ type: 'turn:start', speaker: 'Alice' });
    expect((await a.nextNew((m) => m.type === 'error')).code).toBe('SESSION_NOT_LIVE');
  });

  it('per-turn figures leave the speaker’s own signals out and are read the reaction lag later', async () => {
    const { host, s, people } = await discussion(t.url, { facilitator: 'none', reactionLagSec: 2 }, [
      'Alice',
      'Bob',
      'Carol',
    ]);
    const [alice, bob, carol] = people as [(typeof people)[0], (typeof people)[0], (typeof people)[0]];
    const a = await connect(s.id, alice.participantToken);
    const b = await connect(s.id, bob.participantToken);
    const c = await connect(s.id, carol.participantToken);
    a.send({ type: 'understanding:set', level: 5 });
    b.send({ type: 'understanding:set', level: 2 });
    c.send({ type: 'understanding:set', level: 2 });
    await a.next((m) => m.type === 'understanding:update' && m.n === 3);

    a.send({ type: 'turn:start', speaker: alice.participantId });
    const started = (await a.next(turnUpdate((turn) => turn !== null))).turn as { startT: number };
    // let three stored seconds pass inside the turn, then end it
    await waitFor('three seconds of the turn stored', async () =>
      (await lastStoredT(t.url, s.id, host.token)) >= started.startT + 3000 ? true : undefined,
    );
    a.send({ type: 'turn:end' });
    // generous: on a loaded machine PGlite may take seconds to commit
    await b.next(
      turnUpdate((turn) => turn === null),
      15_000,
    );
    // the listeners react after the words: only now do they go up
    b.send({ type: 'understanding:set', level: 4 });
    c.send({ type: 'understanding:set', level: 4 });
    const endT = (await getTurns(t.url, s.id, host.token)).body.turns[0]!.endT!;
    await waitFor('the lag window stored', async () =>
      (await lastStoredT(t.url, s.id, host.token)) >= endT + 3000 ? true : undefined,
    );

    const lagged = (await getTurns(t.url, s.id, host.token)).body;
    expect(lagged.reactionLagMs).toBe(2000);
    const turn = lagged.turns[0]!;
    // with the lag, the late reaction (4) counts with the turn; the words' seconds (2) too
    expect(turn.avg!).toBeGreaterThan(2);
    expect(turn.avg!).toBeLessThan(4);
    expect(turn.n).toBe(2);
    expect(lagged.speakers[0]).toMatchObject({ speaker: 'Alice', turns: 1, avg: turn.avg });

    // without the lag: exactly Bob's and Carol's 2 — Alice's own 5 is not counted (it would be 3)
    const put = await api(t.url, 'PUT', `/api/sessions/${s.id}`, {
      body: { settings: { discussion: { facilitator: 'none', reactionLagSec: 0 } } },
      token: host.token,
    });
    expect(put.status).toBe(200);
    const plain = (await getTurns(t.url, s.id, host.token)).body;
    expect(plain.reactionLagMs).toBe(0);
    expect(plain.turns[0]!.avg).toBe(2);
    expect(plain.turns[0]!.n).toBe(2);
  });

  it('a write that fails leaves the open turn as it was and tells nobody (one transaction)', async () => {
    const { host, s, people } = await discussion(t.url, { facilitator: 'none' }, ['Alice', 'Bob']);
    const [alice, bob] = people as [(typeof people)[0], (typeof people)[0]];
    const a = await connect(s.id, alice.participantToken);
    const b = await connect(s.id, bob.participantToken);
    a.send({ type: 'turn:start', speaker: alice.participantId });
    await b.next(turnUpdate((turn) => turn?.participantId === alice.participantId));

    // the database refuses the new turn's row (a real constraint, on this speaker only)
    const constraint = `turns_fault_${randomBytes(3).toString('hex')}`;
    const db = t.app.db.kysely;
    await sql`alter table turns add constraint ${sql.raw(constraint)} check (speaker <> 'Faulty Speaker')`.execute(
      db,
    );
    try {
      const from = a.messages.length;
      b.send({ type: 'turn:start', speaker: 'Faulty Speaker' });
      expect((await b.nextNew((m) => m.type === 'error')).code).toBe('INTERNAL');
      await barrier(a);
      expect(a.messages.slice(from).some((m) => m.type === 'turn:update')).toBe(false);
      const list = (await getTurns(t.url, s.id, host.token)).body.turns;
      // Alice's turn was not closed by the failed start: the close rolled back with the insert
      expect(list.map((x) => [x.speaker, x.endT])).toEqual([['Alice', null]]);
    } finally {
      await sql`alter table turns drop constraint ${sql.raw(constraint)}`.execute(db);
    }
    b.send({ type: 'turn:start', speaker: 'Faulty Speaker' });
    await a.next(turnUpdate((turn) => turn?.speaker === 'Faulty Speaker'));
    const after = (await getTurns(t.url, s.id, host.token)).body.turns;
    expect(after.map((x) => x.speaker)).toEqual(['Alice', 'Faulty Speaker']);
    expect(after[0]!.endT).toBe(after[1]!.startT);
  });

  it('refuses bad turn messages, unknown participants and script links', async () => {
    const { host, s } = await discussion(t.url, { facilitator: 'me' }, []);
    const h = await connect(s.id, host.token);
    h.send({ type: 'turn:start', speaker: '' });
    expect((await h.nextNew((m) => m.type === 'error')).code).toBe('VALIDATION_FAILED');
    h.send({ type: 'turn:start', speaker: 'x'.repeat(65) });
    expect((await h.nextNew((m) => m.type === 'error')).code).toBe('VALIDATION_FAILED');
    h.send({ type: 'turn:start', speaker: '00000000-0000-4000-8000-000000000000' });
    expect((await h.nextNew((m) => m.type === 'error')).code).toBe('NOT_FOUND');
    const bad = await api<{ error: { code: string } }>(t.url, 'POST', '/api/sessions', {
      body: {
        title: 'x',
        mode: 'discussion',
        settings: { discussion: { facilitator: 'none', links: [{ url: 'javascript:alert(1)' }] } },
      },
      token: host.token,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('VALIDATION_FAILED');
  });
});
