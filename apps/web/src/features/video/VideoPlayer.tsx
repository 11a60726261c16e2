import type { Ref } from 'react';
import { useVideoT } from './strings';

/** The four-corners icon of the full-screen buttons. */
export function FullscreenIcon() {
  return (
    <svg
      viewBox="0 0 24 24"
      className="h-5 w-5"
      fill="none"
      stroke="currentColor"
      strokeWidth="2"
      aria-hidden
    >
      <path d="M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5" />
    </svg>
  );
}

/**
 * The `<video>` both screens show (facilitator and listener), with the "tap to join the video"
 * button over it while the browser will not play without a tap.
 */
export function VideoPlayer({
  videoRef,
  className,
  needsTap,
  onTap,
}: {
  videoRef: Ref<HTMLVideoElement>;
  className: string;
  needsTap: boolean;
  onTap: () => void;
}) {
  const t = useVideoT();
  return (
    <>
      <video
        ref={videoRef}
        className={className}
        playsInline
        preload="auto"
        disablePictureInPicture
        data-testid="video-element"
      />
      {needsTap && (
        <button
          type="button"
          onClick={onTap}
          className="absolute inset-0 flex flex-col items-center justify-center gap-2 bg-black/60 text-white"
          data-testid="video-tap"
        >
          <span className="flex items-center gap-3 rounded-full bg-brand px-6 py-4 text-xl font-bold shadow-lg">
            <svg viewBox="0 0 24 24" className="h-7 w-7" fill="currentColor" aria-hidden>
              <path d="M8 5v14l11-7z" />
            </svg>
            {t('v.tap')}
          </span>
          <span className="text-sm">{t('v.tapHint')}</span>
        </button>
      )}
    </>
  );
}
