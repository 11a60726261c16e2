import { CLIENT_MESSAGE_TYPES } from '@rstream/protocol';
import { uniqueEmail } from '../helpers.js';
import type { World } from './fixtures.js';

/**
 * The authorisation matrix: every route of the running server (read from Fastify's route
 * table, so a new route without an entry here fails) called as each kind of caller, and every
 * client WebSocket message sent by each. docs/security.md has the same table for people.
 */
export const WHO = [
  'anonymous',
  'listener',
  'otherListener',
  'presenter',
  'host',
  'otherSpeaker',
  'admin',
] as const;
export type Who = (typeof WHO)[number];
/** a status, or "status:CODE" when the status alone would not tell the guard from the logic */
export type Expect = number | `${number}:${string}`;

export interface Entry {
  path: (w: World) => string;
  body?: (w: World) => unknown;
  headers?: (w: World) => Record<string, string>;
  /** needs a fresh world per call (the call changes or removes what it touches) */
  fresh?: boolean;
  expect: Record<Who, Expect>;
}

const all = (e: Expect): Record<Who, Expect> =>
  Object.fromEntries(WHO.map((w) => [w, e])) as Record<Who, Expect>;
/** routes for signed-in accounts (any instance role) */
const accounts = (ok: Expect, participant: Expect = 401): Record<Who, Expect> => ({
  anonymous: 401,
  listener: participant,
  otherListener: participant,
  presenter: participant,
  host: ok,
  otherSpeaker: ok,
  admin: ok,
});
const adminOnly = (ok: Expect): Record<Who, Expect> => ({
  anonymous: 401,
  listener: 401,
  otherListener: 401,
  presenter: 401,
  host: 403,
  otherSpeaker: 403,
  admin: ok,
});
/** a route of session A: who of A may, everyone else is refused */
const sessionA = (
  allowed: Partial<Record<'listener' | 'presenter' | 'host', Expect>>,
  refused: { listener?: Expect; presenter?: Expect; host?: Expect } = {},
): Record<Who, Expect> => ({
  anonymous: 401,
  listener: allowed.listener ?? refused.listener ?? 403,
  otherListener: 403,
  presenter: allowed.presenter ?? refused.presenter ?? 403,
  host: allowed.host ?? refused.host ?? 403,
  otherSpeaker: 403,
  admin: 403,
});
const A = (w: World) => `/api/sessions/${w.sessionA.id}`;
const FP = '0123456789abcdef';
/** ids the matrix needs that exist only once the world is built */
export const refs = { questionId: '', recordingId: '', uploadId: '' };
const b64 = (v: string) => Buffer.from(v).toString('base64');
const NO_RECORDING = '00000000-0000-4000-8000-000000000000';

export const MATRIX: Record<string, Entry> = {
  'GET /api/health': { path: () => '/api/health', expect: all(200) },
  'GET /api/ready': { path: () => '/api/ready', expect: all(200) },
  'GET /api/openapi.json': { path: () => '/api/openapi.json', expect: all(200) },
  'GET /metrics': { path: () => '/metrics', expect: all(200) },

  'POST /api/auth/register': {
    path: () => '/api/auth/register',
    body: () => ({ email: uniqueEmail('m'), password: 'correct-horse-1', username: 'M' }),
    expect: all(201),
  },
  'POST /api/auth/login': {
    path: () => '/api/auth/login',
    body: (w) => ({ email: w.otherSpeaker.email, password: 'correct-horse-1' }),
    expect: all(200),
  },
  'POST /api/auth/refresh': { path: () => '/api/auth/refresh', expect: all('401:UNAUTHENTICATED') },
  'POST /api/auth/logout': { path: () => '/api/auth/logout', expect: all(204) },
  'GET /api/auth/me': { path: () => '/api/auth/me', expect: accounts(200) },
  // a wrong password: reaching the password check proves the guard let the caller through
  'DELETE /api/auth/me': {
    path: () => '/api/auth/me',
    body: () => ({ password: 'wrong-password-9' }),
    expect: accounts('401:INVALID_CREDENTIALS', '401:UNAUTHENTICATED'),
  },
  'POST /api/auth/password': {
    path: () => '/api/auth/password',
    body: () => ({ currentPassword: 'wrong-password-9', newPassword: 'another-pass-12' }),
    expect: {
      ...accounts('401:INVALID_CREDENTIALS', '401:UNAUTHENTICATED'),
      anonymous: '401:UNAUTHENTICATED',
    },
  },

  'GET /api/admin/users': { path: () => '/api/admin/users', expect: adminOnly(200) },
  'PUT /api/admin/users/:id': {
    path: (w) => `/api/admin/users/${w.otherSpeaker.userId}`,
    body: () => ({ disabled: false }),
    expect: adminOnly(200),
  },
  'GET /api/admin/audit': { path: () => '/api/admin/audit?limit=5', expect: adminOnly(200) },
  'GET /api/admin/alerts': { path: () => '/api/admin/alerts', expect: adminOnly(200) },
  'POST /api/admin/alerts/:fingerprint/ack': {
    path: () => `/api/admin/alerts/${FP}/ack`,
    expect: adminOnly(404),
  },
  'POST /api/admin/alerts/:fingerprint/silence': {
    path: () => `/api/admin/alerts/${FP}/silence`,
    body: () => ({ minutes: 5 }),
    expect: adminOnly(404),
  },
  'GET /api/admin/ops/overview': { path: () => '/api/admin/ops/overview', expect: adminOnly(200) },
  'GET /api/admin/ops/slow-queries': { path: () => '/api/admin/ops/slow-queries', expect: adminOnly(200) },
  'GET /api/admin/instances': { path: () => '/api/admin/instances', expect: adminOnly(200) },
  'GET /api/admin/security-audit': { path: () => '/api/admin/security-audit', expect: adminOnly(200) },
  'POST /api/admin/security-audit/run': {
    path: () => '/api/admin/security-audit/run',
    body: () => ({ skip: ['system.os-updates', 'system.npm-audit'] }),
    expect: adminOnly(202),
  },
  // a valid body: the zod schema is checked before the guard, so only a valid one reaches it
  'POST /api/admin/security-audit/acceptances': {
    path: () => '/api/admin/security-audit/acceptances',
    body: () => ({
      findingId: 'api.cors',
      reason: 'accepted for the authorisation matrix test',
      expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
    }),
    expect: adminOnly(201),
  },
  // Alertmanager's webhook: its own bearer token (ALERTMANAGER_WEBHOOK_TOKEN), no account is enough
  'POST /api/ops/alertmanager': {
    path: () => '/api/ops/alertmanager',
    body: () => ({ alerts: [] }),
    expect: all(401),
  },

  'POST /api/sessions': {
    path: () => '/api/sessions',
    body: () => ({ title: 'Matrix', mode: 'presentation' }),
    expect: accounts(201),
  },
  'GET /api/sessions': { path: () => '/api/sessions', expect: accounts(200) },
  'POST /api/sessions/join': {
    path: () => '/api/sessions/join',
    body: (w) => ({ code: w.sessionA.code, displayName: 'Joiner' }),
    expect: all(200),
  },
  'GET /api/sessions/code/:code': { path: (w) => `/api/sessions/code/${w.sessionA.code}`, expect: all(200) },
  'GET /api/sessions/:id': { path: A, expect: sessionA({ listener: 200, presenter: 200, host: 200 }) },
  'PUT /api/sessions/:id': {
    path: A,
    body: () => ({ status: 'live' }),
    expect: sessionA({ presenter: 200, host: 200 }),
  },
  'DELETE /api/sessions/:id': { path: A, fresh: true, expect: sessionA({ host: 204 }) },
  'POST /api/sessions/:id/invitations': {
    path: (w) => `${A(w)}/invitations`,
    body: () => ({ role: 'presenter' }),
    expect: sessionA({ host: 201 }),
  },
  'GET /api/sessions/:id/invitations': {
    path: (w) => `${A(w)}/invitations`,
    expect: sessionA({ host: 200 }),
  },
  'DELETE /api/sessions/:id/invitations/:invitationId': {
    path: (w) => `${A(w)}/invitations/${w.pendingInvitation.id}`,
    fresh: true,
    expect: sessionA({ host: 204 }),
  },
  'GET /api/sessions/:id/me': {
    path: (w) => `${A(w)}/me`,
    expect: sessionA({ listener: 200, presenter: 200 }),
  },
  'PUT /api/sessions/:id/me': {
    path: (w) => `${A(w)}/me`,
    body: () => ({ displayName: 'Renamed' }),
    expect: sessionA({ listener: 200, presenter: 200 }),
  },
  'DELETE /api/sessions/:id/participants/me': {
    path: (w) => `${A(w)}/participants/me`,
    fresh: true, // the caller is gone afterwards
    expect: sessionA({ listener: 204, presenter: 204 }),
  },
  'GET /api/sessions/:id/participants': {
    path: (w) => `${A(w)}/participants`,
    expect: sessionA({ listener: 200, presenter: 200, host: 200 }),
  },
  'POST /api/sessions/:id/understanding': {
    path: (w) => `${A(w)}/understanding`,
    body: () => ({ level: 3 }),
    expect: sessionA({ listener: 202 }),
  },
  'GET /api/sessions/:id/understanding': {
    path: (w) => `${A(w)}/understanding`,
    expect: sessionA({ listener: 200, presenter: 200, host: 200 }),
  },
  'POST /api/sessions/:id/questions': {
    path: (w) => `${A(w)}/questions`,
    body: () => ({ content: `Matrix question ${Math.random()}` }),
    expect: sessionA({ listener: 201, presenter: 201 }),
  },
  'GET /api/sessions/:id/questions': {
    path: (w) => `${A(w)}/questions`,
    expect: sessionA({ listener: 200, presenter: 200, host: 200 }),
  },
  'GET /api/sessions/:id/questions/export': {
    path: (w) => `${A(w)}/questions/export`,
    expect: sessionA({ host: 200 }),
  },
  'PUT /api/sessions/:id/questions/:questionId': {
    path: (w) => `${A(w)}/questions/${refs.questionId}`,
    body: () => ({ answer: 'Yes.' }),
    expect: sessionA({ presenter: 200, host: 200 }),
  },
  'POST /api/sessions/:id/questions/:questionId/vote': {
    path: (w) => `${A(w)}/questions/${refs.questionId}/vote`,
    expect: sessionA({ listener: 200, presenter: 200 }),
  },
  'DELETE /api/sessions/:id/questions/:questionId/vote': {
    path: (w) => `${A(w)}/questions/${refs.questionId}/vote`,
    expect: sessionA({ listener: 200, presenter: 200 }),
  },
  // discussion turns: figures are stripped for listeners who may not see the graph
  'GET /api/sessions/:id/turns': {
    path: (w) => `${A(w)}/turns`,
    expect: sessionA({ listener: 200, presenter: 200, host: 200 }),
  },

  // reports (issue 14): the people on stage only; session A has not ended, so no report yet
  'GET /api/sessions/:id/report': {
    path: (w) => `${A(w)}/report`,
    expect: sessionA({ presenter: 200, host: 200 }),
  },
  'GET /api/sessions/:id/report.html': {
    path: (w) => `${A(w)}/report.html`,
    expect: sessionA({ presenter: '409:REPORT_NOT_READY', host: '409:REPORT_NOT_READY' }),
  },
  'GET /api/sessions/:id/report.pdf': {
    path: (w) => `${A(w)}/report.pdf`,
    expect: sessionA({ presenter: '409:REPORT_NOT_READY', host: '409:REPORT_NOT_READY' }),
  },
  'GET /api/sessions/:id/report.csv': {
    path: (w) => `${A(w)}/report.csv`,
    expect: sessionA({ presenter: 200, host: 200 }),
  },

  // recordings (docs/recording.md): the host and the presenter record; only the host deletes
  'POST /api/sessions/:id/recordings': {
    path: (w) => `${A(w)}/recordings`,
    body: () => ({}),
    fresh: true,
    expect: sessionA({ presenter: 201, host: 201 }),
  },
  'GET /api/sessions/:id/recordings': {
    path: (w) => `${A(w)}/recordings`,
    expect: sessionA({ presenter: 200, host: 200 }),
  },
  // resuming a recording that is not paused changes nothing: reaching it proves the guard passed
  'PUT /api/sessions/:id/recordings/:recordingId': {
    path: (w) => `${A(w)}/recordings/${refs.recordingId}`,
    body: () => ({ status: 'recording' }),
    expect: sessionA({ presenter: 200, host: 200 }),
  },
  'DELETE /api/sessions/:id/recordings/:recordingId': {
    path: (w) => `${A(w)}/recordings/${NO_RECORDING}`,
    expect: sessionA({ host: '404:RECORDING_NOT_FOUND' }),
  },
  // tus: the recording already has its upload, so an allowed caller meets UPLOAD_EXISTS
  'POST /api/uploads': {
    path: () => '/api/uploads',
    headers: () => ({
      'tus-resumable': '1.0.0',
      'upload-defer-length': '1',
      'upload-metadata': `recordingId ${b64(refs.recordingId)}`,
    }),
    expect: sessionA({ presenter: 409, host: 409 }),
  },
  // no Tus-Resumable header: tus itself answers 412 once the guard let the caller through
  'PATCH /api/uploads/:uploadId': {
    path: () => `/api/uploads/${refs.uploadId}`,
    expect: sessionA({ presenter: 412, host: 412 }),
  },
  'DELETE /api/uploads/:uploadId': {
    path: () => `/api/uploads/${refs.uploadId}`,
    expect: sessionA({ presenter: 412, host: 412 }),
  },
  // signed URLs: the signature is the credential, an account is not enough
  'GET /api/media/recordings/:recordingId': {
    path: () => `/api/media/recordings/${refs.recordingId}`,
    expect: all('401:MEDIA_SIGNATURE_MISSING'),
  },
  'GET /api/media/recordings/:recordingId/thumbnails': {
    path: () => `/api/media/recordings/${refs.recordingId}/thumbnails`,
    expect: all('401:MEDIA_SIGNATURE_MISSING'),
  },
  // archive: the speaker's own ended sessions; keep/delete by the host (session A is live: 409)
  'GET /api/archive': { path: () => '/api/archive', expect: accounts(200) },
  'PUT /api/archive/:sessionId': {
    path: (w) => `/api/archive/${w.sessionA.id}`,
    body: () => ({ keep: true }),
    expect: sessionA({ host: '409:INVALID_STATUS_CHANGE' }),
  },
  'DELETE /api/archive/:sessionId': {
    path: (w) => `/api/archive/${w.sessionA.id}`,
    fresh: true,
    expect: sessionA({ host: 204 }),
  },

  // the link is the credential: whoever holds it
  'GET /api/invitations/:token': {
    path: (w) => `/api/invitations/${w.pendingInvitation.token}`,
    expect: all(200),
  },
  'POST /api/invitations/:token/accept': {
    path: (w) => `/api/invitations/${w.pendingInvitation.token}/accept`,
    body: () => ({ displayName: 'Taker' }),
    fresh: true,
    expect: all(200),
  },
};

/** WebSocket: what each caller gets on connecting, and for each client message. */
export type WsExpect = 'refused' | 'ok' | `error:${string}`;
export const WS_CONNECT: Record<Who, number | 'host' | 'presenter' | 'listener'> = {
  anonymous: 4401,
  listener: 'listener',
  otherListener: 4403,
  presenter: 'presenter',
  host: 'host',
  otherSpeaker: 4403,
  admin: 4403,
};
export const WS_MATRIX: Record<
  (typeof CLIENT_MESSAGE_TYPES)[number],
  { msg: () => Record<string, unknown>; expect: Partial<Record<Who, WsExpect>> }
> = {
  ping: { msg: () => ({ type: 'ping', id: 'p' }), expect: { listener: 'ok', presenter: 'ok', host: 'ok' } },
  'understanding:set': {
    msg: () => ({ type: 'understanding:set', level: 4 }),
    expect: { listener: 'ok', presenter: 'error:FORBIDDEN', host: 'error:FORBIDDEN' },
  },
  'question:ask': {
    msg: () => ({ type: 'question:ask', content: `WS question ${Math.random()}` }),
    expect: { listener: 'ok', presenter: 'ok', host: 'error:FORBIDDEN' },
  },
  // Session A is a presentation with a speaker: listeners are refused before the mode is checked.
  // test/turns/turns.test.ts covers discussion sessions (facilitator or none).
  'turn:start': {
    msg: () => ({ type: 'turn:start', speaker: 'Someone' }),
    expect: { listener: 'error:FORBIDDEN', presenter: 'error:NOT_DISCUSSION', host: 'error:NOT_DISCUSSION' },
  },
  'turn:end': {
    msg: () => ({ type: 'turn:end' }),
    expect: { listener: 'error:FORBIDDEN', presenter: 'error:NOT_DISCUSSION', host: 'error:NOT_DISCUSSION' },
  },
};

/** the route table, read the same way the security audit reads it */
export { routeTable } from '../../src/platform/route-access.js';

export const tokenOf = (w: World, who: Who): string | undefined =>
  ({
    anonymous: undefined,
    listener: w.listener.participantToken,
    otherListener: w.otherListener.participantToken,
    presenter: w.presenter.participantToken,
    host: w.host.token,
    otherSpeaker: w.otherSpeaker.token,
    admin: w.admin.token,
  })[who];
