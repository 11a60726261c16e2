import { AUDIT_AREAS, type AuditFinding, type AuditReport } from '@rstream/protocol';
import { PROPOSALS, type Lang } from './audit-text.js';

/** `[id] title — fix`, in the finding's Japanese when asked and present. */
const line = (lang: Lang) => (f: AuditFinding) => {
  const t = lang === 'ja' && f.ja ? f.ja : f;
  return `[${f.id}] ${t.title} — ${t.fix}`;
};

/** critical now, warnings within 24 h, info to watch (docs/operations.md incident levels 1–3). */
export function actionPlan(findings: AuditFinding[], lang: Lang = 'en'): AuditReport['actionPlan'] {
  const of = (sev: AuditFinding['severity']) => findings.filter((f) => f.severity === sev).map(line(lang));
  return { now: of('critical'), within24h: of('warning'), watch: of('info') };
}

/** What to improve beyond the single fixes: one proposal per area that has findings. */
export function proposals(findings: AuditFinding[], lang: Lang = 'en'): string[] {
  const areas = new Set(findings.filter((f) => f.severity !== 'info').map((f) => f.area));
  const out = AUDIT_AREAS.filter((a) => areas.has(a)).map((a) => PROPOSALS[a][lang]);
  return out.length ? out : [PROPOSALS.none[lang]];
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
