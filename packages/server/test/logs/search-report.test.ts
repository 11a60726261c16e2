import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { archiveLogs } from '../../src/ops/logs/archive.js';
import { runLogsCli } from '../../src/ops/logs/logs-cli.js';
import { runLogMaintenance } from '../../src/ops/logs/maintenance.js';
import { startSmtpReceiver } from '../alerts/receivers.js';
import { capture, DAY, dayBefore, logConfig, newKey, NOW, tempLogDir, writeLog } from './log-helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Ten days of access logs (the oldest archived), some errors and security events. */
async function fixture() {
  const dir = tempLogDir();
  dirs.push(dir);
  const config = logConfig(dir, { LOG_ARCHIVE_KEY: newKey() });
  for (let ago = 1; ago <= 10; ago++) {
    const day = dayBefore(ago);
    writeLog(dir, 'access', day, [
      {
        reqId: `a-${ago}`,
        method: 'GET',
        route: '/api/health',
        status: 200,
        durationMs: 3,
        time: `${day}T08:00:00.000Z`,
      },
      {
        reqId: `b-${ago}`,
        method: 'POST',
        route: '/api/auth/login',
        status: ago === 9 ? 500 : 200,
        durationMs: 40,
        time: `${day}T20:00:00.000Z`,
      },
    ]);
  }
  writeLog(dir, 'error', dayBefore(9), [
    {
      level: 'error',
      reqId: 'b-9',
      err: { type: 'Error', message: 'connection refused' },
      msg: 'request failed',
    },
  ]);
  const archived = await archiveLogs(config, { now: NOW });
  expect(archived.archived.length).toBe(5); // access days 7–10 and the error day 9
  return { dir, config };
}

describe('logs search', () => {
  it('finds lines by request id, level, text and time across live files and archives', async () => {
    const { config } = await fixture();
    const byId = await capture(() => runLogsCli(['search', '--request-id', 'b-9'], config, NOW));
    expect(byId.code).toBe(0);
    const lines = byId.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.stream).sort()).toEqual(['access', 'error']); // both from archives
    expect(byId.err).toContain('2 line(s) printed of 2 matching');

    const errors = await capture(() => runLogsCli(['search', '--level', 'error'], config, NOW));
    expect(errors.out.trim().split('\n')).toHaveLength(1);

    const text = await capture(() =>
      runLogsCli(
        [
          'search',
          '--stream',
          'access',
          '--text',
          'AUTH/LOGIN',
          '--from',
          dayBefore(3),
          '--to',
          dayBefore(2),
        ],
        config,
        NOW,
      ),
    );
    expect(
      text.out
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { reqId: string }).reqId),
    ).toEqual(['b-3', 'b-2']);

    const window = await capture(() =>
      runLogsCli(
        [
          'search',
          '--stream',
          'access',
          '--from',
          `${dayBefore(8)}T12:00:00Z`,
          '--to',
          `${dayBefore(7)}T12:00:00Z`,
        ],
        config,
        NOW,
      ),
    );
    expect(
      window.out
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { reqId: string }).reqId),
    ).toEqual(['b-8', 'a-7']);

    const limited = await capture(() =>
      runLogsCli(['search', '--stream', 'access', '--limit', '3'], config, NOW),
    );
    expect(limited.out.trim().split('\n')).toHaveLength(3);
    expect(limited.err).toContain('3 line(s) printed of 20 matching');
  });

  it('reports archives it cannot read and rejects bad arguments with exit 2', async () => {
    const { dir } = await fixture();
    const otherKey = logConfig(dir, { LOG_ARCHIVE_KEY: newKey() });
    const partial = await capture(() => runLogsCli(['search', '--stream', 'access'], otherKey, NOW));
    expect(partial.code).toBe(1);
    expect(partial.out.trim().split('\n')).toHaveLength(12); // the six live days
    expect(partial.err).toMatch(/skipped .*access-.*\.log\.gz\.enc: encrypted with key/);

    for (const args of [
      ['search', '--stream', 'nope'],
      ['search', '--level', 'loud'],
      ['search', '--from', 'yesterday'],
      ['search', '--from', '2026-06-10', '--to', '2026-06-01'],
      ['search', '--limit', 'many'],
      ['report', '--period', 'monthly'],
      ['report', '--date', '2026-13-45'],
      ['read'],
    ]) {
      const r = await capture(() => runLogsCli(args, otherKey, NOW));
      expect([args.join(' '), r.code]).toEqual([args.join(' '), 2]);
      expect(r.err).toMatch(/rstream logs: .+/);
    }
  });
});

describe('logs report', () => {
  it('computes trend, top errors, slowest routes, security summary and anomalies, and stores them', async () => {
    const dir = tempLogDir();
    dirs.push(dir);
    const config = logConfig(dir);
    const today = dayBefore(1);
    const before = dayBefore(2);
    const access = (day: string, n: number, ms: number, status = 200) =>
      Array.from({ length: n }, (_, i) => ({
        reqId: `${day}-${i}`,
        method: 'GET',
        route: '/api/sessions/:id',
        status,
        durationMs: ms + (i % 5),
      }));
    writeLog(dir, 'access', before, access(before, 100, 50));
    writeLog(dir, 'access', today, [...access(today, 100, 700), ...access(today, 5, 10, 503)]);
    writeLog(dir, 'error', before, [
      { level: 'error', err: { type: 'Error', message: 'timeout after 5000 ms' } },
    ]);
    writeLog(dir, 'error', today, [
      ...Array.from({ length: 12 }, (_, i) => ({
        level: 'error',
        reqId: `e${i}`,
        err: { type: 'Error', message: `timeout after ${5000 + i} ms` },
      })),
      { level: 'error', err: { type: 'TypeError', message: 'x is undefined' } },
      { level: 'warn', msg: 'not an error' },
    ]);
    writeLog(dir, 'security', today, [
      ...Array.from({ length: 25 }, () => ({ level: 'warn', event: 'login_failed', ip: '203.0.113.9' })),
      { level: 'warn', event: 'refresh_token_reuse', userId: 'u1' },
    ]);
    writeLog(dir, 'app', today, [
      { level: 'warn', finding: { kind: 'http_5xx_burst', message: '10 responses with status 5xx' } },
    ]);

    const r = await capture(() => runLogsCli(['report', '--period', 'daily', '--json'], config, NOW));
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(report).toMatchObject({ period: 'daily', from: today, to: today });
    expect(report.errors).toMatchObject({ count: 13, previous: 1, changePct: 1200 });
    expect(report.errors.top[0]).toMatchObject({
      signature: 'Error: timeout after N ms',
      count: 12,
      sampleReqId: 'e0',
    });
    expect(report.requests).toMatchObject({ count: 105, previous: 100, http5xx: 5, previous5xx: 0 });
    expect(report.slowestRoutes[0]).toMatchObject({
      route: 'GET /api/sessions/:id',
      count: 105,
      p95Ms: 704,
      previousP95Ms: 54,
    });
    expect(report.security.events).toEqual({ login_failed: 25, refresh_token_reuse: 1 });
    expect(report.security.topFailedLoginIps).toEqual([{ ip: '203.0.113.9', count: 25 }]);
    expect(report.findings).toHaveLength(1);
    expect(report.anomalies).toEqual([
      'errors rose to 13 from 1 in the previous period',
      '4.8 % of requests failed with 5xx (5 of 105)',
      'GET /api/sessions/:id: p95 704 ms, up from 54 ms',
      '25 failed logins from 203.0.113.9',
      '1 refresh token reuse event(s): possible token theft',
      '1 real-time detector finding(s) during the period',
    ]);
    const md = readFileSync(path.join(dir, 'reports', `daily-${today}.md`), 'utf8');
    expect(md).toContain(`# R-Stream log report (daily) ${today}`);
    expect(md).toContain('| GET /api/sessions/:id | 105 | 704 | 54 | 5 |');
    expect(existsSync(path.join(dir, 'reports', `daily-${today}.json`))).toBe(true);

    const weekly = await capture(() => runLogsCli(['report', '--period', 'weekly'], config, NOW));
    expect(weekly.out).toContain(`(weekly) ${dayBefore(7)} – ${today}`);
    expect(weekly.out).toContain('Errors: 14 (previous 0');
  });

  it('sends the report by e-mail through SMTP and says so when Slack refuses it', async () => {
    const smtp = await startSmtpReceiver();
    const failing: Server = createServer((_req, res) => {
      res.statusCode = 500;
      res.end('no');
    });
    await new Promise<void>((r) => failing.listen(0, '127.0.0.1', r));
    try {
      const dir = tempLogDir();
      dirs.push(dir);
      writeLog(dir, 'error', dayBefore(1), [
        { level: 'error', err: { type: 'Error', message: 'disk full' } },
      ]);
      const config = logConfig(dir, {
        SMTP_URL: smtp.url,
        LOG_REPORT_EMAIL_TO: 'ops@example.test',
        LOG_REPORT_SLACK_WEBHOOK_URL: `http://127.0.0.1:${(failing.address() as { port: number }).port}/hook`,
      });
      const r = await capture(() => runLogsCli(['report', '--send'], config, NOW));
      expect(r.code).toBe(1);
      expect(r.err).toContain('sent to email');
      expect(r.err).toContain('sending failed: slack: HTTP 500');
      await smtp.waitFor(1);
      expect(smtp.mails[0]).toMatchObject({
        to: ['ops@example.test'],
        subject: `R-Stream log report (daily) ${dayBefore(1)}`,
      });
      expect(smtp.mails[0]!.text).toContain('Error: disk full'); // (the receiver decodes quoted-printable byte by byte, so no non-ASCII here)
    } finally {
      failing.close();
      await smtp.close();
    }
  });

  it('the daily job prunes, archives, writes the report and posts it to Slack, in one line', async () => {
    const posted: string[] = [];
    const slack: Server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        posted.push(body);
        res.end('ok');
      });
    });
    await new Promise<void>((r) => slack.listen(0, '127.0.0.1', r));
    const port = (slack.address() as { port: number }).port;
    try {
      const dir = tempLogDir();
      dirs.push(dir);
      const config = logConfig(dir, {
        LOG_ARCHIVE_KEY: newKey(),
        LOG_REPORT_SLACK_WEBHOOK_URL: `http://127.0.0.1:${port}/hook`,
      });
      writeLog(dir, 'access', dayBefore(1), [
        { method: 'GET', route: '/api/health', status: 200, durationMs: 2 },
      ]);
      writeLog(dir, 'access', dayBefore(8), [
        { method: 'GET', route: '/api/health', status: 200, durationMs: 2 },
      ]);
      writeLog(dir, 'app', dayBefore(31), [{ msg: 'old' }]);
      const monday = Date.parse('2026-06-15T00:05:00Z'); // NOW's day is a Monday
      expect(new Date(monday).getUTCDay()).toBe(1);
      const r = await runLogMaintenance(config, { now: monday });
      expect(r.status).toBe('ok');
      expect(r.line).toBe(
        `log maintenance: ok; prune: ok, deleted 1 file(s), kept 2; archive: ok, archived 1 file(s); ` +
          `report daily-${dayBefore(1)} sent to slack; report weekly-${dayBefore(1)} sent to slack`,
      );
      expect(posted).toHaveLength(2);
      expect(JSON.parse(posted[0]!).text).toContain(`R-Stream log report (daily) ${dayBefore(1)}`);
      // a second run the same day does not send the reports again
      const again = await runLogMaintenance(config, { now: monday + 60_000 });
      expect(again.line).not.toContain('report');
      expect(posted).toHaveLength(2);
      expect(DAY).toBeGreaterThan(0);
    } finally {
      slack.close();
    }
  });
});
