import { useCallback, useEffect, useRef, useState } from 'react';
import { Upload } from 'tus-js-client';
import { ApiError } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { speakerToken } from '../../app/auth';
import { useI18n } from '../../app/i18n';
import { Alert } from '../../ui/Alert';
import { Button } from '../../ui/Button';
import { inputClass } from '../../ui/form';
import { formatDuration } from '../../ui/format';
import { formatBytes } from '@rstream/protocol/light';
import { describeTusError } from '../recording/uploader';
import { useVideoT } from './strings';
import type { Video } from './types';
import { videosApi } from './video-api';

/** The server refuses bigger files too (VIDEO_MAX_BYTES); checked here to say so at once. */
export const VIDEO_UPLOAD_MAX_BYTES = 2 * 1024 ** 3;
const UPLOAD_TYPES = ['video/mp4', 'video/webm'];
const CHUNK_BYTES = 8 * 1024 * 1024;

const isMediaLink = (u: string) => /^https?:\/\/[^\s/]+\.[^\s]+/i.test(u.trim());
/** Pages read the file's own duration when the server has no ffprobe (it may store null). */
function titleFromFile(name: string): string {
  return name.replace(/\.[^.]+$/, '').slice(0, 200) || 'Video';
}

interface Props {
  /** the picked video (create flow), or undefined when the list only manages */
  selected?: string | null;
  onPick?: (video: Video) => void;
  /**
   * The invited provider of a session (participant token): no library to list; what they add
   * goes to the host's library for that session.
   */
  provider?: { sessionId: string; bearer: string };
}

/**
 * The speaker's videos: pick one to show, add one by a direct media link (mp4, webm, HLS) or
 * upload a file (tus, resumable, with progress); delete one no session uses (409 explained).
 */
export function VideoLibrary({ selected, onPick, provider }: Props) {
  const vt = useVideoT();
  const { t } = useI18n();
  const [videos, setVideos] = useState<Video[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const [url, setUrl] = useState('');
  const [progress, setProgress] = useState<number | null>(null);
  const upload = useRef<Upload | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  const reload = useCallback(
    () =>
      provider
        ? Promise.resolve(setVideos((list) => list ?? []))
        : videosApi.list().then(
            (r) => setVideos(r.videos),
            (err: unknown) => {
              setVideos((list) => list ?? []);
              setError(errorMessage(err, t));
            },
          ),
    [t, provider],
  );
  const forSession = provider ? { sessionId: provider.sessionId } : {};
  useEffect(() => {
    void reload();
    return () => void upload.current?.abort(false);
  }, [reload]);
  // Uploaded files are processed on the server: look again until they are ready.
  const pending = videos?.some((v) => v.status === 'uploading' || v.status === 'processing') ?? false;
  useEffect(() => {
    if (!pending || progress !== null) return;
    const timer = setInterval(() => void reload(), 2000);
    return () => clearInterval(timer);
  }, [pending, progress, reload]);

  const picked = (v: Video) => {
    setVideos((list) => [v, ...(list ?? []).filter((x) => x.id !== v.id)]);
    onPick?.(v);
  };

  const addUrl = async () => {
    if (!isMediaLink(url)) return;
    setError(null);
    try {
      const { video } = await videosApi.create(
        { title: title.trim() || url.trim().split('/').pop()!, url: url.trim(), ...forSession },
        provider?.bearer,
      );
      setTitle('');
      setUrl('');
      picked(video);
    } catch (err) {
      setError(errorMessage(err, t));
    }
  };

  const uploadFile = async (file: File) => {
    setError(null);
    if (!UPLOAD_TYPES.includes(file.type)) return setError(vt('v.lib.badType'));
    if (file.size > VIDEO_UPLOAD_MAX_BYTES)
      return setError(vt('v.lib.tooBig', { max: formatBytes(VIDEO_UPLOAD_MAX_BYTES) }));
    let video: Video;
    try {
      video = (
        await videosApi.create(
          { title: title.trim() || titleFromFile(file.name), sizeBytes: file.size, ...forSession },
          provider?.bearer,
        )
      ).video;
    } catch (err) {
      return setError(errorMessage(err, t));
    }
    setTitle('');
    picked(video);
    setProgress(0);
    const up = new Upload(file, {
      endpoint: '/api/uploads',
      metadata: { videoId: video.id, filetype: file.type },
      chunkSize: CHUNK_BYTES,
      retryDelays: [500, 1000, 2000, 4000, 8000],
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      onBeforeRequest: async (req) => {
        const token = provider ? provider.bearer : await speakerToken({ force: false });
        if (token) req.setHeader('Authorization', `Bearer ${token}`);
      },
      onProgress: (sent, total) => setProgress(total ? Math.floor((sent / total) * 100) : 0),
      onSuccess: () => {
        upload.current = null;
        setProgress(null);
        void reload();
      },
      onError: (err) => {
        upload.current = null;
        setProgress(null);
        setError(vt('v.lib.uploadFailed', { message: describeTusError(err).message }));
        void reload();
      },
    });
    upload.current = up;
    up.start();
  };

  const remove = async (v: Video) => {
    setError(null);
    try {
      await videosApi.remove(v.id);
      setVideos((list) => (list ?? []).filter((x) => x.id !== v.id));
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) setError(vt('v.lib.inUse', { title: v.title }));
      else setError(errorMessage(err, t));
    }
  };

  return (
    <div className="flex flex-col gap-3" data-testid="video-library">
      {videos === null ? (
        <p className="text-muted">{t('common.loading')}</p>
      ) : videos.length === 0 ? (
        <p className="text-muted">{vt('v.lib.empty')}</p>
      ) : (
        <ul className="flex flex-col divide-y divide-line rounded-xl border border-line">
          {videos.map((v) => (
            <li
              key={v.id}
              className="flex items-center gap-3 px-3 py-2"
              data-testid="video-row"
              data-status={v.status}
            >
              {onPick && (
                <input
                  type="radio"
                  name="video"
                  className="h-5 w-5 accent-[var(--color-brand)]"
                  checked={selected === v.id}
                  disabled={v.status === 'failed'}
                  onChange={() => onPick(v)}
                  aria-label={`${vt('v.lib.pick')}: ${v.title}`}
                  data-testid="video-pick"
                />
              )}
              <span className="min-w-0 flex-1">
                <span className="block truncate font-semibold">{v.title}</span>
                <span className="block truncate text-sm text-muted">
                  {vt(v.source === 'url' ? 'v.src.url' : 'v.src.upload')}
                  {v.durationMs !== null && ` · ${formatDuration(v.durationMs)}`}
                  {v.sizeBytes !== null && v.source === 'upload' && ` · ${formatBytes(v.sizeBytes)}`}
                  {v.usedBy > 0 && ` · ${vt('v.lib.usedBy', { n: v.usedBy })}`}
                </span>
              </span>
              <span
                className={`rounded-full px-2 py-0.5 text-xs font-bold ${
                  v.status === 'ready'
                    ? 'bg-emerald-100 text-emerald-900'
                    : v.status === 'failed'
                      ? 'bg-red-100 text-red-900'
                      : 'bg-amber-100 text-amber-900'
                }`}
              >
                {vt(`v.status.${v.status}`)}
              </span>
              <button
                type="button"
                className="rounded px-2 py-1 text-muted hover:bg-slate-100"
                aria-label={vt('v.lib.delete', { title: v.title })}
                onClick={() => void remove(v)}
                data-testid="video-delete"
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && <Alert>{error}</Alert>}
      <div className="flex flex-wrap items-end gap-2">
        <label className="flex max-w-56 flex-col text-sm font-semibold">
          {vt('v.lib.videoTitle')}
          <input
            className={`${inputClass} mt-1`}
            value={title}
            maxLength={200}
            onChange={(e) => setTitle(e.target.value)}
            data-testid="video-title"
          />
        </label>
        <label className="flex min-w-64 flex-1 flex-col text-sm font-semibold">
          {vt('v.lib.addUrl')}
          <input
            className={`${inputClass} mt-1`}
            type="url"
            value={url}
            maxLength={2000}
            placeholder={vt('v.lib.url')}
            aria-invalid={url !== '' && !isMediaLink(url)}
            onChange={(e) => setUrl(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                void addUrl();
              }
            }}
            data-testid="video-url"
          />
        </label>
        <Button
          variant="secondary"
          onClick={() => void addUrl()}
          disabled={!isMediaLink(url)}
          data-testid="video-add-url"
        >
          {vt('v.lib.add')}
        </Button>
        <Button
          variant="secondary"
          onClick={() => fileInput.current?.click()}
          disabled={progress !== null}
          data-testid="video-upload"
        >
          {vt('v.lib.upload')}
        </Button>
        <input
          ref={fileInput}
          type="file"
          accept="video/mp4,video/webm"
          className="sr-only"
          tabIndex={-1}
          aria-hidden
          data-testid="video-file"
          onChange={(e) => {
            const f = e.target.files?.[0];
            e.target.value = '';
            if (f) void uploadFile(f);
          }}
        />
      </div>
      {url !== '' && !isMediaLink(url) && <p className="text-sm text-danger">{vt('v.lib.badUrl')}</p>}
      {progress !== null && (
        <div role="status" className="flex items-center gap-3" data-testid="video-upload-progress">
          <progress className="h-2 flex-1" max={100} value={progress} />
          <span className="text-sm font-semibold">{vt('v.lib.uploading', { pct: progress })}</span>
        </div>
      )}
    </div>
  );
}
