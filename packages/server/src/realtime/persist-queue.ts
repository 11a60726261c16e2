import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import type {
  LiveBatch,
  SecondInsert,
  SecondPartialInsert,
  SignalInsert,
} from '../features/understanding/understanding-repo.js';

/**
 * What the live path has to store, held until the database took it. Rows never depend on a room
 * still being loaded. Failed batches are retried with backoff under a fixed id (the database
 * stores an id once, so a retry after an ambiguous failure, or a spill file replayed twice, is
 * stored once). Above `maxBacklogRows` — or at shutdown after `drain` — what is held goes to a
 * spill file (`.tmp` then rename, fsynced) that `replaySpills` stores at the next start or as soon
 * as the database is back. Failures are logged once per incident.
 */
export interface PersistQueueOptions {
  write(batch: LiveBatch): Promise<boolean>;
  log: Logger;
  maxBacklogRows: number;
  spillDir: string;
}

export interface PersistStats {
  backlogRows: number;
  persistFailures: number;
  /** incidents: a run of failures ended by a success (or still open) */
  persistIncidents: number;
  spilledRows: number;
  replayedRows: number;
  lastPersistMs: number;
}

export interface DrainResult {
  written: number;
  spilled: number;
  file: string | null;
}

const rowsOf = (b: LiveBatch) =>
  b.signals.length + b.seconds.length + b.levels.length + (b.partials?.length ?? 0);
const RETRY_MIN_MS = 250;
const RETRY_MAX_MS = 5000;

/** The rows of a spilled batch, as JSON wrote them (the LiveBatch row types, no dates or bigints). */
const counts = { c1: z.number(), c2: z.number(), c3: z.number(), c4: z.number(), c5: z.number() };
const signalRowSchema: z.ZodType<SignalInsert> = z.object({
  session_id: z.string(),
  participant_id: z.string(),
  t_ms: z.number(),
  level: z.number(),
  video_ms: z.number().nullable().optional(),
  video_playing: z.boolean().nullable().optional(),
});
const secondRowSchema: z.ZodType<SecondInsert> = z.object({
  session_id: z.string(),
  t_sec: z.number(),
  avg: z.number().nullable(),
  n: z.number(),
  ...counts,
  partial: z.boolean().optional(),
});
const partialRowSchema: z.ZodType<SecondPartialInsert> = z.object({
  session_id: z.string(),
  t_sec: z.number(),
  instance_id: z.string(),
  ...counts,
});
const spilledBatchSchema: z.ZodType<LiveBatch & { spillId: string }> = z.object({
  spillId: z.string().min(1),
  signals: z.array(signalRowSchema),
  seconds: z.array(secondRowSchema),
  levels: z.array(z.tuple([z.string(), z.number()])),
  partials: z.array(partialRowSchema).optional(),
});
const spillFileSchema = z.object({
  version: z.literal(1),
  createdAt: z.string(),
  batches: z.array(spilledBatchSchema),
});

export class PersistQueue {
  private fresh: LiveBatch = { signals: [], seconds: [], levels: [], partials: [] };
  private freshLevels = new Map<string, number>();
  /** batches tried at least once, in order; each has its spillId */
  private held: LiveBatch[] = [];
  private writing: Promise<void> | null = null;
  private failingSince: number | null = null;
  private failuresInIncident = 0;
  private retryAt = 0;
  private spillsPending = true;
  readonly stats: PersistStats = {
    backlogRows: 0,
    persistFailures: 0,
    persistIncidents: 0,
    spilledRows: 0,
    replayedRows: 0,
    lastPersistMs: 0,
  };

  constructor(private readonly opts: PersistQueueOptions) {}

  add(batch: Omit<LiveBatch, 'levels'> & { levels: Iterable<[string, number]> }): void {
    this.fresh.signals.push(...batch.signals);
    this.fresh.seconds.push(...batch.seconds);
    this.fresh.partials!.push(...(batch.partials ?? []));
    for (const [id, level] of batch.levels) this.freshLevels.set(id, level);
    this.updateBacklog();
  }

  get rows(): number {
    return this.stats.backlogRows;
  }
  /** True while the database refuses writes (an incident is open). */
  get failing(): boolean {
    return this.failingSince !== null;
  }

  private updateBacklog(): void {
    this.stats.backlogRows =
      this.held.reduce((a, b) => a + rowsOf(b), 0) + rowsOf(this.fresh) + this.freshLevels.size;
  }

  private takeFresh(): void {
    this.fresh.levels = [...this.freshLevels];
    this.freshLevels.clear();
    if (rowsOf(this.fresh) > 0) this.held.push(this.fresh);
    this.fresh = { signals: [], seconds: [], levels: [], partials: [] };
  }

  /** True while a write is in flight. */
  get busy(): boolean {
    return this.writing !== null;
  }

  /**
   * Writes everything held, including what was added while a write was in flight (never
   * overlapping itself). Respects the retry backoff unless forced.
   */
  flush(force = false): Promise<void> {
    if (this.writing) return this.writing.then(() => this.flush(force));
    if (!force && Date.now() < this.retryAt) return Promise.resolve();
    this.writing = this.writeAll().finally(() => (this.writing = null));
    return this.writing;
  }

  private async writeAll(): Promise<void> {
    this.takeFresh();
    while (this.held.length > 0) {
      const batch = this.held[0]!;
      const started = performance.now();
      try {
        await this.opts.write(batch);
        this.stats.lastPersistMs = performance.now() - started;
        this.held.shift();
      } catch (err) {
        batch.spillId ??= randomUUID();
        this.failed(err);
        this.updateBacklog();
        if (this.stats.backlogRows > this.opts.maxBacklogRows) await this.spillHeld('backlog over its bound');
        return;
      }
    }
    this.updateBacklog();
    this.recovered();
    if (this.spillsPending) await this.replaySpills();
  }

  private failed(err: unknown): void {
    this.stats.persistFailures++;
    this.failuresInIncident++;
    const delay = Math.min(RETRY_MAX_MS, RETRY_MIN_MS * 2 ** Math.min(5, this.failuresInIncident - 1));
    this.retryAt = Date.now() + delay;
    if (this.failingSince !== null) return;
    this.failingSince = Date.now();
    this.stats.persistIncidents++;
    this.opts.log.error(
      { err, backlogRows: this.stats.backlogRows, event: 'persist_failed' },
      'persisting live data failed; keeping the rows in memory and retrying (logged once until it recovers)',
    );
  }

  private recovered(): void {
    if (this.failingSince === null) return;
    this.opts.log.warn(
      {
        failedForMs: Date.now() - this.failingSince,
        attempts: this.failuresInIncident,
        event: 'persist_recovered',
      },
      'persisting live data recovered; the backlog is written',
    );
    this.failingSince = null;
    this.failuresInIncident = 0;
    this.retryAt = 0;
  }

  /**
   * Shutdown: retries until everything is written or `deadlineMs` passed, then spills the rest.
   */
  async drain(deadlineMs: number): Promise<DrainResult> {
    const until = Date.now() + deadlineMs;
    const before = this.stats.backlogRows + rowsOf(this.fresh);
    for (;;) {
      const attempt = this.flush(true);
      const left = until - Date.now();
      const timedOut = await Promise.race([
        attempt.then(() => false),
        new Promise<boolean>((r) => setTimeout(() => r(true), Math.max(0, left)).unref()),
      ]);
      if (!timedOut && this.held.length === 0 && rowsOf(this.fresh) === 0 && this.freshLevels.size === 0)
        return { written: before, spilled: 0, file: null };
      if (timedOut || Date.now() >= until) break;
      await new Promise((r) => setTimeout(r, Math.min(RETRY_MIN_MS, Math.max(0, until - Date.now()))));
    }
    this.takeFresh();
    const spilled = this.stats.backlogRows;
    const file = await this.spillHeld('shutdown drain time over');
    return { written: Math.max(0, before - spilled), spilled, file };
  }

  /** Moves every held batch to a spill file; returns its path (null: nothing held). */
  private async spillHeld(why: string): Promise<string | null> {
    const batches = this.held.splice(0);
    if (batches.length === 0) return null;
    for (const b of batches) b.spillId ??= randomUUID();
    const rows = batches.reduce((a, b) => a + rowsOf(b), 0);
    await mkdir(this.opts.spillDir, { recursive: true });
    const file = path.join(this.opts.spillDir, `live-${Date.now()}-${randomUUID().slice(0, 8)}.json`);
    const body = JSON.stringify({ version: 1, createdAt: new Date().toISOString(), batches });
    const fh = await open(`${file}.tmp`, 'w');
    try {
      await fh.writeFile(body);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(`${file}.tmp`, file);
    this.stats.spilledRows += rows;
    this.spillsPending = true;
    this.updateBacklog();
    this.opts.log.error(
      { file, rows, why, event: 'persist_spilled' },
      `${why}: ${rows} live rows kept in ${file}; they are stored when the database is back or at the next start`,
    );
    return file;
  }

  /** Stores every spill file in the folder, each batch exactly once; deletes the files stored. */
  async replaySpills(): Promise<{ files: number; rows: number }> {
    this.spillsPending = false;
    let names: string[];
    try {
      names = (await readdir(this.opts.spillDir)).filter((n) => n.endsWith('.json')).sort();
    } catch {
      return { files: 0, rows: 0 };
    }
    let rows = 0;
    let files = 0;
    for (const name of names) {
      const file = path.join(this.opts.spillDir, name);
      let parsed: z.infer<typeof spillFileSchema>;
      try {
        parsed = spillFileSchema.parse(JSON.parse(await readFile(file, 'utf8')));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue; // another worker took it
        this.opts.log.error({ err, file }, 'spill file unreadable; left in place for an operator');
        continue;
      }
      try {
        for (const b of parsed.batches) {
          const stored = await this.opts.write(b);
          if (stored) rows += rowsOf(b);
        }
      } catch (err) {
        this.spillsPending = true;
        this.opts.log.warn({ err, file }, 'replaying a spill file failed; it stays and is retried');
        return { files, rows };
      }
      await rm(file, { force: true });
      files++;
    }
    this.stats.replayedRows += rows;
    if (files > 0)
      this.opts.log.warn(
        { files, rows, event: 'spill_replayed' },
        `replayed ${files} spill file(s): ${rows} live rows stored`,
      );
    return { files, rows };
  }
}
