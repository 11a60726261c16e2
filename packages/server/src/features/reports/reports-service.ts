import {
  analysisParamsSchema,
  type AnalysisParams,
  type KeyMoment,
  type ReportComparison,
  type ReportQuestion,
  type ReportResponse,
  type ReportSegment,
  type ReportSummary,
} from '@rstream/protocol';
import type { QuestionsService } from '../questions/questions-service.js';
import type { SessionRow } from '../sessions/sessions-repo.js';
import { readSettings } from '../sessions/sessions-view.js';
import { type SessionsService } from '../sessions/sessions-service.js';
import type { UnderstandingService } from '../understanding/understanding-service.js';
import { ALGORITHM_VERSION, analyse, DEFAULT_ANALYSIS_PARAMS } from './analysis/analyse.js';
import type { ReportRow, ReportsRepo } from './reports-repo.js';
import type { ReportSection } from './sections/section.js';

export type Lang = 'en' | 'ja';

/** What a ready report stores (reports.result). */
export interface StoredResult {
  summary: ReportSummary;
  segments: ReportSegment[];
  keyMoments: Omit<KeyMoment, 'note'>[];
  diagnostics: Record<string, number>;
  /** how long the analysis took (ms), for operators */
  analysisMs: number;
  /** each mode's own section data, by section name (sections/) */
  sections?: Record<string, unknown>;
}

export interface ReportsServiceDeps {
  repo: ReportsRepo;
  sessions: SessionsService;
  understanding: UnderstandingService;
  questions: () => QuestionsService;
  params?: AnalysisParams;
  /** the modes' own report sections (sections/), in the order they are shown */
  sections?: ReportSection[];
}

const SPEAKER = { kind: 'speaker' as const, participantId: null };

export function durationOf(session: SessionRow): number {
  if (!session.started_at) return 0;
  const end = session.ended_at ? new Date(session.ended_at).getTime() : Date.now();
  return Math.max(0, end - new Date(session.started_at).getTime());
}

export function createReportsService(deps: ReportsServiceDeps) {
  const params = deps.params ?? DEFAULT_ANALYSIS_PARAMS;
  const sections = deps.sections ?? [];

  async function questionsOf(session: SessionRow): Promise<ReportQuestion[]> {
    const list = await deps.questions().list(session, SPEAKER, 'time');
    return (
      list
        .filter((q) => q.status !== 'hidden')
        .map((q) => ({
          id: q.id,
          content: q.content,
          t: q.t,
          status: q.status,
          votes: q.votes,
          answer: q.answer,
        }))
        // in the order they were asked (before the start first)
        .sort((a, b) => (a.t ?? -1) - (b.t ?? -1))
    );
  }

  /** The analysis of one session from what is stored: pure apart from the reads. */
  async function compute(session: SessionRow): Promise<StoredResult> {
    const settings = readSettings(session.settings);
    const [seconds, stats, participants, questions] = await Promise.all([
      deps.understanding.allSeconds(session.id),
      deps.understanding.signalStats(session.id),
      deps.sessions.listParticipantRows(session.id),
      questionsOf(session),
    ]);
    const started = performance.now();
    const r = analyse(
      {
        durationMs: durationOf(session),
        seconds: seconds.map((s) => ({ t: s.t_sec, avg: s.avg, n: s.n })),
        questions: questions.map((q) => ({ id: q.id, t: q.t, status: q.status })),
        threshold: settings.warning.threshold,
        warningDurationSec: settings.warning.durationSec,
        participants: participants.filter((p) => p.role === 'listener').length,
        signalled: stats.signalled,
        signals: stats.signals,
      },
      params,
    );
    const result: StoredResult = { ...r, analysisMs: Math.round((performance.now() - started) * 10) / 10 };
    for (const section of sections) await section.enrich(session, result);
    return result;
  }

  async function comparison(session: SessionRow, summary: ReportSummary | null): Promise<ReportComparison> {
    const before = session.started_at ? new Date(session.started_at) : new Date();
    const rows = await deps.repo.readyOfHost(session.host_id, session.id, before, 10);
    const previous = rows.map((r) => {
      const s = (r.result as StoredResult).summary;
      return {
        sessionId: r.id,
        title: r.title,
        startedAt: r.started_at ? new Date(r.started_at).toISOString() : null,
        durationMs: s.durationMs,
        avg: s.avg,
        timeBelowThresholdMs: s.timeBelowThresholdMs,
      };
    });
    const avgs = previous.map((p) => p.avg).filter((a): a is number => a !== null);
    const shares = previous.filter((p) => p.durationMs > 0).map((p) => p.timeBelowThresholdMs / p.durationMs);
    const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
    const prevAvg = mean(avgs);
    const prevShare = mean(shares);
    const avgDelta =
      summary?.avg != null && prevAvg !== null ? Math.round((summary.avg - prevAvg) * 100) / 100 : null;
    const share =
      summary && summary.durationMs > 0 ? summary.timeBelowThresholdMs / summary.durationMs : null;
    const belowShareDelta =
      share !== null && prevShare !== null ? Math.round((share - prevShare) * 1000) / 1000 : null;
    const trend = avgDelta === null ? null : avgDelta > 0.1 ? 'up' : avgDelta < -0.1 ? 'down' : 'flat';
    return { previous, avgDelta, belowShareDelta, trend };
  }

  function toResponse(
    session: SessionRow,
    row: ReportRow | undefined,
    lang: Lang,
    questions: ReportQuestion[],
    cmp: ReportComparison | null,
  ): ReportResponse {
    const result = row?.status === 'ready' ? (row.result as StoredResult) : null;
    const parsedParams = analysisParamsSchema.safeParse(row?.params);
    return {
      sessionId: session.id,
      title: session.title,
      sessionStatus: session.status,
      status: row?.status ?? 'pending',
      generatedAt: row?.generated_at ? new Date(row.generated_at).toISOString() : null,
      error: row?.status === 'failed' ? row.error : null,
      algorithmVersion: row?.algorithm_version ?? null,
      params: parsedParams.success ? parsedParams.data : null,
      summary: result?.summary ?? null,
      keyMoments: (result?.keyMoments ?? []).map((m) => ({ ...m, note: m.notes[lang] })),
      segments: result?.segments ?? [],
      questions,
      comparison: cmp,
      ...Object.assign({}, ...sections.map((s) => s.respond(result))),
    };
  }

  return {
    params,
    sections,
    compute,

    /** Generates and stores the report of a session this caller has claimed. */
    async generate(sessionId: string, owner: string): Promise<StoredResult> {
      const session = await deps.sessions.findSession(sessionId);
      if (!session) throw new Error('the session no longer exists');
      const result = await compute(session);
      const stored = await deps.repo.markReady(sessionId, owner, {
        algorithmVersion: ALGORITHM_VERSION,
        params,
        result,
      });
      if (!stored) throw new Error('lost the claim on the report while generating it');
      return result;
    },

    /** The report as the API answers it (a live session's is pending until it ends). */
    async get(session: SessionRow, lang: Lang): Promise<ReportResponse> {
      const row = await deps.repo.find(session.id);
      const ready = row?.status === 'ready';
      const [questions, cmp] = await Promise.all([
        questionsOf(session),
        ready ? comparison(session, (row!.result as StoredResult).summary) : Promise.resolve(null),
      ]);
      return toResponse(session, row, lang, questions, cmp);
    },

    seconds: (sessionId: string) => deps.understanding.allSeconds(sessionId),
  };
}
export type ReportsService = ReturnType<typeof createReportsService>;
