import { z } from 'zod';
import { turnsResponseSchema } from './turns.js';
import { reportVideoSectionSchema } from './videos.js';

/**
 * The session report (docs/api.md "Reports"): made by a job when a session ends, from the
 * stored per-second aggregates and the questions. Fields beyond the contract are additions.
 */
export const REPORT_STATUSES = ['pending', 'ready', 'failed'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export const KEY_MOMENT_KINDS = ['drop', 'recovery', 'low', 'peak'] as const;
export type KeyMomentKind = (typeof KEY_MOMENT_KINDS)[number];

export const localizedTextSchema = z.object({ en: z.string(), ja: z.string() });
export type LocalizedText = z.infer<typeof localizedTextSchema>;

export const keyMomentSchema = z.object({
  id: z.string(),
  kind: z.enum(KEY_MOMENT_KINDS),
  /** ms since the session started */
  startT: z.number(),
  endT: z.number(),
  /** the level before the moment and the level it reached */
  fromAvg: z.number().nullable(),
  toAvg: z.number().nullable(),
  /** listeners counted (mean over the moment) */
  n: z.number(),
  /** listeners counted before the moment (mean over the segment before it) */
  nBefore: z.number(),
  questionIds: z.array(z.string()),
  /** discussion mode: the speaker turn the moment falls in (filled by that mode) */
  turnId: z.string().optional(),
  /** video mode: the video position at startT (filled by that mode) */
  videoMs: z.number().optional(),
  /** true when the change is mostly fewer listeners signalling, not lost understanding */
  participation: z.boolean(),
  /** drop: ms from its start until the recovery (null: it never recovered); recovery: the same */
  recoveryMs: z.number().nullable().optional(),
  /** the note in the language asked for (`?lang=`, default English) */
  note: z.string(),
  notes: localizedTextSchema,
});
export type KeyMoment = z.infer<typeof keyMomentSchema>;

export const reportSegmentSchema = z.object({
  startT: z.number(),
  endT: z.number(),
  avg: z.number().nullable(),
  n: z.number(),
});
export type ReportSegment = z.infer<typeof reportSegmentSchema>;

export const reportSummarySchema = z.object({
  durationMs: z.number(),
  /** listeners who joined */
  participants: z.number(),
  /** listeners who signalled at least once */
  signalled: z.number(),
  signals: z.number(),
  /** time-weighted over the seconds with at least one listener counted; null: nobody signalled */
  avg: z.number().nullable(),
  median: z.number().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  timeBelowThresholdMs: z.number(),
  threshold: z.number(),
  questions: z.object({ asked: z.number(), answered: z.number() }),
});
export type ReportSummary = z.infer<typeof reportSummarySchema>;

/** What the analysis was run with: stored beside each report so a later change rewrites nothing. */
export const analysisParamsSchema = z.object({
  /** penalty = penaltyScale × ln(seconds), in units of the noise variance */
  penaltyScale: z.number(),
  minSegmentSec: z.number(),
  /** bin width (s) of the series whose first differences estimate the noise */
  noiseBinSec: z.number(),
  /** the noise estimate never goes below this (levels) */
  minNoise: z.number(),
  /** a drop/recovery must move the average at least this much (levels) */
  minShift: z.number(),
  /** a fall of n by this fraction or more marks a moment as participation */
  participationDrop: z.number(),
  /** recovered once the average is back within this fraction of the fall */
  recoveryFraction: z.number(),
  /** seconds above the threshold that do not break a low stretch */
  lowGapSec: z.number(),
  maxLowMoments: z.number(),
  questionsBeforeMs: z.number(),
  questionsAfterMs: z.number(),
});
export type AnalysisParams = z.infer<typeof analysisParamsSchema>;

export const comparisonEntrySchema = z.object({
  sessionId: z.string(),
  title: z.string(),
  startedAt: z.string().nullable(),
  durationMs: z.number(),
  avg: z.number().nullable(),
  timeBelowThresholdMs: z.number(),
});
export type ComparisonEntry = z.infer<typeof comparisonEntrySchema>;

export const reportComparisonSchema = z.object({
  /** the speaker's earlier sessions with a ready report, oldest first (at most 10) */
  previous: z.array(comparisonEntrySchema),
  /** this session's average minus the mean of the previous ones */
  avgDelta: z.number().nullable(),
  /** this session's share of time below threshold minus the previous sessions' mean share */
  belowShareDelta: z.number().nullable(),
  trend: z.enum(['up', 'down', 'flat']).nullable(),
});
export type ReportComparison = z.infer<typeof reportComparisonSchema>;

export const reportQuestionSchema = z.object({
  id: z.string(),
  content: z.string(),
  t: z.number().nullable(),
  status: z.string(),
  votes: z.number(),
  answer: z.string().nullable().optional(),
});
export type ReportQuestion = z.infer<typeof reportQuestionSchema>;

export const reportResponseSchema = z.object({
  sessionId: z.string(),
  title: z.string(),
  /** a session that has not ended has no report yet (status pending) */
  sessionStatus: z.enum(['scheduled', 'live', 'ended']),
  status: z.enum(REPORT_STATUSES),
  generatedAt: z.string().nullable(),
  /** when failed: why (the job retries on its own) */
  error: z.string().nullable().optional(),
  algorithmVersion: z.string().nullable(),
  params: analysisParamsSchema.nullable(),
  summary: reportSummarySchema.nullable(),
  keyMoments: z.array(keyMomentSchema),
  segments: z.array(reportSegmentSchema),
  questions: z.array(reportQuestionSchema),
  comparison: reportComparisonSchema.nullable(),
  /** discussion mode: the speakers section — the turns and per-speaker totals as the report saw them */
  discussion: turnsResponseSchema.nullable().optional(),
  /** video sessions: the cohorts of the video and its dips (features/reports/sections/video.ts) */
  video: reportVideoSectionSchema.nullable().optional(),
});
export type ReportResponse = z.infer<typeof reportResponseSchema>;

export const reportQuerySchema = z.object({ lang: z.enum(['en', 'ja']).optional() }).strict();
export const reportCsvQuerySchema = z
  .object({ table: z.enum(['seconds', 'moments']).default('seconds'), lang: z.enum(['en', 'ja']).optional() })
  .strict();
