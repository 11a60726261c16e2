import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { phrase, type Bilingual } from './audit-text.js';
import type { Collector } from './model.js';

interface Place {
  /** in both languages; the English one is part of the finding id */
  what: Bilingual;
  dir: string;
  /** holds secrets: even group-readable is critical */
  secret?: boolean;
}

/** Every file and folder under `dir` (bounded: the first 5 000 entries). */
async function walk(dir: string, limit = 5000): Promise<string[]> {
  const out: string[] = [];
  const queue = [dir];
  while (queue.length && out.length < limit) {
    const d = queue.shift()!;
    const entries = await readdir(d, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const p = path.join(d, e.name);
      out.push(p);
      if (e.isDirectory()) queue.push(p);
    }
  }
  return out;
}

/**
 * File access: DATA_DIR, the secrets, backups, logs, recordings and uploads must be owned by the
 * user the server runs as and readable by nobody else (they hold secrets or personal data).
 */
export async function checkFiles(c: Collector): Promise<void> {
  const { config } = c.deps;
  const places: Place[] = [
    { what: phrase('place.secrets'), dir: path.join(config.DATA_DIR, 'secrets'), secret: true },
    { what: phrase('place.data-dir'), dir: config.DATA_DIR },
    {
      what: phrase('place.backups'),
      dir: path.resolve(config.BACKUP_DIR ?? path.join(config.DATA_DIR, 'backups')),
    },
    { what: phrase('place.logs'), dir: path.resolve(config.LOG_DIR ?? path.join(config.DATA_DIR, 'logs')) },
    { what: phrase('place.storage'), dir: config.STORAGE_DIR },
    { what: phrase('place.recordings'), dir: path.resolve(config.RECORDINGS_DIR) },
  ];
  for (const key of [config.BACKUP_ENCRYPTION_KEY_FILE, config.LOG_ARCHIVE_KEY_FILE])
    if (key)
      places.push({ what: phrase('place.key-file', { file: key }), dir: path.resolve(key), secret: true });
  const uid = process.getuid?.();
  await c.check('files.permissions', 'access', async (s) => {
    const seen = new Set<string>();
    let looked = 0;
    for (const place of places) {
      const top = await stat(place.dir).catch(() => null);
      if (!top) continue;
      const paths = top.isDirectory() ? [place.dir, ...(await walk(place.dir))] : [place.dir];
      const loose: string[] = [];
      const foreign: string[] = [];
      for (const p of paths) {
        if (seen.has(p)) continue;
        seen.add(p);
        const st = await stat(p).catch(() => null);
        if (!st) continue;
        looked++;
        const mode = st.mode & 0o777;
        // world bits always matter; group bits matter for secrets
        if (mode & 0o007 || (place.secret && mode & 0o070))
          loose.push(`${p} ${mode.toString(8).padStart(4, '0')}`);
        if (uid !== undefined && st.uid !== uid) foreign.push(`${p} uid ${st.uid}`);
      }
      if (loose.length)
        s.finding({
          severity: place.secret ? 'critical' : 'warning',
          key: 'files.permissions.loose',
          params: {
            what: place.what,
            n: loose.length,
            examples: loose.slice(0, 3).join('; '),
            dir: place.dir,
          },
          suffix: place.what.en,
        });
      if (foreign.length)
        s.finding({
          severity: 'warning',
          key: 'files.permissions.owner',
          params: {
            what: place.what,
            n: foreign.length,
            examples: foreign.slice(0, 3).join('; '),
            uid: String(uid),
            dir: place.dir,
          },
          suffix: `${place.what.en}-owner`,
        });
    }
    s.note('files.permissions', { n: looked });
  });
}
