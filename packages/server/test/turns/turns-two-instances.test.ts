import { describe, expect, it } from 'vitest';
import { twoInstances } from '../scale/two-instances-fixture.js';
import { discussion, getTurns, turnUpdate } from './turn-helpers.js';

describe('discussion turns across two instances on one PostgreSQL and one Redis', () => {
  const two = twoInstances();

  it('a facilitator on A marks a turn that phones on B see; a participant on B is refused', async () => {
    const { a, b, welcomed: ws } = two;
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
    const { a, b, welcomed: ws } = two;
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
