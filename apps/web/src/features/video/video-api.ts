import { api } from '../../api/client';
import type { CohortsResponse, Video } from './types';

const enc = encodeURIComponent;

export const videosApi = {
  list: () => api.get<{ videos: Video[] }>('/api/videos'),
  /** With a URL the video is ready to show; without, the file follows by tus (upload.ts). */
  create: (body: { title: string; url?: string }) => api.post<{ video: Video }>('/api/videos', body),
  get: (id: string, bearer?: string) => api.get<{ video: Video }>(`/api/videos/${enc(id)}`, { bearer }),
  remove: (id: string) => api.delete<void>(`/api/videos/${enc(id)}`),
  cohorts: (id: string, bearer?: string) =>
    api.get<CohortsResponse>(`/api/videos/${enc(id)}/cohorts`, { bearer }),
  /** `axis=video`: the points' `t` is the video position (ms). */
  understandingOnVideo: (sessionId: string, bearer?: string) =>
    api.get<{ points: { t: number; avg: number | null; n: number; paused?: boolean }[] }>(
      `/api/sessions/${enc(sessionId)}/understanding?axis=video`,
      { bearer },
    ),
};
