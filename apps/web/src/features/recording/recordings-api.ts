import type {
  ArchiveEntry,
  ArchiveList,
  CreateRecordingBody,
  RecordingList,
  RecordingResponse,
  UpdateRecordingBody,
} from '@rstream/protocol';
import { api } from '../../api/client';

const enc = encodeURIComponent;

/** REST calls of the recordings and archive contract (docs/api.md, "Recordings", "Archive"). */
export const recordingsApi = {
  create: (sessionId: string, body: CreateRecordingBody, bearer?: string) =>
    api.post<RecordingResponse>(`/api/sessions/${enc(sessionId)}/recordings`, body, { bearer }),
  update: (sessionId: string, recordingId: string, body: UpdateRecordingBody, bearer?: string) =>
    api.put<RecordingResponse>(`/api/sessions/${enc(sessionId)}/recordings/${enc(recordingId)}`, body, {
      bearer,
    }),
  list: (sessionId: string, bearer?: string) =>
    api.get<RecordingList>(`/api/sessions/${enc(sessionId)}/recordings`, { bearer }),
  remove: (sessionId: string, recordingId: string) =>
    api.delete<void>(`/api/sessions/${enc(sessionId)}/recordings/${enc(recordingId)}`),
};

export const archiveApi = {
  list: () => api.get<ArchiveList>('/api/archive'),
  keep: (sessionId: string, keep: boolean) =>
    api.put<{ entry: ArchiveEntry }>(`/api/archive/${enc(sessionId)}`, { keep }),
};
