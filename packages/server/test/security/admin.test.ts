import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, BACKENDS, createScratchDatabase, speaker, startTestApp, type TestApp } from '../helpers.js';
import { adminAccount, login, waitForAudit } from './fixtures.js';

type AuditPage = {
  events: {
    id: string;
    type: string;
    outcome: string;
    actorUserId: string | null;
    ip: string | null;
    at: string;
  }[];
  nextCursor: string | null;
};

describe.each(BACKENDS)('admin API and the security trail on %s', (backend) => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof adminAccount>>;
  beforeAll(async () => {
    t = await startTestApp(backend);
    admin = await adminAccount(t, 'Root');
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists users for admins only', async () => {
    const s = await speaker(t.url, 'Plain');
    const list = await api<{
      users: { id: string; email: string; role: string; disabled: boolean; sessionCount: number }[];
    }>(t.url, 'GET', '/api/admin/users', { token: admin.token });
    expect(list.status).toBe(200);
    expect(list.body.users.find((u) => u.id === s.userId)).toMatchObject({
      role: 'speaker',
      disabled: false,
      sessionCount: 0,
    });
    expect(JSON.stringify(list.body)).not.toMatch(/password|hash/i);
    expect((await api(t.url, 'GET', '/api/admin/users', { token: s.token })).status).toBe(403);
    expect((await api(t.url, 'GET', '/api/admin/users')).status).toBe(401);
  });

  it('never lets the last active admin be demoted or disabled, not even by themselves', async () => {
    // an instance of its own: the run's shared database has admins from other tests
    const t2 = await startTestApp(
      backend,
      backend === 'postgres' ? { DATABASE_URL: await createScratchDatabase('lastadmin') } : {},
    );
    try {
      const only = await adminAccount(t2, 'Only');
      for (const body of [{ role: 'speaker' }, { disabled: true }]) {
        const r = await api<{ error: { code: string } }>(t2.url, 'PUT', `/api/admin/users/${only.userId}`, {
          body,
          token: only.token,
        });
        expect(r.status).toBe(409);
        expect(r.body.error.code).toBe('LAST_ADMIN');
      }
      const del = await api<{ error: { code: string } }>(t2.url, 'DELETE', '/api/auth/me', {
        body: { password: 'correct-horse-1' },
        token: only.token,
      });
      expect(del.status).toBe(409);
      const second = await speaker(t2.url, 'Next');
      expect(
        (
          await api(t2.url, 'PUT', `/api/admin/users/${second.userId}`, {
            body: { role: 'admin' },
            token: only.token,
          })
        ).status,
      ).toBe(200);
      expect(
        (
          await api(t2.url, 'PUT', `/api/admin/users/${only.userId}`, {
            body: { role: 'speaker' },
            token: only.token,
          })
        ).status,
      ).toBe(200);
      await waitForAudit(t2, { type: 'admin_user_update' });
    } finally {
      await t2.close();
    }
  });

  it('validates admin input', async () => {
    expect(
      (await api(t.url, 'PUT', `/api/admin/users/${admin.userId}`, { body: {}, token: admin.token })).status,
    ).toBe(400);
    expect(
      (
        await api(t.url, 'PUT', `/api/admin/users/${admin.userId}`, {
          body: { role: 'root' },
          token: admin.token,
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await api(t.url, 'PUT', '/api/admin/users/not-a-uuid', {
          body: { disabled: false },
          token: admin.token,
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await api(t.url, 'PUT', '/api/admin/users/00000000-0000-4000-8000-000000000000', {
          body: { disabled: false },
          token: admin.token,
        })
      ).status,
    ).toBe(404);
    expect((await api(t.url, 'GET', '/api/admin/audit?limit=100000', { token: admin.token })).status).toBe(
      400,
    );
    expect((await api(t.url, 'GET', '/api/admin/audit?from=yesterday', { token: admin.token })).status).toBe(
      400,
    );
    expect((await api(t.url, 'GET', '/api/admin/audit?cursor=abc', { token: admin.token })).status).toBe(400);
    expect((await api(t.url, 'GET', '/api/admin/audit?bogus=1', { token: admin.token })).status).toBe(400);
  });

  it('browses the trail newest first with filters and a cursor', async () => {
    const u = await speaker(t.url, 'Trail');
    for (let i = 0; i < 3; i++) await login(t.url, u.email, `wrong-password-${i}`);
    await waitForAudit(t, { type: 'login_failed', actor_user_id: u.userId });
    const q = (qs: string) => api<AuditPage>(t.url, 'GET', `/api/admin/audit?${qs}`, { token: admin.token });
    const byActor = await q(`type=login_failed&actor=${u.userId}`);
    expect(byActor.status).toBe(200);
    expect(byActor.body.events).toHaveLength(3);
    expect(
      byActor.body.events.every(
        (e) => e.type === 'login_failed' && e.outcome === 'failure' && e.ip === '127.0.0.1',
      ),
    ).toBe(true);
    const byEmail = await q(`type=login_failed&actor=${encodeURIComponent(u.email.toUpperCase())}`);
    expect(byEmail.body.events).toHaveLength(3);
    const page1 = await q(`actor=${u.userId}&limit=2`);
    expect(page1.body.events).toHaveLength(2);
    expect(page1.body.nextCursor).not.toBeNull();
    const page2 = await q(`actor=${u.userId}&limit=2&cursor=${page1.body.nextCursor}`);
    const ids = [...page1.body.events, ...page2.body.events].map((e) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(new Set(ids).size).toBe(ids.length);
    const future = await q(`from=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`);
    expect(future.body.events).toHaveLength(0);
    const denied = await q('outcome=denied&limit=5');
    expect(denied.body.events.every((e) => e.outcome === 'denied')).toBe(true);
  });

  it('records 401/403 answers as permission_denied with the route and code', async () => {
    const u = await speaker(t.url);
    await api(t.url, 'GET', '/api/admin/users', { token: u.token });
    const rows = await waitForAudit(t, { type: 'permission_denied' });
    const match = rows.find(
      (r) =>
        (r.details as { route?: string }).route === '/api/admin/users' &&
        (r.details as { status?: number }).status === 403,
    );
    expect(match).toBeDefined();
    expect(match!.outcome).toBe('denied');
  });

  it('keeps the trail append-only: UPDATE, DELETE and TRUNCATE are refused by the database; only the retention function deletes', async () => {
    const db = t.app.db.kysely;
    await expect(sql`update audit_events set type = 'forged'`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_events`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate audit_events`.execute(db)).rejects.toThrow(/append-only/);
    await sql`insert into audit_events (type, outcome, at) values ('ancient_event', 'success', now() - interval '400 days')`.execute(
      db,
    );
    const before = await db.selectFrom('audit_events').select('id').execute();
    const removed = await sql<{ n: number | string }>`select audit_events_prune(365) as n`.execute(db);
    expect(Number(removed.rows[0]!.n)).toBe(1);
    const after = await db.selectFrom('audit_events').select('id').execute();
    expect(after.length).toBe(before.length - 1);
    expect(
      await db.selectFrom('audit_events').select('id').where('type', '=', 'ancient_event').execute(),
    ).toHaveLength(0);
    // the flag does not outlive the prune
    await expect(sql`delete from audit_events`.execute(db)).rejects.toThrow(/append-only/);
  });
});
