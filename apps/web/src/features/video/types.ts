/**
 * The video mode's wire shapes as the web app uses them (docs/api.md, "Video-watching mode").
 * Kept here so the listener's bundle needs no zod; the protocol package holds the schemas.
 */
export type ViewerState = 'needs_tap' | 'loading' | 'ready' | 'playing' | 'buffering' | 'paused';
export type VideoStatus = 'uploading' | 'processing' | 'ready' | 'failed';

export interface Video {
  id: string;
  title: string;
  source: 'url' | 'upload';
  url: string | null;
  durationMs: number | null;
  mediaUrl: string | null;
  status: VideoStatus;
  sizeBytes: number | null;
  mediaType: string | null;
  createdAt: string;
  /** sessions that name this video */
  usedBy: number;
}

export interface VideoSettings {
  videoId: string | null;
  facilitator: 'me' | 'someone_else';
  provider: 'me' | 'someone_else';
}

export interface VideoStateMessage {
  type: 'video:state';
  playing: boolean;
  positionMs: number;
  rate: number;
  serverTime: number;
  seq: number;
}

export interface VideoViewer {
  participantId: string;
  name: string | null;
  state: ViewerState;
  positionMs: number;
  driftMs: number | null;
  at: string | number;
}

export interface VideoViewersMessage {
  type: 'video:viewers';
  viewers: VideoViewer[];
  ready: number;
  total: number;
}

export interface CohortPoint {
  t: number;
  avg: number | null;
  n: number;
}
export interface Cohort {
  sessionId: string;
  title: string;
  startedAt: string | null;
  participants: number;
  points: CohortPoint[];
}
export interface Dip {
  startMs: number;
  endMs: number;
  avg: number;
  cohorts: number;
}
export interface CohortsResponse {
  cohorts: Cohort[];
  dips: Dip[];
}

export const isVideoState = (m: { type: string }): m is VideoStateMessage => m.type === 'video:state';
export const isVideoViewers = (m: { type: string }): m is VideoViewersMessage => m.type === 'video:viewers';
