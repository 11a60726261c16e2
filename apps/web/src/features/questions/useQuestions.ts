import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type {
  Question,
  QuestionList,
  ServerMessage,
  UpdateQuestionBody,
  VoteResponse,
} from '@rstream/protocol';
import { api, ApiError } from '../../api/client';
import type { RealtimeClient } from '../../realtime/client';
import { QuestionStore, type QuestionRole, type QuestionSort } from './question-store';
import type { QT } from './strings';

const enc = encodeURIComponent;

/** The REST side of questions; `bearer` is the participant token (speakers use their access token). */
export function questionsApi(sessionId: string, bearer?: string) {
  const base = `/api/sessions/${enc(sessionId)}/questions`;
  return {
    list: () => api.get<QuestionList>(base, { bearer }),
    ask: (content: string) =>
      api.post<{ question: Question; duplicate?: boolean }>(base, { content }, { bearer }),
    vote: (id: string, on: boolean) =>
      on
        ? api.post<VoteResponse>(`${base}/${enc(id)}/vote`, undefined, { bearer })
        : api.delete<VoteResponse>(`${base}/${enc(id)}/vote`, { bearer }),
    update: (id: string, body: UpdateQuestionBody) =>
      api.put<{ question: Question }>(`${base}/${enc(id)}`, body, { bearer }),
    exportUrl: (format: 'csv' | 'json') => `${base}/export?format=${format}`,
  };
}

/** A sentence for a failed question call. */
export function questionError(err: unknown, qt: QT, fallback: (err: unknown) => string): string {
  if (err instanceof ApiError) {
    switch (err.code) {
      case 'RATE_LIMITED': {
        const ms = (err.details as { retryAfterMs?: number } | undefined)?.retryAfterMs ?? 30_000;
        return qt('q.err.RATE_LIMITED', { s: Math.ceil(ms / 1000) });
      }
      case 'QUESTIONS_DISABLED':
      case 'SESSION_ENDED':
      case 'QUESTION_NOT_FOUND':
      case 'VALIDATION_FAILED':
        return qt(`q.err.${err.code}`);
    }
  }
  return fallback(err);
}

/**
 * The session's questions for this page: loaded over HTTP, kept live from the page's one
 * WebSocket (reloaded after a reconnect, since events may have been missed meanwhile).
 */
export function useQuestions(opts: {
  sessionId: string;
  role: QuestionRole;
  bearer?: string;
  client: RealtimeClient | null;
  enabled?: boolean;
}) {
  const { sessionId, role, bearer, client } = opts;
  const enabled = opts.enabled ?? true;
  const [store] = useState(() => new QuestionStore(role));
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const [sort, setSortState] = useState<QuestionSort>('votes');
  const apiRef = useRef(questionsApi(sessionId, bearer));
  apiRef.current = questionsApi(sessionId, bearer);

  const reload = useCallback(() => {
    apiRef.current.list().then(
      (r) => store.load(r.questions),
      () => store.load([]),
    );
  }, [store]);

  useEffect(() => {
    if (enabled) reload();
  }, [enabled, reload, sessionId]);

  useEffect(() => {
    if (!client) return;
    let welcomes = 0;
    return client.onMessage((msg: ServerMessage) => {
      if (msg.type === 'welcome') {
        if (welcomes++ > 0) reload();
        return;
      }
      store.handle(msg);
    });
  }, [client, store, reload]);

  const setSort = useCallback(
    (s: QuestionSort) => {
      setSortState(s);
      store.setSort(s);
    },
    [store],
  );

  const ask = useCallback(
    async (content: string) => {
      const r = await apiRef.current.ask(content);
      store.apply(r.question);
      return r;
    },
    [store],
  );
  const vote = useCallback(
    async (id: string, on: boolean) => {
      const r = await apiRef.current.vote(id, on);
      store.apply(r.question);
      return r;
    },
    [store],
  );
  const update = useCallback(
    async (id: string, body: UpdateQuestionBody) => {
      const r = await apiRef.current.update(id, body);
      store.apply(r.question);
      return r.question;
    },
    [store],
  );

  return { store, snapshot, sort, setSort, ask, vote, update, reload };
}
