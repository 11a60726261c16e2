import { z } from 'zod';

/** The security audit (`rstream audit`, /api/admin/security-audit): findings, reports, acceptances. */
export const AUDIT_SEVERITIES = ['critical', 'warning', 'info'] as const;
export const auditSeveritySchema = z.enum(AUDIT_SEVERITIES);
export type AuditSeverity = z.infer<typeof auditSeveritySchema>;
export const AUDIT_AREAS = ['access', 'data', 'system', 'logs'] as const;
export type AuditArea = (typeof AUDIT_AREAS)[number];
/** critical → incident level 1, warning → 2, info → 3 (docs/operations.md) */
export const INCIDENT_LEVEL: Record<AuditSeverity, 1 | 2 | 3> = { critical: 1, warning: 2, info: 3 };

/**
 * A finding's texts in Japanese (the admin page in Japanese shows them). Optional: reports stored
 * before the audit spoke Japanese have none, and readers fall back to the English fields.
 */
export const auditFindingJaSchema = z.object({ title: z.string(), evidence: z.string(), fix: z.string() });

export const auditFindingSchema = z.object({
  /** stable across runs (the trend and acceptances key on it), e.g. `files.secrets-mode` */
  id: z.string(),
  area: z.enum(AUDIT_AREAS),
  title: z.string(),
  severity: auditSeveritySchema,
  incidentLevel: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  evidence: z.string(),
  fix: z.string(),
  runbook: z.string(),
  accepted: z.object({ reason: z.string(), expiresAt: z.string(), by: z.string().nullable() }).optional(),
  /** title, evidence and fix in Japanese; the fields above are English */
  ja: auditFindingJaSchema.optional(),
});
export type AuditFinding = z.infer<typeof auditFindingSchema>;

export const auditCheckSchema = z.object({
  id: z.string(),
  area: z.enum(AUDIT_AREAS),
  title: z.string(),
  status: z.enum(['pass', 'finding', 'not checked']),
  note: z.string().optional(),
  /** title and note in Japanese (optional, as for findings) */
  ja: z.object({ title: z.string(), note: z.string().optional() }).optional(),
});
export type AuditCheck = z.infer<typeof auditCheckSchema>;

/** critical now, warnings within 24 h, info to watch: one line per finding */
export const auditActionPlanSchema = z.object({
  now: z.array(z.string()),
  within24h: z.array(z.string()),
  watch: z.array(z.string()),
});

export const auditReportSchema = z.object({
  id: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  trigger: z.enum(['cli', 'schedule', 'admin', 'test']),
  instance: z.string(),
  period: z.object({ from: z.string(), to: z.string() }),
  exitCode: z.union([z.literal(0), z.literal(1), z.literal(2)]),
  counts: z.object({ critical: z.number(), warning: z.number(), info: z.number(), accepted: z.number() }),
  findings: z.array(auditFindingSchema),
  /** findings an unexpired risk acceptance hides (they do not count for the exit code) */
  accepted: z.array(auditFindingSchema),
  checks: z.array(auditCheckSchema),
  logAnalysis: z.record(z.string(), z.number()),
  proposals: z.array(z.string()),
  actionPlan: auditActionPlanSchema,
  /** proposals and action plan in Japanese (optional: older reports have none) */
  ja: z.object({ proposals: z.array(z.string()), actionPlan: auditActionPlanSchema }).optional(),
});
export type AuditReport = z.infer<typeof auditReportSchema>;

export const auditAcceptanceSchema = z.object({
  id: z.string(),
  findingId: z.string(),
  reason: z.string(),
  expiresAt: z.string(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
  expired: z.boolean(),
});
export type AuditAcceptance = z.infer<typeof auditAcceptanceSchema>;

export const auditTrendSchema = z.object({
  /** finding ids new since the previous report, and those that went away */
  added: z.array(z.string()),
  resolved: z.array(z.string()),
  previous: z
    .object({ id: z.string(), finishedAt: z.string(), counts: auditReportSchema.shape.counts })
    .nullable(),
});

export const auditOverviewSchema = z.object({
  latest: auditReportSchema.nullable(),
  trend: auditTrendSchema,
  acceptances: z.array(auditAcceptanceSchema),
  history: z.array(
    z.object({
      id: z.string(),
      finishedAt: z.string(),
      exitCode: z.number(),
      counts: auditReportSchema.shape.counts,
    }),
  ),
});
export type AuditOverview = z.infer<typeof auditOverviewSchema>;

export const acceptRiskBodySchema = z
  .object({
    findingId: z
      .string()
      .min(1)
      .max(120)
      .regex(/^[a-z0-9.:_-]+$/),
    reason: z.string().trim().min(10).max(1000),
    /** ISO date-time in the future, at most a year ahead */
    expiresAt: z.string().datetime({ offset: true }),
  })
  .strict();
export type AcceptRiskBody = z.infer<typeof acceptRiskBodySchema>;

/** POST /api/admin/security-audit/run: optionally leave slow checks out (e.g. system.os-updates) */
export const runAuditBodySchema = z
  .object({
    skip: z
      .array(
        z
          .string()
          .regex(/^[a-z0-9.-]+$/)
          .max(60),
      )
      .max(30)
      .optional(),
  })
  .strict();
