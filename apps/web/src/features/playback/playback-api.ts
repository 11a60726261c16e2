import { z } from 'zod';
import { ApiError } from '../../api/client';
import { api } from '../../api/client';

const enc = encodeURIComponent;

/**
 * The part of the report (docs/api.md "Reports") playback needs: its key moments. Parsed
 * leniently — the reports feature may add fields — and anything unreadable is "no markers yet".
 */
export const keyMomentSchema = z.object({
  id: z.string(),
  kind: z.enum(['drop', 'recovery', 'low', 'peak']),
  startT: z.number(),
  endT: z.number(),
  fromAvg: z.number().nullable().optional(),
  toAvg: z.number().nullable().optional(),
  questionIds: z.array(z.string()).optional(),
  note: z.string().optional(),
});
export type KeyMoment = z.infer<typeof keyMomentSchema>;

const reportSchema = z.object({
  status: z.enum(['pending', 'ready', 'failed']),
  keyMoments: z.array(z.unknown()).optional(),
});

export type ReportMarkers = { status: 'ready' | 'pending' | 'failed' | 'none'; keyMoments: KeyMoment[] };

/** Key moments from GET /api/sessions/:id/report; 404 or a pending report → none yet. */
export async function loadReportMarkers(sessionId: string): Promise<ReportMarkers> {
  try {
    const raw = await api.get<unknown>(`/api/sessions/${enc(sessionId)}/report`);
    const parsed = reportSchema.safeParse(raw);
    if (!parsed.success) return { status: 'none', keyMoments: [] };
    const keyMoments = (parsed.data.keyMoments ?? [])
      .map((k) => keyMomentSchema.safeParse(k))
      .flatMap((r) => (r.success ? [r.data] : []))
      .sort((a, b) => a.startT - b.startT);
    return { status: parsed.data.status, keyMoments: parsed.data.status === 'ready' ? keyMoments : [] };
  } catch (err) {
    if (err instanceof ApiError && (err.status === 404 || err.status === 403))
      return { status: 'none', keyMoments: [] };
    throw err;
  }
}

/** WebVTT chapters of one part: the key moments inside it, in that part's media time. */
export function chaptersVtt(
  moments: KeyMoment[],
  toMedia: (t: number) => number,
  inPart: (t: number) => boolean,
  label: (m: KeyMoment) => string,
): string {
  const ts = (ms: number) => {
    const total = Math.max(0, Math.round(ms));
    const h = Math.floor(total / 3_600_000);
    const m = Math.floor((total % 3_600_000) / 60_000);
    const s = Math.floor((total % 60_000) / 1000);
    const frac = total % 1000;
    const p = (n: number, w = 2) => String(n).padStart(w, '0');
    return `${p(h)}:${p(m)}:${p(s)}.${p(frac, 3)}`;
  };
  const cues = moments
    .filter((m) => inPart(m.startT))
    .map((m, i) => {
      const start = toMedia(m.startT);
      const end = Math.max(start + 1000, toMedia(m.endT));
      return `${i + 1}\n${ts(start)} --> ${ts(end)}\n${label(m).replace(/\n/g, ' ').replace(/-->/g, '→')}`;
    });
  return `WEBVTT\n\n${cues.join('\n\n')}\n`;
}
