import type { SessionMode, Turn } from '@rstream/protocol';
import { useEffect, useMemo, useState } from 'react';
import { formatAverage, formatDuration } from '../../ui/format';
import { isTypingTarget } from '../../ui/hooks';
import { bandOf, colourIndex, EDGE_COLOURS, type TurnBand } from './turn-bands';
import { turnsApi } from './turns-api';
import { useDiscussionT } from './strings';

/** A discussion's turns for the playback page (none in the other modes, or when unreadable). */
export function usePlaybackTurns(sessionId: string, mode: SessionMode): { turns: Turn[]; bands: TurnBand[] } {
  const [turns, setTurns] = useState<Turn[]>([]);
  useEffect(() => {
    if (mode !== 'discussion') return;
    let cancelled = false;
    turnsApi.list(sessionId).then(
      (r) => !cancelled && setTurns(r.turns),
      () => {},
    );
    return () => {
      cancelled = true;
    };
  }, [sessionId, mode]);
  const bands = useMemo(() => turns.map(bandOf), [turns]);
  return { turns, bands };
}

/** The turns under the playback graph: one button each (jump there), `[` / `]` for previous/next. */
export function PlaybackTurns({
  turns,
  now,
  onSeek,
}: {
  turns: readonly Turn[];
  now: number;
  onSeek: (t: number) => void;
}) {
  const t = useDiscussionT();
  const keys = useMemo(() => {
    const out: string[] = [];
    for (const x of turns) if (!out.includes(bandOf(x).key)) out.push(bandOf(x).key);
    return out;
  }, [turns]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || isTypingTarget(e.target)) return;
      if (e.key !== '[' && e.key !== ']') return;
      const target =
        e.key === ']'
          ? turns.find((x) => x.startT > now + 500)
          : [...turns].reverse().find((x) => x.startT < now - 1000);
      if (!target) return;
      e.preventDefault();
      onSeek(target.startT);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [turns, now, onSeek]);

  if (turns.length === 0) return null;
  return (
    <div className="mt-3" data-testid="playback-turns">
      <h3 className="mb-1 text-sm font-semibold text-muted">
        {t('d.playback.title')} ({t('d.playback.keys')})
      </h3>
      <ul className="flex flex-wrap gap-2">
        {turns.map((x) => {
          const here = now >= x.startT && now < (x.endT ?? Infinity);
          const colour = EDGE_COLOURS[colourIndex(bandOf(x).key, keys)];
          return (
            <li key={x.id}>
              <button
                type="button"
                onClick={() => onSeek(x.startT)}
                aria-label={t('d.playback.jump', { name: x.speaker, t: formatDuration(x.startT) })}
                aria-current={here ? 'true' : undefined}
                className={`inline-flex items-center gap-2 rounded-full border px-3 py-1 text-sm ${here ? 'border-slate-900 bg-slate-100 font-semibold' : 'border-line'}`}
                data-testid="playback-turn"
                data-speaker={x.speaker}
              >
                <span aria-hidden className="h-2.5 w-2.5 rounded-sm" style={{ background: colour }} />
                <span className="font-mono tabular-nums">{formatDuration(x.startT)}</span>
                {x.speaker}
                <span className="text-muted tabular-nums">{formatAverage(x.avg)}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
