import type { PublicSession } from '@rstream/protocol';
import { useI18n } from '../../app/i18n';
import { formatClock, formatDuration } from '../../ui/format';
import { LanguageSwitch } from '../../ui/LanguageSwitch';
import { StatusBadge } from '../../ui/StatusBadge';
import type { ListenerSnapshot } from './listener-store';
import { NameEditor } from './NameEditor';
import { useListenerT } from './strings';

interface Props {
  session: PublicSession;
  snapshot: ListenerSnapshot;
  timeLeftMs: number | null;
  myName: string;
  onRename: (name: string) => Promise<void>;
  onOpenSettings: () => void;
}

export function ListenerHeader({ session, snapshot, timeLeftMs, myName, onRename, onOpenSettings }: Props) {
  const lt = useListenerT();
  const { t } = useI18n();
  const over = timeLeftMs !== null && timeLeftMs < 0;
  return (
    <header className="bg-brand px-3 pt-2 pb-3 text-white sm:px-6">
      <div className="mx-auto flex max-w-3xl flex-col gap-1">
        <div className="flex items-center gap-2">
          <h1
            className="min-w-0 flex-1 break-words text-lg leading-snug font-bold sm:text-2xl"
            data-testid="session-title"
          >
            {session.title}
          </h1>
          <LanguageSwitch compact />
          <button
            type="button"
            onClick={onOpenSettings}
            className="rounded-lg border border-white/30 px-2 py-1 text-sm font-semibold hover:bg-white/15"
            aria-haspopup="dialog"
            data-testid="open-settings"
          >
            <span aria-hidden>⚙</span> {lt('listener.settings.open')}
          </button>
        </div>
        <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm">
          <StatusBadge status={snapshot.status} testId="session-status" />
          {snapshot.startedAt && (
            <span className="text-white/90">
              {t('listener.startedAt', { time: formatClock(snapshot.startedAt) })}
            </span>
          )}
          {timeLeftMs !== null && snapshot.status === 'live' && (
            <span
              className={`rounded-md px-2 py-0.5 font-semibold tabular-nums ${over ? 'bg-orange-200 text-orange-950' : 'bg-white/15'}`}
              data-testid="time-left"
            >
              {over
                ? `${t('listener.overtime')} +${formatDuration(-timeLeftMs)}`
                : `${t('listener.timeLeft')} ${formatDuration(timeLeftMs)}`}
            </span>
          )}
        </div>
        <div className="flex items-center gap-1 text-sm">
          <span className="text-white/80">{t('listener.myName')}:</span>
          <NameEditor name={myName} onSave={onRename} />
        </div>
      </div>
    </header>
  );
}
