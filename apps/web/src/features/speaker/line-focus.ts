import type uPlot from 'uplot';

export interface LineFocus {
  /** uPlot series index (1-based) of the listener's line */
  series: number;
  /** data index under the cursor */
  idx: number;
}

const HIGHLIGHT = '#0b4f8a';

/**
 * The speaker graph's per-listener lines: the line nearest the pointer (mouse hover, or a tap
 * on a touch screen) is reported (to name its listener) and drawn over the others, dark and
 * thick. The chart's x range is written to the root as data-x-max (seconds), for tests and tools.
 */
export function lineFocusPlugin(opts: {
  isLine: (seriesIdx: number) => boolean;
  onFocus: (focus: LineFocus | null) => void;
  /** an ended session: the x axis runs exactly from the start to the last point (the end) */
  exactX?: boolean;
}): uPlot.Plugin {
  let focused: number | null = null;
  let last = '';
  const report = (u: uPlot) => {
    const idx = u.cursor.idx;
    const f =
      focused !== null && opts.isLine(focused) && idx !== null && idx !== undefined
        ? { series: focused, idx }
        : null;
    const key = f ? `${f.series}:${f.idx}` : '';
    if (key === last) return;
    last = key;
    opts.onFocus(f);
  };
  return {
    opts: (_u, o) => {
      if (!opts.exactX) return;
      o.scales = { ...o.scales, x: { ...o.scales?.x, range: (_p, _min, max) => [0, Math.max(1, max ?? 0)] } };
    },
    hooks: {
      init: (u) => {
        // Touch: a tap moves the cursor there, which focuses the nearest line (uPlot follows the mouse only).
        u.over.addEventListener('pointerdown', (e) => {
          if (e.pointerType === 'mouse') return;
          u.setCursor({ left: e.offsetX, top: e.offsetY });
        });
      },
      setScale: (u, key) => {
        if (key === 'x') u.root.dataset.xMax = String(u.scales.x?.max ?? '');
      },
      setSeries: (u, idx, o) => {
        // uPlot passes {focus} here although the typings say Series.
        const focus = (o as { focus?: boolean }).focus;
        if (idx === null) focused = null;
        else if (focus !== undefined) focused = focus ? idx : null;
        report(u);
      },
      setCursor: (u) => report(u),
      draw: (u) => {
        if (focused === null || !opts.isLine(focused)) return;
        const xs = u.data[0];
        const ys = u.data[focused] as (number | null | undefined)[] | undefined;
        if (!ys) return;
        const { ctx } = u;
        const { left, top, width, height } = u.bbox;
        ctx.save();
        ctx.beginPath();
        ctx.rect(left, top, width, height);
        ctx.clip();
        ctx.strokeStyle = HIGHLIGHT;
        ctx.lineWidth = 3.5 * devicePixelRatio;
        ctx.lineJoin = 'round';
        ctx.beginPath();
        let open = false;
        for (let i = 0; i < xs.length; i++) {
          const y = ys[i];
          if (y === null || y === undefined) {
            open = false;
            continue;
          }
          const px = u.valToPos(xs[i] as number, 'x', true);
          const py = u.valToPos(y, 'y', true);
          if (!open) ctx.moveTo(px, py);
          else ctx.lineTo(px, py);
          open = true;
          // stepped: the level holds until the next point
          const next = xs[i + 1];
          if (next !== undefined) ctx.lineTo(u.valToPos(next, 'x', true), py);
        }
        ctx.stroke();
        ctx.restore();
      },
    },
  };
}
