import type { Recording } from '@rstream/protocol';
import { ApiError } from '../../api/client';
import type { RecorderFormat } from './media';
import type { UploadStatus } from './uploader';

/** What the recorder shows (its snapshot) and the pure helpers around it; the controller changes it. */

export type RecorderPhase = 'idle' | 'requesting' | 'starting' | 'recording' | 'paused' | 'stopping';

export type RecorderErrorKind =
  'permission' | 'noScreen' | 'unsupported' | 'disk' | 'refused' | 'network' | 'lost';

export interface RecorderError {
  kind: RecorderErrorKind;
  /** The server's or the browser's own words (shown after ours). */
  detail: string;
}

/** One recording this page uploads: the live one, or one a reloaded tab left in the spool. */
export interface UploadView {
  recordingId: string;
  phase: UploadStatus['phase'];
  recordedBytes: number;
  recordedMediaMs: number;
  ackedBytes: number;
  ackedMediaMs: number;
  finalBytes: number | null;
  /** Left by an earlier page (reload, closed tab), not recorded by this one. */
  recovered: boolean;
  error: UploadStatus['error'];
}

export interface RecorderSnapshot {
  phase: RecorderPhase;
  recordingId: string | null;
  format: RecorderFormat | null;
  hasMicrophone: boolean;
  /** Wall-clock anchors of the live recording (Date.now() ms); media time = elapsed − paused. */
  startedAtMs: number | null;
  pausedTotalMs: number;
  pausedSinceMs: number | null;
  uploads: UploadView[];
  error: RecorderError | null;
  /** The server's view of this session's recordings (REST + `recording:status`). */
  serverRecordings: Recording[];
  online: boolean;
}

export function mediaTimeMs(
  s: Pick<RecorderSnapshot, 'startedAtMs' | 'pausedTotalMs' | 'pausedSinceMs'>,
  now = Date.now(),
): number {
  if (s.startedAtMs === null) return 0;
  const pausedNow = s.pausedSinceMs !== null ? now - s.pausedSinceMs : 0;
  return Math.max(0, now - s.startedAtMs - s.pausedTotalMs - pausedNow);
}

export const INITIAL: RecorderSnapshot = {
  phase: 'idle',
  recordingId: null,
  format: null,
  hasMicrophone: false,
  startedAtMs: null,
  pausedTotalMs: 0,
  pausedSinceMs: null,
  uploads: [],
  error: null,
  serverRecordings: [],
  online: true,
};

export function apiErrorDetail(err: unknown): RecorderError {
  if (err instanceof ApiError)
    return { kind: err.code === 'NETWORK' ? 'network' : 'refused', detail: err.message };
  return { kind: 'network', detail: err instanceof Error ? err.message : String(err) };
}
