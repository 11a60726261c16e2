import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { WsClient } from '../helpers.js';
import { startServerProcess, type ServerProcess } from '../scale/processes.js';
import { discussion, getTurns, turnUpdate } from './turn-helpers.js';

describe('discussion turns across two instances on one PostgreSQL and one Redis', () => {
  let a: ServerProcess;
  let b: ServerProcess;
  const sockets: WsClient[] = [];
  const ws = async (base: string, id: string, token: string) => {
    const c = new WsClient(base, id, token);
    sockets.push(c);
    await c.next((m) => m.type === 'welcome');
    return c;
  };

  beforeAll(async () => {
    const env = {
      DATABASE_URL: inject('pgUrl'),
      REDIS_URL: inject('redisUrl'),
      JWT_SECRET: randomBytes(32).toString('hex'),
      TICK_MS: '100',
      PRESENCE_GRACE_MS: '1000',
    };
    [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  }, 60_000);
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await Promise.all([a?.kill(), b?.kill()]);
  });

  it('a facilitator on A marks a turn that phones on B see; a participant on B is refused', async () => {
    const { host, s, people } = await discussion(a.url, { facilitator: 'me' }, ['Bea'], {}, () => b.url);
    const h = await ws(a.url, s.id, host.token);
    const bea = await ws(b.url, s.id, people[0]!.participantToken);
    bea.send({ type: 'turn:start', speaker: 'Bea' });
    expect((await bea.next((m) => m.type === 'error')).code).toBe('FORBIDDEN');
    h.send({ type: 'turn:start', speaker: people[0]!.participantId });
    await bea.next(turnUpdate((turn) => turn?.speaker === 'Bea'));
    h.send({ type: 'turn:end' });
    await bea.next(turnUpdate((turn) => turn === null));
  });

  it('with no facilitator: anyone on either instance, the aggregate to all, and a turn outlives the instance that started it', async () => {
    const { host, s, people } = await discussion(
      a.url,
      { facilitator: 'none' },
      ['Abe', 'Bea'],
      { graphVisibility: 'none' },
      (i) => (i === 0 ? a.url : b.url),
    );
    const [abe, bea] = people as [(typeof people)[0], (typeof people)[0]];
    const h = await ws(a.url, s.id, host.token);
    const onA = await ws(a.url, s.id, abe.participantToken);
    const onB = await ws(b.url, s.id, bea.participantToken);

    onB.send({ type: 'turn:start', speaker: bea.participantId });
    await h.next(
      turnUpdate((turn) => turn?.participantId === bea.participantId),
      5000,
    );
    await onA.next(
      turnUpdate((turn) => turn?.participantId === bea.participantId),
      5000,
    );
    onA.send({ type: 'turn:start', speaker: abe.participantId });
    await onB.next(
      turnUpdate((turn) => turn?.participantId === abe.participantId),
      5000,
    );

    // the listeners' aggregate reaches the phone on the other instance, graphVisibility "none" or not
    onA.send({ type: 'understanding:set', level: 2 });
    const seen = await onB.next((m) => m.type === 'understanding:update' && m.n === 1 && m.avg === 2, 5000);
    expect(seen.participants).toBeUndefined();

    // Bea starts a turn on B, then B dies: the turn is stored, A still knows it and ends it
    const startedOnA = onA.nextNew(
      turnUpdate((turn) => turn?.participantId === bea.participantId),
      5000,
    );
    onB.send({ type: 'turn:start', speaker: bea.participantId });
    const started = await startedOnA;
    await b.kill('SIGKILL');
    const stored = await getTurns(a.url, s.id, host.token);
    const open = stored.body.turns.at(-1)!;
    expect(open.id).toBe((started.turn as { id: string }).id);
    expect(open.endT).toBeNull();
    onA.send({ type: 'turn:end' });
    await h.nextNew(
      turnUpdate((turn) => turn === null),
      5000,
    );
    const after = await getTurns(a.url, s.id, host.token);
    expect(after.body.turns.map((t) => t.speaker)).toEqual(['Bea', 'Abe', 'Bea']);
    expect(after.body.turns.every((t) => t.endT !== null)).toBe(true);
  });
});
