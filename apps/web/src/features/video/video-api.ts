import type { HistoryPoint } from '@rstream/protocol';
import { api, ApiError } from '../../api/client';
import type { CohortsResponse, Video } from './types';

const enc = encodeURIComponent;

export const videosApi = {
  list: () => api.get<{ videos: Video[] }>('/api/videos'),
  /** With a URL the video is ready to show; without, the file follows by tus (VideoLibrary). */
  create: (body: { title: string; url?: string; sizeBytes?: number }) =>
    api.post<{ video: Video }>('/api/videos', body),
  /** The duration the browser read (URLs, and uploads on a server without ffprobe). */
  update: (id: string, body: { title?: string; durationMs?: number }) =>
    api.put<{ video: Video }>(`/api/videos/${enc(id)}`, body),
  /**
   * A video as a viewer of `sessionId` may see it (participants: the session's video only).
   * The owner's `GET /api/videos/:id`; a participant token falls back to the session's route.
   */
  get: async (id: string, bearer?: string, sessionId?: string): Promise<{ video: Video }> => {
    try {
      return await api.get<{ video: Video }>(`/api/videos/${enc(id)}`, { bearer });
    } catch (err) {
      if (!sessionId || !(err instanceof ApiError) || ![401, 403, 404].includes(err.status)) throw err;
      return api.get<{ video: Video }>(`/api/sessions/${enc(sessionId)}/video`, { bearer });
    }
  },
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
