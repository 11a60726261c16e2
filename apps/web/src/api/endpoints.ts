import type {
  CreateSessionBody,
  HistoryResponse,
  JoinResponse,
  LoginResponse,
  Participant,
  PublicSession,
  Session,
  SessionSettingsPatch,
  User,
} from '@rstream/protocol';
import { api } from './client';

const enc = encodeURIComponent;

export const authApi = {
  login: (email: string, password: string) => api.post<LoginResponse>('/api/auth/login', { email, password }),
  register: (email: string, password: string, username: string) =>
    api.post<{ user: User }>('/api/auth/register', { email, password, username }),
  logout: () => api.post<void>('/api/auth/logout'),
  me: () => api.get<{ user: User }>('/api/auth/me'),
};

export const sessionsApi = {
  list: () => api.get<{ sessions: Session[] }>('/api/sessions'),
  create: (body: CreateSessionBody) => api.post<Session>('/api/sessions', body),
  /** `bearer`: an invited presenter's participant token instead of the speaker's account */
  get: (id: string, bearer?: string) => api.get<Session>(`/api/sessions/${enc(id)}`, { bearer }),
  update: (
    id: string,
    body: { title?: string; settings?: SessionSettingsPatch; status?: 'live' | 'ended' },
    bearer?: string,
  ) => api.put<Session>(`/api/sessions/${enc(id)}`, body, { bearer }),
  remove: (id: string) => api.delete<void>(`/api/sessions/${enc(id)}`),
  history: (
    id: string,
    query: { from?: number; step?: number; participants?: boolean } = {},
    bearer?: string,
  ) => {
    const q = new URLSearchParams();
    if (query.from !== undefined) q.set('from', String(query.from));
    if (query.step !== undefined) q.set('step', String(query.step));
    if (query.participants !== undefined) q.set('participants', query.participants ? '1' : '0');
    const qs = q.toString();
    return api.get<HistoryResponse>(`/api/sessions/${enc(id)}/understanding${qs ? `?${qs}` : ''}`, {
      bearer,
    });
  },
};

export const participantApi = {
  byCode: (code: string) => api.get<PublicSession>(`/api/sessions/code/${enc(code)}`),
  join: (code: string, displayName: string, anonymous: boolean) =>
    api.post<JoinResponse>('/api/sessions/join', { code, displayName, anonymous }),
  me: (sessionId: string, token: string) =>
    api.get<{ participant: Participant; session: PublicSession }>(`/api/sessions/${enc(sessionId)}/me`, {
      bearer: token,
    }),
  rename: (sessionId: string, token: string, displayName: string) =>
    api.put<{ participant: Participant }>(
      `/api/sessions/${enc(sessionId)}/me`,
      { displayName },
      { bearer: token },
    ),
  /** Erase oneself from the session (name, signals, questions); the token stops working. */
  eraseMe: (sessionId: string, token: string) =>
    api.delete<void>(`/api/sessions/${enc(sessionId)}/participants/me`, { bearer: token }),
};
