import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { REPO_ROOT } from '../../config.js';
import { joinBoth, phrase, type Bilingual } from './audit-text.js';
import type { Collector } from './model.js';

const run = promisify(execFile);

/** End of life of Node.js release lines (https://github.com/nodejs/release#release-schedule). */
export const NODE_EOL: Record<number, string> = {
  18: '2025-04-30',
  20: '2026-04-30',
  22: '2027-04-30',
  24: '2028-04-30',
  26: '2029-04-30',
};

/** Counts of `npm audit --json` by severity (npm 7+ format). */
export function npmAuditCounts(json: string): Record<'critical' | 'high' | 'moderate' | 'low', number> {
  const v =
    (JSON.parse(json) as { metadata?: { vulnerabilities?: Record<string, number> } }).metadata
      ?.vulnerabilities ?? {};
  return { critical: v.critical ?? 0, high: v.high ?? 0, moderate: v.moderate ?? 0, low: v.low ?? 0 };
}

export async function checkSystem(c: Collector): Promise<void> {
  const { config } = c.deps;
  const https = config.PUBLIC_URL?.startsWith('https://') ?? false;
  await c.check('system.https', 'system', async (s) => {
    if (!config.PUBLIC_URL)
      return s.finding({
        severity: config.NODE_ENV === 'production' ? 'warning' : 'info',
        key: 'system.https.unset',
        suffix: 'unset',
      });
    if (!https)
      return s.finding({
        severity: 'critical',
        key: 'system.https.scheme',
        params: { url: config.PUBLIC_URL },
        suffix: 'scheme',
      });
    if (!config.TRUST_PROXY) s.finding({ severity: 'warning', key: 'system.https.proxy', suffix: 'proxy' });
  });
  await c.check('system.headers', 'system', async (s) => {
    const base = c.deps.baseUrl ?? config.PUBLIC_URL;
    if (!base) return s.notChecked('system.headers.no-address');
    const missing: Bilingual[] = [];
    const header = (page: string, name: string) => phrase('header.missing', { page, header: name });
    for (const page of ['/', '/api/health']) {
      const res = await fetch(new URL(page, base), {
        headers: {
          origin: 'https://audit-probe.invalid',
          ...(config.TRUST_PROXY && https ? { 'x-forwarded-proto': 'https' } : {}),
        },
        signal: AbortSignal.timeout(5000),
      });
      await res.arrayBuffer();
      const h = res.headers;
      const csp = h.get('content-security-policy') ?? '';
      if (!csp) missing.push(header(page, 'Content-Security-Policy'));
      if (h.get('x-content-type-options') !== 'nosniff')
        missing.push(header(page, 'X-Content-Type-Options nosniff'));
      if (!/frame-ancestors/.test(csp) && !h.get('x-frame-options'))
        missing.push(phrase('header.frame-denial', { page }));
      if (!h.get('referrer-policy')) missing.push(header(page, 'Referrer-Policy'));
      if (config.TRUST_PROXY && https && !h.get('strict-transport-security'))
        missing.push(header(page, 'Strict-Transport-Security'));
      const acao = h.get('access-control-allow-origin');
      if (acao === '*' || acao === 'https://audit-probe.invalid')
        s.finding({
          severity: 'critical',
          key: 'system.headers.cors',
          params: { page, acao },
          suffix: `cors${page}`,
        });
    }
    if (missing.length)
      s.finding({
        severity: 'warning',
        key: 'system.headers.missing',
        params: { missing: joinBoth(missing, '; ') },
      });
    s.note('system.headers.fetched', { base });
  });
  await c.check('system.npm-audit', 'system', async (s) => {
    const args = [
      'audit',
      '--omit=dev',
      '--json',
      ...(c.deps.npmRegistry ? ['--registry', c.deps.npmRegistry] : []),
    ];
    let out = '';
    try {
      out = (await run('npm', args, { cwd: REPO_ROOT, timeout: 90_000, maxBuffer: 32 * 1024 * 1024 })).stdout;
    } catch (e) {
      out = (e as { stdout?: string }).stdout ?? ''; // npm audit exits 1 when it finds something
    }
    let counts: ReturnType<typeof npmAuditCounts>;
    try {
      const parsed = JSON.parse(out) as { error?: { summary?: string; code?: string } };
      if (parsed.error)
        return s.notChecked('system.npm-audit.no-answer', {
          detail:
            (parsed as { message?: string }).message || parsed.error.code || parsed.error.summary || 'error',
        });
      counts = npmAuditCounts(out);
    } catch {
      return s.notChecked('system.npm-audit.no-report');
    }
    s.note('system.npm-audit.counts', counts);
    const sev = counts.critical
      ? 'critical'
      : counts.high
        ? 'warning'
        : counts.moderate + counts.low
          ? 'info'
          : null;
    if (sev)
      s.finding({ severity: sev, key: 'system.npm-audit', params: { counts: JSON.stringify(counts) } });
  });
  await c.check('system.node-release', 'system', async (s) => {
    const version = c.deps.nodeVersion ?? process.version;
    const major = Number(/^v?(\d+)/.exec(version)?.[1] ?? 0);
    const eol = NODE_EOL[major];
    const even = major % 2 === 0;
    if (!eol || !even)
      return s.finding({ severity: 'warning', key: 'system.node-release.non-lts', params: { version } });
    const left = (new Date(eol).getTime() - c.now.getTime()) / 86_400_000;
    s.note('system.node-release', { version, eol });
    if (left < 0)
      s.finding({
        severity: 'warning',
        key: 'system.node-release.eol',
        params: { version, eol, days: Math.round(-left) },
      });
    else if (left < 90)
      s.finding({
        severity: 'info',
        key: 'system.node-release.soon',
        params: { version, eol },
        suffix: 'soon',
      });
  });
  await c.check('system.os-updates', 'system', async (s) => {
    if (!existsSync('/usr/bin/apt-get')) return s.notChecked('system.os-updates.no-apt');
    // -s simulates: nothing is installed or locked
    const r = await run('apt-get', ['-s', '-o', 'Debug::NoLocking=1', 'upgrade'], {
      timeout: 60_000,
      maxBuffer: 8 * 1024 * 1024,
    }).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
    const pending = r.stdout.split('\n').filter((l) => l.startsWith('Inst ') && /security/i.test(l));
    s.note('system.os-updates', { n: pending.length });
    if (pending.length)
      s.finding({
        severity: 'warning',
        key: 'system.os-updates',
        params: {
          packages: pending
            .slice(0, 5)
            .map((l) => l.split(' ')[1])
            .join(', '),
          more: pending.length > 5 ? phrase('more.packages', { n: pending.length - 5 }) : '',
        },
      });
  });
  await c.check('system.log-settings', 'system', async (s) => {
    const level = config.LOG_LEVEL;
    if (level === 'silent' || level === 'fatal' || level === 'error')
      s.finding({
        severity: 'warning',
        key: 'system.log-settings.level',
        params: { level },
        suffix: 'level',
      });
    if (config.NODE_ENV === 'production' && (level === 'debug' || level === 'trace'))
      s.finding({
        severity: 'info',
        key: 'system.log-settings.verbose',
        params: { level },
        suffix: 'verbose',
      });
    if (config.LOG_PERSONAL_DATA)
      s.finding({ severity: 'warning', key: 'system.log-settings.redaction', suffix: 'redaction' });
    const policy: Array<[string, number, number]> = [
      ['LOG_RETENTION_ACCESS_DAYS', config.LOG_RETENTION_ACCESS_DAYS, 90],
      ['LOG_RETENTION_ERROR_DAYS', config.LOG_RETENTION_ERROR_DAYS, 180],
      ['LOG_RETENTION_SECURITY_DAYS', config.LOG_RETENTION_SECURITY_DAYS, 365],
    ];
    for (const [key, value, min] of policy)
      if (value < min)
        s.finding({
          severity: 'warning',
          key: 'system.log-settings.retention',
          params: { key, value, min },
          suffix: key,
        });
  });
  await c.check('system.trail-append-only', 'logs', async (s) => {
    const r = await sql<{
      tgname: string;
    }>`select tgname from pg_trigger where tgrelid = 'audit_events'::regclass and not tgisinternal`.execute(
      c.deps.db,
    );
    const names = r.rows.map((x) => x.tgname);
    for (const t of ['audit_events_no_update_delete', 'audit_events_no_truncate'])
      if (!names.includes(t))
        s.finding({
          severity: 'critical',
          key: 'system.trail-append-only',
          params: { trigger: t, found: names.join(', ') || phrase('none') },
          suffix: t,
        });
  });
}
