import { api, createSession, goLive, join, speaker, type TestApp } from '../helpers.js';

export interface Q {
  id: string;
  content: string;
  status: 'open' | 'answered' | 'hidden';
  votes: number;
  createdAt: string;
  answeredAt?: string | null;
  answer?: string | null;
  approved: boolean;
  pinned: boolean;
  t: number | null;
  askerName: string | null;
  askerLevel?: number | null;
  mine?: boolean;
  votedByMe?: boolean;
  rev: number;
}
export type ErrorBody = { error: { code: string; message: string; details?: unknown } };

/** A host, a session (live unless said otherwise) and a few listeners. */
export async function setup(
  t: TestApp,
  opts: { settings?: Record<string, unknown>; live?: boolean; names?: string[]; anonymous?: boolean[] } = {},
) {
  const host = await speaker(t.url, 'Host Person');
  const s = await createSession(t.url, host.token, opts.settings ?? {});
  if (opts.live !== false) await goLive(t.url, host.token, s.id);
  const names = opts.names ?? ['Alice', 'Bob'];
  const listeners = [];
  for (const [i, n] of names.entries())
    listeners.push(await join(t.url, s.code, n, opts.anonymous?.[i] ?? false));
  return { host, s, listeners };
}

export const ask = (t: TestApp, sessionId: string, token: string, content: unknown) =>
  api<{ question: Q; duplicate?: boolean } & ErrorBody>(
    t.url,
    'POST',
    `/api/sessions/${sessionId}/questions`,
    { body: { content }, token },
  );

export const list = async (t: TestApp, sessionId: string, token: string, query = '') => {
  const r = await api<{ questions: Q[] } & ErrorBody>(
    t.url,
    'GET',
    `/api/sessions/${sessionId}/questions${query}`,
    { token },
  );
  return r;
};

export const update = (t: TestApp, sessionId: string, token: string, questionId: string, body: unknown) =>
  api<{ question: Q } & ErrorBody>(t.url, 'PUT', `/api/sessions/${sessionId}/questions/${questionId}`, {
    body,
    token,
  });

export const vote = (
  t: TestApp,
  sessionId: string,
  token: string,
  questionId: string,
  method: 'POST' | 'DELETE' = 'POST',
) =>
  api<{ question: Q; voted: boolean } & ErrorBody>(
    t.url,
    method,
    `/api/sessions/${sessionId}/questions/${questionId}/vote`,
    { token },
  );
