import type { SpeakerTotal, Turn } from '@rstream/protocol';
import { formatAverage, formatDuration } from '../../ui/format';
import { useDiscussionT } from './strings';
import { TurnsTable } from './TurnsTable';

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
          <TurnsTable turns={turns} rowTestId="turn-row" avgTestId="turn-avg" startOnPhones={false} />
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
