import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { HistoryResponse, ServerMessage, Session } from '@rstream/protocol';
import { ApiError } from '../../api/client';
import { sessionsApi } from '../../api/endpoints';
import { errorMessage } from '../../api/errors';
import { speakerToken } from '../../app/auth';
import { useI18n } from '../../app/i18n';
import { Link, navigate, type Params } from '../../app/router';
import { useRealtime } from '../../realtime/useRealtime';
import { Alert } from '../../ui/Alert';
import { formatAverage } from '../../ui/format';
import { HelpDialog } from '../../ui/HelpDialog';
import { useDocumentTitle, useNow } from '../../ui/hooks';
import { QuestionsPanel } from '../questions/QuestionsPanel';
import { ParticipantsPanel } from './ParticipantsPanel';
import { SettingsDialog } from './SettingsDialog';
import { InviteButton } from '../invite/InviteButton';
import { ArchiveOpenDialog, useArchiveKey } from '../archive/ArchiveOpenDialog';
import { RecordingControl } from '../recording/RecordingControl';
import { useRecorder } from '../recording/useRecorder';
import { SharePanel } from './SharePanel';
import { SpeakerFooter } from './SpeakerFooter';
import { SpeakerGraph } from './SpeakerGraph';
import { SpeakerHeader } from './SpeakerHeader';
import { SpeakerStore } from './speaker-store';
import { useSpeakerKeys } from './useSpeakerKeys';
import { DegradedNotice } from './DegradedNotice';
import { PresentationView } from './PresentationView';
import { useSpeakerT } from './strings';
import { WarningBanner } from './WarningBanner';
import { ProtocolMismatchBanner } from '../../ui/ConnectionStatus';
import { FacilitatorPanel } from '../discussion/FacilitatorPanel';
import { LiveTurnsList } from '../discussion/PhoneTurns';
import { useTurns } from '../discussion/turns-store';
import { HostVideo, HostVideoGraph } from '../video/HostVideo';

type Load =
  | { kind: 'loading' }
  | { kind: 'ok'; session: Session; history: HistoryResponse | null }
  | { kind: 'error'; message: string };

/** `presenterToken`: an invited presenter's participant token (the presenter screen); the host's account otherwise. */
export function HostPage({ params, presenterToken }: { params: Params; presenterToken?: string }) {
  const { t } = useI18n();
  const id = params.id ?? '';
  const [load, setLoad] = useState<Load>({ kind: 'loading' });

  useEffect(() => {
    let cancelled = false;
    Promise.all([
      sessionsApi.get(id, presenterToken),
      sessionsApi.history(id, {}, presenterToken).catch(() => null),
    ]).then(
      ([session, history]) => !cancelled && setLoad({ kind: 'ok', session, history }),
      (err: unknown) => {
        if (cancelled) return;
        const missing = err instanceof ApiError && (err.status === 404 || err.status === 403);
        setLoad({ kind: 'error', message: missing ? t('speaker.notFound') : errorMessage(err, t) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [id, t, presenterToken]);

  if (load.kind === 'loading') return <p className="p-8 text-center text-muted">{t('common.loading')}</p>;
  if (load.kind === 'error') {
    return (
      <div className="mx-auto max-w-lg p-8">
        <Alert>{load.message}</Alert>
        <Link to="/sessions" className="mt-4 inline-block font-semibold text-accent underline">
          {t('nav.sessions')}
        </Link>
      </div>
    );
  }
  return (
    <HostScreen
      key={load.session.id}
      initialSession={load.session}
      history={load.history}
      presenterToken={presenterToken}
    />
  );
}

function HostScreen({
  initialSession,
  history,
  presenterToken,
}: {
  initialSession: Session;
  history: HistoryResponse | null;
  presenterToken?: string;
}) {
  const { t } = useI18n();
  const st = useSpeakerT();
  const [session, setSession] = useState(initialSession);
  const [store] = useState(() => {
    const s = new SpeakerStore(initialSession);
    if (history) s.loadHistory(history, initialSession.settings.warning);
    return s;
  });
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [presenting, setPresenting] = useState(false);
  const welcomes = useRef(0);
  const ended = snapshot.status === 'ended';
  // An ended session's figures come from its whole graph, not from who is still connected.
  const final = ended ? store.finalFigures() : null;
  const average = final ? final.finalAvg : store.currentAverage();
  useDocumentTitle(`${formatAverage(average)} · ${session.title}`);

  const refetchHistory = useCallback(() => {
    sessionsApi.history(session.id, {}, presenterToken).then(
      (h) => store.loadHistory(h, session.settings.warning),
      () => {},
    );
  }, [session.id, session.settings.warning, store, presenterToken]);

  const onMessage = useCallback(
    (msg: ServerMessage) => {
      store.handle(msg);
      // After a reconnect, fill the gap in the graph from the server's history.
      if (msg.type === 'welcome' && welcomes.current++ > 0) refetchHistory();
    },
    [store, refetchHistory],
  );
  const { client, snapshot: connection } = useRealtime(session.id, presenterToken ?? speakerToken, {
    onMessage,
    retryAuthOnce: true,
  });

  const turns = useTurns(session.id, session.mode, client, presenterToken); // discussion mode only
  const recorder = useRecorder(session.id, presenterToken, client);
  const archive = useArchiveKey(snapshot.status === 'live');

  const now = useNow(1000);
  const elapsedMs = store.nowT(now);
  const connected = snapshot.participants.filter((p) => p.connected).length;
  const participantCount = ended
    ? Math.max(session.participantCount, snapshot.participants.filter((p) => p.role === 'listener').length)
    : snapshot.participants.length
      ? connected
      : session.participantCount;
  // An upload still finishing after the end keeps its control in view.
  const recorderBusy =
    recorder.snapshot.phase !== 'idle' ||
    recorder.snapshot.uploads.some((u) => u.phase !== 'complete' && u.phase !== 'failed');

  const flash = (text: string) => {
    setNotice(text);
    setTimeout(() => setNotice((n) => (n === text ? null : n)), 4000);
  };

  const changeStatus = async (status: 'live' | 'ended') => {
    setBusy(true);
    setError(null);
    try {
      const updated = await sessionsApi.update(session.id, { status }, presenterToken);
      setSession(updated);
      store.handle({
        type: 'session:status',
        status: updated.status,
        startedAt: updated.startedAt,
        endsAt: updated.endsAt,
        endedAt: updated.endedAt,
      });
    } catch (err) {
      setError(errorMessage(err, t));
    } finally {
      setBusy(false);
    }
  };

  // A dialog (help, settings, archive) first leaves the presentation view.
  const leave =
    <A extends unknown[]>(f: (...a: A) => void) =>
    (...a: A) => {
      setPresenting(false);
      f(...a);
    };
  useSpeakerKeys({
    help: leave(() => setHelpOpen(true)),
    settings: leave(() => setSettingsOpen(!presenterToken && !ended)),
    present: () => setPresenting((p) => !p),
    escape: () => {
      if (!presenting) return false;
      setPresenting(false);
      return true;
    },
    archive: leave(() => !presenterToken && archive.open()),
    record: () =>
      (snapshot.status === 'live' || recorder.snapshot.phase !== 'idle') && recorder.controller.toggle(),
  });

  const videoLevels = useCallback(() => store.getSnapshot().levels, [store]);
  const fatal = connection.fatalCode;
  const threshold = session.settings.warning.enabled ? session.settings.warning.threshold : null;

  return (
    <div className="flex min-h-dvh flex-col" hidden={presenting}>
      {presenting && (
        <PresentationView
          store={store}
          snapshot={snapshot}
          threshold={threshold}
          code={session.code}
          joinUrl={session.joinUrl}
          average={average}
          plugins={turns ? [turns.plugin] : undefined}
          onExit={() => setPresenting(false)}
        />
      )}
      <SpeakerHeader
        session={session}
        snapshot={snapshot}
        elapsedMs={elapsedMs}
        average={average}
        final={final}
        participantCount={participantCount}
        busy={busy}
        onStart={() => void changeStatus('live')}
        onEnd={() => void changeStatus('ended')}
        recordingControl={
          (!ended || recorderBusy) && (
            <RecordingControl
              controller={recorder.controller}
              snapshot={recorder.snapshot}
              sessionStatus={snapshot.status}
              suggested={session.settings.recordingEnabled}
            />
          )
        }
      />
      <div className="grid flex-1 gap-4 p-4 lg:grid-cols-[minmax(0,1fr)_20rem] lg:px-6 xl:grid-cols-[minmax(0,1fr)_23rem]">
        <div className="flex min-w-0 flex-col gap-4">
          {error && <Alert>{error}</Alert>}
          {fatal !== null && (
            <Alert>
              {t(fatal === 4401 ? 'conn.fatal.4401' : fatal === 4403 ? 'conn.fatal.4403' : 'conn.fatal.4404')}{' '}
              {fatal === 4401 && (
                <Link to={`/login?next=/host/${session.id}`} className="font-semibold underline">
                  {t('nav.login')}
                </Link>
              )}
            </Alert>
          )}
          <ProtocolMismatchBanner snapshot={connection} />
          {session.mode === 'video' && (
            <HostVideo
              session={session}
              client={client}
              participants={snapshot.participants}
              presenterToken={presenterToken}
              onSession={setSession}
            />
          )}
          {turns && (
            <FacilitatorPanel
              session={session}
              store={turns}
              client={client}
              participants={snapshot.participants}
              levels={snapshot.levels}
              nowT={elapsedMs ?? 0}
              live={snapshot.status === 'live'}
            />
          )}
          <section
            aria-labelledby="graph-title"
            className={`rounded-2xl border bg-white p-4 shadow-sm ${snapshot.warningActive ? 'border-[#d55e00] ring-2 ring-[#d55e00]/40' : 'border-line'}`}
          >
            <div className="mb-2 flex flex-wrap items-center gap-x-4 gap-y-2">
              <h2 id="graph-title" className="text-lg font-bold">
                {t('speaker.graph.title')}
              </h2>
              {/* In the graph's own header row: a warning does not push the questions down. */}
              {snapshot.warningActive && (
                <WarningBanner avg={store.currentAverage() ?? snapshot.warningAvg} />
              )}
            </div>
            {snapshot.degraded && !ended && <DegradedNotice compact />}
            {session.mode === 'video' ? (
              <HostVideoGraph
                session={session}
                client={client}
                levels={videoLevels}
                participants={snapshot.participants}
                presenterToken={presenterToken}
              >
                <SpeakerGraph store={store} snapshot={snapshot} threshold={threshold} />
              </HostVideoGraph>
            ) : (
              <SpeakerGraph
                store={store}
                snapshot={snapshot}
                threshold={threshold}
                plugins={turns ? [turns.plugin] : undefined}
              />
            )}
          </section>
          {turns && <LiveTurnsList store={turns} />}
          <QuestionsPanel
            sessionId={session.id}
            client={client}
            enabled={session.settings.questionsEnabled}
            bearer={presenterToken}
            readOnly={ended}
          />
        </div>
        <aside className="flex min-w-0 flex-col gap-4">
          {/* Once the session has ended nobody can join: no code, no invitations. */}
          {snapshot.status !== 'ended' && <SharePanel code={session.code} joinUrl={session.joinUrl} />}
          {!presenterToken && snapshot.status !== 'ended' && <InviteButton sessionId={session.id} />}
          <ParticipantsPanel participants={snapshot.participants} levels={snapshot.levels} />
        </aside>
      </div>
      <SpeakerFooter
        connection={connection}
        notice={notice}
        onHelp={() => setHelpOpen(true)}
        ended={ended}
        endedAt={snapshot.endedAt}
        onSettings={() => setSettingsOpen(!presenterToken)}
        onArchive={() => (presenterToken ? navigate('/sessions') : archive.open())}
        reportHref={
          !presenterToken && snapshot.status === 'ended' ? `/archive/${session.id}/report` : undefined
        }
      />
      <ArchiveOpenDialog state={archive} />
      <HelpDialog
        open={helpOpen}
        onClose={() => setHelpOpen(false)}
        shortcuts={[
          { keys: ['F1'], label: t('help.f1') },
          { keys: ['S'], label: t('help.s') },
          { keys: ['A'], label: t('help.a') },
          { keys: ['R'], label: t('help.r') },
          { keys: ['F11'], label: st('help.f11') },
          { keys: ['Esc'], label: st('help.esc') },
        ]}
      />
      <SettingsDialog
        session={session}
        open={settingsOpen && !presenterToken && !ended}
        onClose={() => setSettingsOpen(false)}
        onSaved={(s) => {
          setSession(s);
          flash(t('speaker.settingsSaved'));
        }}
      />
    </div>
  );
}
