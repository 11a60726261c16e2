import { useEffect, useRef } from 'react';
import { createPortal } from 'react-dom';
import type uPlot from 'uplot';
import { useI18n } from '../../app/i18n';
import { formatAverage } from '../../ui/format';
import { useViewportHeight } from '../../ui/hooks';
import { colorForAverage } from '../../ui/levels';
import { absoluteUrl, hostOf, useJoinQr } from './join-qr';
import { DegradedNotice } from './DegradedNotice';
import { SpeakerGraph } from './SpeakerGraph';
import type { SpeakerSnapshot, SpeakerStore } from './speaker-store';
import { useSpeakerT } from './strings';

interface Props {
  store: SpeakerStore;
  snapshot: SpeakerSnapshot;
  threshold: number | null;
  code: string;
  joinUrl: string;
  average: number | null;
  plugins?: uPlot.Plugin[];
  onExit: () => void;
}

/**
 * F11 on the speaker screen: what the room sees on the projector — the graph as large as the
 * screen allows, the join code and its QR code (while anyone can still join), nothing else.
 * Esc or F11 leaves it; the browser's own full screen is asked for too, where allowed.
 */
export function PresentationView({
  store,
  snapshot,
  threshold,
  code,
  joinUrl,
  average,
  plugins,
  onExit,
}: Props) {
  const { t } = useI18n();
  const st = useSpeakerT();
  const vh = useViewportHeight();
  const url = absoluteUrl(joinUrl);
  const qr = useJoinQr(url);
  const joinable = snapshot.status !== 'ended';
  const exitRef = useRef(onExit);
  useEffect(() => {
    exitRef.current = onExit;
  });

  // Full screen where the browser allows it; leaving it (the browser's own Esc) leaves the view.
  useEffect(() => {
    const el = document.documentElement;
    let entered = false;
    const onChange = () => {
      if (document.fullscreenElement) entered = true;
      else if (entered) exitRef.current();
    };
    document.addEventListener('fullscreenchange', onChange);
    if (!document.fullscreenElement && el.requestFullscreen)
      el.requestFullscreen().catch(() => {
        /* not allowed here (no gesture, or iframe): the in-app view is enough */
      });
    return () => {
      document.removeEventListener('fullscreenchange', onChange);
      if (document.fullscreenElement) void document.exitFullscreen().catch(() => {});
    };
  }, []);

  // In <body>, beside the (hidden) speaker screen it stands in for.
  return createPortal(
    <div
      role="region"
      aria-label={st('sp.present')}
      data-testid="presentation-view"
      className="fixed inset-0 z-40 flex flex-col gap-3 overflow-hidden bg-white p-4 text-ink"
    >
      <div className="flex min-h-0 flex-1 gap-6">
        <div className="flex min-w-0 flex-1 flex-col">
          <div className="mb-1 flex items-center gap-4">
            <span className="text-lg font-semibold text-muted">{t('speaker.average')}</span>
            <span
              aria-hidden
              className="h-5 w-5 rounded-full ring-2 ring-slate-300"
              style={{ background: colorForAverage(average) }}
            />
            <span className="text-5xl font-black tabular-nums" data-testid="presentation-average">
              {formatAverage(average)}
            </span>
          </div>
          {snapshot.degraded && <DegradedNotice compact />}
          <SpeakerGraph
            store={store}
            snapshot={snapshot}
            threshold={threshold}
            plugins={plugins}
            height={Math.max(260, vh - 150)}
          />
        </div>
        {joinable && (
          <aside className="flex w-[min(30vw,24rem)] shrink-0 flex-col items-center justify-center gap-4">
            <p className="text-center text-xl font-semibold text-muted">
              {st('sp.presentJoin', { host: hostOf(url) })}
            </p>
            <p
              data-testid="presentation-code"
              className="text-center font-mono text-6xl font-black tracking-[0.15em] xl:text-7xl"
              aria-label={code.split('').join(' ')}
            >
              {code}
            </p>
            {qr && (
              <img
                src={qr}
                alt={st('share.qrAlt', { url })}
                className="aspect-square w-full rounded-lg"
                data-testid="presentation-qr"
              />
            )}
          </aside>
        )}
      </div>
      <button
        type="button"
        onClick={onExit}
        className="absolute right-3 top-2 rounded-md px-2 py-1 text-sm text-muted hover:bg-slate-100"
        data-testid="presentation-exit"
        title={st('sp.presentHint')}
      >
        {st('sp.presentExit')} <kbd className="font-mono text-xs">Esc</kbd>
      </button>
    </div>,
    document.body,
  );
}
