import type { Material, MaterialLink } from '@rstream/protocol';
import { useCallback, useEffect, useRef, useState } from 'react';
import { formatBytes } from '@rstream/protocol/light';
import { checkFile, materialsApi, uploadMaterial, type UploadProblem } from './materials-api';
import { useDiscussionT } from './strings';

const REFRESH_MS = 15_000;

/**
 * The discussion's materials, shown to everyone: the links of the settings (http(s) only; the
 * server checks it) and the uploaded files (signed download links, listed again every few
 * seconds). The people on stage (`canUpload`) add files here.
 */
export function MaterialsLinks({
  links,
  sessionId,
  bearer,
  canUpload = false,
}: {
  links: readonly MaterialLink[];
  sessionId?: string;
  /** a participant token (phones); the account otherwise */
  bearer?: string;
  canUpload?: boolean;
}) {
  const t = useDiscussionT();
  const [files, setFiles] = useState<Material[]>([]);
  const [progress, setProgress] = useState<number | null>(null);
  const [problem, setProblem] = useState<UploadProblem | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const load = useCallback(async () => {
    if (!sessionId) return;
    try {
      setFiles((await materialsApi.list(sessionId, bearer)).materials);
    } catch {
      // keep what was shown; the next round tries again
    }
  }, [sessionId, bearer]);
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  const upload = async (file: File) => {
    if (!sessionId) return;
    const bad = checkFile(file);
    setProblem(bad);
    if (bad) return;
    setProgress(0);
    try {
      await uploadMaterial(sessionId, file, setProgress);
    } catch {
      setProblem('failed');
    } finally {
      setProgress(null);
      if (input.current) input.current.value = '';
      await load();
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
