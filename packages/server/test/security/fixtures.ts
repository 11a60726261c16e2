import { api, createSession, goLive, join, speaker, uniqueEmail, type TestApp } from '../helpers.js';

export const PASSWORD = 'correct-horse-1';

export interface Account {
  token: string;
  email: string;
  userId: string;
}

/** A speaker made admin the way an operator would (the CLI does the same update). */
export async function adminAccount(t: TestApp, name = 'Admin'): Promise<Account> {
  const a = await speaker(t.url, name);
  await t.app.db.kysely.updateTable('users').set({ role: 'admin' }).where('id', '=', a.userId).execute();
  return a;
}

export async function login(base: string, email: string, password = PASSWORD) {
  const r = await api<{ accessToken: string; error?: { code: string } }>(base, 'POST', '/api/auth/login', {
    body: {
      email,
      password,
    },
  });
  const setCookie = r.headers.get('set-cookie') ?? '';
  return {
    status: r.status,
    body: r.body,
    accessToken: r.body.accessToken,
    cookie: setCookie.split(';')[0]!,
    setCookie,
    headers: r.headers,
  };
}

export async function invite(
  base: string,
  hostToken: string,
  sessionId: string,
  body: Record<string, unknown> = { role: 'presenter' },
) {
  const r = await api<{
    url: string;
    invitation: { id: string; status: string };
    delivery: { method: string; status: string; file?: string };
  }>(base, 'POST', `/api/sessions/${sessionId}/invitations`, { body, token: hostToken });
  if (r.status !== 201) throw new Error(`invite failed: ${r.status} ${JSON.stringify(r.body)}`);
  return { ...r.body, token: r.body.url.split('/invite/')[1]! };
}

export async function acceptInvitation(base: string, token: string, displayName = 'Guest Presenter') {
  return api<{
    sessionId: string;
    participantId: string;
    participantToken: string;
    role: string;
    error?: { code: string };
  }>(base, 'POST', `/api/invitations/${token}/accept`, { body: { displayName } });
}

/** Everyone the authorisation matrix calls as. */
export interface World {
  host: Account;
  otherSpeaker: Account;
  admin: Account;
  sessionA: { id: string; code: string };
  sessionB: { id: string; code: string };
  listener: { participantToken: string; participantId: string };
  otherListener: { participantToken: string; participantId: string };
  presenter: { participantToken: string; participantId: string };
  /** a pending invitation of session A */
  pendingInvitation: { id: string; token: string };
}

export async function createUsers(t: TestApp) {
  return {
    host: await speaker(t.url, 'Host'),
    otherSpeaker: await speaker(t.url, 'Other'),
    admin: await adminAccount(t),
  };
}

/** Fresh sessions for the given users: A (live, with a listener and an invited presenter) and B (with a listener). */
export async function createWorld(
  t: TestApp,
  users: Awaited<ReturnType<typeof createUsers>>,
): Promise<World> {
  const sessionA = await createSession(t.url, users.host.token, {}, 'Session A');
  const sessionB = await createSession(t.url, users.otherSpeaker.token, {}, 'Session B');
  await goLive(t.url, users.host.token, sessionA.id);
  await goLive(t.url, users.otherSpeaker.token, sessionB.id);
  const listener = await join(t.url, sessionA.code, 'Lina');
  const otherListener = await join(t.url, sessionB.code, 'Otto');
  const inv = await invite(t.url, users.host.token, sessionA.id);
  const accepted = await acceptInvitation(t.url, inv.token);
  if (accepted.status !== 200) throw new Error(`accept failed: ${accepted.status}`);
  const pending = await invite(t.url, users.host.token, sessionA.id, { role: 'facilitator' });
  return {
    ...users,
    sessionA,
    sessionB,
    listener,
    otherListener,
    presenter: accepted.body,
    pendingInvitation: { id: pending.invitation.id, token: pending.token },
  };
}

export { uniqueEmail };

/** Polls the security trail until a row matches (audit writes may trail the response). */
export async function waitForAudit(
  t: TestApp,
  match: { type: string; actor_user_id?: string; target_id?: string; session_id?: string },
  timeoutMs = 5000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let q = t.app.db.kysely.selectFrom('audit_events').selectAll().where('type', '=', match.type);
    if (match.actor_user_id) q = q.where('actor_user_id', '=', match.actor_user_id);
    if (match.target_id) q = q.where('target_id', '=', match.target_id);
    if (match.session_id) q = q.where('session_id', '=', match.session_id);
    const rows = await q.orderBy('id', 'desc').execute();
    if (rows.length > 0) return rows;
    if (Date.now() > deadline)
      throw new Error(`no audit event ${JSON.stringify(match)} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
