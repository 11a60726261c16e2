import type { Material, MaterialLink } from '@rstream/protocol';
import { useRef, useState } from 'react';
import { formatBytes } from '@rstream/protocol/light';
import type { RealtimeClient } from '../../realtime/client';
import { checkFile, materialsApi, type UploadProblem } from './materials-api';
import { useMaterials } from './materials-store';
import { useDiscussionT } from './strings';

/**
 * The discussion's materials, shown to everyone: the links of the settings (http(s) only; the
 * server checks it) and the uploaded files (signed download links, kept up to date by the
 * server's `material:updated` / `material:removed` pushes). The people on stage (`canUpload`) add
 * and remove files here.
 */
export function MaterialsLinks({
  links,
  sessionId,
  bearer,
  client,
  canUpload = false,
}: {
  links: readonly MaterialLink[];
  sessionId?: string;
  /** the screen's socket: the list follows its pushes and is fetched again on each reconnect */
  client: RealtimeClient | null;
  /** a participant token (phones); the account otherwise */
  bearer?: string;
  canUpload?: boolean;
}) {
  const t = useDiscussionT();
  const { files, reload } = useMaterials(sessionId, bearer, client);
  const [progress, setProgress] = useState<number | null>(null);
  const [problem, setProblem] = useState<UploadProblem | 'removeFailed' | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const remove = async (f: Material) => {
    if (!sessionId || !window.confirm(t('d.files.removeConfirm', { title: f.title }))) return;
    setRemoving(f.id);
    setProblem(null);
    try {
      await materialsApi.remove(sessionId, f.id);
    } catch {
      setProblem('removeFailed');
    } finally {
      setRemoving(null);
      await reload();
    }
  };

  const upload = async (file: File) => {
    if (!sessionId) return;
    const bad = checkFile(file);
    setProblem(bad);
    if (bad) return;
    setProgress(0);
    try {
      const { uploadMaterial } = await import('./materials-upload');
      await uploadMaterial(sessionId, file, setProgress);
    } catch {
      setProblem('failed');
    } finally {
      setProgress(null);
      if (input.current) input.current.value = '';
      await reload();
    }
  };

  const ready = files.filter((f) => f.status === 'ready' && f.url);
  if (links.length === 0 && ready.length === 0 && !canUpload) return null;
  return (
    <div className="mt-3" data-testid="materials">
      <h3 className="text-sm font-bold">{t('d.materials')}</h3>
      <ul className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-sm">
        {links.map((l) => (
          <li key={l.url}>
            <a
              href={l.url}
              target="_blank"
              rel="noopener noreferrer"
              className="font-semibold text-accent underline"
            >
              {l.title || l.url}
            </a>
          </li>
        ))}
        {ready.map((f) => (
          <li key={f.id} data-testid="material-file">
            <a href={f.url!} download={f.fileName} className="font-semibold text-accent underline">
              {f.title}
            </a>{' '}
            <span className="text-muted">({formatBytes(f.sizeBytes)})</span>
            {canUpload && (
              <button
                type="button"
                className="ml-1 rounded px-1 text-muted underline hover:text-red-700 disabled:no-underline"
                aria-label={t('d.files.removeLabel', { title: f.title })}
                disabled={removing !== null}
                onClick={() => void remove(f)}
                data-testid="material-remove"
              >
                {removing === f.id ? t('d.files.removing') : t('d.files.remove')}
              </button>
            )}
          </li>
        ))}
      </ul>
      {canUpload && (
        <div className="mt-2 text-sm">
          <label className="inline-flex cursor-pointer items-center gap-2 font-semibold text-accent">
            <input
              ref={input}
              type="file"
              className="sr-only"
              data-testid="material-upload"
              disabled={progress !== null}
              onChange={(e) => {
                const file = e.currentTarget.files?.[0];
                if (file) void upload(file);
              }}
            />
            <span className="underline">＋ {t('d.files.add')}</span>
          </label>
          {progress !== null && (
            <span className="ml-2 text-muted" role="status">
              {t('d.files.uploading', { pct: Math.round(progress * 100) })}
            </span>
          )}
          {problem && (
            <p className="mt-1 text-red-700" role="alert">
              {t(`d.files.${problem}`)}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
