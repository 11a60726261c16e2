import { useCallback, useEffect, useRef, useState } from 'react';
import type { Participant, PublicSession, ServerMessage } from '@rstream/protocol';
import { ApiError } from '../../api/client';
import { participantApi, sessionsApi } from '../../api/endpoints';
import { errorMessage } from '../../api/errors';
import { useI18n } from '../../app/i18n';
import { Link, navigate, type Params } from '../../app/router';
import { useRealtime } from '../../realtime/useRealtime';
import { Alert } from '../../ui/Alert';
import { clearParticipant, loadParticipant, type StoredParticipant } from '../join/participant-storage';
import { clearLastSeen, loadLastSeen, saveLastSeen } from './last-seen';
import { ListenerScreen } from './ListenerScreen';
import { useListenerT } from './strings';

type Load =
  | { kind: 'loading' }
  | {
      kind: 'ok';
      session: PublicSession;
      participant: Participant;
      stored: StoredParticipant;
      /** Shown from the phone's copy: the server has not answered (yet, or at all: offline). */
      fromCopy: boolean;
    }
  | { kind: 'error'; message: string }
  /** the listener erased themselves from the session */
  | { kind: 'erased'; code: string | undefined };

export function ListenerPage({ params }: { params: Params }) {
  const { t } = useI18n();
  const id = params.id ?? '';
  const [stored] = useState(() => loadParticipant(id));
  const [load, setLoad] = useState<Load>(() => {
    const copy = stored ? loadLastSeen(id) : null;
    return copy && stored ? { kind: 'ok', ...copy, stored, fromCopy: true } : { kind: 'loading' };
  });
  const [offline, setOffline] = useState(false);

  // /me, the history and the WebSocket start together: none waits for another. Messages that
  // arrive before the screen is ready are kept and handed to it when it mounts.
  const early = useRef<{ buffer: ServerMessage[]; handler: ((m: ServerMessage) => void) | null }>({
    buffer: [],
    handler: null,
  });
  const onMessage = useCallback((msg: ServerMessage) => {
    const e = early.current;
    if (e.handler) e.handler(msg);
    else e.buffer.push(msg);
  }, []);
  const { client, snapshot: connection } = useRealtime(id, stored?.participantToken ?? null, { onMessage });
  const [history] = useState(() =>
    stored
      ? sessionsApi.history(id, { participants: false }, stored.participantToken).catch(() => null)
      : Promise.resolve(null),
  );
  const attach = useCallback((handler: ((m: ServerMessage) => void) | null) => {
    const e = early.current;
    e.handler = handler;
    if (!handler) return;
    const pending = e.buffer.splice(0);
    for (const m of pending) handler(m);
  }, []);

  useEffect(() => {
    let cancelled = false;
    if (!stored) {
      setLoad({ kind: 'error', message: t('conn.fatal.4401') });
      return;
    }
    participantApi.me(id, stored.participantToken).then(
      (res) => {
        if (cancelled) return;
        saveLastSeen(id, res.session, res.participant);
        setOffline(false);
        setLoad({ kind: 'ok', session: res.session, participant: res.participant, stored, fromCopy: false });
      },
      (err: unknown) => {
        if (cancelled) return;
        if (err instanceof ApiError && (err.status === 401 || err.status === 404)) {
          clearParticipant(id);
          clearLastSeen(id);
          if (stored.code) return navigate(`/j/${stored.code}`, { replace: true });
        }
        // No network, but the phone has a copy: keep showing it and say so.
        if (err instanceof ApiError && err.code === 'NETWORK') {
          setOffline(true);
          setLoad((l) => (l.kind === 'ok' ? l : { kind: 'error', message: errorMessage(err, t) }));
          return;
        }
        setLoad({ kind: 'error', message: errorMessage(err, t) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [id, t, stored]);

  if (load.kind === 'loading') return <p className="p-8 text-center text-muted">{t('common.loading')}</p>;
  if (load.kind === 'erased') return <ErasedState code={load.code} />;
  if (load.kind === 'error') {
    return (
      <div className="mx-auto max-w-md p-6">
        <Alert>{load.message}</Alert>
        <Link to="/" className="mt-4 inline-block font-semibold text-accent underline">
          {t('listener.backToJoin')}
        </Link>
      </div>
    );
  }
  return (
    <ListenerScreen
      key={id}
      session={load.session}
      participant={load.participant}
      stored={load.stored}
      offline={offline && load.fromCopy}
      client={client}
      connection={connection}
      attach={attach}
      history={history}
      onErased={() => {
        client?.close();
        clearParticipant(id);
        clearLastSeen(id);
        setLoad({ kind: 'erased', code: load.session.code });
      }}
    />
  );
}

function ErasedState({ code }: { code: string | undefined }) {
  const lt = useListenerT();
  return (
    <div className="mx-auto max-w-md p-6" data-testid="erased-state" role="status">
      <h1 className="mb-2 text-2xl font-bold">{lt('listener.erased.title')}</h1>
      <p className="text-muted">{lt('listener.erased.body')}</p>
      {code && (
        <Link to={`/j/${code}`} className="mt-4 inline-block font-semibold text-accent underline">
          {code}
        </Link>
      )}
    </div>
  );
}
