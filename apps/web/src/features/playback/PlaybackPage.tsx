import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useI18n } from '../../app/i18n';
import { Link, useLocation, type Params } from '../../app/router';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { PlaybackTurns, usePlaybackTurns } from '../discussion/PlaybackTurns';
import { formatAverage, formatDateTime, formatDuration } from '../../ui/format';
import { useDocumentTitle } from '../../ui/hooks';
import { formatTimeParam, mediaParts, parseTimeParam, partAt, sessionToMedia } from './media-map';
import { chaptersVtt, type KeyMoment } from './playback-api';
import { MOMENT_COLORS } from './playback-plugin';
import { PlaybackGraph } from './PlaybackGraph';
import { PlaybackQuestions } from './PlaybackQuestions';
import { Player } from './player';
import { usePlaybackT, type PbT } from './strings';
import {
  neighbourMoment,
  usePlaybackData,
  usePlaybackKeys,
  usePlayerTime,
  useReportMarkers,
  type PlaybackData,
} from './usePlayback';

/** /archive/:sessionId — the recording with the graph and the questions in sync (`?t=mm:ss`). */
export function PlaybackPage({ params }: { params: Params }) {
  const pt = usePlaybackT();
  const id = params.sessionId ?? '';
  const load = usePlaybackData(id);
  if (load.kind === 'loading') return <p className="p-8 text-center text-muted">{pt('pb.loading')}</p>;
  if (load.kind === 'error') {
    return (
      <div className="mx-auto max-w-lg p-8">
        <Alert>{load.notFound ? pt('pb.notFound') : load.message}</Alert>
        <Link to="/archive" className="mt-4 inline-block font-semibold text-accent underline">
          {pt('pb.back')}
        </Link>
      </div>
    );
  }
  return <PlaybackScreen key={load.data.session.id} data={load.data} />;
}

function momentLabel(m: KeyMoment, pt: PbT): string {
  const kind = pt(`pb.moment.${m.kind}`);
  const avg =
    m.fromAvg != null && m.toAvg != null
      ? ` (${pt('pb.momentAvg', { from: formatAverage(m.fromAvg), to: formatAverage(m.toAvg) })})`
      : '';
  return `${kind}${avg}${m.note ? ` — ${m.note}` : ''}`;
}

function PlaybackScreen({ data }: { data: PlaybackData }) {
  const pt = usePlaybackT();
  const { lang } = useI18n();
  const { session } = data;
  const location = useLocation();
  const parts = useMemo(() => mediaParts(data.recordings), [data.recordings]);
  const [player] = useState(() => new Player(parts, data.endT));
  useEffect(() => () => player.destroy(), [player]);
  const markers = useReportMarkers(session.id);
  const moments = markers.keyMoments;
  const discussion = usePlaybackTurns(session.id, session.mode);
  const { t: now, playing } = usePlayerTime(player);
  const [copied, setCopied] = useState(false);
  useDocumentTitle(session.title);

  const [part, setPart] = useState(player.currentPart);
  useEffect(() => player.onState(() => setPart(player.currentPart)), [player]);

  // ?t= opens at that moment (session time).
  const initialT = useRef(parseTimeParam(location.search.get('t')));
  const attach = useCallback(
    (el: HTMLVideoElement | null) => {
      player.attach(el);
      if (el) setPart(player.currentPart);
      const t0 = initialT.current;
      if (t0 !== null) {
        initialT.current = null;
        void player.seek(t0);
      }
    },
    [player],
  );
  useEffect(() => {
    if (parts.length === 0 && initialT.current !== null) {
      void player.seek(initialT.current);
      initialT.current = null;
    }
  }, [parts.length, player]);

  const seek = useCallback((t: number) => void player.seek(t), [player]);
  const keys = useMemo(
    () => ({
      toggle: () => player.toggle(),
      prev: () => {
        const m = neighbourMoment(moments, player.currentT(), -1);
        if (m) seek(m.startT);
      },
      next: () => {
        const m = neighbourMoment(moments, player.currentT(), 1);
        if (m) seek(m.startT);
      },
    }),
    [player, moments, seek],
  );
  usePlaybackKeys(keys);

  // WebVTT chapters for the part on screen: the key moments inside it, in its media time.
  const chapters = useMemo(() => {
    if (!part || moments.length === 0) return null;
    const vtt = chaptersVtt(
      moments,
      (t) => sessionToMedia(part, t),
      (t) => t >= part.offsetMs && t < part.endT,
      (m) => momentLabel(m, pt),
    );
    return URL.createObjectURL(new Blob([vtt], { type: 'text/vtt' }));
  }, [part, moments, pt]);
  useEffect(() => () => void (chapters && URL.revokeObjectURL(chapters)), [chapters]);

  const gap = parts.length > 0 ? partAt(parts, now) : null;
  const partIndex = part ? parts.indexOf(part) : -1;
  const processing = data.recordings.some((r) => r.status === 'processing' || r.status === 'recording');
  const failed = data.recordings.some((r) => r.status === 'failed');
  const threshold = session.settings.warning.enabled ? session.settings.warning.threshold : null;

  const copyLink = async () => {
    const url = `${window.location.origin}/archive/${session.id}?t=${formatTimeParam(player.currentT())}`;
    try {
      await navigator.clipboard.writeText(url);
      setCopied(true);
      setTimeout(() => setCopied(false), 2500);
    } catch {
      window.prompt(pt('pb.copyLink', { time: formatDuration(player.currentT()) }), url);
    }
  };

  return (
    <div className="mx-auto max-w-7xl px-4 py-6" data-testid="playback-page">
      <Link to="/archive" className="text-sm font-semibold text-accent hover:underline">
        {pt('pb.back')}
      </Link>
      <h1 className="mt-1 text-2xl font-bold sm:text-3xl" data-testid="playback-title">
        {session.title}
      </h1>
      <p className="mb-3 text-sm text-muted">
        {formatDateTime(session.startedAt, lang)} · {formatDuration(data.endT)} · {session.hostName}
      </p>
      {session.status !== 'ended' && (
        <div className="mb-3">
          <Alert kind="info" testId="playback-not-ended">
            {pt('pb.notEnded')}{' '}
            <Link to={`/host/${session.id}`} className="font-semibold underline">
              {pt('pb.openLive')}
            </Link>
          </Alert>
        </div>
      )}
      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="flex min-w-0 flex-col gap-4">
          {parts.length > 0 ? (
            <div className="relative overflow-hidden rounded-2xl bg-black shadow-sm">
              <video
                ref={attach}
                controls
                playsInline
                preload="metadata"
                className="aspect-video max-h-[42vh] w-full bg-black object-contain"
                data-testid="playback-video"
                data-part={part?.recordingId ?? ''}
              >
                {chapters && (
                  <track
                    key={chapters}
                    kind="chapters"
                    src={chapters}
                    srcLang={lang}
                    label={pt('pb.moments')}
                    default
                  />
                )}
              </video>
              {parts.length > 1 && partIndex >= 0 && (
                <span className="pointer-events-none absolute left-3 top-3 rounded-md bg-black/70 px-2 py-1 text-xs font-semibold text-white">
                  {pt('pb.parts', { n: partIndex + 1, total: parts.length })}
                </span>
              )}
              {gap?.gap && (
                <span className="pointer-events-none absolute inset-x-0 top-1/3 mx-auto w-fit rounded-lg bg-black/75 px-4 py-2 text-white">
                  {pt('pb.gap', { time: formatDuration(parts[gap.index]?.offsetMs ?? 0) })}
                </span>
              )}
            </div>
          ) : (
            <Alert kind="info" testId="playback-no-recording">
              {processing ? pt('pb.recordingProcessing') : pt('pb.noRecording')}
            </Alert>
          )}
          {failed && <Alert kind="error">{pt('pb.recordingFailed')}</Alert>}
        </div>
        <PlaybackQuestions questions={data.questions} cursorT={now} onSeek={seek} />
        <div className="flex min-w-0 flex-col gap-3 lg:col-span-2">
          <div className="flex flex-wrap items-center gap-3">
            <Button onClick={() => player.toggle()} data-testid="playback-toggle" aria-pressed={playing}>
              {playing ? `❚❚ ${pt('pb.pause')}` : `▶ ${pt('pb.play')}`}
            </Button>
            <span
              className="font-mono text-lg tabular-nums"
              data-testid="playback-time"
              data-t={Math.round(now)}
            >
              {pt('pb.of', { time: formatDuration(now), total: formatDuration(data.endT) })}
            </span>
            <Button variant="secondary" size="sm" onClick={() => void copyLink()}>
              {copied ? pt('pb.copied') : pt('pb.copyLink', { time: formatDuration(now) })}
            </Button>
            <span className="ml-auto text-xs text-muted">{pt('pb.keys')}</span>
          </div>

          <section
            aria-labelledby="pb-graph"
            className="rounded-2xl border border-line bg-white p-4 shadow-sm"
          >
            <h2 id="pb-graph" className="text-lg font-bold">
              {pt('pb.graphTitle')}
            </h2>
            <p className="mb-2 text-sm text-muted">{pt('pb.graphHint')}</p>
            <PlaybackGraph
              timeline={data.timeline}
              player={player}
              moments={moments}
              parts={parts}
              threshold={threshold}
              onSeek={(t) => seek(t)}
              turnBands={discussion.bands}
            />
            <PlaybackTurns turns={discussion.turns} now={now} onSeek={seek} />
            <KeyMoments moments={moments} now={now} onSeek={seek} pt={pt} />
          </section>
        </div>
      </div>
    </div>
  );
}

function KeyMoments({
  moments,
  now,
  onSeek,
  pt,
}: {
  moments: KeyMoment[];
  now: number;
  onSeek: (t: number) => void;
  pt: PbT;
}) {
  return (
    <div className="mt-3" data-testid="key-moments">
      <h3 className="mb-1 text-sm font-semibold text-muted">{pt('pb.moments')} (J/K)</h3>
      {moments.length === 0 ? (
        <p className="text-sm text-muted">{pt('pb.momentsNone')}</p>
      ) : (
        <ul className="flex flex-wrap gap-2">
          {moments.map((m) => {
            const here = now >= m.startT && now <= m.endT;
            return (
              <li key={m.id}>
                <button
                  type="button"
                  onClick={() => onSeek(m.startT)}
                  className={`inline-flex items-center gap-2 rounded-full border px-3 py-1 text-sm ${here ? 'border-slate-900 bg-slate-100 font-semibold' : 'border-line'}`}
                  data-testid="key-moment"
                >
                  <span
                    aria-hidden
                    className="h-2.5 w-2.5 rounded-full"
                    style={{ background: MOMENT_COLORS[m.kind] }}
                  />
                  <span className="font-mono tabular-nums">{formatDuration(m.startT)}</span>
                  {momentLabel(m, pt)}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
