import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { Participant } from '@rstream/protocol';
import { useI18n } from '../../app/i18n';
import type { RealtimeClient } from '../../realtime/client';
import { Button } from '../../ui/Button';
import { formatDuration } from '../../ui/format';
import { isTypingTarget } from '../../ui/hooks';
import { participantLabel } from '../../ui/participant-label';
import { toggleFullscreen } from './ListenerVideo';
import { FullscreenIcon, VideoPlayer } from './VideoPlayer';
import { useVideoT } from './strings';
import { viewerSyncLabel, type ViewerSyncLabel } from './sync-engine';
import { isVideoViewers, type Video, type VideoSettings, type VideoViewersMessage } from './types';
import { useVideoSync } from './useVideoSync';

const RATES = [0.75, 1, 1.25, 1.5, 2];
const STEP_MS = 10_000;

const LABEL_STYLE: Record<ViewerSyncLabel, string> = {
  in_sync: 'bg-emerald-100 text-emerald-900',
  paused: 'bg-slate-100 text-slate-800',
  behind: 'bg-orange-100 text-orange-950',
  ahead: 'bg-orange-100 text-orange-950',
  buffering: 'bg-amber-100 text-amber-900',
  needs_tap: 'bg-red-100 text-red-900',
  loading: 'bg-slate-100 text-slate-700',
};

/** The latest `video:viewers` (host and presenters get it). */
function useViewers(client: RealtimeClient | null): VideoViewersMessage | null {
  const [v, setV] = useState<VideoViewersMessage | null>(null);
  useEffect(() => {
    if (!client) return;
    const early = client.lastMessage('video:viewers');
    if (early) setV(early);
    return client.onMessage((m) => {
      if (isVideoViewers(m)) setV(m);
    });
  }, [client]);
  return v;
}

interface Props {
  settings: VideoSettings | undefined;
  video: Video | null;
  client: RealtimeClient | null;
  participants: readonly Participant[];
  /** shown while the session has no video: the library (host) or the provider's add form */
  picker?: ReactNode;
  /** called once with the duration the element read, when the server did not know it */
  onDuration?: (ms: number) => void;
}

/**
 * The facilitator's video: it plays here in sync like everyone's, and its controls drive the
 * group (`video:control` → the server's `video:state` to all). Beside it: each viewer's sync
 * state and how many are ready, so play is pressed when the room is.
 */
export function FacilitatorVideo({ settings, video, client, participants, picker, onDuration }: Props) {
  const vt = useVideoT();
  const { t } = useI18n();
  const mediaUrl = video?.status === 'ready' ? (video.mediaUrl ?? video.url) : null;
  const { sync, snapshot, ref } = useVideoSync(client, mediaUrl, false);
  const viewers = useViewers(client);
  const box = useRef<HTMLDivElement>(null);
  const [scrub, setScrub] = useState<number | null>(null);
  const group = snapshot.group;
  const playing = group?.playing ?? false;
  const durationMs = snapshot.durationMs ?? video?.durationMs ?? null;
  const told = useRef(false);
  useEffect(() => {
    if (!onDuration || told.current || snapshot.durationMs === null) return;
    told.current = true;
    onDuration(snapshot.durationMs);
  }, [onDuration, snapshot.durationMs]);
  const position = scrub ?? snapshot.positionMs;

  const control = (action: 'play' | 'pause' | 'seek' | 'rate', positionMs?: number, rate?: number) => {
    if (!sync) return;
    if (action === 'play') sync.unlockHere(); // this click is the gesture the browser wants
    sync.control(action, positionMs ?? sync.groupPositionMs(), rate);
  };
  const step = (dir: 1 | -1) => {
    if (!sync) return;
    const to = sync.groupPositionMs() + dir * STEP_MS;
    control('seek', Math.max(0, durationMs ? Math.min(durationMs, to) : to));
  };

  const keys = useRef({ toggle: () => {}, step: (_d: 1 | -1) => {} });
  useEffect(() => {
    keys.current = { toggle: () => control(playing ? 'pause' : 'play'), step };
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTypingTarget(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
      if (document.querySelector('dialog[open]')) return;
      if (e.target instanceof HTMLInputElement || e.target instanceof HTMLButtonElement) return;
      if (e.key === ' ') {
        e.preventDefault();
        keys.current.toggle();
      } else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
        e.preventDefault();
        keys.current.step(e.key === 'ArrowLeft' ? -1 : 1);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const names = new Map(participants.map((p) => [p.participantId, participantLabel(p, t)]));

  if (!settings?.videoId || !video)
    return (
      <section
        className="rounded-2xl border border-line bg-white p-4 shadow-sm"
        data-testid="facilitator-video"
      >
        <h2 className="mb-2 text-lg font-bold">{vt('v.which.legend')}</h2>
        <p className="mb-3 text-muted">{vt('v.none')}</p>
        {picker}
      </section>
    );

  return (
    <section
      className="grid gap-4 rounded-2xl border border-line bg-white p-4 shadow-sm xl:grid-cols-[minmax(0,1fr)_17rem]"
      data-testid="facilitator-video"
      data-playing={playing}
    >
      <div className="flex min-w-0 flex-col gap-2">
        <div ref={box} className="relative overflow-hidden rounded-xl bg-black">
          <VideoPlayer
            videoRef={ref}
            className="aspect-video max-h-[55dvh] w-full object-contain"
            needsTap={snapshot.viewerState === 'needs_tap'}
            onTap={() => sync?.tap()}
          />
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <Button
            onClick={() => control(playing ? 'pause' : 'play')}
            disabled={!sync || !group}
            data-testid="video-play"
            data-playing={playing}
            className="min-w-44"
          >
            {playing ? `❚❚ ${vt('v.ctl.pause')}` : `▶ ${vt('v.ctl.play')}`}
          </Button>
          <Button
            variant="secondary"
            onClick={() => step(-1)}
            disabled={!group}
            aria-label={vt('v.ctl.back')}
            data-testid="video-back"
          >
            −10 s
          </Button>
          <Button
            variant="secondary"
            onClick={() => step(1)}
            disabled={!group}
            aria-label={vt('v.ctl.fwd')}
            data-testid="video-fwd"
          >
            +10 s
          </Button>
          <label className="ml-auto flex items-center gap-2 text-sm font-semibold">
            {vt('v.ctl.rate')}
            <select
              className="rounded-lg border border-slate-400 bg-white px-2 py-1.5"
              value={group?.rate ?? 1}
              onChange={(e) => control('rate', undefined, Number(e.target.value))}
              data-testid="video-rate"
            >
              {RATES.map((r) => (
                <option key={r} value={r}>
                  {r}×
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            className="rounded-lg border border-slate-400 p-2 hover:bg-slate-100"
            aria-label={vt('v.fullscreen')}
            onClick={() => toggleFullscreen(box.current)}
          >
            <FullscreenIcon />
          </button>
        </div>
        <div className="flex items-center gap-3">
          <span className="w-14 text-right font-mono text-sm tabular-nums" data-testid="video-position">
            {formatDuration(position)}
          </span>
          <input
            type="range"
            className="flex-1 accent-[var(--color-brand)]"
            min={0}
            max={Math.max(1, Math.round(durationMs ?? 0))}
            step={100}
            value={Math.round(position)}
            aria-label={vt('v.ctl.seek')}
            onChange={(e) => setScrub(Number(e.target.value))}
            onPointerUp={() => scrub !== null && (control('seek', scrub), setScrub(null))}
            onKeyUp={() => scrub !== null && (control('seek', scrub), setScrub(null))}
            data-testid="video-seek"
          />
          <span className="w-14 font-mono text-sm text-muted tabular-nums">
            {durationMs !== null ? formatDuration(durationMs) : '–'}
          </span>
        </div>
        <p className="text-sm text-muted">{vt('v.ctl.hint')}</p>
      </div>
      <aside
        aria-labelledby="viewers-title"
        className="flex min-w-0 flex-col gap-2"
        data-testid="video-viewers"
      >
        <h3 id="viewers-title" className="flex items-baseline justify-between gap-2 font-bold">
          {vt('v.viewers.title')}
          <span
            className="rounded-full bg-slate-100 px-2.5 py-0.5 text-sm tabular-nums"
            data-testid="viewers-ready"
            data-ready={viewers?.ready ?? 0}
            data-total={viewers?.total ?? 0}
          >
            {vt('v.viewers.ready', { ready: viewers?.ready ?? 0, total: viewers?.total ?? 0 })}
          </span>
        </h3>
        {!viewers || viewers.viewers.length === 0 ? (
          <p className="text-sm text-muted">{vt('v.viewers.none')}</p>
        ) : (
          <ul className="flex max-h-80 flex-col gap-1 overflow-y-auto" aria-live="polite">
            {viewers.viewers.map((v) => {
              const label = viewerSyncLabel(v);
              return (
                <li
                  key={v.participantId}
                  className="flex items-center gap-2 text-sm"
                  data-testid="viewer-row"
                  data-label={label}
                >
                  <span className="min-w-0 flex-1 truncate">
                    {names.get(v.participantId) ?? v.name ?? '?'}
                  </span>
                  {v.driftMs !== null && label !== 'needs_tap' && label !== 'loading' && (
                    <span className="font-mono text-xs text-muted tabular-nums">
                      {vt('v.viewers.drift', { ms: (v.driftMs > 0 ? '+' : '') + Math.round(v.driftMs) })}
                    </span>
                  )}
                  <span className={`rounded-full px-2 py-0.5 text-xs font-bold ${LABEL_STYLE[label]}`}>
                    {vt(`v.label.${label}`)}
                  </span>
                </li>
              );
            })}
          </ul>
        )}
      </aside>
    </section>
  );
}
