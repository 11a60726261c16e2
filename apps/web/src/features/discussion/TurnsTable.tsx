import type { ReactNode } from 'react';
import type { Turn } from '@rstream/protocol';
import { formatAverage, formatDuration } from '../../ui/format';
import { useDiscussionT } from './strings';

/** A turn's change against the average before it: +0.40, −1.20, ±0.00, or – without one. */
export const signedDelta = (v: number | null) =>
  v === null ? '–' : `${v > 0 ? '+' : v < 0 ? '−' : '±'}${Math.abs(v).toFixed(2)}`;

/**
 * Every turn with its figures (#, speaker, start, length, avg, n, change): the live screens' list
 * and the report's. `start` draws the start cell (the report links it into the playback).
 */
export function TurnsTable({
  turns,
  testId,
  rowTestId,
  avgTestId,
  start = (x) => formatDuration(x.startT),
  startOnPhones = true,
}: {
  turns: readonly Turn[];
  testId?: string;
  rowTestId: string;
  avgTestId: string;
  start?: (turn: Turn) => ReactNode;
  /** false: the start column is left out on narrow screens */
  startOnPhones?: boolean;
}) {
  const t = useDiscussionT();
  const startClass = startOnPhones ? 'py-1 pr-2' : 'hidden py-1 pr-2 sm:table-cell';
  return (
    <table className="w-full text-sm" data-testid={testId}>
      <thead className="text-left text-muted">
        <tr>
          <th className="py-1 pr-2 font-semibold">#</th>
          <th className="py-1 pr-2 font-semibold">{t('d.list.speaker')}</th>
          <th className={`${startClass} font-semibold`}>{t('d.list.start')}</th>
          <th className="py-1 pr-2 font-semibold">{t('d.list.length')}</th>
          <th className="py-1 pr-2 text-right font-semibold">{t('d.list.avg')}</th>
          <th className="py-1 pr-2 text-right font-semibold">{t('d.list.n')}</th>
          <th className="py-1 text-right font-semibold">{t('d.list.delta')}</th>
        </tr>
      </thead>
      <tbody>
        {turns.map((x, i) => (
          <tr key={x.id} className="border-t border-line" data-testid={rowTestId} data-speaker={x.speaker}>
            <td className="py-1 pr-2 tabular-nums text-muted">{i + 1}</td>
            <td className="py-1 pr-2 font-semibold">{x.speaker}</td>
            <td className={`${startClass} tabular-nums`}>{start(x)}</td>
            <td className="py-1 pr-2 tabular-nums">
              {x.endT === null ? (
                <span className="font-semibold text-brand">{t('d.list.open')}</span>
              ) : (
                formatDuration(x.endT - x.startT)
              )}
            </td>
            <td className="py-1 pr-2 text-right font-bold tabular-nums" data-testid={avgTestId}>
              {formatAverage(x.avg)}
            </td>
            <td className="py-1 pr-2 text-right tabular-nums">{x.n}</td>
            <td className="py-1 text-right tabular-nums">{signedDelta(x.delta)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
