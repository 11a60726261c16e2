import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Config } from '../../config.js';
import type { LogReport } from './report.js';

/** Where a report goes: JSON + Markdown under LOG_DIR/reports/, and optionally Slack and e-mail. */

const fmtChange = (pct: number | null) => (pct === null ? 'n/a' : `${pct > 0 ? '+' : ''}${pct} %`);

export function renderMarkdown(r: LogReport): string {
  const span = r.from === r.to ? r.from : `${r.from} – ${r.to}`;
  const lines = [
    `# R-Stream log report (${r.period}) ${span}`,
    '',
    `Generated ${r.generatedAt} on ${r.host}.`,
    '',
    '## Summary',
    `- Requests: ${r.requests.count} (previous period ${r.requests.previous}); 5xx: ${r.requests.http5xx} (previous ${r.requests.previous5xx})`,
    `- Errors: ${r.errors.count} (previous ${r.errors.previous}, change ${fmtChange(r.errors.changePct)})`,
    `- Security events: ${Object.values(r.security.events).reduce((a, b) => a + b, 0)}`,
    '',
    '## Anomalies',
    ...(r.anomalies.length ? r.anomalies.map((a) => `- ⚠ ${a}`) : ['- none']),
    '',
    '## Top errors',
    ...(r.errors.top.length
      ? r.errors.top.map(
          (e) => `- ${e.count} × ${e.signature}${e.sampleReqId ? ` (e.g. request ${e.sampleReqId})` : ''}`,
        )
      : ['- none']),
    '',
    '## Slowest routes (p95)',
    '| route | requests | p95 ms | previous p95 ms | 5xx |',
    '|---|---:|---:|---:|---:|',
    ...r.slowestRoutes.map(
      (s) =>
        `| ${s.route} | ${s.count} | ${Math.round(s.p95Ms)} | ${s.previousP95Ms === null ? '–' : Math.round(s.previousP95Ms)} | ${s.errors5xx} |`,
    ),
    '',
    '## Security events',
    ...(Object.keys(r.security.events).length
      ? Object.entries(r.security.events)
          .sort((a, b) => b[1] - a[1])
          .map(([ev, n]) => `- ${ev}: ${n} (previous ${r.security.previous[ev] ?? 0})`)
      : ['- none']),
    ...(r.security.topFailedLoginIps.length
      ? [
          '',
          'Failed logins by IP: ' +
            r.security.topFailedLoginIps.map((x) => `${x.ip} (${x.count})`).join(', '),
        ]
      : []),
    '',
    '## Performance',
    ...(Object.keys(r.performance).length
      ? Object.entries(r.performance).map(([k, n]) => `- ${k}: ${n}`)
      : ['- nothing slow recorded']),
    '',
    '## Real-time findings',
    ...(r.findings.length
      ? r.findings.slice(0, 20).map((f) => `- ${f.at} ${f.kind}: ${f.message}`)
      : ['- none']),
  ];
  if (r.unreadable.length)
    lines.push('', '## Files that could not be read', ...r.unreadable.map((u) => `- ${u}`));
  return `${lines.join('\n')}\n`;
}

export const reportName = (r: LogReport) => `${r.period}-${r.to}`;

/** Writes LOG_DIR/reports/<period>-<last day>.{json,md} (each `.tmp` then renamed). */
export function saveReport(logDir: string, r: LogReport): { json: string; md: string } {
  const dir = path.join(logDir, 'reports');
  mkdirSync(dir, { recursive: true, mode: 0o750 });
  const base = path.join(dir, reportName(r));
  const write = (file: string, body: string) => {
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, body, { mode: 0o640 });
    renameSync(tmp, file);
  };
  write(`${base}.json`, `${JSON.stringify(r, null, 2)}\n`);
  write(`${base}.md`, renderMarkdown(r));
  return { json: `${base}.json`, md: `${base}.md` };
}

export interface SendResult {
  sent: string[];
  failed: string[];
}

function smtpTransport(c: Config) {
  if (c.SMTP_URL) return nodemailer.createTransport(c.SMTP_URL);
  if (c.SMTP_HOST) {
    return nodemailer.createTransport({
      host: c.SMTP_HOST,
      port: c.SMTP_PORT,
      secure: c.SMTP_SECURE,
      ...(c.SMTP_USER ? { auth: { user: c.SMTP_USER, pass: c.SMTP_PASSWORD ?? '' } } : {}),
    });
  }
  return null;
}

/** Slack (LOG_REPORT_SLACK_WEBHOOK_URL) and e-mail (LOG_REPORT_EMAIL_TO through SMTP_*), each only when configured. */
export async function sendReport(c: Config, r: LogReport): Promise<SendResult> {
  const out: SendResult = { sent: [], failed: [] };
  const md = renderMarkdown(r);
  const title = `R-Stream log report (${r.period}) ${r.from === r.to ? r.from : `${r.from} – ${r.to}`}`;
  if (c.LOG_REPORT_SLACK_WEBHOOK_URL) {
    try {
      const res = await fetch(c.LOG_REPORT_SLACK_WEBHOOK_URL, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text: `*${title}*\n${md.split('\n').slice(2).join('\n').slice(0, 35_000)}` }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      out.sent.push('slack');
    } catch (err) {
      out.failed.push(`slack: ${(err as Error).message}`);
    }
  }
  if (c.LOG_REPORT_EMAIL_TO) {
    const transport = smtpTransport(c);
    if (!transport) out.failed.push('email: LOG_REPORT_EMAIL_TO is set but SMTP_URL/SMTP_HOST is not');
    else {
      try {
        await transport.sendMail({
          from: c.ALERT_EMAIL_FROM,
          to: c.LOG_REPORT_EMAIL_TO,
          subject: title,
          text: md,
        });
        out.sent.push('email');
      } catch (err) {
        out.failed.push(`email: ${(err as Error).message}`);
      } finally {
        transport.close();
      }
    }
  }
  return out;
}
