import type { HistoryPoint } from '@rstream/protocol';
import { api } from '../../api/client';
import type { CohortsResponse, Video } from './types';

const enc = encodeURIComponent;

export const videosApi = {
  list: () => api.get<{ videos: Video[] }>('/api/videos'),
  /** With a URL the video is ready to show; without, the file follows by tus (VideoLibrary). */
  /** `sessionId`: the session's invited provider (participant token) adds it for that session. */
  create: (body: { title: string; url?: string; sizeBytes?: number; sessionId?: string }, bearer?: string) =>
    api.post<{ video: Video }>('/api/videos', body, { bearer }),
  /** The duration the browser read (URLs, and uploads on a server without ffprobe). */
  update: (id: string, body: { title?: string; durationMs?: number }) =>
    api.put<{ video: Video }>(`/api/videos/${enc(id)}`, body),
  /** The session's video for anyone of the session (a fresh signed mediaUrl), or null. */
  ofSession: (sessionId: string, bearer?: string) =>
    api.get<{ video: Video | null }>(`/api/sessions/${enc(sessionId)}/video`, { bearer }),
  /** The host (or the invited provider) picks the session's video. */
  setForSession: (sessionId: string, videoId: string, bearer?: string) =>
    api.put<{ video: Video | null }>(`/api/sessions/${enc(sessionId)}/video`, { videoId }, { bearer }),
  remove: (id: string) => api.delete<void>(`/api/videos/${enc(id)}`),
  cohorts: (id: string, bearer?: string) =>
    api.get<CohortsResponse>(`/api/videos/${enc(id)}/cohorts`, { bearer }),
  /** `axis=video`: the points' `t` is the video position (ms); signals given while paused apart. */
  understandingOnVideo: (sessionId: string, bearer?: string) =>
    api.get<{ points: HistoryPoint[]; pausedPoints?: HistoryPoint[] }>(
      `/api/sessions/${enc(sessionId)}/understanding?axis=video`,
      { bearer },
    ),
};
