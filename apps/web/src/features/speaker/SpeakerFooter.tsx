import { useI18n } from '../../app/i18n';
import { Link } from '../../app/router';
import { buttonClass } from '../../ui/Button';
import { useReportT } from '../report/strings';
import type { RealtimeSnapshot } from '../../realtime/types';
import { Button } from '../../ui/Button';
import { ConnectionStatus } from '../../ui/ConnectionStatus';
import { formatClock } from '../../ui/format';
import { useSpeakerT } from './strings';

interface Props {
  connection: RealtimeSnapshot;
  onHelp: () => void;
  onSettings: () => void;
  onArchive: () => void;
  notice: string | null;
  /** the session's report page, once it has ended (the host only) */
  reportHref?: string;
  /** once the session has ended: the footer says so (with the time) and settings are off */
  endedAt?: string | null;
  ended?: boolean;
}

function Key({ k }: { k: string }) {
  return (
    <kbd className="rounded border border-slate-400 bg-white px-1.5 font-mono text-xs text-slate-700">
      {k}
    </kbd>
  );
}

export function SpeakerFooter({
  connection,
  onHelp,
  onSettings,
  onArchive,
  notice,
  reportHref,
  ended,
  endedAt,
}: Props) {
  const { t } = useI18n();
  const rt = useReportT();
  const st = useSpeakerT();
  return (
    <footer className="sticky bottom-0 z-10 border-t border-line bg-white/95 px-4 py-2 backdrop-blur lg:px-6">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        {ended ? (
          <p
            className="text-sm font-semibold text-ink"
            data-testid="session-ended-note"
            id="session-ended-note"
          >
            {st('sp.ended', { time: endedAt ? st('sp.endedAt', { time: formatClock(endedAt) }) : '' })}
          </p>
        ) : (
          <ConnectionStatus snapshot={connection} />
        )}
        <p aria-live="polite" className="text-sm font-medium text-muted">
          {notice}
        </p>
        <div className="ml-auto flex flex-wrap items-center gap-1">
          {reportHref && (
            <Link to={reportHref} className={buttonClass('primary', 'sm')} data-testid="report-link">
              {rt('r.title')} →
            </Link>
          )}
          <Button
            variant="ghost"
            size="sm"
            onClick={onSettings}
            data-testid="open-settings"
            disabled={ended}
            title={ended ? st('sp.endedSettings') : undefined}
            aria-describedby={ended ? 'session-ended-note' : undefined}
          >
            {t('speaker.settings')} <Key k="S" />
          </Button>
          <Button variant="ghost" size="sm" onClick={onArchive}>
            {t('speaker.archive')} <Key k="A" />
          </Button>
          <Button variant="ghost" size="sm" onClick={onHelp} data-testid="open-help">
            {t('speaker.help')} <Key k="F1" />
          </Button>
        </div>
      </div>
    </footer>
  );
}
