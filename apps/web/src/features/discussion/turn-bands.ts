import type uPlot from 'uplot';

export interface TurnBand {
  /** ms since the start */
  from: number;
  /** null while the turn runs */
  to: number | null;
  label: string;
  /** the same speaker keeps the same colour */
  key: string;
}

/** A turn as a band: the same speaker (participant, or name) keeps one colour. */
export function bandOf(t: {
  startT: number;
  endT?: number | null;
  speaker: string;
  participantId: string | null;
}): TurnBand {
  return { from: t.startT, to: t.endT ?? null, label: t.speaker, key: t.participantId ?? t.speaker };
}

/** Okabe–Ito, colour-blind safe, light enough for the lines drawn on top. */
const FILLS = [
  'rgba(0, 114, 178, 0.13)',
  'rgba(230, 159, 0, 0.18)',
  'rgba(0, 158, 115, 0.15)',
  'rgba(204, 121, 167, 0.17)',
  'rgba(86, 180, 233, 0.2)',
  'rgba(213, 94, 0, 0.13)',
];
export const EDGE_COLOURS = ['#0072b2', '#b07a00', '#007a59', '#a4508a', '#2f87b8', '#a84a00'];

export function colourIndex(key: string, keys: string[]): number {
  const i = keys.indexOf(key);
  return (i < 0 ? keys.length : i) % FILLS.length;
}

/** Draws the turns as labelled bands behind the lines (read on every draw). */
export function turnBandsPlugin(getBands: () => readonly TurnBand[]): uPlot.Plugin {
  return {
    hooks: {
      drawClear: (u: uPlot) => {
        const bands = getBands();
        const drawn: string[] = [];
        // What was drawn, for people's tools and the browser tests (the canvas itself is opaque).
        const mark = () => (u.root.dataset.turnBands = drawn.join('|'));
        if (!bands.length) return mark();
        const { ctx } = u;
        const { left, top, width, height } = u.bbox;
        const xs = u.data[0];
        const xMax = xs.length ? (xs[xs.length - 1] as number) : 0;
        const keys: string[] = [];
        for (const b of bands) if (!keys.includes(b.key)) keys.push(b.key);
        const px = devicePixelRatio;
        ctx.save();
        ctx.font = `${12 * px}px system-ui, sans-serif`;
        ctx.textBaseline = 'top';
        for (const b of bands) {
          const x0 = Math.max(left, u.valToPos(b.from / 1000, 'x', true));
          const x1 = Math.min(left + width, u.valToPos((b.to ?? xMax * 1000) / 1000, 'x', true));
          if (x1 <= x0) continue;
          drawn.push(b.label);
          const c = colourIndex(b.key, keys);
          ctx.fillStyle = FILLS[c]!;
          ctx.fillRect(x0, top, Math.max(2, x1 - x0), height);
          ctx.fillStyle = EDGE_COLOURS[c]!;
          ctx.fillRect(x0, top, 2 * px, height);
          const room = x1 - x0 - 6 * px;
          if (room > 16 * px) {
            let text = b.label;
            while (text.length > 1 && ctx.measureText(text).width > room) text = text.slice(0, -1);
            if (text !== b.label) text = `${text.slice(0, -1)}…`;
            ctx.fillText(text, x0 + 5 * px, top + 3 * px);
          }
        }
        ctx.restore();
        mark();
      },
    },
  };
}
