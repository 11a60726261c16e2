import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AlertRow } from './alerts-repo.js';
import type { AlertMessage } from './notifiers.js';
import { renderSummary, type AlertRule } from './rules.js';

/** What an alert is made of before and after the store: ad-hoc input, fingerprint, the message sent. */

/** An alert raised by code (log detection, backups…) rather than a metric rule. */
export const raiseInputSchema = z.object({
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{1,63}$/, 'a CamelCase or snake_case name'),
  severity: z.enum(['critical', 'warning', 'info']),
  level: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  summary: z.string().min(1).max(500),
  description: z.string().max(2000).optional(),
  labels: z.record(z.string(), z.string()).default({}),
  /** docs/runbooks/<runbook>.md; defaults to the kebab-case name */
  runbook: z
    .string()
    .regex(/^[a-z0-9-]+$/)
    .optional(),
  value: z.number().optional(),
});
export type RaiseInput = z.input<typeof raiseInputSchema>;

export function fingerprintOf(name: string, labels: Record<string, string>): string {
  const canonical = JSON.stringify([
    name,
    Object.keys(labels)
      .sort()
      .map((k) => [k, labels[k]]),
  ]);
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}
export const kebab = (s: string) =>
  s
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/_/g, '-')
    .toLowerCase();

/** The message the notifiers send for an alert row (a rule's description, else the raiser's). */
export function alertMessage(
  row: AlertRow,
  kind: AlertMessage['kind'],
  o: { rule?: AlertRule; description?: string; runbookBaseUrl: string; dashboardUrl: string | null },
): AlertMessage {
  const description = o.rule
    ? renderSummary(o.rule.description, row.labels, '')
    : (o.description ?? row.summary);
  return {
    kind,
    name: row.name,
    severity: row.severity,
    level: row.level,
    summary: row.summary,
    description,
    labels: row.labels,
    fingerprint: row.fingerprint,
    startedAt: new Date(row.started_at),
    resolvedAt: row.resolved_at ? new Date(row.resolved_at) : null,
    runbookUrl: `${o.runbookBaseUrl}${row.runbook}.md`,
    dashboardUrl: o.dashboardUrl,
  };
}
