import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

/** One recorded chunk still kept in the browser (not yet acknowledged by the server). */
export interface SpoolChunk {
  /** Byte offset of the chunk in the recording's file. */
  start: number;
  size: number;
  /** Media time (ms, pauses excluded) at the end of this chunk. */
  endMediaMs: number;
}

/** What the spool remembers about one recording, so a reloaded tab can continue its upload. */
export interface SpoolEntry {
  recordingId: string;
  sessionId: string;
  mediaType: 'video/mp4' | 'video/webm';
  mimeType: string;
  /** The tus upload's URL once created: HEAD answers its offset after a drop or a reload. */
  uploadUrl: string | null;
  /** Bytes written to the spool (the file's length so far). */
  recordedBytes: number;
  recordedMediaMs: number;
  /** Bytes the server acknowledged (tus `Upload-Offset`); everything before is safe there. */
  ackedBytes: number;
  ackedMediaMs: number;
  /** The file's final length once recording stopped (or the tab that recorded it died). */
  finalBytes: number | null;
  /** The server was told `{status: "stopped"}`. */
  stopSent: boolean;
  createdAtMs: number;
  chunks: SpoolChunk[];
}

/** Where chunk bytes live: OPFS files, or IndexedDB blobs where OPFS is missing. */
export interface ChunkStore {
  readonly kind: 'opfs' | 'idb' | 'memory';
  put(recordingId: string, start: number, data: Blob): Promise<void>;
  get(recordingId: string, start: number): Promise<Blob | null>;
  delete(recordingId: string, start: number): Promise<void>;
  deleteAll(recordingId: string): Promise<void>;
}

/** Where entries live (IndexedDB in the browser). */
export interface EntryStore {
  all(): Promise<SpoolEntry[]>;
  put(entry: SpoolEntry): Promise<void>;
  delete(recordingId: string): Promise<void>;
}

interface SpoolDb extends DBSchema {
  entries: { key: string; value: SpoolEntry };
  chunks: { key: [string, number]; value: { recordingId: string; start: number; data: Blob } };
}

const DB_NAME = 'rstream-recording-spool';

function openSpoolDb(): Promise<IDBPDatabase<SpoolDb>> {
  return openDB<SpoolDb>(DB_NAME, 1, {
    upgrade(db) {
      db.createObjectStore('entries', { keyPath: 'recordingId' });
      db.createObjectStore('chunks', { keyPath: ['recordingId', 'start'] });
    },
  });
}

class IdbEntryStore implements EntryStore {
  constructor(private readonly db: IDBPDatabase<SpoolDb>) {}
  all() {
    return this.db.getAll('entries');
  }
  async put(entry: SpoolEntry) {
    await this.db.put('entries', entry);
  }
  async delete(recordingId: string) {
    await this.db.delete('entries', recordingId);
  }
}

class IdbChunkStore implements ChunkStore {
  readonly kind = 'idb' as const;
  constructor(private readonly db: IDBPDatabase<SpoolDb>) {}
  async put(recordingId: string, start: number, data: Blob) {
    await this.db.put('chunks', { recordingId, start, data });
  }
  async get(recordingId: string, start: number) {
    return (await this.db.get('chunks', [recordingId, start]))?.data ?? null;
  }
  async delete(recordingId: string, start: number) {
    await this.db.delete('chunks', [recordingId, start]);
  }
  async deleteAll(recordingId: string) {
    await this.db.delete('chunks', IDBKeyRange.bound([recordingId, 0], [recordingId, Infinity]));
  }
}

const OPFS_DIR = 'rstream-spool';
const chunkName = (start: number) => `${String(start).padStart(15, '0')}.bin`;

/** Chunks as files in the origin-private file system: written whole, then closed (atomic swap). */
class OpfsChunkStore implements ChunkStore {
  readonly kind = 'opfs' as const;
  constructor(private readonly root: FileSystemDirectoryHandle) {}
  private dir(recordingId: string, create: boolean) {
    return this.root.getDirectoryHandle(recordingId, { create });
  }
  async put(recordingId: string, start: number, data: Blob) {
    const dir = await this.dir(recordingId, true);
    const handle = await dir.getFileHandle(chunkName(start), { create: true });
    const writable = await handle.createWritable();
    try {
      await writable.write(data);
      await writable.close();
    } catch (err) {
      await writable.abort().catch(() => {});
      throw err;
    }
  }
  async get(recordingId: string, start: number) {
    try {
      const dir = await this.dir(recordingId, false);
      return await (await dir.getFileHandle(chunkName(start))).getFile();
    } catch {
      return null;
    }
  }
  async delete(recordingId: string, start: number) {
    try {
      const dir = await this.dir(recordingId, false);
      await dir.removeEntry(chunkName(start));
    } catch {
      // already gone
    }
  }
  async deleteAll(recordingId: string) {
    try {
      await this.root.removeEntry(recordingId, { recursive: true });
    } catch {
      // already gone
    }
  }
}

async function openOpfs(): Promise<FileSystemDirectoryHandle | null> {
  try {
    if (!navigator.storage?.getDirectory) return null;
    const root = await navigator.storage.getDirectory();
    const dir = await root.getDirectoryHandle(OPFS_DIR, { create: true });
    // createWritable() is what writes from the page (not a worker); older engines lack it.
    const probe = await dir.getFileHandle('.probe', { create: true });
    if (typeof (probe as { createWritable?: unknown }).createWritable !== 'function') return null;
    return dir;
  } catch {
    return null;
  }
}

export interface SpoolStorage {
  entries: EntryStore;
  chunks: ChunkStore;
}

/** OPFS for the bytes where it works, IndexedDB otherwise; entries always in IndexedDB. */
export async function openBrowserSpoolStorage(): Promise<SpoolStorage> {
  const db = await openSpoolDb();
  const opfs = await openOpfs();
  // Ask the browser not to evict the spool under storage pressure (best effort).
  void navigator.storage?.persist?.().catch(() => false);
  return { entries: new IdbEntryStore(db), chunks: opfs ? new OpfsChunkStore(opfs) : new IdbChunkStore(db) };
}

/** A full disk looks different in OPFS and IndexedDB; both are a DOMException named so. */
export function isQuotaError(err: unknown): boolean {
  return err instanceof DOMException && (err.name === 'QuotaExceededError' || err.code === 22);
}
