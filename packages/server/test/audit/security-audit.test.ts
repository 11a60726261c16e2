import { chmodSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, BACKENDS, speaker, type TestApp } from '../helpers.js';
import { cleanupTmp, startS3, type TestS3 } from '../backup/fixtures.js';
import { toMarkdown } from '../../src/ops/audit/report-text.js';
import {
  adminAndSpeaker,
  byId,
  hardenedEnv,
  putS3,
  recordGoodBackupAndDrill,
  start,
  tighten,
} from './audit-fixtures.js';

/** the checks whose answer depends on this machine, not on the setup under test */
const MACHINE = { skip: ['system.os-updates'], npmRegistry: 'http://127.0.0.1:9', nodeVersion: 'v22.12.0' };

describe.each(BACKENDS)('security audit on %s', (backend) => {
  let s3: TestS3;
  beforeAll(async () => {
    s3 = await startS3(`audit-${backend}`);
  }, 180_000);
  afterAll(async () => {
    await s3?.close();
    cleanupTmp();
  });

  describe('a deliberately weak setup', () => {
    let t: TestApp;
    let orphan: string;
    let disabledEmail: string;
    beforeAll(async () => {
      t = await start(backend, { ...s3.env, STORAGE_BACKEND: 's3', HOST: '0.0.0.0', CORS_ORIGINS: '*' });
      await adminAndSpeaker(t);
      // a disabled account whose refresh token was never revoked (disabled straight in the database)
      const victim = await speaker(t.url, 'Gone');
      disabledEmail = victim.email;
      await t.app.db.kysely
        .updateTable('users')
        .set({ disabled_at: new Date() })
        .where('id', '=', victim.userId)
        .execute();
      chmodSync(path.join(t.config.DATA_DIR, 'secrets', 'jwt-secret'), 0o644);
      orphan = randomUUID();
      // written straight into the bucket, as a crashed or foreign writer would leave them
      await putS3(s3, `recordings/${orphan}/part-0001.webm`);
      await putS3(s3, `reports/${orphan}/report.pdf`);
      // accepted once, but the acceptance ran out yesterday
      await t.app.db.kysely
        .insertInto('security_audit_acceptances')
        .values({
          id: randomUUID(),
          finding_id: 'api.metrics-token',
          reason: 'metrics behind the VPN until the proxy is set up',
          expires_at: new Date(Date.now() - 86_400_000),
          created_by_label: 'ops@example.test',
        })
        .execute();
    }, 180_000);
    afterAll(async () => {
      await t?.close();
    });

    it('reports each weakness with its severity and exits 2', async () => {
      const { report, saved } = await t.app.securityAudit.run(
        { trigger: 'test' },
        { baseUrl: t.url, ...MACHINE },
      );
      expect(saved).toBe(true);
      expect(report.exitCode).toBe(2);
      const sev = (id: string) => byId(report, id)?.severity;
      expect(sev('files.permissions:the secrets folder')).toBe('critical');
      expect(byId(report, 'files.permissions:the secrets folder')!.evidence).toContain('jwt-secret 0644');
      expect(sev('api.cors')).toBe('critical');
      expect(sev('data.backup-age')).toBe('critical');
      expect(sev('api.metrics-token')).toBe('critical');
      expect(byId(report, 'api.metrics-token')!.evidence).toMatch(/risk acceptance expired/);
      expect(sev(`users.disabled-live-tokens:${disabledEmail}`)).toBe('critical');
      expect(sev(`data.orphaned-files:s3:recordings/${orphan}/`)).toBe('warning');
      expect(sev(`data.orphaned-files:s3:reports/${orphan}/`)).toBe('warning');
      expect(sev('data.s3-encryption')).toBe('warning');
      // the CORS answer the server actually gives a foreign origin
      expect(report.findings.some((f) => f.id.startsWith('system.headers:cors'))).toBe(true);
      for (const f of report.findings) {
        expect(f.incidentLevel).toBe({ critical: 1, warning: 2, info: 3 }[f.severity]);
        expect(f.fix.length).toBeGreaterThan(5);
        expect(f.runbook).toMatch(/security-audit\.md#/);
      }
      expect(report.actionPlan.now.length).toBe(report.counts.critical);
      expect(toMarkdown(report)).toContain('## Action plan');
      // the same findings in Japanese, for the admin page in Japanese; the data stays as it is
      for (const f of report.findings) expect(f.ja?.title, f.id).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
      for (const c of report.checks) expect(c.ja?.title, c.id).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
      expect(byId(report, 'files.permissions:the secrets folder')!.ja).toMatchObject({
        title: 'シークレットのフォルダー: 他のユーザーが読み取れる',
        evidence: expect.stringContaining('jwt-secret 0644'),
      });
      expect(byId(report, 'api.metrics-token')!.ja!.evidence).toMatch(
        /^HOST=0\.0\.0\.0、METRICS_TOKEN 未設定: .* — リスク受容は \S+ に期限切れ（「metrics behind the VPN until the proxy is set up」）$/,
      );
      expect(report.ja!.actionPlan.now.length).toBe(report.counts.critical);
      expect(report.ja!.actionPlan.now[0]).toMatch(/^\[[^\]]+\] \S/);
      expect(report.ja!.proposals.length).toBe(report.proposals.length);
    }, 120_000); // a whole audit: slow on a loaded machine

    it('lets an admin accept a risk until it expires, recorded in the security trail', async () => {
      const admin = await adminAndSpeaker(t);
      const accept = await api(t.url, 'POST', '/api/admin/security-audit/acceptances', {
        body: {
          findingId: 'data.s3-encryption',
          reason: 'bucket encrypted by the provider; SSE header rejected by our gateway',
          expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
        },
        token: admin.token,
      });
      expect(accept.status).toBe(201);
      const past = await api<{ error: { code: string } }>(
        t.url,
        'POST',
        '/api/admin/security-audit/acceptances',
        {
          body: { findingId: 'api.cors', reason: 'a reason long enough', expiresAt: '2020-01-01T00:00:00Z' },
          token: admin.token,
        },
      );
      expect(past.status).toBe(400);
      const { report } = await t.app.securityAudit.run({ trigger: 'test' }, { baseUrl: t.url, ...MACHINE });
      expect(byId(report, 'data.s3-encryption')).toBeUndefined();
      expect(report.accepted.map((f) => f.id)).toContain('data.s3-encryption');
      const trail = await api<{ events: Array<{ type: string; targetId: string }> }>(
        t.url,
        'GET',
        '/api/admin/audit?type=security_risk_accepted',
        { token: admin.token },
      );
      expect(trail.body.events.map((e) => e.targetId)).toContain('data.s3-encryption');
      const overview = await api<{
        latest: { id: string; findings: Array<{ ja?: { title: string } }>; ja?: { proposals: string[] } };
        trend: { previous: unknown; resolved: string[] };
        history: unknown[];
      }>(t.url, 'GET', '/api/admin/security-audit', { token: admin.token });
      expect(overview.status).toBe(200);
      expect(overview.body.latest.id).toBe(report.id);
      // the Japanese texts pass the response schema
      expect(overview.body.latest.findings.map((f) => f.ja?.title)).toEqual(
        report.findings.map((f) => f.ja!.title),
      );
      expect(overview.body.latest.ja?.proposals).toEqual(report.ja!.proposals);
      expect(overview.body.trend.resolved).not.toContain('data.s3-encryption');
      expect(overview.body.history.length).toBeGreaterThanOrEqual(2);
    }, 120_000);
  });

  describe('the hardened setup of docs/security.md', () => {
    let t: TestApp;
    let own: TestS3;
    beforeAll(async () => {
      own = await startS3(`hardened-${backend}`);
      t = await start(backend, hardenedEnv(own));
      await adminAndSpeaker(t);
      await recordGoodBackupAndDrill(t);
    }, 180_000);
    afterAll(async () => {
      await t?.close();
      await own?.close();
    });

    it('reports no warning and exits 0', async () => {
      tighten(t.config.DATA_DIR);
      tighten(t.config.LOG_DIR!);
      const { report } = await t.app.securityAudit.run({ trigger: 'test' }, { baseUrl: t.url, ...MACHINE });
      const loud = report.findings.filter((f) => f.severity !== 'info');
      expect(loud, JSON.stringify(loud, null, 2)).toEqual([]);
      expect(report.exitCode).toBe(0);
      const status = Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
      expect(status['api.route-guards']).toBe('pass');
      expect(status['api.ws-origin']).toBe('pass');
      expect(status['system.headers']).toBe('pass');
      expect(status['system.npm-audit']).toBe('not checked');
      expect(status['system.os-updates']).toBe('not checked');
    }, 120_000);
  });
});
