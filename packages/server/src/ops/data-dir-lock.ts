import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * A running server marks the DATA_DIR it holds (`server.json`: pid, URL, start time), so that
 * offline commands such as `rstream seed` can refuse to write behind its back — with the embedded
 * database, a second process's writes are not seen by the running server and are lost when it
 * stops. The mark is removed on exit; one left by a killed server is recognised as stale (its
 * pid is gone).
 */
export interface DataDirHolder {
  pid: number;
  url: string;
  startedAt: string;
}

const FILE = 'server.json';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live server holding `dataDir`, or null (none, or a stale mark). */
export function dataDirHolder(dataDir: string): DataDirHolder | null {
  try {
    const v = JSON.parse(readFileSync(path.join(dataDir, FILE), 'utf8')) as Partial<DataDirHolder>;
    if (typeof v.pid !== 'number' || typeof v.url !== 'string') return null;
    if (v.pid === process.pid || !alive(v.pid)) return null;
    return { pid: v.pid, url: v.url, startedAt: String(v.startedAt ?? '') };
  } catch {
    return null;
  }
}

/** Marks `dataDir` as held by this process until it exits (or `release()` is called). */
export function holdDataDir(dataDir: string, url: string): { release(): void } {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, FILE);
  const mark: DataDirHolder = { pid: process.pid, url, startedAt: new Date().toISOString() };
  writeFileSync(`${file}.tmp`, JSON.stringify(mark) + '\n', { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    try {
      const v = JSON.parse(readFileSync(file, 'utf8')) as Partial<DataDirHolder>;
      if (v.pid === process.pid) rmSync(file, { force: true });
    } catch {}
  };
  process.once('exit', release);
  return { release };
}
