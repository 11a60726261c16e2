import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { REPO_ROOT } from '../../config.js';
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
  await c.check('system.https', 'system', 'HTTPS, HSTS and secure cookies', async (s) => {
    if (!config.PUBLIC_URL)
      return s.finding({
        severity: config.NODE_ENV === 'production' ? 'warning' : 'info',
        title: 'PUBLIC_URL is not set',
        evidence: 'links and cookies follow whatever Host the request names',
        fix: 'PUBLIC_URL=https://rstream.example.com',
        suffix: 'unset',
      });
    if (!https)
      return s.finding({
        severity: 'critical',
        title: 'PUBLIC_URL is not https',
        evidence: `PUBLIC_URL=${config.PUBLIC_URL}: passwords and tokens travel in clear`,
        fix: 'terminate TLS at the proxy (deploy/nginx/rstream.conf) and set PUBLIC_URL=https://…',
        suffix: 'scheme',
      });
    if (!config.TRUST_PROXY)
      s.finding({
        severity: 'warning',
        title: 'HSTS and Secure cookies are off behind the proxy',
        evidence:
          'PUBLIC_URL is https but TRUST_PROXY=false: the server sees http, so it sends no HSTS and no Secure flag on the refresh cookie',
        fix: 'TRUST_PROXY=true (the proxy sets X-Forwarded-Proto)',
        suffix: 'proxy',
      });
  });
  await c.check('system.headers', 'system', 'Security headers actually served', async (s) => {
    const base = c.deps.baseUrl ?? config.PUBLIC_URL;
    if (!base) return s.notChecked('no address to fetch (PUBLIC_URL unset)');
    const missing: string[] = [];
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
      if (!csp) missing.push(`${page}: Content-Security-Policy`);
      if (h.get('x-content-type-options') !== 'nosniff')
        missing.push(`${page}: X-Content-Type-Options nosniff`);
      if (!/frame-ancestors/.test(csp) && !h.get('x-frame-options')) missing.push(`${page}: frame denial`);
      if (!h.get('referrer-policy')) missing.push(`${page}: Referrer-Policy`);
      if (config.TRUST_PROXY && https && !h.get('strict-transport-security'))
        missing.push(`${page}: Strict-Transport-Security`);
      const acao = h.get('access-control-allow-origin');
      if (acao === '*' || acao === 'https://audit-probe.invalid')
        s.finding({
          severity: 'critical',
          title: 'Any site may read the API (CORS)',
          evidence: `${page} answers Origin https://audit-probe.invalid with Access-Control-Allow-Origin: ${acao}`,
          fix: 'CORS_ORIGINS=<exact origins>, and no add_header Access-Control-Allow-Origin in the proxy',
          suffix: `cors${page}`,
        });
    }
    if (missing.length)
      s.finding({
        severity: 'warning',
        title: 'Security headers missing',
        evidence: missing.join('; '),
        fix: 'serve through R-Stream (helmet) and deploy/nginx/rstream.conf; do not strip headers in the proxy',
      });
    s.note(`fetched ${base}`);
  });
  await c.check('system.npm-audit', 'system', 'Dependencies with known vulnerabilities', async (s) => {
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
        return s.notChecked(
          `not checked: the registry did not answer (${(parsed as { message?: string }).message || parsed.error.code || parsed.error.summary || 'error'})`,
        );
      counts = npmAuditCounts(out);
    } catch {
      return s.notChecked('not checked: npm audit gave no report (registry unreachable?)');
    }
    s.note(
      `critical ${counts.critical}, high ${counts.high}, moderate ${counts.moderate}, low ${counts.low}`,
    );
    const sev = counts.critical
      ? 'critical'
      : counts.high
        ? 'warning'
        : counts.moderate + counts.low
          ? 'info'
          : null;
    if (sev)
      s.finding({
        severity: sev,
        title: 'Production dependencies with known vulnerabilities',
        evidence: `npm audit --omit=dev: ${JSON.stringify(counts)}`,
        fix: 'npm audit fix --omit=dev (review the changes), or npm update <package>; npm audit --omit=dev lists them',
      });
  });
  await c.check('system.node-release', 'system', 'Node.js release support', async (s) => {
    const version = c.deps.nodeVersion ?? process.version;
    const major = Number(/^v?(\d+)/.exec(version)?.[1] ?? 0);
    const eol = NODE_EOL[major];
    const even = major % 2 === 0;
    if (!eol || !even)
      return s.finding({
        severity: 'warning',
        title: 'Node.js release line without long-term support',
        evidence: `${version}: not an LTS line`,
        fix: 'install the current LTS (Node.js 22 or 24)',
      });
    const left = (new Date(eol).getTime() - c.now.getTime()) / 86_400_000;
    s.note(`${version}, end of life ${eol}`);
    if (left < 0)
      s.finding({
        severity: 'warning',
        title: 'Node.js release is past its end of life',
        evidence: `${version}: end of life ${eol} (${Math.round(-left)} days ago) — no more security fixes`,
        fix: 'install Node.js 22 or 24 LTS and restart the service',
      });
    else if (left < 90)
      s.finding({
        severity: 'info',
        title: 'Node.js release ends soon',
        evidence: `${version}: end of life ${eol}`,
        fix: 'plan the move to the next LTS',
        suffix: 'soon',
      });
  });
  await c.check('system.os-updates', 'system', 'Pending OS security updates', async (s) => {
    if (!existsSync('/usr/bin/apt-get')) return s.notChecked('not checked: no apt on this machine');
    // -s simulates: nothing is installed or locked
    const r = await run('apt-get', ['-s', '-o', 'Debug::NoLocking=1', 'upgrade'], {
      timeout: 60_000,
      maxBuffer: 8 * 1024 * 1024,
    }).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
    const pending = r.stdout.split('\n').filter((l) => l.startsWith('Inst ') && /security/i.test(l));
    s.note(
      `${pending.length} security update(s) pending (apt-get -s upgrade; package lists as last updated)`,
    );
    if (pending.length)
      s.finding({
        severity: 'warning',
        title: 'OS security updates pending',
        evidence:
          pending
            .slice(0, 5)
            .map((l) => l.split(' ')[1])
            .join(', ') + (pending.length > 5 ? ` and ${pending.length - 5} more` : ''),
        fix: 'sudo apt-get update && sudo apt-get upgrade (or unattended-upgrades)',
      });
  });
  await c.check('system.log-settings', 'system', 'Log levels, redaction and retention', async (s) => {
    if (config.LOG_LEVEL === 'silent' || config.LOG_LEVEL === 'fatal' || config.LOG_LEVEL === 'error')
      s.finding({
        severity: 'warning',
        title: 'Log level hides security events',
        evidence: `LOG_LEVEL=${config.LOG_LEVEL}`,
        fix: 'LOG_LEVEL=info',
        suffix: 'level',
      });
    if (config.NODE_ENV === 'production' && (config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace'))
      s.finding({
        severity: 'info',
        title: 'Verbose logging in production',
        evidence: `LOG_LEVEL=${config.LOG_LEVEL}`,
        fix: 'LOG_LEVEL=info',
        suffix: 'verbose',
      });
    if (config.LOG_PERSONAL_DATA)
      s.finding({
        severity: 'warning',
        title: 'Redaction of personal data is off',
        evidence: 'LOG_PERSONAL_DATA=true: e-mails and IPs are written in clear',
        fix: 'LOG_PERSONAL_DATA=false',
        suffix: 'redaction',
      });
    const policy: Array<[string, number, number]> = [
      ['LOG_RETENTION_ACCESS_DAYS', config.LOG_RETENTION_ACCESS_DAYS, 90],
      ['LOG_RETENTION_ERROR_DAYS', config.LOG_RETENTION_ERROR_DAYS, 180],
      ['LOG_RETENTION_SECURITY_DAYS', config.LOG_RETENTION_SECURITY_DAYS, 365],
    ];
    for (const [key, value, min] of policy)
      if (value < min)
        s.finding({
          severity: 'warning',
          title: `${key} below the policy`,
          evidence: `${key}=${value} (policy: at least ${min})`,
          fix: `${key}=${min}`,
          suffix: key,
        });
  });
  await c.check('system.trail-append-only', 'logs', 'Security trail is append-only', async (s) => {
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
          title: 'The security trail can be rewritten',
          evidence: `trigger ${t} missing on audit_events (found: ${names.join(', ') || 'none'})`,
          fix: 'restore migration 004_security (npm run rstream -- migrate on a fresh database, or re-create the trigger from migrations/004_security.ts)',
          suffix: t,
        });
  });
}
