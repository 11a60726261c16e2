import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createAlertsRepo, type AlertsRepo } from '../../src/ops/alerts/alerts-repo.js';
import { createAlertsService, type AlertsService } from '../../src/ops/alerts/alerts-service.js';
import { fingerprintOf } from '../../src/ops/alerts/alert-input.js';
import { channelsFromConfig, createNotifier, parseRoutes } from '../../src/ops/alerts/notifiers.js';
import { sampleWith, type OpsSample } from '../../src/ops/monitoring/sample.js';
import { migrateToLatest, openDb, type Db } from '../../src/platform/db.js';
import { createScratchDatabase } from '../helpers.js';
import { startHttpReceiver, startSmtpReceiver, type HttpReceiver, type SmtpReceiver } from './receivers.js';

const MIN = 60_000;
const USER = '6f1d3c1e-1111-4c2b-9a55-0a0a0a0a0a0a';

describe('alert rules, notifications and de-duplication (controllable clock, real receivers)', () => {
  let db: Db;
  let dir: string;
  let slack: HttpReceiver;
  let sms: HttpReceiver;
  let smtp: SmtpReceiver;
  let repo: AlertsRepo;
  let alerts: AlertsService;
  let clock = Date.parse('2026-03-02T09:00:00Z');
  let config: ReturnType<typeof loadConfig>;
  const history = (s: OpsSample) => new Map([['inst-a', [s] as readonly OpsSample[]]]);
  const slackTexts = () => slack.requests.map((r) => (JSON.parse(r.body) as { text: string }).text);

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'rstream-alerts-'));
    db = await openDb({ DATABASE_URL: await createScratchDatabase('alerts'), DATA_DIR: dir, DB_POOL_MAX: 4 });
    await migrateToLatest(db.kysely);
    [slack, sms, smtp] = await Promise.all([startHttpReceiver(), startHttpReceiver(), startSmtpReceiver()]);
    config = loadConfig({
      DATA_DIR: dir,
      ALERT_SLACK_WEBHOOK_URL: `${slack.url}/services/T000/B000/secret`,
      SMTP_URL: smtp.url,
      ALERT_EMAIL_TO: 'ops@example.test',
      ALERT_EMAIL_FROM: 'R-Stream <alerts@example.test>',
      ALERT_SMS_URL: sms.url,
      ALERT_SMS_ACCOUNT_SID: 'AC0123',
      ALERT_SMS_AUTH_TOKEN: 'sms-secret',
      ALERT_SMS_FROM: '+15005550006',
      ALERT_SMS_TO: '+819012345678',
      PUBLIC_URL: 'https://rstream.example.test',
    });
    const log = pino({ level: 'silent' });
    repo = createAlertsRepo(db.kysely as never);
    alerts = createAlertsService({
      repo,
      log,
      notifier: createNotifier({
        channels: channelsFromConfig(config, log),
        routes: parseRoutes(config.ALERT_ROUTES),
        retries: 3,
        backoffMs: 5,
        log,
      }),
      runbookBaseUrl: config.ALERT_RUNBOOK_BASE_URL,
      dashboardUrl: 'https://rstream.example.test/admin/ops',
      repeatIntervalMs: 10 * MIN,
      adhocResolveMs: 30 * MIN,
      now: () => clock,
    });
  });
  afterAll(async () => {
    await Promise.all([slack?.close(), sms?.close(), smtp?.close()]);
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a rule is pending, fires after its `for`, goes to Slack + e-mail + SMS (critical), and resolves', async () => {
    const failing = () => history(sampleWith(clock, { app: { errorRatio: 0.25 } }, 'inst-a'));
    await alerts.evaluate(failing(), 'inst-a');
    expect(await repo.firing()).toHaveLength(0);
    clock += 60_000;
    await alerts.evaluate(failing(), 'inst-a');
    expect(await repo.firing()).toHaveLength(0); // HighErrorRate needs 2 minutes
    clock += 90_000;
    await alerts.evaluate(failing(), 'inst-a');
    const [row] = await repo.firing();
    expect(row).toMatchObject({
      name: 'HighErrorRate',
      severity: 'critical',
      level: 2,
      labels: { instance: 'inst-a' },
      status: 'firing',
    });
    await alerts.idle();
    await Promise.all([slack.waitFor(1), sms.waitFor(1), smtp.waitFor(1)]);

    const text = slackTexts()[0]!;
    expect(text).toContain(
      '[FIRING] [CRITICAL] [Level 2] HighErrorRate: High error rate on inst-a: 25.0% of requests fail with 5xx',
    );
    expect(text).toContain(
      '<https://github.com/RenRen62/R-Stream/blob/main/docs/runbooks/high-error-rate.md|Runbook>',
    );
    expect(slack.requests[0]!.path).toBe('/services/T000/B000/secret');

    const sent = sms.requests[0]!;
    expect(sent.path).toBe('/2010-04-01/Accounts/AC0123/Messages.json');
    expect(sent.headers.authorization).toBe(`Basic ${Buffer.from('AC0123:sms-secret').toString('base64')}`);
    expect(sent.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(sent.body);
    expect(form.get('To')).toBe('+819012345678');
    expect(form.get('From')).toBe('+15005550006');
    expect(form.get('Body')).toBe(
      'CRITICAL L2 HighErrorRate: High error rate on inst-a: 25.0% of requests fail with 5xx',
    );

    const mail = smtp.mails[0]!;
    expect(mail.to).toEqual(['ops@example.test']);
    expect(mail.subject).toBe(
      '[FIRING] [CRITICAL] [Level 2] HighErrorRate: High error rate on inst-a: 25.0% of requests fail with 5xx',
    );
    expect(mail.text).toContain(
      'Runbook: https://github.com/RenRen62/R-Stream/blob/main/docs/runbooks/high-error-rate.md',
    );
    expect(mail.text).toContain('Dashboard: https://rstream.example.test/admin/ops');
    expect(mail.headers).toMatch(/X-RStream-Severity: critical/i);

    // still failing: the same fingerprint is not notified again before the repeat interval
    clock += 15_000;
    await alerts.evaluate(failing(), 'inst-a');
    await alerts.idle();
    expect(slack.requests).toHaveLength(1);

    clock += 15_000;
    await alerts.evaluate(history(sampleWith(clock, { app: { errorRatio: 0.01 } }, 'inst-a')), 'inst-a');
    expect(await repo.firing()).toHaveLength(0);
    await alerts.idle();
    await Promise.all([slack.waitFor(2), sms.waitFor(2), smtp.waitFor(2)]);
    expect(slackTexts()[1]).toContain('[RESOLVED] [CRITICAL] [Level 2] HighErrorRate');
    expect(new URLSearchParams(sms.requests[1]!.body).get('Body')).toMatch(/^RESOLVED L2 HighErrorRate/);
    expect(smtp.mails[1]!.subject).toMatch(/^\[RESOLVED\]/);
    expect(smtp.mails[1]!.text).toMatch(/Resolved: 2026-03-02T09:03:00/);

    const deliveries = await repo.deliveries([row!.id]);
    expect(deliveries.map((d) => `${d.kind}:${d.channel}:${d.ok}`).sort()).toEqual([
      'firing:email:true',
      'firing:slack:true',
      'firing:sms:true',
      'resolved:email:true',
      'resolved:slack:true',
      'resolved:sms:true',
    ]);
  });

  it('routes by severity: warning → Slack + e-mail, info → dashboard only', async () => {
    const [s0, m0, t0] = [slack.requests.length, smtp.mails.length, sms.requests.length];
    const full = () =>
      history(
        sampleWith(
          clock,
          {
            system: {
              disks: [
                { volume: 'data', path: '/srv/rstream', totalBytes: 100, freeBytes: 15, usedRatio: 0.85 },
              ],
            },
          },
          'inst-a',
        ),
      );
    await alerts.evaluate(full(), 'inst-a');
    clock += 15 * MIN + 1000;
    await alerts.evaluate(full(), 'inst-a');
    await alerts.raise({ name: 'CacheWarmup', severity: 'info', level: 3, summary: 'cache is warming up' });
    await alerts.idle();
    await Promise.all([slack.waitFor(s0 + 1), smtp.waitFor(m0 + 1)]);
    expect(slackTexts()[s0]).toContain(
      '[WARNING] [Level 3] DiskNearlyFull: Disk of the data folder on inst-a is 85.0% full',
    );
    expect(smtp.mails[m0]!.text).toContain('The filesystem holding /srv/rstream is more than 80% used.');
    expect(sms.requests.length).toBe(t0);
    expect(slack.requests.length).toBe(s0 + 1); // nothing for the info alert
    expect((await repo.firing()).map((r) => r.name).sort()).toEqual(['CacheWarmup', 'DiskNearlyFull']);
    // clean up: the disk frees up
    await alerts.evaluate(history(sampleWith(clock, {}, 'inst-a')), 'inst-a');
    await alerts.resolveAdhoc('CacheWarmup');
    await alerts.idle();
  });

  it('ad-hoc alerts are de-duplicated, repeated while firing, quiet once acknowledged, and resolve on their own', async () => {
    await slack.waitFor(slack.requests.length); // settle
    const s0 = slack.requests.length;
    const spike = {
      name: 'ErrorSpike',
      severity: 'warning',
      level: 3,
      summary: '52 errors in 60 s',
      labels: { stream: 'error' },
    } as const;
    expect(await alerts.raise(spike)).toMatchObject({ created: true });
    expect(await alerts.raise(spike)).toMatchObject({ created: false });
    await alerts.idle();
    await slack.waitFor(s0 + 1);
    expect(slack.requests.length).toBe(s0 + 1);
    expect(slackTexts()[s0]).toContain('[FIRING] [WARNING] [Level 3] ErrorSpike: 52 errors in 60 s');
    expect(slackTexts()[s0]).toContain('docs/runbooks/error-spike.md');

    clock += 10 * MIN;
    await alerts.raise(spike); // still happening: keeps it alive
    await alerts.evaluate(new Map(), 'inst-a');
    await alerts.idle();
    await slack.waitFor(s0 + 2);
    expect(slackTexts()[s0 + 1]).toContain('[STILL FIRING] [WARNING] [Level 3] ErrorSpike');

    const fp = fingerprintOf('ErrorSpike', { stream: 'error' });
    expect(await alerts.ack(fp, USER)).toMatchObject({ fingerprint: fp, acked_by: USER });
    clock += 10 * MIN;
    await alerts.raise(spike);
    await alerts.evaluate(new Map(), 'inst-a');
    await alerts.idle();
    expect(slack.requests.length).toBe(s0 + 2); // acknowledged: no repeat

    clock += 31 * MIN; // no new raise for longer than ALERT_ADHOC_RESOLVE_MIN
    await alerts.evaluate(new Map(), 'inst-a');
    await alerts.idle();
    await slack.waitFor(s0 + 3);
    expect(slackTexts()[s0 + 2]).toContain('[RESOLVED] [WARNING] [Level 3] ErrorSpike');
    expect(await repo.firing()).toHaveLength(0);
  });

  it('a silenced fingerprint sends nothing while the silence lasts', async () => {
    const [s0, t0, m0] = [slack.requests.length, sms.requests.length, smtp.mails.length];
    const ev = {
      name: 'SecurityEvent',
      severity: 'critical',
      level: 1,
      summary: 'admin login from a new country',
      labels: { kind: 'login' },
    } as const;
    await alerts.silence(fingerprintOf(ev.name, ev.labels), 60, USER);
    expect(await alerts.raise(ev)).toMatchObject({ created: true });
    await alerts.idle();
    expect([slack.requests.length, sms.requests.length, smtp.mails.length]).toEqual([s0, t0, m0]);
    expect((await repo.firing()).map((r) => r.name)).toEqual(['SecurityEvent']);
    await alerts.resolveAdhoc(ev.name, ev.labels);
    await alerts.idle();
    expect(slack.requests.length).toBe(s0); // never notified, so no "resolved" either
  });

  it('DatabaseDown is notified even though the alert store is that database, and saved once it is back', async () => {
    const url = await createScratchDatabase('down');
    const dbName = new URL(url).pathname.slice(1);
    const own = await openDb({ DATABASE_URL: url, DATA_DIR: dir, DB_POOL_MAX: 2 });
    const admin = new pg.Client({ connectionString: inject('pgAdminUrl') });
    await admin.connect();
    try {
      await migrateToLatest(own.kysely);
      const log = pino({ level: process.env.DEBUG_ALERTS ? 'debug' : 'silent' });
      const ownRepo = createAlertsRepo(own.kysely as never);
      const svc = createAlertsService({
        repo: ownRepo,
        log,
        notifier: createNotifier({
          channels: channelsFromConfig(config, log),
          routes: parseRoutes(config.ALERT_ROUTES),
          retries: 1,
          backoffMs: 5,
          log,
        }),
        runbookBaseUrl: config.ALERT_RUNBOOK_BASE_URL,
        dashboardUrl: null,
        repeatIntervalMs: 60 * MIN,
        adhocResolveMs: 30 * MIN,
        now: () => clock,
      });
      const [s0, t0, m0] = [slack.requests.length, sms.requests.length, smtp.mails.length];
      await admin.query(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS false`);
      await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [
        dbName,
      ]);
      const down = () =>
        history(sampleWith(clock, { db: { up: false, error: 'connection refused' } }, 'inst-a'));
      await svc.evaluate(down(), 'inst-a');
      clock += 61_000;
      await svc.evaluate(down(), 'inst-a');
      await svc.idle();
      await Promise.all([slack.waitFor(s0 + 1), sms.waitFor(t0 + 1), smtp.waitFor(m0 + 1)]);
      expect(slackTexts()[s0]).toContain(
        '[FIRING] [CRITICAL] [Level 1] DatabaseDown: The database does not answer inst-a',
      );
      clock += 15_000;
      await svc.evaluate(down(), 'inst-a'); // still down: no second message
      await svc.idle();
      expect(slack.requests.length).toBe(s0 + 1);

      await admin.query(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS true`);
      clock += 15_000;
      await svc.evaluate(history(sampleWith(clock, {}, 'inst-a')), 'inst-a');
      await svc.idle();
      await Promise.all([slack.waitFor(s0 + 2), sms.waitFor(t0 + 2)]);
      expect(slackTexts()[s0 + 1]).toContain('[RESOLVED] [CRITICAL] [Level 1] DatabaseDown');
      clock += 15_000;
      await svc.evaluate(history(sampleWith(clock, {}, 'inst-a')), 'inst-a'); // writes the history now
      const saved = await ownRepo.recent(10);
      expect(saved).toHaveLength(1);
      expect(saved[0]).toMatchObject({
        name: 'DatabaseDown',
        status: 'resolved',
        labels: { instance: 'inst-a' },
      });
      const sent = await ownRepo.deliveries([saved[0]!.id]);
      expect(sent.map((d) => `${d.kind}:${d.channel}`).sort()).toEqual([
        'firing:email',
        'firing:slack',
        'firing:sms',
        'resolved:email',
        'resolved:slack',
        'resolved:sms',
      ]);
    } finally {
      await admin.query(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS true`).catch(() => {});
      await admin.end();
      await own.close();
    }
  });

  it('a failing channel is retried with backoff, logged as failed, and does not stop the others', async () => {
    const [s0, t0, m0] = [slack.requests.length, sms.requests.length, smtp.mails.length];
    slack.failNext(Infinity, 500);
    sms.failNext(1, 503);
    await alerts.raise({
      name: 'BackupFailed',
      severity: 'critical',
      level: 2,
      summary: 'nightly backup failed: pg_dump exit 1',
    });
    await alerts.idle();
    await Promise.all([smtp.waitFor(m0 + 1), sms.waitFor(t0 + 2)]);
    expect(slack.requests.length).toBe(s0 + 3); // three attempts, all refused
    expect(smtp.mails[m0]!.subject).toContain('BackupFailed');
    const row = (await repo.firing()).find((r) => r.name === 'BackupFailed')!;
    const d = await repo.deliveries([row.id]);
    expect(d.find((x) => x.channel === 'slack')).toMatchObject({
      ok: false,
      attempts: 3,
      error: 'Slack answered HTTP 500',
    });
    expect(d.find((x) => x.channel === 'sms')).toMatchObject({ ok: true, attempts: 2 });
    expect(d.find((x) => x.channel === 'email')).toMatchObject({ ok: true, attempts: 1 });
    slack.failNext(0);
  });
});
