import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, BACKENDS, startTestApp, type TestApp } from '../helpers.js';
import { ask, list, setup, update, vote, type ErrorBody } from './q-helpers.js';

describe.each(BACKENDS)('questions over HTTP on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lets a participant ask and everyone list it; only participants ask', async () => {
    const {
      host,
      s,
      listeners: [a, b],
    } = await setup(t);
    const r = await ask(t, s.id, a!.participantToken, '  What is a monad?  ');
    expect(r.status).toBe(201);
    expect(r.body.question).toMatchObject({
      content: 'What is a monad?',
      status: 'open',
      votes: 0,
      approved: true,
      pinned: false,
      mine: true,
      askerName: 'Alice',
    });
    expect(r.body.question).not.toHaveProperty('askerLevel');
    expect(typeof r.body.question.t).toBe('number');

    const forHost = await list(t, s.id, host.token);
    expect(forHost.body.questions).toHaveLength(1);
    expect(forHost.body.questions[0]).toMatchObject({ id: r.body.question.id, askerName: 'Alice' });
    expect(forHost.body.questions[0]).toHaveProperty('askerLevel');
    const forBob = await list(t, s.id, b!.participantToken);
    expect(forBob.body.questions[0]).toMatchObject({ id: r.body.question.id, mine: false, votedByMe: false });
    expect(forBob.body.questions[0]).not.toHaveProperty('askerLevel');

    const byHost = await ask(t, s.id, host.token, 'Can I ask?');
    expect(byHost.status).toBe(403);
    expect(byHost.body.error.code).toBe('FORBIDDEN');
    expect((await api(t.url, 'GET', `/api/sessions/${s.id}/questions`)).status).toBe(401);
  });

  it('rejects empty, too long and malformed questions with the API error body, and stores nothing', async () => {
    const {
      s,
      listeners: [a],
    } = await setup(t, { names: ['Alice'] });
    for (const content of ['', '   \n ', 'x'.repeat(501), 42, null]) {
      const r = await ask(t, s.id, a!.participantToken, content);
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
      expect(r.body.error.details).toEqual([expect.objectContaining({ path: 'content' })]);
    }
    const extra = await api<ErrorBody>(t.url, 'POST', `/api/sessions/${s.id}/questions`, {
      body: { content: 'ok?', who: 'me' },
      token: a!.participantToken,
    });
    expect(extra.status).toBe(400);
    const broken = await api<ErrorBody>(t.url, 'POST', `/api/sessions/${s.id}/questions`, {
      body: '{"content":',
      token: a!.participantToken,
    });
    expect(broken.status).toBe(400);
    expect((await list(t, s.id, a!.participantToken)).body.questions).toHaveLength(0);
    expect((await ask(t, s.id, a!.participantToken, `  ${'x'.repeat(500)}  `)).status).toBe(201);
  });

  it('treats the same text twice in a row as one question', async () => {
    const {
      s,
      listeners: [a],
    } = await setup(t, { names: ['Alice'] });
    const first = await ask(t, s.id, a!.participantToken, 'Is this recorded?');
    const again = await ask(t, s.id, a!.participantToken, '  is this   RECORDED? ');
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ duplicate: true, question: { id: first.body.question.id } });
    expect((await list(t, s.id, a!.participantToken)).body.questions).toHaveLength(1);
  });

  it('limits each participant to 3 questions per 30 s, with a retry hint', async () => {
    const {
      s,
      listeners: [a, b],
    } = await setup(t);
    for (const n of [1, 2, 3])
      expect((await ask(t, s.id, a!.participantToken, `Question ${n}`)).status).toBe(201);
    const limited = await ask(t, s.id, a!.participantToken, 'Question 4');
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('RATE_LIMITED');
    const retry = (limited.body.error.details as { retryAfterMs: number }).retryAfterMs;
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(30_000);
    // A duplicate is not a new question, so it is not limited either; others are unaffected.
    expect((await ask(t, s.id, a!.participantToken, 'Question 3')).status).toBe(200);
    expect((await ask(t, s.id, b!.participantToken, 'My own question')).status).toBe(201);
    expect((await list(t, s.id, a!.participantToken)).body.questions).toHaveLength(4);
  });

  it('counts one vote per participant, allows un-voting, and sorts by votes', async () => {
    const {
      host,
      s,
      listeners: [a, b, c],
    } = await setup(t, { names: ['Alice', 'Bob', 'Carol'] });
    const q1 = (await ask(t, s.id, a!.participantToken, 'First question')).body.question;
    const q2 = (await ask(t, s.id, a!.participantToken, 'Second question')).body.question;

    const v1 = await vote(t, s.id, b!.participantToken, q2.id);
    expect(v1.status).toBe(200);
    expect(v1.body).toMatchObject({ voted: true, question: { id: q2.id, votes: 1, votedByMe: true } });
    const twice = await vote(t, s.id, b!.participantToken, q2.id);
    expect(twice.status).toBe(200);
    expect(twice.body).toMatchObject({ voted: true, question: { votes: 1 } });
    expect((await vote(t, s.id, c!.participantToken, q2.id)).body.question.votes).toBe(2);

    const byVotes = await list(t, s.id, host.token, '?sort=votes');
    expect(byVotes.body.questions.map((q) => [q.id, q.votes])).toEqual([
      [q2.id, 2],
      [q1.id, 0],
    ]);
    const bobsView = await list(t, s.id, b!.participantToken);
    expect(bobsView.body.questions.find((q) => q.id === q2.id)).toMatchObject({ votedByMe: true });
    expect(bobsView.body.questions.find((q) => q.id === q1.id)).toMatchObject({ votedByMe: false });

    const un = await vote(t, s.id, c!.participantToken, q2.id, 'DELETE');
    expect(un.body).toMatchObject({ voted: false, question: { votes: 1, votedByMe: false } });
    expect((await vote(t, s.id, c!.participantToken, q2.id, 'DELETE')).body.question.votes).toBe(1);

    expect((await vote(t, s.id, host.token, q2.id)).status).toBe(403);
    const missing = await vote(t, s.id, b!.participantToken, '00000000-0000-4000-8000-000000000000');
    expect([missing.status, missing.body.error.code]).toEqual([404, 'QUESTION_NOT_FOUND']);
    expect((await vote(t, s.id, b!.participantToken, 'not-a-uuid')).status).toBe(404);
    expect((await list(t, s.id, host.token, '?sort=loudest')).status).toBe(400);
  });

  it('pre-moderation: a pending question is seen by its asker and the host only, until approved', async () => {
    const {
      host,
      s,
      listeners: [a, b],
    } = await setup(t, { settings: { questionsModeration: true } });
    const q = (await ask(t, s.id, a!.participantToken, 'Pending question')).body.question;
    expect(q).toMatchObject({ approved: false, mine: true });
    expect((await list(t, s.id, b!.participantToken)).body.questions).toHaveLength(0);
    expect((await list(t, s.id, a!.participantToken)).body.questions).toEqual([
      expect.objectContaining({ id: q.id, approved: false }),
    ]);
    expect((await list(t, s.id, host.token)).body.questions).toEqual([
      expect.objectContaining({ id: q.id, approved: false }),
    ]);
    expect((await vote(t, s.id, b!.participantToken, q.id)).status).toBe(404);

    const approved = await update(t, s.id, host.token, q.id, { approved: true });
    expect(approved.body.question).toMatchObject({ approved: true });
    expect((await list(t, s.id, b!.participantToken)).body.questions).toEqual([
      expect.objectContaining({ id: q.id, content: 'Pending question' }),
    ]);
  });

  it('answers, hides and pins (speaker only); one pinned question at a time', async () => {
    const {
      host,
      s,
      listeners: [a, b],
    } = await setup(t);
    const q1 = (await ask(t, s.id, a!.participantToken, 'Question one')).body.question;
    const q2 = (await ask(t, s.id, a!.participantToken, 'Question two')).body.question;
    expect((await update(t, s.id, b!.participantToken, q1.id, { status: 'answered' })).status).toBe(403);
    expect((await update(t, s.id, host.token, q1.id, {})).status).toBe(400);
    expect((await update(t, s.id, host.token, q1.id, { status: 'closed' })).status).toBe(400);

    const answered = await update(t, s.id, host.token, q1.id, { answer: 'Yes, on slide 12.' });
    expect(answered.status).toBe(200);
    expect(answered.body.question).toMatchObject({ status: 'answered', answer: 'Yes, on slide 12.' });
    expect(typeof answered.body.question.answeredAt).toBe('string');

    expect((await update(t, s.id, host.token, q1.id, { pinned: true })).body.question.pinned).toBe(true);
    expect((await update(t, s.id, host.token, q2.id, { pinned: true })).body.question.pinned).toBe(true);
    const pinned = (await list(t, s.id, host.token)).body.questions.filter((q) => q.pinned);
    expect(pinned.map((q) => q.id)).toEqual([q2.id]);

    const hidden = await update(t, s.id, host.token, q2.id, { status: 'hidden' });
    expect(hidden.body.question).toMatchObject({ status: 'hidden', pinned: false });
    expect((await update(t, s.id, host.token, q2.id, { pinned: true })).status).toBe(409);
    expect((await list(t, s.id, b!.participantToken)).body.questions.map((q) => q.id)).toEqual([q1.id]);
    // The asker still sees their own hidden question, marked as such.
    expect(
      (await list(t, s.id, a!.participantToken)).body.questions.find((q) => q.id === q2.id),
    ).toMatchObject({ status: 'hidden' });
    const other = await update(t, s.id, host.token, '00000000-0000-4000-8000-000000000000', {
      status: 'hidden',
    });
    expect(other.status).toBe(404);
  });

  it('never reveals who asked in an anonymous session, nor for anonymous participants', async () => {
    const anon = await setup(t, { settings: { anonymous: true }, names: ['Zelda Secretname', 'Bob'] });
    await ask(t, anon.s.id, anon.listeners[0]!.participantToken, 'Anonymous question');
    for (const token of [
      anon.host.token,
      anon.listeners[1]!.participantToken,
      anon.listeners[0]!.participantToken,
    ]) {
      const r = await list(t, anon.s.id, token);
      expect(r.body.questions[0]!.askerName).toBeNull();
      expect(JSON.stringify(r.body)).not.toContain('Secretname');
      expect(JSON.stringify(r.body)).not.toContain(anon.listeners[0]!.participantId);
    }
    for (const format of ['csv', 'json']) {
      const r = await api<string>(
        t.url,
        'GET',
        `/api/sessions/${anon.s.id}/questions/export?format=${format}`,
        { token: anon.host.token },
      );
      expect(r.status).toBe(200);
      expect(JSON.stringify(r.body)).not.toContain('Secretname');
    }

    const mixed = await setup(t, { names: ['Hidden Hiroshi', 'Open Olga'], anonymous: [true, false] });
    await ask(t, mixed.s.id, mixed.listeners[0]!.participantToken, 'From the anonymous one');
    await ask(t, mixed.s.id, mixed.listeners[1]!.participantToken, 'From Olga');
    const forHost = await list(t, mixed.s.id, mixed.host.token, '?sort=time');
    expect(forHost.body.questions.map((q) => q.askerName)).toEqual(['Open Olga', null]);
    expect(JSON.stringify(forHost.body)).not.toContain('Hiroshi');
  });

  it('refuses questions when they are off or the session ended; keeps them listed after the end', async () => {
    const off = await setup(t, { settings: { questionsEnabled: false }, names: ['Alice'] });
    const r = await ask(t, off.s.id, off.listeners[0]!.participantToken, 'Anyone?');
    expect([r.status, r.body.error.code]).toEqual([403, 'QUESTIONS_DISABLED']);

    const early = await setup(t, { live: false, names: ['Alice', 'Bob'] });
    const before = await ask(t, early.s.id, early.listeners[0]!.participantToken, 'Asked before the start');
    expect(before.status).toBe(201);
    expect(before.body.question.t).toBeNull();
    await api(t.url, 'PUT', `/api/sessions/${early.s.id}`, {
      body: { status: 'ended' },
      token: early.host.token,
    });
    const after = await ask(t, early.s.id, early.listeners[1]!.participantToken, 'Too late?');
    expect([after.status, after.body.error.code]).toEqual([409, 'SESSION_ENDED']);
    expect(
      (await vote(t, early.s.id, early.listeners[1]!.participantToken, before.body.question.id)).status,
    ).toBe(409);
    expect((await list(t, early.s.id, early.host.token)).body.questions).toHaveLength(1);
    expect((await list(t, early.s.id, early.listeners[1]!.participantToken)).body.questions).toHaveLength(1);
  });

  it('exports CSV and JSON for the host only, safely quoted', async () => {
    const {
      host,
      s,
      listeners: [a],
    } = await setup(t, { names: ['Alice, "the" First'] });
    await ask(t, s.id, a!.participantToken, '=HYPERLINK("http://evil")');
    await ask(t, s.id, a!.participantToken, 'Line one, with comma');
    const csv = await fetch(`${t.url}/api/sessions/${s.id}/questions/export?format=csv`, {
      headers: { authorization: `Bearer ${host.token}` },
    });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const text = (await csv.text()).replace(/^\uFEFF/, '');
    const lines = text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'id,t_ms,created_at,status,approved,pinned,votes,asker,asker_level,content,answer,answered_at',
    );
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(lines[1]).toContain('"Alice, ""the"" First"');
    expect(lines[2]).toContain('"Line one, with comma"');

    const json = await api<{ questions: { content: string }[] }>(
      t.url,
      'GET',
      `/api/sessions/${s.id}/questions/export`,
      { token: host.token },
    );
    expect(json.body.questions.map((q) => q.content)).toEqual([
      '=HYPERLINK("http://evil")',
      'Line one, with comma',
    ]);
    expect(
      (await api(t.url, 'GET', `/api/sessions/${s.id}/questions/export?format=xml`, { token: host.token }))
        .status,
    ).toBe(400);
    expect(
      (await api(t.url, 'GET', `/api/sessions/${s.id}/questions/export`, { token: a!.participantToken }))
        .status,
    ).toBe(403);
  });

  it('deletes the questions and votes with the session', async () => {
    const {
      host,
      s,
      listeners: [a, b],
    } = await setup(t);
    const q = (await ask(t, s.id, a!.participantToken, 'Will this vanish?')).body.question;
    await vote(t, s.id, b!.participantToken, q.id);
    expect((await api(t.url, 'DELETE', `/api/sessions/${s.id}`, { token: host.token })).status).toBe(204);
    const db = t.app.db.kysely;
    const rows = await db.selectFrom('questions').where('session_id', '=', s.id).select('id').execute();
    const votes = await db
      .selectFrom('question_votes')
      .where('question_id', '=', q.id)
      .select('question_id')
      .execute();
    expect([rows.length, votes.length]).toEqual([0, 0]);
  });
});
