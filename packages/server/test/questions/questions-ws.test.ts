import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  BACKENDS,
  createSession,
  goLive,
  join,
  speaker,
  startTestApp,
  WsClient,
  type TestApp,
} from '../helpers.js';
import { ask, setup, update, vote, type Q } from './q-helpers.js';

type Msg = Record<string, unknown>;
const qmsg =
  (type: string, pred: (q: Q) => boolean = () => true) =>
  (m: Msg) =>
    m.type === type && pred(m.question as Q);

describe.each(BACKENDS)('questions in real time on %s', (backend) => {
  let t: TestApp;
  const sockets: WsClient[] = [];
  const connect = async (sessionId: string, token: string) => {
    const c = new WsClient(t.url, sessionId, token);
    sockets.push(c);
    await c.next((m) => m.type === 'welcome');
    return c;
  };
  /** Everything the server sent this socket before the pong has been received. */
  const barrier = async (c: WsClient) => {
    const id = randomBytes(4).toString('hex');
    c.send({ type: 'ping', id });
    await c.next((m) => m.type === 'pong' && m.id === id);
  };

  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await t?.close();
  });

  it('question:ask reaches the speaker, the other listeners and the asker; stores t and the asker’s level', async () => {
    const {
      host,
      s,
      listeners: [a, b],
    } = await setup(t);
    const [sp, la, lb] = await Promise.all([
      connect(s.id, host.token),
      connect(s.id, a!.participantToken),
      connect(s.id, b!.participantToken),
    ]);
    la.send({ type: 'understanding:set', level: 2 });
    await barrier(la);
    const sentAt = Date.now();
    la.send({ type: 'question:ask', content: 'Why does the curve drop here?' });

    const forSpeaker = (await sp.next(qmsg('question:new'))).question as Q;
    expect(forSpeaker).toMatchObject({
      content: 'Why does the curve drop here?',
      askerName: 'Alice',
      askerLevel: 2,
      status: 'open',
      votes: 0,
    });
    expect(forSpeaker).not.toHaveProperty('mine');
    const forOther = (await lb.next(qmsg('question:new'))).question as Q;
    expect(forOther).toMatchObject({ id: forSpeaker.id, askerName: 'Alice' });
    expect(forOther).not.toHaveProperty('askerLevel');
    const own = await la.next(qmsg('question:new', (q) => q.mine === true));
    expect((own.question as Q).id).toBe(forSpeaker.id);

    const row = await t.app.db.kysely
      .selectFrom('questions')
      .selectAll()
      .where('id', '=', forSpeaker.id)
      .executeTakeFirstOrThrow();
    const session = await t.app.db.kysely
      .selectFrom('sessions')
      .select('started_at')
      .where('id', '=', s.id)
      .executeTakeFirstOrThrow();
    const started = new Date(session.started_at!).getTime();
    expect(row.asker_level).toBe(2);
    expect(Number(row.t_ms)).toBeGreaterThanOrEqual(sentAt - started - 5);
    expect(Number(row.t_ms)).toBeLessThanOrEqual(Date.now() - started);
    expect(forSpeaker.t).toBe(Number(row.t_ms));
  });

  it('answering sends question:answered to everyone; votes arrive as question:updated; pinning another unpins the first', async () => {
    const {
      host,
      s,
      listeners: [a, b],
    } = await setup(t);
    const [sp, la, lb] = await Promise.all([
      connect(s.id, host.token),
      connect(s.id, a!.participantToken),
      connect(s.id, b!.participantToken),
    ]);
    const q1 = (await ask(t, s.id, a!.participantToken, 'First')).body.question;
    const q2 = (await ask(t, s.id, a!.participantToken, 'Second')).body.question;

    await vote(t, s.id, b!.participantToken, q1.id);
    await sp.next(qmsg('question:updated', (q) => q.id === q1.id && q.votes === 1));
    await la.next(qmsg('question:updated', (q) => q.id === q1.id && q.votes === 1));

    await update(t, s.id, host.token, q1.id, { status: 'answered', answer: 'See the appendix.' });
    for (const c of [sp, la, lb]) {
      const m = await c.next(qmsg('question:answered', (q) => q.id === q1.id));
      expect(m.question).toMatchObject({ status: 'answered', answer: 'See the appendix.' });
    }
    await la.next(qmsg('question:answered', (q) => q.id === q1.id && q.mine === true));

    await update(t, s.id, host.token, q1.id, { pinned: true });
    await lb.next(qmsg('question:updated', (q) => q.id === q1.id && q.pinned));
    await update(t, s.id, host.token, q2.id, { pinned: true });
    await lb.next(qmsg('question:updated', (q) => q.id === q1.id && !q.pinned));
    await lb.next(qmsg('question:updated', (q) => q.id === q2.id && q.pinned));
  });

  it('moderation: pending questions reach only the speaker and the asker; approval shows them to all; hiding withdraws the text', async () => {
    const {
      host,
      s,
      listeners: [a, b],
    } = await setup(t, { settings: { questionsModeration: true } });
    const [sp, la, lb] = await Promise.all([
      connect(s.id, host.token),
      connect(s.id, a!.participantToken),
      connect(s.id, b!.participantToken),
    ]);
    la.send({ type: 'question:ask', content: 'Needs approval' });
    const pending = (await sp.next(qmsg('question:new'))).question as Q;
    expect(pending.approved).toBe(false);
    await la.next(qmsg('question:new', (q) => q.mine === true && !q.approved));
    await barrier(lb);
    expect(lb.messages.filter((m) => String(m.type).startsWith('question:'))).toHaveLength(0);

    await update(t, s.id, host.token, pending.id, { approved: true });
    expect((await lb.next(qmsg('question:new'))).question).toMatchObject({
      id: pending.id,
      content: 'Needs approval',
      approved: true,
    });
    await sp.next(qmsg('question:updated', (q) => q.id === pending.id && q.approved));

    await update(t, s.id, host.token, pending.id, { status: 'hidden' });
    const gone = (await lb.next(qmsg('question:updated', (q) => q.status === 'hidden'))).question as Q;
    expect(gone).toMatchObject({ id: pending.id, content: '', askerName: null });
    expect(
      (await la.next(qmsg('question:updated', (q) => q.mine === true && q.status === 'hidden'))).question,
    ).toMatchObject({ content: 'Needs approval' });
  });

  it('answers bad or refused asks with an error and keeps the connection', async () => {
    const {
      host,
      s,
      listeners: [a],
    } = await setup(t, { names: ['Alice'] });
    const [sp, la] = await Promise.all([connect(s.id, host.token), connect(s.id, a!.participantToken)]);
    la.send({ type: 'question:ask', content: '   ' });
    expect(await la.next((m) => m.type === 'error')).toMatchObject({ code: 'VALIDATION_FAILED' });
    la.send({ type: 'question:ask', content: 'x'.repeat(501) });
    expect(await la.nextNew((m) => m.type === 'error')).toMatchObject({ code: 'VALIDATION_FAILED' });
    sp.send({ type: 'question:ask', content: 'From the stage' });
    expect(await sp.next((m) => m.type === 'error')).toMatchObject({ code: 'FORBIDDEN' });
    for (const n of [1, 2, 3]) la.send({ type: 'question:ask', content: `Question ${n}` });
    la.send({ type: 'question:ask', content: 'Question 4' });
    expect(await la.next((m) => m.type === 'error' && m.code === 'RATE_LIMITED')).toMatchObject({
      code: 'RATE_LIMITED',
    });
    await barrier(la);

    const off = await setup(t, { settings: { questionsEnabled: false }, names: ['Alice'] });
    const lo = await connect(off.s.id, off.listeners[0]!.participantToken);
    lo.send({ type: 'question:ask', content: 'Anyone?' });
    expect(await lo.next((m) => m.type === 'error')).toMatchObject({ code: 'QUESTIONS_DISABLED' });
    await barrier(lo);
  });

  it('sends no asker name to anyone in an anonymous session', async () => {
    const {
      host,
      s,
      listeners: [a, b],
    } = await setup(t, { settings: { anonymous: true }, names: ['Yuki Secretname', 'Bob'] });
    const [sp, la, lb] = await Promise.all([
      connect(s.id, host.token),
      connect(s.id, a!.participantToken),
      connect(s.id, b!.participantToken),
    ]);
    la.send({ type: 'question:ask', content: 'Anonymous?' });
    const q = (await sp.next(qmsg('question:new'))).question as Q;
    await update(t, s.id, host.token, q.id, { answer: 'Yes.' });
    for (const c of [sp, la, lb]) {
      await c.next(qmsg('question:answered'));
      const seen = JSON.stringify(c.messages.filter((m) => String(m.type).startsWith('question:')));
      expect(seen).toContain('Anonymous?');
      expect(seen).not.toContain('Secretname');
      expect(seen).not.toContain(a!.participantId);
    }
  });
});

describe('questions across two instances (PostgreSQL + Redis)', () => {
  const apps: TestApp[] = [];
  const sockets: WsClient[] = [];
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await Promise.all(apps.map((a) => a.close()));
  });

  it('delivers a question asked on one instance to listeners connected to the other', async () => {
    const env = { REDIS_URL: inject('redisUrl'), JWT_SECRET: randomBytes(32).toString('hex') };
    apps.push(await startTestApp('postgres', env), await startTestApp('postgres', env));
    const [A, B] = apps as [TestApp, TestApp];
    const host = await speaker(A.url);
    const s = await createSession(A.url, host.token);
    await goLive(A.url, host.token, s.id);
    const a = await join(A.url, s.code, 'Ann');
    const b = await join(B.url, s.code, 'Ben');
    const sp = new WsClient(A.url, s.id, host.token);
    const lb = new WsClient(B.url, s.id, b.participantToken);
    sockets.push(sp, lb);
    await Promise.all([sp, lb].map((c) => c.next((m) => m.type === 'welcome')));
    const r = await ask(A, s.id, a.participantToken, 'Seen on both?');
    expect(r.status).toBe(201);
    await lb.next(
      qmsg('question:new', (q) => q.id === r.body.question.id),
      10_000,
    );
    await sp.next(
      qmsg('question:new', (q) => q.id === r.body.question.id),
      10_000,
    );
  });
});
