import {
  lazy,
  Suspense,
  useCallback,
  useEffect,
  useReducer,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import type { HistoryResponse, Participant, PublicSession, ServerMessage } from '@rstream/protocol';
import { ApiError } from '../../api/client';
import { participantApi, sessionsApi } from '../../api/endpoints';
import { errorMessage } from '../../api/errors';
import { useI18n } from '../../app/i18n';
import { Link, navigate, type Params } from '../../app/router';
import type { RealtimeClient } from '../../realtime/client';
import type { RealtimeSnapshot } from '../../realtime/types';
import { useRealtime } from '../../realtime/useRealtime';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { ConnectionStatus, ProtocolMismatchBanner } from '../../ui/ConnectionStatus';
import { HelpDialog } from '../../ui/HelpDialog';
import { useDocumentTitle, useNow } from '../../ui/hooks';
import {
  clearParticipant,
  loadParticipant,
  saveDisplayName,
  saveParticipant,
  type StoredParticipant,
} from '../join/participant-storage';
import { AudiencePanel } from './AudiencePanel';
import { EraseMe } from './EraseMe';
import { LevelMeter } from './LevelMeter';
import { ListenerQuestions } from '../questions/ListenerQuestions';
import { ListenerHeader } from './ListenerHeader';
import { ListenerStore } from './listener-store';
import { initialMeter, meterReducer } from './meter-reducer';
import { clearLastSeen, loadLastSeen, saveLastSeen } from './last-seen';
import { useListenerT } from './strings';
import { useListenerKeys } from './useListenerKeys';
import { LiveTurnsList, PhoneTurns } from '../discussion/PhoneTurns';
import { useTurns } from '../discussion/turns-store';
import { listenersSeeWholeGraph } from '@rstream/protocol';

// The chart (uPlot) only loads when the session shows the listener a graph.
const ListenerGraph = lazy(() => import('./ListenerGraph').then((m) => ({ default: m.ListenerGraph })));

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

interface ScreenProps {
  session: PublicSession;
  participant: Participant;
  stored: StoredParticipant;
  /** Opened from the phone's copy with no network. */
  offline: boolean;
  client: RealtimeClient | null;
  connection: RealtimeSnapshot;
  /** Routes the page's WebSocket messages to this screen (replaying those that came first). */
  attach: (handler: ((m: ServerMessage) => void) | null) => void;
  history: Promise<HistoryResponse | null>;
  onErased: () => void;
}

function ListenerScreen({
  session,
  participant,
  stored,
  offline,
  client,
  connection,
  attach,
  history,
  onErased,
}: ScreenProps) {
  const { t } = useI18n();
  const lt = useListenerT();
  const [store] = useState(() => new ListenerStore(session, participant.participantId));
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const [meter, dispatch] = useReducer(meterReducer, session.settings.signalStyle, (style) => {
    const m = initialMeter(style);
    return meterReducer(m, { type: 'restore', level: participant.level });
  });
  const [myName, setMyName] = useState(participant.displayName ?? stored.displayName);
  const [helpOpen, setHelpOpen] = useState(false);
  useDocumentTitle(session.title);

  const onMessage = useCallback(
    (msg: ServerMessage) => {
      store.handle(msg);
      if (msg.type === 'welcome') dispatch({ type: 'restore', level: msg.level });
    },
    [store],
  );
  useEffect(() => {
    attach(onMessage);
    return () => attach(null);
  }, [attach, onMessage]);

  // The fresh /me answer replaces the phone's copy the screen may have started from.
  useEffect(() => {
    store.handle({
      type: 'session:status',
      status: session.status,
      startedAt: session.startedAt,
      endsAt: session.endsAt,
    });
  }, [store, session.status, session.startedAt, session.endsAt]);
  const turns = useTurns(session.id, session.mode, client, stored.participantToken); // discussion mode only

  // Send what the user changed (restores are not echoed back).
  const sentSeq = useRef(meter.userSeq);
  useEffect(() => {
    if (meter.userSeq === sentSeq.current || !client || meter.level === null) return;
    sentSeq.current = meter.userSeq;
    client.setLevel(meter.level);
  }, [meter.userSeq, meter.level, client]);

  // My own line on the graph follows my level, whatever moved it.
  useEffect(() => {
    store.recordMyLevel(meter.level);
  }, [meter.level, store, snapshot.status]);

  // When the speaker starts, the level already shown (e.g. the momentary neutral 3) counts.
  const wasLive = useRef(snapshot.status === 'live');
  useEffect(() => {
    const live = snapshot.status === 'live';
    if (live && !wasLive.current && meter.level !== null) client?.setLevel(meter.level);
    wasLive.current = live;
  }, [snapshot.status, meter.level, client]);

  // A token that no longer works, or a session that is gone: back to the join page.
  useEffect(() => {
    const code = connection.fatalCode;
    if (code === 4401 || code === 4404) {
      clearParticipant(session.id);
      navigate(`/j/${session.code}`, { replace: true });
    }
    // erased from another tab or device: this one leaves too
    if (code === 4410) onErased();
  }, [connection.fatalCode, session.id, session.code, onErased]);

  const live = snapshot.status === 'live';
  const ended = snapshot.status === 'ended' || connection.ended;
  useListenerKeys(meter, dispatch, live, () => setHelpOpen(true));

  const now = useNow(1000);
  const rename = async (name: string) => {
    try {
      const res = await participantApi.rename(session.id, stored.participantToken, name);
      const displayName = res.participant.displayName ?? name;
      setMyName(displayName);
      saveDisplayName(displayName);
      saveParticipant(session.id, { ...stored, displayName });
    } catch (err) {
      throw new Error(errorMessage(err, t));
    }
  };

  // The audience's past average, when the session shares it (a reload shows the graph so far).
  // With no facilitator (discussion) everyone sees the whole graph.
  const visibility = listenersSeeWholeGraph(session.settings) ? 'all' : session.settings.graphVisibility;
  useEffect(() => {
    if (visibility !== 'all' || session.status === 'scheduled') return;
    let cancelled = false;
    void history.then((h) => {
      if (h && !cancelled) store.loadHistory(h);
    });
    return () => {
      cancelled = true;
    };
  }, [visibility, session.status, history, store]);

  return (
    <div className="flex min-h-dvh flex-col">
      <ListenerHeader
        session={session}
        snapshot={snapshot}
        timeLeftMs={store.timeLeftMs(now)}
        myName={myName}
        onRename={rename}
      />
      <div className="mx-auto flex w-full max-w-3xl flex-1 flex-col gap-3 px-3 py-3 sm:gap-4 sm:px-6 sm:py-5">
        <ProtocolMismatchBanner snapshot={connection} />
        {offline && (
          <p
            role="status"
            data-testid="offline-copy"
            className="rounded-xl border border-amber-400 bg-amber-50 px-4 py-3 text-amber-950"
          >
            {lt('listener.offlineCopy')}
          </p>
        )}
        {connection.fatalCode === 4403 && <Alert>{t('conn.fatal.4403')}</Alert>}
        {ended ? (
          <div
            className="rounded-2xl border border-line bg-white p-6 text-center shadow-sm"
            data-testid="ended-state"
          >
            <h2 className="mb-1 text-2xl font-bold">{t('listener.ended.title')}</h2>
            <p className="text-muted">{t('listener.ended.body')}</p>
          </div>
        ) : (
          <>
            {!live && (
              <div
                role="status"
                className="flex items-center gap-3 rounded-2xl border border-sky-300 bg-sky-50 px-4 py-3 font-semibold text-sky-950"
                data-testid="waiting-state"
              >
                <span aria-hidden className="h-3 w-3 animate-pulse rounded-full bg-sky-600" />
                {t('listener.waiting')}
              </div>
            )}
            <LevelMeter state={meter} dispatch={dispatch} disabled={!live} />
            {turns && (
              <PhoneTurns
                session={session}
                store={turns}
                client={client}
                myId={snapshot.myParticipantId}
                participants={snapshot.participants}
                nowT={store.nowT(now) ?? 0}
                live={live}
              />
            )}
            {connection.pendingLevel !== null && connection.state !== 'open' && (
              <p className="text-sm text-muted" role="status">
                {t('conn.pending')}
              </p>
            )}
          </>
        )}
        {visibility !== 'none' && snapshot.status !== 'scheduled' && (
          <Suspense fallback={<div className="h-48" aria-hidden />}>
            <ListenerGraph
              store={store}
              snapshot={snapshot}
              visibility={visibility}
              plugins={turns ? [turns.plugin] : undefined}
            />
          </Suspense>
        )}
        {turns && <LiveTurnsList store={turns} />}
        <ListenerQuestions
          sessionId={session.id}
          participantToken={stored.participantToken}
          client={client}
          enabled={session.settings.questionsEnabled}
          ended={ended}
        />
        <AudiencePanel
          hostName={session.hostName}
          anonymous={session.settings.anonymous}
          participants={snapshot.participants}
          myId={snapshot.myParticipantId}
        />
      </div>
      <footer className="sticky bottom-0 border-t border-line bg-white/95 px-3 py-2 backdrop-blur sm:px-6">
        <div className="mx-auto flex max-w-3xl items-center justify-between gap-2">
          <ConnectionStatus snapshot={connection} />
          <div className="flex items-center gap-1">
            <EraseMe sessionId={session.id} participantToken={stored.participantToken} onErased={onErased} />
            <Button variant="ghost" size="sm" onClick={() => setHelpOpen(true)} data-testid="open-help">
              ? {t('speaker.help')}
            </Button>
          </div>
        </div>
      </footer>
      <HelpDialog
        open={helpOpen}
        onClose={() => setHelpOpen(false)}
        note={meter.style === 'momentary' ? t('help.momentary') : undefined}
        shortcuts={[
          { keys: ['←'], label: t('help.left') },
          { keys: ['→'], label: t('help.right') },
          { keys: ['1', '…', '5'], label: t('help.digits') },
          { keys: ['Q'], label: t('help.q') },
          { keys: ['F1'], label: t('help.f1') },
          { keys: ['F11'], label: t('help.f11') },
          { keys: ['Esc'], label: t('help.esc') },
        ]}
      />
    </div>
  );
}
