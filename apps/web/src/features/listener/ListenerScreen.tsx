import { lazy, Suspense, useCallback, useEffect, useReducer, useState, useSyncExternalStore } from 'react';
import type { HistoryResponse, Participant, PublicSession, ServerMessage } from '@rstream/protocol';
import { listenersSeeWholeGraph } from '@rstream/protocol/light';
import { participantApi } from '../../api/endpoints';
import { errorMessage } from '../../api/errors';
import { useI18n } from '../../app/i18n';
import { navigate } from '../../app/router';
import type { RealtimeClient } from '../../realtime/client';
import type { RealtimeSnapshot } from '../../realtime/types';
import { Alert } from '../../ui/Alert';
import { ProtocolMismatchBanner } from '../../ui/ConnectionStatus';
import { useDocumentTitle, useNow } from '../../ui/hooks';
import { useTurns } from '../discussion/turns-store';
import {
  clearParticipant,
  saveDisplayName,
  saveParticipant,
  type StoredParticipant,
} from '../join/participant-storage';
import { ListenerQuestions } from '../questions/ListenerQuestions';
import { AudiencePanel } from './AudiencePanel';
import { LevelMeter } from './LevelMeter';
import { ListenerFooter } from './ListenerFooter';
import { ListenerHeader } from './ListenerHeader';
import { ListenerSettings } from './ListenerSettings';
import { ListenerStore } from './listener-store';
import { initialMeter, meterReducer } from './meter-reducer';
import { useListenerT } from './strings';
import { useLevelSync } from './useLevelSync';
import { useListenerKeys } from './useListenerKeys';

// The chart (uPlot) only loads when the session shows the listener a graph.
const ListenerGraph = lazy(() => import('./ListenerGraph').then((m) => ({ default: m.ListenerGraph })));
// The video player (and its sync engine) only loads in video sessions.
const ListenerVideo = lazy(() =>
  import('../video/ListenerVideo').then((m) => ({ default: m.ListenerVideo })),
);
// The discussion's turns (and its materials, with the upload client and the protocol's schemas)
// only load in discussion sessions: the level buttons of every other session do not wait for them.
const PhoneTurns = lazy(() => import('../discussion/PhoneTurns').then((m) => ({ default: m.PhoneTurns })));
const LiveTurnsList = lazy(() =>
  import('../discussion/PhoneTurns').then((m) => ({ default: m.LiveTurnsList })),
);

export interface ScreenProps {
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

/** The listener's screen for one session: header, meter, graph, questions, audience, footer. */
export function ListenerScreen({
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
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [pinnedSlot, setPinnedSlot] = useState<HTMLDivElement | null>(null);
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
  useLevelSync(meter, client, snapshot.status, store);

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
        onOpenSettings={() => setSettingsOpen(true)}
      />
      <div className="mx-auto flex w-full max-w-3xl flex-1 flex-col gap-3 px-3 py-3 sm:gap-4 sm:px-6 sm:py-5">
        <ProtocolMismatchBanner snapshot={connection} />
        <div ref={setPinnedSlot} className="contents" />
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
            {session.mode === 'video' && (
              <Suspense fallback={<div className="aspect-video w-full rounded-2xl bg-black" aria-hidden />}>
                <ListenerVideo
                  sessionId={session.id}
                  settings={session.settings.video}
                  client={client}
                  bearer={stored.participantToken}
                />
              </Suspense>
            )}
            <LevelMeter state={meter} dispatch={dispatch} disabled={!live} />
            {turns && (
              <Suspense fallback={null}>
                <PhoneTurns
                  session={session}
                  store={turns}
                  client={client}
                  myId={snapshot.myParticipantId}
                  participants={snapshot.participants}
                  nowT={store.nowT(now) ?? 0}
                  live={live}
                />
              </Suspense>
            )}
            {connection.pendingLevel !== null && connection.state !== 'open' && (
              <p className="text-sm text-muted" role="status" data-testid="level-pending">
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
        {turns && (
          <Suspense fallback={null}>
            <LiveTurnsList store={turns} />
          </Suspense>
        )}
        <ListenerQuestions
          sessionId={session.id}
          participantToken={stored.participantToken}
          client={client}
          enabled={session.settings.questionsEnabled}
          ended={ended}
          pinnedSlot={pinnedSlot}
        />
        <AudiencePanel
          hostName={session.hostName}
          anonymous={session.settings.anonymous}
          participants={snapshot.participants}
          myId={snapshot.myParticipantId}
        />
      </div>
      <ListenerFooter
        sessionId={session.id}
        participantToken={stored.participantToken}
        connection={connection}
        momentary={meter.style === 'momentary'}
        helpOpen={helpOpen}
        setHelpOpen={setHelpOpen}
        onErased={onErased}
      />
      <ListenerSettings
        open={settingsOpen}
        onClose={() => setSettingsOpen(false)}
        session={session}
        connection={connection}
        myName={myName}
        visibility={visibility}
      />
    </div>
  );
}
