import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  api,
  BACKENDS,
  createScratchDatabase,
  createSession,
  goLive,
  join,
  speaker,
  startTestApp,
  type TestApp,
  waitFor,
} from '../helpers.js';
import { getReport, waitReady } from './report-helpers.js';

const ENV = {
  REPORT_DELAY_MS: '100',
  REPORT_RETRY_BASE_MS: '300',
  REPORT_MIN_SEGMENT_SEC: '3',
  REPORT_SWEEP_SEC: '3600',
};

/** A session whose listeners have signalled and whose seconds are stored; ended behind the API's back when `quiet`. */
async function sessionWithSeconds(t: TestApp, token: string, seconds = 3) {
  const s = await createSession(t.url, token, {}, 'Job talk');
  await goLive(t.url, token, s.id);
  for (let i = 0; i < 3; i++) {
    const j = await join(t.url, s.code, `J${i}`);
    await api(t.url, 'POST', `/api/sessions/${s.id}/understanding`, {
      body: { level: 3 + i },
      token: j.participantToken,
    });
  }
  await waitFor(
    'stored seconds',
    async () => {
      const r = await t.app.db.kysely
        .selectFrom('understanding_seconds')
        .select((eb) => eb.fn.countAll().as('c'))
        .where('session_id', '=', s.id)
        .executeTakeFirst();
      return Number(r?.c) >= seconds ? true : undefined;
    },
    20_000,
  );
  return s;
}

const storedSeconds = async (t: TestApp, id: string) =>
  (
    await t.app.db.kysely
      .selectFrom('understanding_seconds')
      .select(['t_sec', 'avg', 'n'])
      .where('session_id', '=', id)
      .orderBy('t_sec')
      .execute()
  ).map((r) => [r.t_sec, r.avg === null ? null : Number(r.avg), r.n]);

describe.each(BACKENDS)('the report job on %s', (backend) => {
  let t: TestApp;
  let host: { token: string };

  beforeAll(async () => {
    // its own database: the test breaks a table on purpose
    const db: Record<string, string> =
      backend === 'postgres' ? { DATABASE_URL: await createScratchDatabase('reports') } : {};
    t = await startTestApp(backend, { ...ENV, ...db });
    host = await speaker(t.url);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a generation that fails (a table unreadable) is retried on its own and nothing stored is lost', async () => {
    const s = await sessionWithSeconds(t, host.token);
    await sql`ALTER TABLE questions RENAME TO questions_away`.execute(t.app.db.kysely);
    try {
      const end = await api(t.url, 'PUT', `/api/sessions/${s.id}`, {
        body: { status: 'ended' },
        token: host.token,
      });
      expect(end.status).toBe(200);
      const failed = await waitFor(
        'a failed try',
        async () => {
          const r = await t.app.db.kysely
            .selectFrom('reports')
            .selectAll()
            .where('session_id', '=', s.id)
            .executeTakeFirst();
          return r && r.attempts >= 1 ? r : undefined;
        },
        20_000,
      );
      expect(failed.status).toBe('pending');
      expect(failed.error).toMatch(/questions/);
      const during = await getReport(t.url, host.token, s.id);
      expect(during.status).toBe(500); // the report reads the questions too: honest failure, no half answer
    } finally {
      await sql`ALTER TABLE questions_away RENAME TO questions`.execute(t.app.db.kysely);
    }
    const before = await storedSeconds(t, s.id);
    // the retries back off (300 ms × 2^attempt): on a loaded machine the table may have stayed
    // away for several of them, and the next try can be half a minute off
    const report = await waitReady(t.url, host.token, s.id, 60_000);
    expect(report.status).toBe('ready');
    expect(await storedSeconds(t, s.id)).toEqual(before);
    expect(report.summary!.participants).toBe(3);
    const row = await t.app.db.kysely
      .selectFrom('reports')
      .selectAll()
      .where('session_id', '=', s.id)
      .executeTakeFirstOrThrow();
    expect(row.attempts).toBeGreaterThanOrEqual(2); // one or more failed tries, then the good one
    expect(row.error).toBeNull();
  }, 100_000);

  it('the sweep makes the report of an ended session that has none (ended while no instance listened)', async () => {
    const s = await sessionWithSeconds(t, host.token);
    await t.app.db.kysely
      .updateTable('sessions')
      .set({ status: 'ended', ended_at: new Date() })
      .where('id', '=', s.id)
      .execute();
    expect((await getReport(t.url, host.token, s.id)).body.status).toBe('pending');
    await t.app.hub.flush();
    expect(await t.app.reports.job.sweep()).toBeGreaterThanOrEqual(1);
    expect((await getReport(t.url, host.token, s.id)).body.status).toBe('ready');
  });
});

describe('the report job across two instances (postgres)', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    const DATABASE_URL = await createScratchDatabase('reports2');
    a = await startTestApp('postgres', { ...ENV, DATABASE_URL });
    b = await startTestApp('postgres', { ...ENV, DATABASE_URL });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('makes each report once: the claim lets one instance in', async () => {
    const host = await speaker(a.url);
    const s = await sessionWithSeconds(a, host.token);
    await a.app.db.kysely
      .updateTable('sessions')
      .set({ status: 'ended', ended_at: new Date() })
      .where('id', '=', s.id)
      .execute();
    await a.app.hub.flush();
    await a.app.reports.repo.ensurePending(s.id, new Date());
    const outcomes = await Promise.all([a.app.reports.job.runOne(s.id), b.app.reports.job.runOne(s.id)]);
    expect(outcomes.sort()).toEqual(['ready', 'skipped']);
    const row = await b.app.db.kysely
      .selectFrom('reports')
      .selectAll()
      .where('session_id', '=', s.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('ready');
    expect(row.attempts).toBe(1);
    // a second run finds nothing to do on either
    expect(await b.app.reports.job.runOne(s.id)).toBe('skipped');
  });
});
