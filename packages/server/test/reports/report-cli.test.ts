import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSeed } from '../../src/ops/seed.js';
import { makeReportNow, reportCommand } from '../../src/features/reports/report-cli.js';
import {
  BACKENDS,
  createScratchDatabase,
  createSession,
  goLive,
  speaker,
  startTestApp,
  type TestApp,
} from '../helpers.js';
import { getReport } from './report-helpers.js';

describe.each(BACKENDS)('rstream report and the demo seed on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    // its own database: the seed replaces the demo account's sessions
    const db: Record<string, string> =
      backend === 'postgres' ? { DATABASE_URL: await createScratchDatabase('seed') } : {};
    t = await startTestApp(backend, { REPORT_SWEEP_SEC: '3600', ...db });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('the seed’s finished session has a ready report that finds the dip (minutes 8–11) and the recovery', async () => {
    const out = await runSeed(t.app.db.kysely, { publicUrl: t.url });
    const id = /\/host\/([0-9a-f-]{36})/.exec(out)![1]!;
    const row = await t.app.db.kysely
      .selectFrom('reports')
      .selectAll()
      .where('session_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('ready');
    expect(row.algorithm_version).toBe('pelt-1.0');
    const result = (typeof row.result === 'string' ? JSON.parse(row.result) : row.result) as {
      keyMoments: {
        kind: string;
        startT: number;
        endT: number;
        fromAvg: number;
        toAvg: number;
        questionIds: string[];
      }[];
    };
    const drop = result.keyMoments.find((m) => m.kind === 'drop')!;
    const recovery = result.keyMoments.find((m) => m.kind === 'recovery')!;
    expect(drop.startT / 60_000).toBeGreaterThan(6);
    expect(drop.endT / 60_000).toBeLessThan(10);
    expect(drop.fromAvg - drop.toAvg).toBeGreaterThan(1);
    expect(drop.questionIds.length).toBeGreaterThanOrEqual(1);
    expect(recovery.startT / 60_000).toBeGreaterThan(9.5);
    expect(recovery.endT / 60_000).toBeLessThan(13);
    expect(
      result.keyMoments.some((m) => m.kind === 'low' && m.startT > 8 * 60_000 && m.endT < 11.5 * 60_000),
    ).toBe(true);
  });

  it('makes a report on demand, and refuses what it cannot do with a clear message and exit code', async () => {
    const host = await speaker(t.url);
    const s = await createSession(t.url, host.token);
    await goLive(t.url, host.token, s.id);
    await expect(makeReportNow(t.app.db.kysely, s.id)).rejects.toThrow(/has not ended/);
    await t.app.db.kysely
      .updateTable('sessions')
      .set({ status: 'ended', ended_at: new Date() })
      .where('id', '=', s.id)
      .execute();
    expect(await makeReportNow(t.app.db.kysely, s.id)).toMatch(/^report ready for "Test talk"/);
    expect((await getReport(t.url, host.token, s.id)).body.status).toBe('ready');
    // a ready report is made again on demand (the CLI is how an old report is remade)
    expect(await makeReportNow(t.app.db.kysely, s.id)).toMatch(/^report ready/);
    const errors: string[] = [];
    const orig = console.error;
    console.error = (m: string) => errors.push(m);
    try {
      expect(await reportCommand.run([], t.config)).toBe(2);
      expect(await reportCommand.run(['not-a-uuid'], t.config)).toBe(2);
      if (backend === 'postgres') {
        // PGlite's data folder is held by the running app: only PostgreSQL can open a second connection
        expect(await reportCommand.run(['00000000-0000-4000-8000-000000000000'], t.config)).toBe(3);
      }
    } finally {
      console.error = orig;
    }
    expect(errors.join('\n')).toMatch(/must be a session id/);
  });
});
