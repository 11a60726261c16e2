import { useEffect, useRef } from 'react';
import type { RealtimeClient } from '../../realtime/client';
import { useVideoT } from './strings';
import type { VideoSettings } from './types';
import { useSessionVideo, useVideoSync } from './useVideoSync';
import { FullscreenIcon, VideoPlayer } from './VideoPlayer';

/** Toggles full screen on `el` (F11 and the button): the video fills a phone held sideways. */
export function toggleFullscreen(el: HTMLElement | null): void {
  if (!el) return;
  if (document.fullscreenElement) void document.exitFullscreen().catch(() => {});
  else void el.requestFullscreen?.().catch(() => {});
}

/**
 * The listener's video: large (on a phone held sideways it takes the screen's height), kept in
 * sync with the group, with a clear "tap to join the video" when the browser will not play
 * without one. The meter and the keys stay the listener page's own.
 */
export function ListenerVideo({
  sessionId,
  settings,
  client,
  bearer,
}: {
  sessionId: string;
  settings: VideoSettings | undefined;
  client: RealtimeClient | null;
  bearer: string;
}) {
  const t = useVideoT();
  const { video } = useSessionVideo(sessionId, settings?.videoId, bearer);
  const mediaUrl = video?.status === 'ready' ? (video.mediaUrl ?? video.url) : null;
  const { sync, snapshot, ref } = useVideoSync(client, mediaUrl, true);
  const box = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'F11') return;
      e.preventDefault();
      toggleFullscreen(box.current);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  if (!settings?.videoId)
    return (
      <p className="rounded-2xl border border-line bg-white p-4 text-muted" data-testid="video-none">
        {t('v.none')}
      </p>
    );
  const needsTap = snapshot.viewerState === 'needs_tap';
  return (
    <section
      ref={box}
      className="relative mx-auto w-full overflow-hidden rounded-2xl bg-black shadow-sm [&:fullscreen]:rounded-none"
      style={{ maxWidth: 'calc(72dvh * 16 / 9)' }}
      aria-label={video?.title ?? t('v.report.title')}
      data-testid="listener-video"
      data-viewer-state={snapshot.viewerState}
      data-drift={snapshot.driftMs ?? ''}
    >
      <VideoPlayer
        videoRef={ref}
        className="aspect-video h-full w-full object-contain"
        needsTap={needsTap}
        onTap={() => sync?.tap()}
      />
      {snapshot.error && (
        <p role="alert" className="absolute inset-x-0 bottom-0 bg-red-900/90 px-3 py-2 text-white">
          {t('v.loadError')}
        </p>
      )}
      <div className="pointer-events-none absolute top-2 left-2 flex gap-2">
        {snapshot.viewerState !== 'playing' && !needsTap && (
          <span
            className="rounded-full bg-black/70 px-2.5 py-0.5 text-xs font-semibold text-white"
            role="status"
          >
            {t(`v.state.${snapshot.viewerState}`)}
          </span>
        )}
      </div>
      <button
        type="button"
        className="absolute right-2 bottom-2 rounded-lg bg-black/60 p-2 text-white hover:bg-black/80"
        aria-label={t('v.fullscreen')}
        title={t('v.fullscreen')}
        onClick={() => toggleFullscreen(box.current)}
        data-testid="video-fullscreen"
      >
        <FullscreenIcon />
      </button>
    </section>
  );
}
