import type { AuditFinding, AuditReport } from '@rstream/protocol';

const line = (f: AuditFinding) => `[${f.id}] ${f.title} — ${f.fix}`;

/** critical now, warnings within 24 h, info to watch (docs/operations.md incident levels 1–3). */
export function actionPlan(findings: AuditFinding[]): AuditReport['actionPlan'] {
  return {
    now: findings.filter((f) => f.severity === 'critical').map(line),
    within24h: findings.filter((f) => f.severity === 'warning').map(line),
    watch: findings.filter((f) => f.severity === 'info').map(line),
  };
}

/** What to improve beyond the single fixes: one proposal per area that has findings. */
export function proposals(findings: AuditFinding[]): string[] {
  const areas = new Set(findings.filter((f) => f.severity !== 'info').map((f) => f.area));
  const out: string[] = [];
  if (areas.has('access'))
    out.push(
      'Access control: review admins and inactive accounts every month; keep HOST on loopback behind the proxy and METRICS_TOKEN set; CORS_ORIGINS as an exact list.',
    );
  if (areas.has('data'))
    out.push(
      'Data protection: keep BACKUP_SCHEDULE=on with BACKUP_ENCRYPTION_KEY_FILE outside DATA_DIR, S3_SSE=AES256, and a monthly `rstream drill`.',
    );
  if (areas.has('system'))
    out.push(
      'System settings: TLS at the proxy with TRUST_PROXY=true, an LTS Node.js, unattended OS security updates, and `npm audit --omit=dev` in CI.',
    );
  if (areas.has('logs'))
    out.push(
      'Logs: alert on refresh-token reuse and lock-out bursts (ops/logs detector) and keep the 90/180/365-day retention.',
    );
  if (out.length === 0)
    out.push(
      'No weaknesses above info: keep the monthly audit and the hardened settings of docs/security.md.',
    );
  return out;
}

const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The report for people (docs/security.md shows an excerpt). */
export function toMarkdown(r: AuditReport): string {
  const out: string[] = [];
  out.push(`# R-Stream security audit ${r.finishedAt.slice(0, 16).replace('T', ' ')} UTC`, '');
  out.push(
    `Instance ${r.instance}, period ${r.period.from.slice(0, 10)} – ${r.period.to.slice(0, 10)}, run by ${r.trigger}.`,
    '',
  );
  out.push(
    `**Result: exit ${r.exitCode}** — ${r.counts.critical} critical, ${r.counts.warning} warning, ${r.counts.info} info, ${r.counts.accepted} accepted.`,
    '',
  );
  out.push('## Findings', '');
  if (r.findings.length === 0) out.push('None.', '');
  else {
    out.push('| id | area | severity (level) | finding | evidence | fix |', '|---|---|---|---|---|---|');
    for (const f of r.findings)
      out.push(
        `| \`${f.id}\` | ${f.area} | ${f.severity} (${f.incidentLevel}) | ${esc(f.title)} | ${esc(f.evidence)} | \`${esc(f.fix)}\` [runbook](${f.runbook}) |`,
      );
    out.push('');
  }
  if (r.accepted.length) {
    out.push('## Accepted risks', '');
    for (const f of r.accepted)
      out.push(
        `- \`${f.id}\` ${f.title} — until ${f.accepted!.expiresAt} (${f.accepted!.by ?? '?'}): ${f.accepted!.reason}`,
      );
    out.push('');
  }
  out.push('## Checks', '', '| check | area | status | note |', '|---|---|---|---|');
  for (const c of r.checks) out.push(`| ${esc(c.title)} | ${c.area} | ${c.status} | ${esc(c.note ?? '')} |`);
  out.push('', '## Log analysis', '');
  for (const [k, v] of Object.entries(r.logAnalysis)) out.push(`- ${k}: ${v}`);
  out.push('', '## Improvement proposals', '');
  for (const p of r.proposals) out.push(`- ${p}`);
  out.push('', '## Action plan', '');
  const plan: Array<[string, string[]]> = [
    ['Now (critical, incident level 1)', r.actionPlan.now],
    ['Within 24 h (warning, level 2)', r.actionPlan.within24h],
    ['Watch (info, level 3)', r.actionPlan.watch],
  ];
  for (const [title, items] of plan) {
    out.push(`### ${title}`, '');
    out.push(...(items.length ? items.map((i) => `1. ${i}`) : ['Nothing.']), '');
  }
  return out.join('\n');
}
