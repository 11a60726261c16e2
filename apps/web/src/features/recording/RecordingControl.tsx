import { useEffect, useRef, useState } from 'react';
import type { SessionStatus } from '@rstream/protocol';
import { formatDuration } from '../../ui/format';
import { useNow } from '../../ui/hooks';
import type { RecorderController } from './recorder-controller';
import { mediaTimeMs, type RecorderSnapshot, type UploadView } from './recorder-state';
import { useRecordingT, type RecT, type RecordingKey } from './strings';

interface Props {
  controller: RecorderController;
  snapshot: RecorderSnapshot;
  sessionStatus: SessionStatus;
  /** The session's "record" setting: suggests recording once the session is live. */
  suggested: boolean;
}

const pill =
  'inline-flex items-center gap-1.5 rounded-lg px-3 py-1.5 text-sm font-semibold transition-colors';
const onBrand = `${pill} bg-white/15 text-white hover:bg-white/25 disabled:cursor-not-allowed disabled:opacity-60`;

function Kbd({ k }: { k: string }) {
  return <kbd className="rounded border border-white/50 px-1 font-mono text-xs text-white/90">{k}</kbd>;
}

/** The upload that matters to the presenter now: the live one, else the newest unfinished, else the last. */
function currentUpload(s: RecorderSnapshot): UploadView | null {
  if (s.recordingId) return s.uploads.find((u) => u.recordingId === s.recordingId) ?? null;
  const open = s.uploads.filter((u) => u.phase !== 'complete' && u.phase !== 'failed');
  return open[open.length - 1] ?? s.uploads[s.uploads.length - 1] ?? null;
}

function errorText(s: RecorderSnapshot, t: RecT): string | null {
  const e = s.error;
  if (!e) return null;
  const key: Record<typeof e.kind, RecordingKey> = {
    permission: 'rec.err.permission',
    noScreen: 'rec.err.noScreen',
    unsupported: 'rec.err.unsupported',
    disk: 'rec.err.disk',
    refused: 'rec.err.refused',
    network: 'rec.err.network',
    lost: 'rec.err.lost',
  };
  return t(key[e.kind], { reason: e.detail });
}

/** The header's recording control: record (R), time, "saved up to", pause/resume/stop, errors. */
export function RecordingControl({ controller, snapshot: s, sessionStatus, suggested }: Props) {
  const t = useRecordingT();
  const now = useNow(250);
  const live = sessionStatus === 'live';
  const up = currentUpload(s);
  const recording = s.phase === 'recording' || s.phase === 'paused';
  const timeMs = recording ? mediaTimeMs(s, now) : (up?.recordedMediaMs ?? 0);
  const announce = useAnnouncer(s.phase, t);
  // Ending the session ends its recording: the last bytes still go up, and R is free again.
  useEffect(() => {
    if (sessionStatus === 'ended') void controller.stop();
  }, [sessionStatus, controller]);
  const error = errorText(s, t);

  let saved: string | null = null;
  if (up) {
    if (up.phase === 'complete') saved = t('rec.savedAll', { time: formatDuration(up.ackedMediaMs) });
    else if (!s.online || up.phase === 'retrying') saved = s.online ? t('rec.retrying') : t('rec.offline');
    else if (up.ackedBytes > 0) saved = t('rec.saved', { time: formatDuration(up.ackedMediaMs) });
    else saved = t('rec.savedNothing');
  }
  const finishing = !recording && up !== null && up.phase !== 'complete' && up.phase !== 'failed';
  const latest = s.serverRecordings[s.serverRecordings.length - 1];
  const parts = s.serverRecordings.length;

  return (
    <div
      className="relative flex flex-col items-start gap-1"
      data-testid="recording-control"
      data-phase={s.phase}
      data-upload-phase={up?.phase ?? 'none'}
      data-recorded-bytes={up?.recordedBytes ?? 0}
      data-acked-bytes={up?.ackedBytes ?? 0}
      data-final-bytes={up?.finalBytes ?? ''}
      data-recording-id={up?.recordingId ?? ''}
    >
      <div className="flex items-center gap-2">
        {!recording && (
          <button
            type="button"
            className={`${onBrand} ${suggested && live && parts === 0 && s.phase === 'idle' ? 'ring-2 ring-white/80' : ''}`}
            disabled={!live || s.phase !== 'idle'}
            onClick={() => void controller.start()}
            title={
              !live
                ? t('rec.notLive')
                : suggested && parts === 0
                  ? `${t('rec.suggest')} ${t('rec.keyHint')}`
                  : t('rec.keyHint')
            }
            data-testid="record-button"
          >
            <span aria-hidden className="h-2.5 w-2.5 rounded-full bg-red-500" />
            {s.phase === 'requesting'
              ? t('rec.requesting')
              : s.phase === 'starting'
                ? t('rec.starting')
                : t('rec.start')}
            <Kbd k="R" />
          </button>
        )}
        {recording && (
          <>
            <span
              className={`${pill} ${s.phase === 'paused' ? 'bg-amber-400 text-amber-950' : 'bg-red-600 text-white'}`}
              role="timer"
              aria-label={t('rec.timeLabel')}
              title={s.format ? t('rec.format', { format: s.format.mimeType }) : undefined}
            >
              <span
                aria-hidden
                className={`h-2.5 w-2.5 rounded-full ${s.phase === 'paused' ? 'bg-amber-900' : 'animate-pulse bg-white'}`}
              />
              {s.phase === 'paused' ? t('rec.paused') : t('rec.recording')}
              <span className="font-mono tabular-nums" data-testid="record-time">
                {formatDuration(timeMs)}
              </span>
            </span>
            {s.phase === 'recording' ? (
              <button
                type="button"
                className={onBrand}
                onClick={() => void controller.pause()}
                data-testid="record-pause"
              >
                ❚❚ {t('rec.pause')}
              </button>
            ) : (
              <button
                type="button"
                className={onBrand}
                onClick={() => void controller.resume()}
                data-testid="record-resume"
              >
                ▶ {t('rec.resume')}
              </button>
            )}
            <button
              type="button"
              className={onBrand}
              onClick={() => void controller.stop()}
              data-testid="record-stop"
            >
              ■ {t('rec.stop')} <Kbd k="R" />
            </button>
          </>
        )}
      </div>
      {(recording || finishing || saved) && (
        <span className="text-xs font-medium text-white/90" data-testid="record-saved" aria-live="off">
          {finishing && !(!s.online || up?.phase === 'retrying') ? `${t('rec.finishing')} ` : ''}
          {saved}
        </span>
      )}
      {!recording && !finishing && latest && (
        <span
          className="text-xs text-white/85"
          data-testid="record-server-status"
          data-status={latest.status}
        >
          {latest.status === 'ready'
            ? t('rec.ready')
            : latest.status === 'failed'
              ? t('rec.failed')
              : latest.status === 'processing'
                ? t('rec.processing')
                : ''}
          {parts > 1 ? ` · ${t('rec.parts', { n: parts })}` : ''}
        </span>
      )}
      {recording && !s.hasMicrophone && (
        <span className="text-xs text-amber-200" data-testid="record-no-mic">
          {t('rec.noMic')}
        </span>
      )}
      {up?.recovered && up.phase !== 'complete' && up.phase !== 'failed' && (
        <span className="max-w-sm text-xs text-white/90" data-testid="record-recovered">
          {t('rec.recovered', { time: formatDuration(up.recordedMediaMs) })}
        </span>
      )}
      <span className="sr-only" aria-live="polite">
        {announce}
      </span>
      {error && (
        <div
          role="alert"
          data-testid="record-error"
          data-kind={s.error?.kind}
          className="absolute right-0 top-full z-30 mt-2 w-80 rounded-xl border border-red-300 bg-white p-3 text-sm text-red-900 shadow-xl"
        >
          <p>{error}</p>
          <button
            type="button"
            className="mt-2 rounded-md border border-red-300 px-2 py-1 text-xs font-semibold hover:bg-red-50"
            onClick={() => controller.dismissError()}
          >
            {t('rec.err.dismiss')}
          </button>
        </div>
      )}
    </div>
  );
}

/** Screen readers hear "recording started/paused/resumed/stopped" once per change. */
function useAnnouncer(phase: RecorderSnapshot['phase'], t: RecT): string {
  const prev = useRef(phase);
  const [text, setText] = useState('');
  useEffect(() => {
    const was = prev.current;
    prev.current = phase;
    if (phase === was) return;
    if (phase === 'recording') setText(t(was === 'paused' ? 'rec.announce.resumed' : 'rec.announce.started'));
    else if (phase === 'paused') setText(t('rec.announce.paused'));
    else if (phase === 'idle' && (was === 'stopping' || was === 'recording' || was === 'paused'))
      setText(t('rec.announce.stopped'));
  }, [phase, t]);
  return text;
}
