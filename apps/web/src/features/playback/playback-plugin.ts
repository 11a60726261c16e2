import type uPlot from 'uplot';
import type { MediaPart } from './media-map';
import type { KeyMoment } from './playback-api';

export const MOMENT_COLORS: Record<KeyMoment['kind'], string> = {
  drop: '#d55e00',
  low: '#cc79a7',
  recovery: '#009e73',
  peak: '#0072b2',
};

export interface PlaybackPluginOptions {
  cursorT: () => number;
  moments: () => readonly KeyMoment[];
  parts: () => readonly MediaPart[];
  /** A click or a drag on the plot: session time in ms; `final` on release. */
  onSeek: (t: number, final: boolean) => void;
}

/** Handle the graph keeps to move the cursor on every video frame without redrawing the chart. */
export interface CursorHandle {
  update(): void;
}

/**
 * The graph as the scrubber: a cursor line following playback (a DOM element moved per frame,
 * the canvas is not redrawn), the recorded spans shaded, key moments as coloured bands with a
 * flag, and pointer input (click or drag) mapped to session time.
 */
export function playbackPlugin(
  opts: PlaybackPluginOptions,
  handle: { current: CursorHandle | null },
): uPlot.Plugin {
  let cursor: HTMLDivElement | null = null;
  let plot: uPlot | null = null;
  const place = () => {
    if (!cursor || !plot) return;
    const x = plot.valToPos(opts.cursorT() / 1000, 'x');
    cursor.style.transform = `translateX(${Math.round(x)}px)`;
    cursor.style.display = Number.isFinite(x) && x >= 0 && x <= plot.over.clientWidth ? 'block' : 'none';
  };
  return {
    hooks: {
      init: (u) => {
        plot = u;
        cursor = document.createElement('div');
        cursor.setAttribute('data-testid', 'playback-cursor');
        cursor.className = 'pointer-events-none absolute top-0 z-[5] h-full w-0.5 bg-slate-900';
        cursor.style.left = '0';
        const knob = document.createElement('div');
        knob.className = 'absolute -left-[5px] -top-1 h-3 w-3 rounded-full bg-slate-900';
        cursor.appendChild(knob);
        u.over.appendChild(cursor);
        u.over.style.cursor = 'pointer';
        let dragging = false;
        const timeAt = (e: PointerEvent) => {
          const rect = u.over.getBoundingClientRect();
          const x = Math.min(Math.max(0, e.clientX - rect.left), rect.width);
          return Math.max(0, u.posToVal(x, 'x') * 1000);
        };
        u.over.addEventListener('pointerdown', (e) => {
          if (e.button !== 0) return;
          dragging = true;
          u.over.setPointerCapture?.(e.pointerId);
          opts.onSeek(timeAt(e), false);
        });
        u.over.addEventListener('pointermove', (e) => {
          if (dragging) opts.onSeek(timeAt(e), false);
        });
        const end = (e: PointerEvent) => {
          if (!dragging) return;
          dragging = false;
          opts.onSeek(timeAt(e), true);
        };
        u.over.addEventListener('pointerup', end);
        u.over.addEventListener('pointercancel', end);
        handle.current = { update: place };
      },
      ready: [() => place()],
      setSize: [() => place()],
      draw: [
        (u) => {
          const { ctx } = u;
          const { top, height } = u.bbox;
          const px = (t: number) => u.valToPos(t / 1000, 'x', true);
          ctx.save();
          // Recorded spans: a strip along the bottom of the plot.
          ctx.fillStyle = 'rgba(15, 23, 42, 0.55)';
          const strip = 4 * devicePixelRatio;
          for (const p of opts.parts()) {
            const x0 = px(p.offsetMs);
            const x1 = px(p.endT);
            ctx.fillRect(x0, top + height - strip, Math.max(1, x1 - x0), strip);
          }
          for (const m of opts.moments()) {
            const x0 = px(m.startT);
            const x1 = Math.max(x0 + 2, px(m.endT));
            ctx.globalAlpha = 0.14;
            ctx.fillStyle = MOMENT_COLORS[m.kind];
            ctx.fillRect(x0, top, x1 - x0, height);
            ctx.globalAlpha = 1;
            const s = 7 * devicePixelRatio;
            ctx.beginPath();
            ctx.moveTo(x0, top);
            ctx.lineTo(x0 + s, top);
            ctx.lineTo(x0, top + s * 1.4);
            ctx.closePath();
            ctx.fill();
          }
          ctx.restore();
          place();
        },
      ],
      destroy: [
        () => {
          handle.current = null;
          plot = null;
          cursor = null;
        },
      ],
    },
  };
}
