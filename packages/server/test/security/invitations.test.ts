import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpReceiver, type SmtpReceiver } from '../alerts/receivers.js';
import {
  api,
  BACKENDS,
  createSession,
  goLive,
  join,
  speaker,
  startTestApp,
  WsClient,
  type TestApp,
} from '../helpers.js';
import { acceptInvitation, invite, waitForAudit } from './fixtures.js';

describe.each(BACKENDS)('invitations on %s', (backend) => {
  let t: TestApp;
  let host: Awaited<ReturnType<typeof speaker>>;
  beforeAll(async () => {
    t = await startTestApp(backend);
    host = await speaker(t.url, 'Hana Host');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('makes a single-use link; only its hash is stored; the invited person becomes the presenter', async () => {
    const s = await createSession(t.url, host.token, { presenter: 'someone_else' }, 'Keynote');
    const inv = await invite(t.url, host.token, s.id, { role: 'presenter', expiresInHours: 2 });
    expect(inv.url).toMatch(new RegExp(`^${t.url}/invite/i_[A-Za-z0-9_-]{43}$`));
    expect(inv.delivery).toEqual({ method: 'none', status: 'skipped' });
    expect(inv.invitation.status).toBe('pending');
    const row = await t.app.db.kysely
      .selectFrom('invitations')
      .selectAll()
      .where('id', '=', inv.invitation.id)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(inv.token);
    expect(new Date(row.expires_at).getTime() - Date.now()).toBeGreaterThan(7_100_000);

    const preview = await api<{
      invitation: { role: string; status: string; session: { title: string; hostName: string } };
    }>(t.url, 'GET', `/api/invitations/${inv.token}`);
    expect(preview.status).toBe(200);
    expect(preview.body.invitation).toMatchObject({
      role: 'presenter',
      status: 'pending',
      session: { title: 'Keynote', hostName: 'Hana Host' },
    });

    const accepted = await acceptInvitation(t.url, inv.token, 'Pia Presenter');
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ sessionId: s.id, role: 'presenter' });
    const p = await t.app.db.kysely
      .selectFrom('participants')
      .selectAll()
      .where('id', '=', accepted.body.participantId)
      .executeTakeFirstOrThrow();
    expect(p).toMatchObject({ role: 'presenter', display_name: 'Pia Presenter', session_id: s.id });

    const again = await acceptInvitation(t.url, inv.token, 'Mallory');
    expect(again.status).toBe(410);
    expect(again.body.error?.code).toBe('INVITATION_USED');
    const after = await api<{ error: { code: string } }>(t.url, 'GET', `/api/invitations/${inv.token}`);
    expect(after.status).toBe(410);
    expect(after.body.error.code).toBe('INVITATION_USED');

    const list = await api<{ invitations: { id: string; status: string; participantId: string }[] }>(
      t.url,
      'GET',
      `/api/sessions/${s.id}/invitations`,
      { token: host.token },
    );
    expect(list.body.invitations.find((i) => i.id === inv.invitation.id)).toMatchObject({
      status: 'accepted',
      participantId: accepted.body.participantId,
    });
    await waitForAudit(t, { type: 'invitation_created', target_id: inv.invitation.id });
    await waitForAudit(t, { type: 'invitation_accepted', target_id: inv.invitation.id });
    await waitForAudit(t, { type: 'invitation_accept_refused', target_id: inv.invitation.id });
  });

  it('lets exactly one of many simultaneous accepts win', async () => {
    const s = await createSession(t.url, host.token);
    const inv = await invite(t.url, host.token, s.id);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => acceptInvitation(t.url, inv.token, `Racer ${i}`)),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 410)).toHaveLength(5);
    const presenters = await t.app.db.kysely
      .selectFrom('participants')
      .select('id')
      .where('session_id', '=', s.id)
      .where('role', '=', 'presenter')
      .execute();
    expect(presenters).toHaveLength(1);
  });

  it('answers 410 with a clear code for expired and revoked links, 404 for unknown ones', async () => {
    const s = await createSession(t.url, host.token);
    const expired = await invite(t.url, host.token, s.id);
    await t.app.db.kysely
      .updateTable('invitations')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', expired.invitation.id)
      .execute();
    for (const r of [
      await api<{ error: { code: string } }>(t.url, 'GET', `/api/invitations/${expired.token}`),
      await acceptInvitation(t.url, expired.token),
    ]) {
      expect(r.status).toBe(410);
      expect(r.body.error?.code).toBe('INVITATION_EXPIRED');
    }
    const revoked = await invite(t.url, host.token, s.id, { role: 'facilitator' });
    expect(
      (
        await api(t.url, 'DELETE', `/api/sessions/${s.id}/invitations/${revoked.invitation.id}`, {
          token: host.token,
        })
      ).status,
    ).toBe(204);
    const r = await acceptInvitation(t.url, revoked.token);
    expect(r.status).toBe(410);
    expect(r.body.error?.code).toBe('INVITATION_REVOKED');
    await waitForAudit(t, { type: 'invitation_revoked', target_id: revoked.invitation.id });

    const unknown = await api<{ error: { code: string } }>(
      t.url,
      'GET',
      `/api/invitations/i_${'A'.repeat(43)}`,
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('INVITATION_NOT_FOUND');
    expect((await api(t.url, 'GET', '/api/invitations/not-a-token')).status).toBe(404);
    expect(
      await t.app.db.kysely.selectFrom('participants').select('id').where('session_id', '=', s.id).execute(),
    ).toHaveLength(0);
  });

  it('writes the invitation mail to DATA_DIR/outbox when no SMTP is configured', async () => {
    const s = await createSession(t.url, host.token, {}, 'Outbox talk');
    const inv = await invite(t.url, host.token, s.id, { role: 'facilitator', email: 'guest@example.test' });
    expect(inv.delivery).toMatchObject({ method: 'outbox', status: 'written' });
    expect(inv.delivery.file!.startsWith(path.join(t.config.DATA_DIR, 'outbox'))).toBe(true);
    const eml = decodeQuotedPrintable(readFileSync(inv.delivery.file!, 'utf8'));
    expect(eml).toMatch(/^To: guest@example\.test$/m);
    expect(eml).toContain(inv.url);
    expect(readdirSync(path.dirname(inv.delivery.file!)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('gives the presenter the speaker’s view: start/end yes; settings, invitations, deletion no', async () => {
    const s = await createSession(t.url, host.token, {}, 'Shared stage');
    const inv = await invite(t.url, host.token, s.id);
    const presenter = (await acceptInvitation(t.url, inv.token, 'Pia')).body;
    const pt = presenter.participantToken;

    const full = await api<{ joinUrl: string; code: string }>(t.url, 'GET', `/api/sessions/${s.id}`, {
      token: pt,
    });
    expect(full.status).toBe(200);
    expect(full.body.joinUrl).toContain(s.code);
    expect(
      (await api(t.url, 'PUT', `/api/sessions/${s.id}`, { body: { title: 'Mine now' }, token: pt })).status,
    ).toBe(403);
    expect(
      (
        await api(t.url, 'PUT', `/api/sessions/${s.id}`, {
          body: { settings: { anonymous: true } },
          token: pt,
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await api(t.url, 'POST', `/api/sessions/${s.id}/invitations`, {
          body: { role: 'presenter' },
          token: pt,
        })
      ).status,
    ).toBe(403);
    expect((await api(t.url, 'GET', `/api/sessions/${s.id}/invitations`, { token: pt })).status).toBe(403);
    expect((await api(t.url, 'DELETE', `/api/sessions/${s.id}`, { token: pt })).status).toBe(403);
    expect(
      (await api(t.url, 'POST', `/api/sessions/${s.id}/understanding`, { body: { level: 4 }, token: pt }))
        .status,
    ).toBe(403);

    const ws = new WsClient(t.url, s.id, pt);
    const welcome = await ws.next((m) => m.type === 'welcome');
    expect(welcome).toMatchObject({ role: 'presenter', participantId: presenter.participantId });
    const live = await api<{ status: string }>(t.url, 'PUT', `/api/sessions/${s.id}`, {
      body: { status: 'live' },
      token: pt,
    });
    expect(live.status).toBe(200);
    await ws.next((m) => m.type === 'session:status' && m.status === 'live');
    const l = await join(t.url, s.code, 'Lou');
    const lw = new WsClient(t.url, s.id, l.participantToken);
    await lw.next((m) => m.type === 'welcome');
    lw.send({ type: 'understanding:set', level: 2 });
    // the speaker's copy: per-participant levels and the roster with names
    const update = await ws.next(
      (m) =>
        m.type === 'understanding:update' &&
        Array.isArray(m.participants) &&
        (m.participants as { level: number }[]).some((p) => p.level === 2),
    );
    expect(update.n).toBe(1);
    await ws.next(
      (m) =>
        m.type === 'participants' &&
        (m.participants as { displayName: string }[]).some((p) => p.displayName === 'Lou'),
    );
    ws.send({ type: 'understanding:set', level: 5 });
    expect(await ws.nextNew((m) => m.type === 'error')).toMatchObject({ code: 'FORBIDDEN' });
    const ended = await api(t.url, 'PUT', `/api/sessions/${s.id}`, { body: { status: 'ended' }, token: pt });
    expect(ended.status).toBe(200);
    ws.close();
    lw.close();
  });

  it('refuses invitations to listeners, other speakers and for ended sessions', async () => {
    const s = await createSession(t.url, host.token);
    await goLive(t.url, host.token, s.id);
    const l = await join(t.url, s.code, 'Lee');
    const other = await speaker(t.url, 'Other');
    expect(
      (
        await api(t.url, 'POST', `/api/sessions/${s.id}/invitations`, {
          body: { role: 'presenter' },
          token: l.participantToken,
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await api(t.url, 'POST', `/api/sessions/${s.id}/invitations`, {
          body: { role: 'presenter' },
          token: other.token,
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await api(t.url, 'POST', `/api/sessions/${s.id}/invitations`, {
          body: { role: 'boss' },
          token: host.token,
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await api(t.url, 'POST', `/api/sessions/${s.id}/invitations`, {
          body: { role: 'presenter', expiresInHours: 100_000 },
          token: host.token,
        })
      ).status,
    ).toBe(400);
    const pending = await invite(t.url, host.token, s.id);
    await api(t.url, 'PUT', `/api/sessions/${s.id}`, { body: { status: 'ended' }, token: host.token });
    expect(
      (
        await api(t.url, 'POST', `/api/sessions/${s.id}/invitations`, {
          body: { role: 'presenter' },
          token: host.token,
        })
      ).status,
    ).toBe(409);
    const late = await acceptInvitation(t.url, pending.token);
    expect(late.status).toBe(409);
    expect(late.body.error?.code).toBe('SESSION_ENDED');
  });
});

describe('invitation mail over SMTP', () => {
  let smtp: SmtpReceiver;
  let t: TestApp;
  beforeAll(async () => {
    smtp = await startSmtpReceiver();
    t = await startTestApp('postgres', { SMTP_URL: smtp.url, MAIL_FROM: 'R-Stream <rstream@example.test>' });
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  it('sends the link to the invited address and writes nothing to the outbox', async () => {
    const host = await speaker(t.url, 'Mailer');
    const s = await createSession(t.url, host.token, {}, 'Mail talk');
    const inv = await invite(t.url, host.token, s.id, { role: 'presenter', email: 'pres@example.test' });
    expect(inv.delivery).toEqual({ method: 'smtp', status: 'sent' });
    await smtp.waitFor(1);
    expect(smtp.mails[0]!.to).toEqual(['pres@example.test']);
    expect(smtp.mails[0]!.subject).toContain('Mail talk');
    expect(smtp.mails[0]!.text).toContain(inv.url);
    expect(existsSync(path.join(t.config.DATA_DIR, 'outbox'))).toBe(false);
  });
});

function decodeQuotedPrintable(text: string): string {
  return text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}
