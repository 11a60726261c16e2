import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
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
import { login, PASSWORD, waitForAudit } from './fixtures.js';

/** A client frame (clients must mask). */
function maskedFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const mask = randomBytes(4);
  const header = Buffer.from([0x81, 0x80 | payload.length]);
  const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
  return Buffer.concat([header, mask, masked]);
}

/** Upgrade request and frames in one TCP write: they all arrive before authentication can finish. */
function rawWs(
  base: string,
  path: string,
  frames: Buffer[],
): Promise<{ closeCode: number | null; socket: Socket }> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let buf = Buffer.alloc(0);
    socket.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      // find a close frame (opcode 8) after the 101 response
      const headEnd = buf.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      let i = headEnd + 4;
      while (i + 2 <= buf.length) {
        const op = buf[i]! & 0x0f;
        let len = buf[i + 1]! & 0x7f;
        let off = i + 2;
        if (len === 126) {
          len = buf.readUInt16BE(off);
          off += 2;
        }
        if (off + len > buf.length) return;
        if (op === 8) {
          resolve({ closeCode: len >= 2 ? buf.readUInt16BE(off) : null, socket });
          socket.destroy();
          return;
        }
        i = off + len;
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve({ closeCode: null, socket }));
    socket.on('connect', () => {
      const key = randomBytes(16).toString('base64');
      const req = `GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`;
      socket.write(Buffer.concat([Buffer.from(req), ...frames]));
    });
  });
}

describe.each(BACKENDS)('limits on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    // Loopback is exempt by default (benchmarks); here it is limited to 3 connections.
    t = await startTestApp(backend, { WS_MAX_CONNECTIONS_PER_IP: '3', WS_CONNECTION_LIMIT_EXEMPT: 'none' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('refuses bodies over 64 KB with 413 PAYLOAD_TOO_LARGE and stores nothing', async () => {
    const big = JSON.stringify({ email: 'a@b.test', password: 'x'.repeat(70 * 1024), username: 'Big' });
    const r = await api<{ error: { code: string } }>(t.url, 'POST', '/api/auth/register', { body: big });
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(
      await t.app.db.kysely.selectFrom('users').select('id').where('email', '=', 'a@b.test').execute(),
    ).toHaveLength(0);
    const under = await api(t.url, 'POST', '/api/auth/register', {
      body: JSON.stringify({ email: 'a@b.test', password: 'y'.repeat(60 * 1024), username: 'Big' }),
    });
    expect(under.status).toBe(400); // within the body limit: validated (password too long), not refused for size
  });

  it('closes a WebSocket that sends more than 8 messages before it is authenticated (4429)', async () => {
    const { token } = await speaker(t.url);
    const s = await createSession(t.url, token);
    const l = await join(t.url, s.code, 'Eager');
    const ping = (i: number) => maskedFrame(JSON.stringify({ type: 'ping', id: i }));
    const flood = await rawWs(
      t.url,
      `/ws/sessions/${s.id}?token=${l.participantToken}`,
      Array.from({ length: 12 }, (_, i) => ping(i)),
    );
    expect(flood.closeCode).toBe(4429);
    // 8 queued messages are fine: they are answered after authentication
    const ok = new WsClient(t.url, s.id, l.participantToken);
    await new Promise((resolve) => ok.ws.once('open', resolve));
    for (let i = 0; i < 8; i++) ok.send({ type: 'ping', id: i });
    await ok.next((m) => m.type === 'pong' && m.id === 7);
    ok.close();
    await ok.closed();
  });

  it('caps open WebSocket connections per IP and frees the slot when one closes', async () => {
    const { token } = await speaker(t.url);
    const s = await createSession(t.url, token);
    const l = await join(t.url, s.code, 'Many');
    const open = [0, 1, 2].map(() => new WsClient(t.url, s.id, l.participantToken));
    await Promise.all(open.map((c) => c.next((m) => m.type === 'welcome')));
    const fourth = new WsClient(t.url, s.id, l.participantToken);
    expect(await fourth.closed()).toBe(4429);
    open[0]!.close();
    await open[0]!.closed();
    // the slot is released when the server sees the close
    let admitted: WsClient | null = null;
    for (let attempt = 0; attempt < 50 && !admitted; attempt++) {
      const c = new WsClient(t.url, s.id, l.participantToken);
      const r = await Promise.race([
        c.next((m) => m.type === 'welcome').then(() => 'in'),
        c.closed().then(() => 'out'),
      ]);
      if (r === 'in') admitted = c;
    }
    expect(admitted).not.toBeNull();
    admitted!.close();
    for (const c of open.slice(1)) c.close();
  });

  it('locks an account after 5 failed sign-ins within 15 min (429 ACCOUNT_LOCKED, even with the right password)', async () => {
    const victim = await speaker(t.url, 'Victim');
    const bystander = await speaker(t.url, 'Bystander');
    for (let i = 0; i < 5; i++) {
      const r = await login(t.url, victim.email, `wrong-password-${i}`);
      expect(r.status).toBe(401);
    }
    const locked = await login(t.url, victim.email, PASSWORD);
    expect(locked.status).toBe(429);
    expect(locked.body.error?.code).toBe('ACCOUNT_LOCKED');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800);
    expect((await login(t.url, bystander.email)).status).toBe(200);
    await waitForAudit(t, { type: 'account_locked', actor_user_id: victim.userId });
    await waitForAudit(t, { type: 'login_blocked' });
    // an unknown e-mail locks the same way (no account enumeration)
    for (let i = 0; i < 5; i++) await login(t.url, 'nobody@example.test', 'wrong-password-1');
    expect((await login(t.url, 'nobody@example.test', 'wrong-password-1')).status).toBe(429);
  });

  it('counts wrong current passwords (password change, deletion) toward the same lock', async () => {
    const u = await speaker(t.url);
    for (let i = 0; i < 5; i++) {
      await api(t.url, 'POST', '/api/auth/password', {
        body: { currentPassword: `nope-nope-${i}`, newPassword: 'brand-new-pass-2' },
        token: u.token,
      });
    }
    const r = await api<{ error: { code: string } }>(t.url, 'DELETE', '/api/auth/me', {
      body: { password: PASSWORD },
      token: u.token,
    });
    expect(r.status).toBe(429);
    expect(r.body.error.code).toBe('ACCOUNT_LOCKED');
    expect(
      await t.app.db.kysely.selectFrom('users').select('id').where('id', '=', u.userId).execute(),
    ).toHaveLength(1);
  });

  if (backend === 'postgres') {
    it('shares lock-outs between instances through Redis', async () => {
      const env = { REDIS_URL: inject('redisUrl'), AUTH_IP_FAILURE_THRESHOLD: '1000000' };
      const a = await startTestApp('postgres', env);
      const b = await startTestApp('postgres', env);
      try {
        const u = await speaker(a.url);
        for (let i = 0; i < 5; i++) await login(a.url, u.email, `wrong-password-${i}`);
        const onB = await login(b.url, u.email);
        expect(onB.status).toBe(429);
        expect(onB.body.error?.code).toBe('ACCOUNT_LOCKED');
        const redis = new Redis(inject('redisUrl'));
        expect(await redis.pttl(`rstream:auth:lock:acct:${u.email}`)).toBeGreaterThan(0);
        await redis.del(`rstream:auth:lock:acct:${u.email}`);
        redis.disconnect();
        expect((await login(b.url, u.email)).status).toBe(200);
      } finally {
        await a.close();
        await b.close();
      }
    });
  }
});

describe('WebSocket connection cap with the default exemption', () => {
  it('does not limit loopback (benchmarks) unless told to', async () => {
    const t = await startTestApp('postgres', { WS_MAX_CONNECTIONS_PER_IP: '1' });
    try {
      const { token } = await speaker(t.url);
      const s = await createSession(t.url, token);
      await goLive(t.url, token, s.id);
      const l = await join(t.url, s.code, 'Loop');
      const clients = [0, 1, 2].map(() => new WsClient(t.url, s.id, l.participantToken));
      await Promise.all(clients.map((c) => c.next((m) => m.type === 'welcome')));
      clients.forEach((c) => c.close());
    } finally {
      await t.close();
    }
  });
});
