import type { SpoolEntry, SpoolStorage } from './spool-storage';

export type { SpoolEntry, SpoolChunk } from './spool-storage';

export type NewSpoolEntry = Pick<SpoolEntry, 'recordingId' | 'sessionId' | 'mediaType' | 'mimeType'>;

type Listener = (entry: SpoolEntry) => void;

/**
 * The browser-side spool of a recording: every chunk is written here first and leaves only
 * once the server acknowledged its bytes (`acknowledge(offset)` with tus' `Upload-Offset`).
 * Every change goes through one queue, so entries are read-modify-written one at a time and
 * an entry never counts a chunk whose bytes are not yet stored.
 */
export class Spool {
  private readonly cache = new Map<string, SpoolEntry>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<Listener>();
  private loaded: Promise<void> | null = null;

  constructor(private readonly storage: SpoolStorage) {}

  get backend(): string {
    return this.storage.chunks.kind;
  }

  /** Runs `fn` after every earlier change finished (a failed change does not block the next). */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => {});
    return run;
  }

  private load(): Promise<void> {
    this.loaded ??= this.storage.entries.all().then((all) => {
      for (const e of all) this.cache.set(e.recordingId, e);
    });
    return this.loaded;
  }

  /** Called with a copy of an entry after each change. */
  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private async save(entry: SpoolEntry): Promise<SpoolEntry> {
    await this.storage.entries.put(entry);
    this.cache.set(entry.recordingId, entry);
    const copy = { ...entry, chunks: [...entry.chunks] };
    for (const fn of this.listeners) fn(copy);
    return copy;
  }

  private async must(recordingId: string): Promise<SpoolEntry> {
    await this.load();
    const e = this.cache.get(recordingId);
    if (!e) throw new Error(`no spooled recording ${recordingId}`);
    return e;
  }

  async get(recordingId: string): Promise<SpoolEntry | null> {
    await this.load();
    const e = this.cache.get(recordingId);
    return e ? { ...e, chunks: [...e.chunks] } : null;
  }

  /** Recordings not yet completely on the server (optionally of one session), oldest first. */
  async pending(sessionId?: string): Promise<SpoolEntry[]> {
    await this.load();
    return [...this.cache.values()]
      .filter((e) => sessionId === undefined || e.sessionId === sessionId)
      .sort((a, b) => a.createdAtMs - b.createdAtMs)
      .map((e) => ({ ...e, chunks: [...e.chunks] }));
  }

  create(init: NewSpoolEntry, nowMs = Date.now()): Promise<SpoolEntry> {
    return this.serial(async () => {
      await this.load();
      return this.save({
        ...init,
        uploadUrl: null,
        recordedBytes: 0,
        recordedMediaMs: 0,
        ackedBytes: 0,
        ackedMediaMs: 0,
        finalBytes: null,
        stopSent: false,
        createdAtMs: nowMs,
        chunks: [],
      });
    });
  }

  /** Stores the bytes first, then counts them: a crash in between leaves an orphan, never a hole. */
  append(recordingId: string, data: Blob, endMediaMs: number): Promise<SpoolEntry> {
    return this.serial(async () => {
      const e = await this.must(recordingId);
      if (e.finalBytes !== null) throw new Error('the recording was already finalised');
      if (data.size === 0)
        return this.save({ ...e, recordedMediaMs: Math.max(e.recordedMediaMs, endMediaMs) });
      await this.storage.chunks.put(recordingId, e.recordedBytes, data);
      return this.save({
        ...e,
        chunks: [...e.chunks, { start: e.recordedBytes, size: data.size, endMediaMs }],
        recordedBytes: e.recordedBytes + data.size,
        recordedMediaMs: Math.max(e.recordedMediaMs, endMediaMs),
      });
    });
  }

  /** The bytes [start, end) that are still spooled, as one Blob (shorter when not recorded yet). */
  async read(recordingId: string, start: number, end: number): Promise<Blob> {
    const e = await this.must(recordingId);
    if (start < e.ackedBytes) {
      // tus never asks again for what the server confirmed; this would be a bug, not a retry.
      throw new Error(`bytes from ${start} were already acknowledged (${e.ackedBytes}) and dropped`);
    }
    const parts: Blob[] = [];
    for (const c of e.chunks) {
      const cEnd = c.start + c.size;
      if (cEnd <= start || c.start >= end) continue;
      const blob = await this.storage.chunks.get(recordingId, c.start);
      if (!blob || blob.size !== c.size) throw new Error(`spooled chunk at ${c.start} is missing`);
      parts.push(blob.slice(Math.max(0, start - c.start), Math.min(c.size, end - c.start)));
    }
    return new Blob(parts);
  }

  /** The server holds every byte before `offset`: drop the chunks wholly before it. */
  acknowledge(recordingId: string, offset: number): Promise<SpoolEntry> {
    return this.serial(async () => {
      const e = await this.must(recordingId);
      if (offset <= e.ackedBytes && e.chunks.every((c) => c.start + c.size > offset)) return { ...e };
      const done = e.chunks.filter((c) => c.start + c.size <= offset);
      const keep = e.chunks.filter((c) => c.start + c.size > offset);
      const lastDone = done[done.length - 1];
      const saved = await this.save({
        ...e,
        chunks: keep,
        ackedBytes: Math.max(e.ackedBytes, Math.min(offset, e.recordedBytes)),
        ackedMediaMs: lastDone ? Math.max(e.ackedMediaMs, lastDone.endMediaMs) : e.ackedMediaMs,
      });
      // Entry first, bytes after: a crash here leaves orphans that remove() sweeps.
      for (const c of done) await this.storage.chunks.delete(recordingId, c.start);
      return saved;
    });
  }

  update(
    recordingId: string,
    patch: Partial<Pick<SpoolEntry, 'uploadUrl' | 'stopSent'>>,
  ): Promise<SpoolEntry> {
    return this.serial(async () => this.save({ ...(await this.must(recordingId)), ...patch }));
  }

  /** No more bytes will come: the length is what was spooled. */
  finalize(recordingId: string): Promise<SpoolEntry> {
    return this.serial(async () => {
      const e = await this.must(recordingId);
      if (e.finalBytes !== null) return { ...e };
      return this.save({ ...e, finalBytes: e.recordedBytes });
    });
  }

  /** Forgets a recording and its bytes (it is complete on the server, or was discarded). */
  remove(recordingId: string): Promise<void> {
    return this.serial(async () => {
      await this.load();
      await this.storage.entries.delete(recordingId);
      this.cache.delete(recordingId);
      await this.storage.chunks.deleteAll(recordingId);
    });
  }
}
