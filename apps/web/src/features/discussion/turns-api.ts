import type { TurnsResponse } from '@rstream/protocol';
import { api } from '../../api/client';

export const turnsApi = {
  /** `bearer`: a participant token (phones, invited facilitators); the account otherwise */
  list: (sessionId: string, bearer?: string) =>
    api.get<TurnsResponse>(`/api/sessions/${encodeURIComponent(sessionId)}/turns`, { bearer }),
};
