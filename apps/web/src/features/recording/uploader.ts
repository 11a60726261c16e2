import { Upload, type DetailedError, type FileSource, type HttpRequest } from 'tus-js-client';
import type { Spool, SpoolEntry } from './spool';

/** Most bytes one PATCH carries; a recording sends ~1 s of media per PATCH while live. */
export const PATCH_MAX_BYTES = 8 * 1024 * 1024;
const BACKOFF_MS = [500, 1000, 2000, 4000, 8000, 10_000];

export type UploadPhase =
  /** Sending, or waiting for the next chunk from the recorder. */
  | 'active'
  /** The last attempt failed (offline, server away); trying again after a pause. */
  | 'retrying'
  /** Every byte is on the server, which knows the length. */
  | 'complete'
  /** The server refused (4xx other than a conflict): nothing more can be sent. */
  | 'failed';

export interface UploadStatus {
  phase: UploadPhase;
  entry: SpoolEntry;
  /** The last error, for the presenter (HTTP status and server message when there was one). */
  error: { status: number | null; code: string | null; message: string } | null;
}

export interface UploaderDeps {
  spool: Spool;
  endpoint: string;
  /** A bearer token for each request; `force` after a 401. */
  token: (force: boolean) => Promise<string | null>;
  onStatus: (status: UploadStatus) => void;
}

/** Parses the server's `{"error":{code,message}}` out of a tus error. */
export function describeTusError(err: unknown): UploadStatus['error'] & object {
  const detailed = err as Partial<DetailedError>;
  const res = detailed.originalResponse ?? null;
  const status = res ? res.getStatus() : null;
  let code: string | null = null;
  let message = err instanceof Error ? err.message : String(err);
  if (res) {
    try {
      const body = JSON.parse(res.getBody()) as { error?: { code?: string; message?: string } };
      code = body.error?.code ?? null;
      message = body.error?.message ?? message;
    } catch {
      // not JSON: keep tus' own message
    }
  }
  return { status, code, message };
}

/** Worth another try: no answer at all, a conflict tus resolves with HEAD, or a server hiccup. */
export function isRetryable(status: number | null): boolean {
  return (
    status === null ||
    status === 0 ||
    status === 401 ||
    status === 409 ||
    status === 423 ||
    status === 429 ||
    status >= 500
  );
}

/**
 * A tus source over the spool: `slice` waits until the recorder has spooled bytes past `start`
 * (or the recording ended), so each PATCH carries what was recorded since the last one.
 */
class LiveSpoolSource implements FileSource {
  size = Number.NaN;
  private cancelled = false;
  private waiters = new Set<() => void>();
  private readonly off: () => void;

  constructor(
    private readonly spool: Spool,
    private readonly recordingId: string,
  ) {
    this.off = spool.subscribe((e) => {
      if (e.recordingId !== recordingId) return;
      for (const w of this.waiters) w();
    });
  }

  async slice(start: number, end: number) {
    for (;;) {
      if (this.cancelled) throw new Error('upload cancelled');
      const e = await this.spool.get(this.recordingId);
      if (!e) throw new Error('the spooled recording is gone');
      const available = e.recordedBytes > start;
      if (available || e.finalBytes !== null) {
        const value = available ? await this.spool.read(this.recordingId, start, end) : new Blob([]);
        const done = e.finalBytes !== null && start + value.size >= e.finalBytes;
        return { value, done };
      }
      await new Promise<void>((resolve) => {
        const w = () => {
          this.waiters.delete(w);
          resolve();
        };
        this.waiters.add(w);
      });
    }
  }

  close() {
    this.off();
  }

  cancel() {
    this.cancelled = true;
    for (const w of [...this.waiters]) w();
    this.off();
  }
}

/**
 * Keeps one recording's tus upload going until every spooled byte is on the server: creates it
 * (or resumes the remembered URL with HEAD), acknowledges each accepted offset to the spool,
 * and after a failure tries again with backoff — at once when the browser comes back online.
 */
export class RecordingUploader {
  private upload: Upload | null = null;
  private source: LiveSpoolSource | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private attempt = 0;
  private stopped = false;
  private phase: UploadPhase = 'active';
  private lastError: UploadStatus['error'] = null;
  private forceToken = false;
  private readonly onOnline = () => {
    if (this.phase === 'retrying') this.restartNow();
  };

  constructor(
    private readonly recordingId: string,
    private readonly deps: UploaderDeps,
  ) {}

  start(): void {
    this.stopped = false;
    window.addEventListener('online', this.onOnline);
    void this.run();
  }

  /** Stops sending (the spool keeps everything; a later start() resumes with HEAD). */
  stop(): void {
    this.stopped = true;
    window.removeEventListener('online', this.onOnline);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.source?.cancel();
    void this.upload?.abort(false);
    this.upload = null;
  }

  private async emit(): Promise<void> {
    const entry = await this.deps.spool.get(this.recordingId);
    if (entry) this.deps.onStatus({ phase: this.phase, entry, error: this.lastError });
  }

  private restartNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    void this.run();
  }

  private async run(): Promise<void> {
    if (this.stopped) return;
    const entry = await this.deps.spool.get(this.recordingId);
    if (!entry) return;
    this.source?.cancel();
    const source = new LiveSpoolSource(this.deps.spool, this.recordingId);
    this.source = source;
    const { spool } = this.deps;
    const id = this.recordingId;
    const upload: Upload = new Upload(new Blob([]), {
      // A remembered URL is resumed, never silently replaced by a new upload (its first bytes
      // left the spool long ago): without an endpoint tus reports the failed HEAD instead.
      endpoint: entry.uploadUrl ? null : this.deps.endpoint,
      uploadUrl: entry.uploadUrl,
      uploadLengthDeferred: true,
      metadata: { recordingId: id },
      chunkSize: PATCH_MAX_BYTES,
      retryDelays: null,
      storeFingerprintForResuming: false,
      fingerprint: async () => `rstream-recording-${id}`,
      fileReader: { openFile: async () => source },
      onBeforeRequest: async (req: HttpRequest) => {
        const token = await this.deps.token(this.forceToken);
        this.forceToken = false;
        if (token) req.setHeader('Authorization', `Bearer ${token}`);
      },
      onUploadUrlAvailable: () => {
        if (upload.url && upload.url !== entry.uploadUrl) void spool.update(id, { uploadUrl: upload.url });
      },
      onChunkComplete: (_size, accepted) => {
        this.attempt = 0;
        this.phase = 'active';
        this.lastError = null;
        void spool.acknowledge(id, accepted).then(() => this.emit());
      },
      onSuccess: () => {
        void spool.get(id).then(async (e) => {
          if (e?.finalBytes !== null && e?.finalBytes !== undefined)
            await spool.acknowledge(id, e.finalBytes);
          this.phase = 'complete';
          this.lastError = null;
          window.removeEventListener('online', this.onOnline);
          await this.emit();
        });
      },
      onError: (err) => this.failed(err),
    });
    this.upload = upload;
    upload.start();
  }

  private failed(err: unknown): void {
    if (this.stopped) return;
    const info = describeTusError(err);
    this.lastError = info;
    if (info.status === 401) this.forceToken = true;
    if (!isRetryable(info.status)) {
      this.phase = 'failed';
      this.stop();
      void this.emit();
      return;
    }
    this.phase = 'retrying';
    void this.emit();
    const delay = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)] as number;
    this.attempt++;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.run();
    }, delay);
  }
}
