import type { Recording, RecordingPause } from '@rstream/protocol';

/**
 * Session time ↔ media time. A recording's time 0 lies at session time `offsetMs`; while it was
 * paused the session clock ran on and the media did not. All values in ms.
 */
export interface MediaPart {
  recordingId: string;
  mediaUrl: string;
  mediaType: string;
  offsetMs: number;
  /** Pauses as session-time intervals [atMs, resumedAtMs), sorted; an open one is closed at the end. */
  pauses: { atMs: number; resumedAtMs: number }[];
  durationMs: number;
  /** Session time at which the part's media ends. */
  endT: number;
}

function closedPauses(pauses: RecordingPause[], offsetMs: number, durationMs: number): MediaPart['pauses'] {
  const sorted = [...pauses].sort((a, b) => a.atMs - b.atMs);
  const out: MediaPart['pauses'] = [];
  let paused = 0;
  for (const p of sorted) {
    const at = Math.max(p.atMs, offsetMs);
    // Where the media was when the pause began: at − offset − earlier pauses.
    const mediaAt = at - offsetMs - paused;
    if (mediaAt > durationMs) break;
    // A pause the recording never resumed from ends the media: it lasts "forever" here.
    const resumed = p.resumedAtMs ?? Number.POSITIVE_INFINITY;
    if (resumed <= at) continue;
    out.push({ atMs: at, resumedAtMs: resumed });
    if (!Number.isFinite(resumed)) break;
    paused += resumed - at;
  }
  return out;
}

/** The playable parts of a session, in session order (only `ready` recordings with a URL). */
export function mediaParts(recordings: Recording[]): MediaPart[] {
  return recordings
    .filter((r) => r.status === 'ready' && r.mediaUrl && (r.durationMs ?? 0) > 0)
    .map((r) => {
      const durationMs = r.durationMs ?? 0;
      const pauses = closedPauses(r.pauses, r.offsetMs, durationMs);
      const part: MediaPart = {
        recordingId: r.id,
        mediaUrl: r.mediaUrl ?? '',
        mediaType: r.mediaType,
        offsetMs: r.offsetMs,
        pauses,
        durationMs,
        endT: 0,
      };
      part.endT = mediaToSession(part, durationMs);
      return part;
    })
    .sort((a, b) => a.offsetMs - b.offsetMs);
}

/** Session time of a media time in this part. */
export function mediaToSession(part: Pick<MediaPart, 'offsetMs' | 'pauses'>, mediaMs: number): number {
  let t = part.offsetMs + mediaMs;
  for (const p of part.pauses) {
    // Media time mediaMs comes after this pause if the pause began at or before it (in session time).
    if (p.atMs <= t && Number.isFinite(p.resumedAtMs)) t += p.resumedAtMs - p.atMs;
    else break;
  }
  return t;
}

/** Media time of a session time in this part (a time inside a pause maps to where it paused). */
export function sessionToMedia(
  part: Pick<MediaPart, 'offsetMs' | 'pauses' | 'durationMs'>,
  t: number,
): number {
  let paused = 0;
  for (const p of part.pauses) {
    if (t < p.atMs) break;
    if (t < p.resumedAtMs) return clamp(p.atMs - part.offsetMs - paused, 0, part.durationMs);
    paused += p.resumedAtMs - p.atMs;
  }
  return clamp(t - part.offsetMs - paused, 0, part.durationMs);
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/**
 * Where session time t plays: the part whose span holds it, else the next part after it
 * (`gap`: t itself was not recorded), else null (after the last part).
 */
export function partAt(parts: MediaPart[], t: number): { index: number; gap: boolean } | null {
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as MediaPart;
    if (t < p.offsetMs) return { index: i, gap: true };
    if (t < p.endT) return { index: i, gap: false };
  }
  return null;
}

/** "12:34", "1:02:03" or "754" (seconds) → ms; null when unreadable. */
export function parseTimeParam(value: string | null): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+(\.\d+)?s?$/.test(v)) return Math.round(parseFloat(v) * 1000);
  const m = /^(?:(\d+):)?(\d{1,2}):(\d{2})$/.exec(v);
  if (!m) return null;
  const [, h, min, s] = m;
  return ((Number(h ?? 0) * 60 + Number(min)) * 60 + Number(s)) * 1000;
}

/** ms → "mm:ss" or "h:mm:ss" for `?t=`. */
export function formatTimeParam(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
}
