import type {
  AcceptInvitationResponse,
  CreateInvitationBody,
  CreateInvitationResponse,
  Invitation,
  InvitationPreview,
} from '@rstream/protocol';
import { api } from '../../api/client';

const enc = encodeURIComponent;

export const invitationsApi = {
  create: (sessionId: string, body: CreateInvitationBody) =>
    api.post<CreateInvitationResponse>(`/api/sessions/${enc(sessionId)}/invitations`, body),
  list: (sessionId: string) =>
    api.get<{ invitations: Invitation[] }>(`/api/sessions/${enc(sessionId)}/invitations`),
  revoke: (sessionId: string, id: string) =>
    api.delete<void>(`/api/sessions/${enc(sessionId)}/invitations/${enc(id)}`),
  // The link is the credential: '' as bearer keeps the speaker's token out of these calls.
  preview: (token: string) => api.get<InvitationPreview>(`/api/invitations/${enc(token)}`, { bearer: '' }),
  accept: (token: string, displayName: string) =>
    api.post<AcceptInvitationResponse>(
      `/api/invitations/${enc(token)}/accept`,
      { displayName },
      { bearer: '' },
    ),
};

/** The presenter's participant token, per session, kept in this browser (like a listener's). */
const KEY = (sessionId: string) => `rstream.presenter.${sessionId}`;

export function savePresenterToken(sessionId: string, token: string): void {
  try {
    localStorage.setItem(KEY(sessionId), token);
  } catch {
    // private mode: the page still works until it is closed
    memory.set(sessionId, token);
  }
}

const memory = new Map<string, string>();

export function loadPresenterToken(sessionId: string): string | null {
  try {
    return localStorage.getItem(KEY(sessionId)) ?? memory.get(sessionId) ?? null;
  } catch {
    return memory.get(sessionId) ?? null;
  }
}
