import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, BACKENDS, createScratchDatabase, join, startTestApp, type TestApp } from '../helpers.js';
import { createUsers, createWorld, type World } from './fixtures.js';
import { MATRIX, refs, routeTable, tokenOf, type Who } from './routes-matrix.js';

/** A small seeded generator: the same run every time, different values per route. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

const HOSTILE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '$where',
  '__defineGetter__',
];

function randomValue(next: () => number, depth = 0): unknown {
  const pick = Math.floor(next() * 12);
  switch (pick) {
    case 0:
      return null;
    case 1:
      return next() < 0.5;
    case 2:
      return Math.floor((next() - 0.5) * 2 ** 53);
    case 3:
      return [1e308, -1e308, 0.1, -0, 2 ** 63][Math.floor(next() * 5)];
    case 4:
      return '';
    case 5:
      return 'x'.repeat(Math.floor(next() * 5000));
    case 6:
      return '\u0000\ud800<script>alert(1)</script>\'";--';
    case 7:
      return depth < 3
        ? Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth + 1))
        : [];
    case 8:
      return depth < 3
        ? Object.fromEntries(
            Array.from({ length: Math.floor(next() * 4) }, (_, i) => [`k${i}`, randomValue(next, depth + 1)]),
          )
        : {};
    case 9:
      return new Date(0).toISOString();
    case 10:
      return '00000000-0000-0000-0000-000000000000';
    default:
      return { [HOSTILE_KEYS[Math.floor(next() * HOSTILE_KEYS.length)]!]: { polluted: true } };
  }
}

/** Bodies that are wrong in every way we can think of, given a valid one to mutate. */
function malformedBodies(valid: unknown, seed: number): (string | unknown)[] {
  const next = rng(seed);
  const out: unknown[] = [
    null,
    true,
    0,
    -1,
    'text',
    [],
    [valid],
    {},
    { ...((valid as object) ?? {}), extra: 1 },
    '{"unterminated": ',
    '{"a":1}{"b":2}',
    'NaN',
    '\u0000',
    '['.repeat(20_000) + ']'.repeat(20_000),
    JSON.stringify(Array.from({ length: 2000 }, () => ({ a: [{ b: [{ c: 'd' }] }] }))),
    '{"__proto__": {"role": "admin", "isAdmin": true}}',
    '{"constructor": {"prototype": {"role": "admin"}}}',
    JSON.stringify({ email: 'x'.repeat(60_000) }),
  ];
  if (valid && typeof valid === 'object' && !Array.isArray(valid)) {
    for (const key of Object.keys(valid)) {
      for (const wrong of [null, 12345, [], 'y'.repeat(10_000), { $gt: '' }])
        out.push({ ...valid, [key]: wrong });
      const { [key]: _dropped, ...without } = valid as Record<string, unknown>;
      out.push(without);
    }
  }
  for (let i = 0; i < 8; i++) out.push(randomValue(next));
  return out;
}

/** each case goes out anonymously and as one of these in turn */
const CALLERS: Who[] = ['host', 'listener', 'admin', 'presenter'];
const WEIRD_QUERIES = [
  '?limit=abc',
  '?limit=-1&from=%00',
  '?from[]=1&to[$gt]=2',
  `?type=${'z'.repeat(3000)}`,
  '?step=1e999&participants=maybe',
  '?cursor=__proto__&sort=constructor',
];

describe.each(BACKENDS)('malformed input on %s', (backend) => {
  let t: TestApp;
  let w: World;
  beforeAll(async () => {
    t = await startTestApp(backend, {
      WEB_DIST_DIR: mkdtempSync(path.join(tmpdir(), 'rstream-noweb-')),
      // the fuzz sends many wrong passwords on purpose; lock-out is tested elsewhere
      AUTH_LOCKOUT_THRESHOLD: '1000',
      AUTH_IP_FAILURE_THRESHOLD: '1000000',
      // a database of its own: the check at the end counts every admin
      ...(backend === 'postgres' ? { DATABASE_URL: await createScratchDatabase('fuzz') } : {}),
    });
    w = await createWorld(t, await createUsers(t));
    const asker = await join(t.url, w.sessionA.code, 'Asker');
    const q = await api<{ question: { id: string } }>(
      t.url,
      'POST',
      `/api/sessions/${w.sessionA.id}/questions`,
      { body: { content: 'Why?' }, token: asker.participantToken },
    );
    refs.questionId = q.body.question.id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('never answers 500 to malformed bodies, queries or path parameters on any route, and keeps what was stored', async () => {
    const served = routeTable(t.app.fastify).filter((r) => r in MATRIX);
    expect(served.length).toBeGreaterThan(30);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let seed = 1;
    for (const key of served) {
      const [method, route] = key.split(' ') as [string, string];
      const entry = MATRIX[key]!;
      const valid = entry.body?.(w) ?? {};
      const cases: { path: string; body: unknown; raw?: boolean; contentType?: string }[] = [];
      if (method !== 'GET')
        for (const b of malformedBodies(valid, seed++))
          cases.push({ path: entry.path(w), body: typeof b === 'string' ? b : JSON.stringify(b), raw: true });
      if (method !== 'GET')
        cases.push({
          path: entry.path(w),
          body: 'email=a&password=b',
          raw: true,
          contentType: 'application/x-www-form-urlencoded',
        });
      if (method !== 'GET') cases.push({ path: entry.path(w), body: '', raw: true });
      for (const q of WEIRD_QUERIES) cases.push({ path: entry.path(w).split('?')[0] + q, body: undefined });
      if (route.includes(':')) {
        for (const bad of [
          '%00',
          '..%2F..%2Fetc%2Fpasswd',
          'x'.repeat(2000),
          '%E0%A4%A',
          '__proto__',
          '-1',
          '1e999',
        ]) {
          const p = route.replace(/:[A-Za-z]+/g, (param) =>
            param === ':id' ? bad : encodeURIComponent(bad).replace(/%25/g, '%'),
          );
          cases.push({ path: p, body: method === 'GET' ? undefined : JSON.stringify(valid), raw: true });
        }
      }
      for (const [i, c] of cases.entries()) {
        for (const who of ['anonymous', CALLERS[i % CALLERS.length]!] as Who[]) {
          const headers: Record<string, string> = {};
          if (c.contentType) headers['content-type'] = c.contentType;
          else if (c.body !== undefined) headers['content-type'] = 'application/json';
          const token = tokenOf(w, who);
          if (token) headers.authorization = `Bearer ${token}`;
          const res = await fetch(`${t.url}${c.path}`, {
            method,
            headers,
            body: c.body as string | undefined,
          });
          const text = await res.text();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status >= 500)
            failures.push(
              `${key} as ${who} ${c.path.slice(0, 80)} ${String(c.body).slice(0, 80)} → ${res.status} ${text.slice(0, 120)}`,
            );
          else if (res.status >= 400 && !/^\{"error":\{"code":"[A-Z_]+"/.test(text))
            failures.push(`${key} ${res.status} without an error body: ${text.slice(0, 80)}`);
        }
      }
    }
    expect(failures.slice(0, 20)).toEqual([]);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(100);
    // nothing stored was lost or changed by the barrage (session A's host may delete it: B is
    // another speaker's, whom the barrage never speaks as)
    const s = await api<{ title: string; status: string; participantCount: number }>(
      t.url,
      'GET',
      `/api/sessions/${w.sessionB.id}`,
      { token: w.otherSpeaker.token },
    );
    expect(s.status).toBe(200);
    expect(s.body).toMatchObject({ title: 'Session B', status: 'live', participantCount: 1 });
    expect((await api(t.url, 'GET', '/api/auth/me', { token: w.admin.token })).status).toBe(200);
    const admins = await t.app.db.kysely
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'admin')
      .execute();
    expect(admins.map((a) => a.id)).toEqual([w.admin.userId]);
    expect(({} as Record<string, unknown>).role).toBeUndefined();
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 300_000);
});
