import type { SpeakerTotal, Turn } from '@rstream/protocol';
import { formatAverage, formatDuration } from '../../ui/format';
import { useDiscussionT } from './strings';

const signed = (v: number | null) =>
  v === null ? '–' : `${v > 0 ? '+' : v < 0 ? '−' : '±'}${Math.abs(v).toFixed(2)}`;

/** Every turn with its figures, then the per-speaker totals. */
export function TurnsList({
  turns,
  speakers,
  reactionLagMs,
  showTotals = true,
}: {
  turns: readonly Turn[];
  speakers: readonly SpeakerTotal[];
  reactionLagMs: number;
  showTotals?: boolean;
}) {
  const t = useDiscussionT();
  const byId = new Map(turns.map((x, i) => [x.id, i + 1]));
  return (
    <section
      aria-labelledby="turns-title"
      className="rounded-2xl border border-line bg-white p-3 shadow-sm sm:p-4"
      data-testid="turns-list"
    >
      <h2 id="turns-title" className="mb-2 text-base font-bold">
        {t('d.list.title')}
      </h2>
      {turns.length === 0 ? (
        <p className="text-sm text-muted">{t('d.list.empty')}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-sm">
            <thead className="text-left text-muted">
              <tr>
                <th className="py-1 pr-2 font-semibold">#</th>
                <th className="py-1 pr-2 font-semibold">{t('d.list.speaker')}</th>
                <th className="hidden py-1 pr-2 font-semibold sm:table-cell">{t('d.list.start')}</th>
                <th className="py-1 pr-2 font-semibold">{t('d.list.length')}</th>
                <th className="py-1 pr-2 text-right font-semibold">{t('d.list.avg')}</th>
                <th className="py-1 pr-2 text-right font-semibold">{t('d.list.n')}</th>
                <th className="py-1 text-right font-semibold">{t('d.list.delta')}</th>
              </tr>
            </thead>
            <tbody>
              {turns.map((x, i) => (
                <tr
                  key={x.id}
                  className="border-t border-line"
                  data-testid="turn-row"
                  data-speaker={x.speaker}
                >
                  <td className="py-1 pr-2 tabular-nums text-muted">{i + 1}</td>
                  <td className="py-1 pr-2 font-semibold">{x.speaker}</td>
                  <td className="hidden py-1 pr-2 tabular-nums sm:table-cell">{formatDuration(x.startT)}</td>
                  <td className="py-1 pr-2 tabular-nums">
                    {x.endT === null ? (
                      <span className="font-semibold text-brand">{t('d.list.open')}</span>
                    ) : (
                      formatDuration(x.endT - x.startT)
                    )}
                  </td>
                  <td className="py-1 pr-2 text-right font-bold tabular-nums" data-testid="turn-avg">
                    {formatAverage(x.avg)}
                  </td>
                  <td className="py-1 pr-2 text-right tabular-nums">{x.n}</td>
                  <td className="py-1 text-right tabular-nums">{signed(x.delta)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {showTotals && speakers.length > 0 && (
        <>
          <h3 className="mt-3 mb-1 text-sm font-bold">{t('d.totals.title')}</h3>
          <table className="w-full text-sm" data-testid="speaker-totals">
            <thead className="text-left text-muted">
              <tr>
                <th className="py-1 pr-2 font-semibold">{t('d.list.speaker')}</th>
                <th className="py-1 pr-2 font-semibold">{t('d.totals.time')}</th>
                <th className="py-1 pr-2 text-right font-semibold">{t('d.list.avg')}</th>
                <th className="py-1 pr-2 text-right font-semibold">{t('d.totals.best')}</th>
                <th className="py-1 text-right font-semibold">{t('d.totals.worst')}</th>
              </tr>
            </thead>
            <tbody>
              {speakers.map((s) => (
                <tr key={s.participantId ?? s.speaker} className="border-t border-line">
                  <td className="py-1 pr-2 font-semibold">
                    {s.speaker} <span className="font-normal text-muted">×{s.turns}</span>
                  </td>
                  <td className="py-1 pr-2 tabular-nums">{formatDuration(s.speakingMs)}</td>
                  <td className="py-1 pr-2 text-right font-bold tabular-nums">{formatAverage(s.avg)}</td>
                  <td className="py-1 pr-2 text-right tabular-nums">
                    {s.best ? `${formatAverage(s.best.avg)} (#${byId.get(s.best.turnId) ?? '?'})` : '–'}
                  </td>
                  <td className="py-1 text-right tabular-nums">
                    {s.worst ? `${formatAverage(s.worst.avg)} (#${byId.get(s.worst.turnId) ?? '?'})` : '–'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <p className="mt-2 text-xs text-muted">
        {t('d.list.lagNote', { lag: Math.round(reactionLagMs / 100) / 10 })}
      </p>
    </section>
  );
}
