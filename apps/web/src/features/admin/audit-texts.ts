import type { AuditFinding, AuditReport } from '@rstream/protocol';
import type { Lang } from '../../app/i18n';

/**
 * What the server says about a finding, in the admin's language: the server sends English in
 * the plain fields and Japanese in `ja`. Reports stored before it spoke Japanese have no `ja`,
 * so they are shown in English.
 */
export function findingTexts(f: AuditFinding, lang: Lang): { title: string; evidence: string; fix: string } {
  const t = lang === 'ja' ? f.ja : undefined;
  return t ?? { title: f.title, evidence: f.evidence, fix: f.fix };
}

/** The report's proposals and action plan, in the admin's language (English when there is no `ja`). */
export function reportTexts(
  r: AuditReport,
  lang: Lang,
): { proposals: string[]; actionPlan: AuditReport['actionPlan'] } {
  const t = lang === 'ja' ? r.ja : undefined;
  return t ?? { proposals: r.proposals, actionPlan: r.actionPlan };
}
