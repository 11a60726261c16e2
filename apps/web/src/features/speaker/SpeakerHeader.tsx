import { useState, type ReactNode } from 'react';
import type { Session } from '@rstream/protocol';
import { useI18n } from '../../app/i18n';
import { Button } from '../../ui/Button';
import { Dialog } from '../../ui/Dialog';
import { colorForAverage } from '../../ui/levels';
import { formatAverage, formatClock, formatDuration } from '../../ui/format';
import { LanguageSwitch } from '../../ui/LanguageSwitch';
import { StatusBadge } from '../../ui/StatusBadge';
import type { FinalFigures, SpeakerSnapshot } from './speaker-store';
import { useSpeakerT } from './strings';

interface Props {
  session: Session;
  snapshot: SpeakerSnapshot;
  elapsedMs: number | null;
  average: number | null;
  participantCount: number;
  busy: boolean;
  onStart: () => void;
  onEnd: () => void;
  /** The recording control (features/recording), shown beside start/end. */
  recordingControl?: ReactNode;
  /** An ended session's figures: shown instead of the live ones. */
  final?: FinalFigures | null;
}

export function SpeakerHeader({
  session,
  snapshot,
  elapsedMs,
  average,
  participantCount,
  busy,
  onStart,
  onEnd,
  recordingControl,
  final,
}: Props) {
  const { t } = useI18n();
  const st = useSpeakerT();
  const [confirmEnd, setConfirmEnd] = useState(false);
  const stat = 'flex flex-col items-center justify-center rounded-xl bg-white/10 px-4 py-1.5 text-center';
  const statLabel = 'text-xs font-semibold uppercase tracking-wide text-white/80';

  return (
    <header className="bg-brand text-white">
      <div className="flex flex-wrap items-center gap-x-6 gap-y-3 px-4 py-3 lg:px-6">
        <div className="min-w-0 flex-1">
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="truncate text-2xl font-bold" data-testid="session-title">
              {session.title}
            </h1>
            <StatusBadge status={snapshot.status} testId="session-status" />
          </div>
          <p className="text-sm text-white/85">
            {snapshot.startedAt
              ? t('speaker.startedAt', { time: formatClock(snapshot.startedAt) })
              : t('status.scheduled')}
            {' · '}
            {session.hostName}
          </p>
        </div>

        {final ? (
          <>
            <div className={stat}>
              <span className={statLabel}>{st('sp.duration')}</span>
              <span className="font-mono text-2xl font-bold tabular-nums" data-testid="elapsed">
                {formatDuration(final.durationMs)}
              </span>
            </div>
            <div className={stat}>
              <span className={statLabel}>{st('sp.joined')}</span>
              <span className="text-2xl font-bold tabular-nums" data-testid="participant-count">
                {participantCount}
              </span>
            </div>
            <div className={`${stat} min-w-32`}>
              <span className={statLabel}>{st('sp.finalAvg')}</span>
              <span className="flex items-center gap-2">
                <span
                  aria-hidden
                  className="h-4 w-4 rounded-full ring-2 ring-white/70"
                  style={{ background: colorForAverage(final.finalAvg) }}
                />
                <span
                  className="text-4xl font-black tabular-nums leading-tight"
                  data-testid="current-average"
                >
                  {formatAverage(final.finalAvg)}
                </span>
              </span>
            </div>
            <div className={`${stat} min-w-28`}>
              <span className={statLabel}>{st('sp.meanAvg')}</span>
              <span className="text-4xl font-black tabular-nums leading-tight" data-testid="mean-average">
                {formatAverage(final.meanAvg)}
              </span>
            </div>
          </>
        ) : (
          <>
            <div className={stat}>
              <span className={statLabel}>{t('speaker.elapsed')}</span>
              <span className="font-mono text-2xl font-bold tabular-nums" data-testid="elapsed">
                {elapsedMs === null ? '–' : formatDuration(elapsedMs)}
              </span>
            </div>
            <div className={stat}>
              <span className={statLabel}>{t('speaker.participants')}</span>
              <span className="text-2xl font-bold tabular-nums" data-testid="participant-count">
                {participantCount}
              </span>
            </div>
            <div className={`${stat} min-w-32`}>
              <span className={statLabel}>{t('speaker.average')}</span>
              <span className="flex items-center gap-2">
                <span
                  aria-hidden
                  className="h-4 w-4 rounded-full ring-2 ring-white/70"
                  style={{ background: colorForAverage(average) }}
                />
                <span
                  className="text-4xl font-black tabular-nums leading-tight"
                  data-testid="current-average"
                >
                  {formatAverage(average)}
                </span>
              </span>
            </div>
          </>
        )}

        <div className="flex items-center gap-3">
          {recordingControl}
          {snapshot.status === 'scheduled' && (
            <Button
              size="lg"
              className="!bg-emerald-600 hover:!bg-emerald-700"
              onClick={onStart}
              disabled={busy}
              data-testid="start-session"
            >
              ▶ {t('speaker.start')}
            </Button>
          )}
          {snapshot.status === 'live' && (
            <Button
              size="lg"
              variant="danger"
              onClick={() => setConfirmEnd(true)}
              disabled={busy}
              data-testid="end-session"
            >
              ■ {t('speaker.end')}
            </Button>
          )}
          <LanguageSwitch compact />
        </div>
      </div>

      <Dialog
        open={confirmEnd}
        onClose={() => setConfirmEnd(false)}
        title={t('speaker.endConfirm.title')}
        testId="end-confirm"
        footer={
          <>
            <Button variant="secondary" onClick={() => setConfirmEnd(false)}>
              {t('common.cancel')}
            </Button>
            <Button
              variant="danger"
              data-testid="end-confirm-ok"
              onClick={() => {
                setConfirmEnd(false);
                onEnd();
              }}
            >
              {t('speaker.end')}
            </Button>
          </>
        }
      >
        <p>{t('speaker.endConfirm.body')}</p>
      </Dialog>
    </header>
  );
}
