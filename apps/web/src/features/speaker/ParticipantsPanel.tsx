import type { Participant } from '@rstream/protocol';
import { useI18n } from '../../app/i18n';
import type { LevelMap } from '../../realtime/participant-levels';
import { LevelBadge } from '../../ui/LevelBadge';
import { isLevel, levelKey } from '../../ui/levels';
import { participantLabel } from '../../ui/participant-label';

const MAX_ROWS = 200;

/** Everyone in the session with their current level (colour + number); offline ones dimmed. */
export function ParticipantsPanel({
  participants,
  levels,
}: {
  participants: readonly Participant[];
  levels: LevelMap;
}) {
  const { t } = useI18n();
  const sorted = [...participants].sort(
    (a, b) => Number(b.connected) - Number(a.connected) || a.ordinal - b.ordinal,
  );
  const shown = sorted.slice(0, MAX_ROWS);
  return (
    <section
      aria-labelledby="participants-title"
      className="rounded-2xl border border-line bg-white p-4 shadow-sm"
    >
      <h2 id="participants-title" className="mb-3 text-lg font-bold">
        {t('speaker.list.title')} <span className="font-normal text-muted">({participants.length})</span>
      </h2>
      {participants.length === 0 ? (
        <p className="text-muted">{t('speaker.list.empty')}</p>
      ) : (
        <ul
          className="grid max-h-[60dvh] gap-x-4 overflow-y-auto pr-1 sm:grid-cols-2 lg:grid-cols-1"
          data-testid="participant-list"
          // a long list scrolls: reachable by keyboard too
          tabIndex={0}
          aria-labelledby="participants-title"
        >
          {shown.map((p) => {
            const level = levels.get(p.participantId) ?? p.level ?? null;
            const label = participantLabel(p, t);
            return (
              <li
                key={p.participantId}
                data-testid="participant-row"
                data-level={level ?? ''}
                data-connected={p.connected}
                className="flex items-center gap-3 border-b border-line py-1.5"
              >
                <LevelBadge
                  level={level}
                  size="sm"
                  label={isLevel(level) ? `${level}: ${t(levelKey(level))}` : t('speaker.list.noSignal')}
                />
                {/* Offline is said in words and a muted name, not by fading the row (contrast). */}
                <span className={`min-w-0 flex-1 truncate ${p.connected ? '' : 'text-muted'}`} title={label}>
                  {label}
                </span>
                {!p.connected && (
                  <span className="rounded-full border border-line px-2 text-xs font-semibold text-muted">
                    {t('speaker.list.offline')}
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {sorted.length > MAX_ROWS && (
        <p className="mt-2 text-sm text-muted">{t('speaker.list.more', { n: sorted.length - MAX_ROWS })}</p>
      )}
    </section>
  );
}
