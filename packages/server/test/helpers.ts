import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import pg from 'pg';
import { inject } from 'vitest';
import { WebSocket } from 'ws';
import { buildApp, type App, type BuildOptions } from '../src/app.js';
import { loadConfig, type Config } from '../src/config.js';

export type DbBackend = 'postgres' | 'pglite';
export const BACKENDS: DbBackend[] = ['postgres', 'pglite'];

export interface TestApp {
  app: App;
  url: string;
  config: Config;
  close(): Promise<void>;
}

/**
 * Puts a copy of the run's migrated embedded database into DATA_DIR (unless it holds one), so a
 * server or CLI on that folder skips initdb and the migrations. False outside the server projects.
 */
export function copyPgliteTemplate(dataDir: string): boolean {
  const template = inject('pgliteTemplate');
  const embedded = path.join(dataDir, 'pglite');
  if (!template || existsSync(embedded)) return false;
  cpSync(template, embedded, { recursive: true });
  return true;
}

export interface TestAppOptions extends BuildOptions {
  /**
   * PGlite only: create the embedded database from nothing (initdb and every migration) instead of
   * copying the run's migrated template, for tests about a first start.
   */
  freshDb?: boolean;
}

/**
 * A real server on a free port: real PostgreSQL (this run's database) or PGlite in a temp folder.
 * PGlite starts from a copy of the run's migrated template (see global-setup.ts) unless
 * `freshDb` is set or DATA_DIR already holds an embedded database.
 */
export async function startTestApp(
  backend: DbBackend,
  env: Record<string, string> = {},
  { freshDb = false, ...options }: TestAppOptions = {},
): Promise<TestApp> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'rstream-test-'));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    ...(backend === 'postgres' ? { DATABASE_URL: inject('pgUrl') } : {}),
    ...env,
  });
  if (!config.DATABASE_URL && !freshDb) copyPgliteTemplate(config.DATA_DIR);
  const app = await buildApp(config, {
    logger: pino({ level: env.LOG_LEVEL ?? 'silent' }),
    authRateLimitPerMin: 10_000,
    joinRateLimitPerMin: 10_000,
    ...options,
  });
  const url = await app.listen();
  return {
    app,
    url,
    config,
    async close() {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A scratch PostgreSQL database of this run (dropped by global teardown). */
export async function createScratchDatabase(label = 'db'): Promise<string> {
  const name = `rstream_scratch_${inject('runId')}_${label}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: inject('pgAdminUrl') });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(inject('pgAdminUrl'));
  url.pathname = `/${name}`;
  return url.toString();
}

export const uniqueEmail = (prefix = 'speaker') => `${prefix}-${randomBytes(5).toString('hex')}@example.test`;

/** What a test sends with a request: a JSON (or raw string) body, a bearer token, more headers. */
export interface ApiInit {
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
}

/** One HTTP call against a test server: `api(url, 'POST', '/api/…', { body, token })`. */
export async function api<T = unknown>(
  base: string,
  method: string,
  route: string,
  { body, token, headers = {} }: ApiInit = {},
): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await fetch(`${base}${route}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {}
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/** Registers and logs in a speaker; returns the access token. */
export async function speaker(
  base: string,
  name = 'Speaker',
): Promise<{ token: string; email: string; userId: string }> {
  const email = uniqueEmail();
  const reg = await api<{ user: { id: string } }>(base, 'POST', '/api/auth/register', {
    body: {
      email,
      password: 'correct-horse-1',
      username: name,
    },
  });
  if (reg.status !== 201) throw new Error(`register failed: ${reg.status} ${JSON.stringify(reg.body)}`);
  const login = await api<{ accessToken: string }>(base, 'POST', '/api/auth/login', {
    body: {
      email,
      password: 'correct-horse-1',
    },
  });
  return { token: login.body.accessToken, email, userId: reg.body.user.id };
}

export async function createSession(
  base: string,
  token: string,
  settings: Record<string, unknown> = {},
  title = 'Test talk',
) {
  const r = await api<{ id: string; code: string; status: string }>(base, 'POST', '/api/sessions', {
    body: { title, mode: 'presentation', settings },
    token,
  });
  if (r.status !== 201) throw new Error(`create failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

export async function join(base: string, code: string, displayName: string, anonymous = false) {
  const r = await api<{ sessionId: string; participantId: string; participantToken: string; role: string }>(
    base,
    'POST',
    '/api/sessions/join',
    { body: { code, displayName, anonymous } },
  );
  if (r.status !== 200) throw new Error(`join failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

export const goLive = (base: string, token: string, id: string) =>
  api(base, 'PUT', `/api/sessions/${id}`, { body: { status: 'live' }, token });

/** A WebSocket client that records every message and can wait for one matching a predicate. */
export class WsClient {
  readonly messages: Record<string, unknown>[] = [];
  closeCode: number | null = null;
  private waiters: {
    pred: (m: Record<string, unknown>) => boolean;
    resolve: (m: Record<string, unknown>) => void;
  }[] = [];
  private closeWaiters: ((code: number) => void)[] = [];
  readonly ws: WebSocket;

  constructor(base: string, sessionId: string, token: string | null) {
    const wsUrl = `${base.replace(/^http/, 'ws')}/ws/sessions/${sessionId}${token === null ? '' : `?token=${encodeURIComponent(token)}`}`;
    this.ws = new WebSocket(wsUrl);
    this.ws.on('message', (data) => {
      const m = JSON.parse(data.toString()) as Record<string, unknown>;
      this.messages.push(m);
      this.waiters = this.waiters.filter((w) => (w.pred(m) ? (w.resolve(m), false) : true));
    });
    this.ws.on('close', (code) => {
      this.closeCode = code;
      this.closeWaiters.forEach((r) => r(code));
    });
    this.ws.on('error', () => {});
  }

  send(msg: unknown): void {
    this.ws.send(typeof msg === 'string' ? msg : JSON.stringify(msg));
  }

  /** Resolves with the first message (already received or future) that matches. */
  next(
    pred: (m: Record<string, unknown>) => boolean,
    timeoutMs = 5000,
    fromIndex = 0,
  ): Promise<Record<string, unknown>> {
    const seen = this.messages.slice(fromIndex).find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `no matching message in ${timeoutMs} ms; got ${JSON.stringify(this.messages.slice(-5))}`,
            ),
          ),
        timeoutMs,
      );
      this.waiters.push({ pred, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  }

  /** Waits for a message that arrives after this call. */
  nextNew(pred: (m: Record<string, unknown>) => boolean, timeoutMs = 5000) {
    return this.next(pred, timeoutMs, this.messages.length);
  }

  closed(timeoutMs = 5000): Promise<number> {
    if (this.closeCode !== null) return Promise.resolve(this.closeCode);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('socket did not close')), timeoutMs);
      this.closeWaiters.push((c) => (clearTimeout(timer), resolve(c)));
    });
  }

  close(): void {
    this.ws.close();
  }
}

/**
 * Polls `check` until it gives something other than undefined, null or false, and returns that.
 * A check that throws is tried again; when time runs out the error names `what` and the last
 * thrown error. (No fixed sleeps in tests: wait for the condition.)
 */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  timeoutMs = 15_000,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined && v !== null && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
