import type { Participant } from '@rstream/protocol';
import { useI18n } from '../../app/i18n';
import { participantLabel } from '../../ui/participant-label';

const MAX_NAMES = 40;

interface Props {
  hostName: string;
  anonymous: boolean;
  participants: readonly Participant[];
  myId: string | null;
}

/** The speaker, and who else is listening (not shown in anonymous sessions). */
export function AudiencePanel({ hostName, anonymous, participants, myId }: Props) {
  const { t } = useI18n();
  const present = participants.filter((p) => p.connected || p.participantId === myId);
  const shown = present.slice(0, MAX_NAMES);
  return (
    <section
      className="rounded-2xl border border-line bg-white p-4 shadow-sm"
      aria-label={t('listener.speaker')}
    >
      <p>
        <span className="text-sm font-semibold uppercase tracking-wide text-muted">
          {t('listener.speaker')}
        </span>{' '}
        <span className="font-bold" data-testid="speaker-name">
          {hostName}
        </span>
      </p>
      {!anonymous && present.length > 0 && (
        <details className="mt-2" open={present.length <= 12}>
          <summary className="cursor-pointer font-semibold">
            {t('listener.listeners', { n: present.length })}
          </summary>
          <ul className="mt-2 flex flex-wrap gap-1.5" data-testid="listener-list">
            {shown.map((p) => (
              <li
                key={p.participantId}
                className={`rounded-full px-2.5 py-0.5 text-sm ${p.participantId === myId ? 'bg-sky-100 font-semibold' : 'bg-slate-100'}`}
              >
                {participantLabel(p, t)}
                {p.participantId === myId && ` ${t('listener.you')}`}
              </li>
            ))}
            {present.length > MAX_NAMES && (
              <li className="px-2 text-sm text-muted">
                {t('speaker.list.more', { n: present.length - MAX_NAMES })}
              </li>
            )}
          </ul>
        </details>
      )}
    </section>
  );
}
