import { rmSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, startTestApp, uniqueEmail, type TestApp, waitFor } from '../helpers.js';
import { readStream, tempLogDir } from './log-helpers.js';

/** A synthetic burst of failed logins against a real server becomes a detector finding and an alert. */
describe('log detector → alerts', () => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    dir = tempLogDir();
    t = await startTestApp('postgres', {
      LOG_DIR: dir,
      LOG_DETECT_LOGIN_FAILURES_PER_ACCOUNT: '3',
      LOG_DETECT_WINDOW_SEC: '60',
    });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('raises LogLoginFailuresOnAccount once for a burst of failed logins against one account', async () => {
    const email = uniqueEmail('burst');
    expect(
      (
        await api(t.url, 'POST', '/api/auth/register', {
          body: {
            email,
            password: 'correct-horse-1',
            username: 'Burst',
          },
        })
      ).status,
    ).toBe(201);
    const before = t.app.logOps.detector.fired.length;
    for (let i = 0; i < 2; i++)
      expect(
        (await api(t.url, 'POST', '/api/auth/login', { body: { email, password: `nope-${i}-nope` } })).status,
      ).toBe(401);
    expect(t.app.logOps.detector.fired.length).toBe(before);
    for (let i = 2; i < 4; i++)
      expect(
        (await api(t.url, 'POST', '/api/auth/login', { body: { email, password: `nope-${i}-nope` } })).status,
      ).toBe(401);
    const fired = t.app.logOps.detector.fired.slice(before);
    expect(fired.map((f) => [f.kind, f.count])).toEqual([['login_failures_account', 3]]);

    const alert = await waitFor(
      'the alert row',
      async () => {
        const { rows } = await sql<{
          name: string;
          severity: string;
          level: number;
          summary: string;
          runbook: string;
        }>`
        select name, severity, level, summary, runbook from alerts where name = 'LogLoginFailuresOnAccount' and status = 'firing'`.execute(
          t.app.db.kysely,
        );
        return rows[0];
      },
      5000,
    );
    expect(alert).toMatchObject({ severity: 'warning', level: 3, runbook: 'log-findings' });
    expect(alert.summary).toMatch(/^3 failed logins against account /);
    expect(alert.summary).not.toContain(email);
    await waitFor(
      'the finding line',
      () =>
        readStream(dir, 'app').some(
          (l) => (l.finding as { kind?: string } | undefined)?.kind === 'login_failures_account',
        ),
      5000,
    );
  });
});
