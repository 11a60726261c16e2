import { randomBytes } from 'node:crypto';
import { api, goLive, join, speaker, WsClient } from '../helpers.js';

export type Msg = Record<string, unknown>;
export interface TurnBody {
  id: string;
  speaker: string;
  participantId: string | null;
  startT: number;
  endT: number | null;
  avg: number | null;
  n: number;
  delta: number | null;
}
export type TurnsBody = {
  turns: TurnBody[];
  speakers: { speaker: string; turns: number; speakingMs: number; avg: number | null }[];
  reactionLagMs: number;
  error?: { code: string };
};

export const turnUpdate = (pred: (turn: Msg | null) => boolean) => (m: Msg) =>
  m.type === 'turn:update' && pred(m.turn as Msg | null);

/** A discussion session (live) with the given participants. */
export async function discussion(
  base: string,
  discussionSettings: Record<string, unknown>,
  names: string[],
  settings: Record<string, unknown> = {},
  joinBase: (i: number) => string = () => base,
) {
  const host = await speaker(base, 'Host Person');
  const r = await api<{ id: string; code: string; settings: Record<string, unknown> }>(
    base,
    'POST',
    '/api/sessions',
    {
      body: {
        title: 'Round table',
        mode: 'discussion',
        settings: { ...settings, discussion: discussionSettings },
      },
      token: host.token,
    },
  );
  if (r.status !== 201) throw new Error(`create failed: ${r.status} ${JSON.stringify(r.body)}`);
  await goLive(base, host.token, r.body.id);
  const people = [];
  for (const [i, n] of names.entries()) people.push(await join(joinBase(i), r.body.code, n));
  return { host, s: r.body, people };
}

export const getTurns = (base: string, sessionId: string, token: string) =>
  api<TurnsBody>(base, 'GET', `/api/sessions/${sessionId}/turns`, { token });

/** Everything the server sent this socket before the pong has been received. */
export async function barrier(c: WsClient) {
  const id = randomBytes(4).toString('hex');
  c.send({ type: 'ping', id });
  await c.next((m) => m.type === 'pong' && m.id === id);
}

/** The last second the server has stored for the session (ms since the start of that second). */
export async function lastStoredT(base: string, sessionId: string, token: string): Promise<number> {
  const r = await api<{ points: { t: number }[] }>(
    base,
    'GET',
    `/api/sessions/${sessionId}/understanding?step=1000&participants=0`,
    { token },
  );
  return r.body.points.at(-1)?.t ?? -1;
}
