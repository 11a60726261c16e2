import type { Recording } from '@rstream/protocol';
import { UPLOADS_PATH } from '@rstream/protocol';
import { ApiError } from '../../api/client';
import {
  captureScreenAndMic,
  CaptureError,
  pickRecorderFormat,
  recorderOptions,
  TIMESLICE_MS,
} from './media';
import type { Capture } from './media';
import { recordingsApi } from './recordings-api';
import { Spool, type SpoolEntry } from './spool';
import { isQuotaError, openBrowserSpoolStorage } from './spool-storage';
import {
  apiErrorDetail,
  INITIAL,
  mediaTimeMs,
  type RecorderSnapshot,
  type UploadView,
} from './recorder-state';
import { RecordingUploader, type UploadStatus } from './uploader';

export interface RecorderDeps {
  sessionId: string;
  /** An invited presenter's participant token; the speaker's account otherwise. */
  bearer?: string;
  /** A bearer for tus requests (`force` after a 401). */
  uploadToken: (force: boolean) => Promise<string | null>;
  /** For tests and the bench: a spool on other storage. */
  spool?: Spool;
}

/**
 * The presenter's recorder: screen + microphone → MediaRecorder (~1 s chunks) → spool →
 * tus upload, with pause/resume/stop told to the server (which keeps the pauses and the
 * offset in session time: the graph is data, never painted into the video).
 */
export class RecorderController {
  private snap: RecorderSnapshot = {
    ...INITIAL,
    online: typeof navigator === 'undefined' || navigator.onLine,
  };
  private readonly listeners = new Set<() => void>();
  private spool: Spool | null = null;
  private readonly uploaders = new Map<string, RecordingUploader>();
  private capture: Capture | null = null;
  private recorder: MediaRecorder | null = null;
  private appendQueue: Promise<unknown> = Promise.resolve();
  private diskFull = false;
  private disposed = false;
  private readonly recoveredIds = new Set<string>();
  private readonly onNet = () => this.set({ online: navigator.onLine });

  constructor(private readonly deps: RecorderDeps) {}

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };
  getSnapshot = (): RecorderSnapshot => this.snap;

  private set(patch: Partial<RecorderSnapshot>): void {
    this.snap = { ...this.snap, ...patch };
    for (const fn of this.listeners) fn();
  }

  private spoolOpening: Promise<Spool> | null = null;

  private openSpool(): Promise<Spool> {
    this.spoolOpening ??= (async () => {
      const spool = this.deps.spool ?? new Spool(await openBrowserSpoolStorage());
      // Every spool change (a chunk written, an offset acknowledged) shows in the upload's view.
      spool.subscribe((e) => {
        const current = this.snap.uploads.find((u) => u.recordingId === e.recordingId);
        if (current && current.phase !== 'complete') this.upsertUpload(e, current.phase, current.error);
      });
      this.spool = spool;
      return spool;
    })();
    return this.spoolOpening;
  }

  /** Resumes whatever a previous page of this session left in the spool; loads the server's list. */
  async init(): Promise<void> {
    window.addEventListener('online', this.onNet);
    window.addEventListener('offline', this.onNet);
    void this.refreshServerList();
    let spool: Spool;
    try {
      spool = await this.openSpool();
    } catch {
      return; // no IndexedDB (private mode in some browsers): recording still works, without resume
    }
    for (const entry of await spool.pending(this.deps.sessionId)) {
      if (this.disposed) return;
      this.recoveredIds.add(entry.recordingId);
      // The tab that recorded it is gone: no more bytes will come.
      const final = await spool.finalize(entry.recordingId);
      this.track(final);
      void this.sendStopped(final);
    }
  }

  dispose(): void {
    this.disposed = true;
    window.removeEventListener('online', this.onNet);
    window.removeEventListener('offline', this.onNet);
    for (const u of this.uploaders.values()) u.stop();
    this.uploaders.clear();
    try {
      if (this.recorder && this.recorder.state !== 'inactive') this.recorder.stop();
    } catch {
      // already stopped
    }
    this.capture?.close();
  }

  async refreshServerList(): Promise<void> {
    try {
      const { recordings } = await recordingsApi.list(this.deps.sessionId, this.deps.bearer);
      this.set({ serverRecordings: recordings });
    } catch {
      // not allowed or offline: keep what we have
    }
  }

  /** A `recording:status` message. */
  onServerRecording(rec: Recording): void {
    if (rec.sessionId !== this.deps.sessionId) return;
    const others = this.snap.serverRecordings.filter((r) => r.id !== rec.id);
    this.set({
      serverRecordings: [...others, rec].sort((a, b) => a.startedAt.localeCompare(b.startedAt)),
    });
  }

  dismissError(): void {
    this.set({ error: null });
  }

  /** R: start when idle, stop while recording or paused. */
  toggle(): void {
    if (this.snap.phase === 'idle') void this.start();
    else if (this.snap.phase === 'recording' || this.snap.phase === 'paused') void this.stop();
  }

  async start(): Promise<void> {
    if (this.snap.phase !== 'idle') return;
    const format = pickRecorderFormat();
    if (!format) {
      this.set({ error: { kind: 'unsupported', detail: 'MediaRecorder' } });
      return;
    }
    this.set({ phase: 'requesting', error: null, format });
    let capture: Capture;
    try {
      capture = await captureScreenAndMic();
    } catch (err) {
      const kind = err instanceof CaptureError ? err.kind : 'unsupported';
      this.set({ phase: 'idle', error: { kind, detail: err instanceof Error ? err.message : '' } });
      return;
    }
    this.capture = capture;
    this.set({ phase: 'starting', hasMicrophone: capture.hasMicrophone });
    let spool: Spool;
    let recording: Recording;
    try {
      spool = await this.openSpool();
      ({ recording } = await recordingsApi.create(
        this.deps.sessionId,
        { mediaType: format.mediaType, mimeType: format.mimeType },
        this.deps.bearer,
      ));
    } catch (err) {
      capture.close();
      this.capture = null;
      this.set({ phase: 'idle', error: apiErrorDetail(err) });
      return;
    }
    const entry = await spool.create({
      recordingId: recording.id,
      sessionId: this.deps.sessionId,
      mediaType: format.mediaType,
      mimeType: format.mimeType,
    });
    this.onServerRecording(recording);
    const recorder = new MediaRecorder(capture.stream, recorderOptions(format));
    this.recorder = recorder;
    this.diskFull = false;
    recorder.addEventListener('dataavailable', (ev) => this.spoolChunk(recording.id, ev.data));
    recorder.addEventListener('stop', () => void this.finished(recording.id));
    capture.onScreenEnded(() => void this.stop());
    recorder.start(TIMESLICE_MS);
    this.set({
      phase: 'recording',
      recordingId: recording.id,
      startedAtMs: Date.now(),
      pausedTotalMs: 0,
      pausedSinceMs: null,
    });
    this.track(entry);
  }

  private spoolChunk(recordingId: string, data: Blob): void {
    const endMediaMs = mediaTimeMs(this.snap);
    this.appendQueue = this.appendQueue.then(async () => {
      if (this.diskFull || !this.spool) return;
      try {
        await this.spool.append(recordingId, data, endMediaMs);
      } catch (err) {
        if (!isQuotaError(err)) throw err;
        // Keep what is spooled (it is a valid file up to the last whole chunk) and stop.
        this.diskFull = true;
        this.set({ error: { kind: 'disk', detail: err instanceof Error ? err.message : '' } });
        void this.stop();
      }
    });
  }

  async pause(): Promise<void> {
    if (this.snap.phase !== 'recording' || !this.recorder || !this.snap.recordingId) return;
    this.recorder.pause();
    this.set({ phase: 'paused', pausedSinceMs: Date.now() });
    await this.tell(this.snap.recordingId, 'paused');
  }

  async resume(): Promise<void> {
    if (this.snap.phase !== 'paused' || !this.recorder || !this.snap.recordingId) return;
    this.recorder.resume();
    const since = this.snap.pausedSinceMs ?? Date.now();
    this.set({
      phase: 'recording',
      pausedSinceMs: null,
      pausedTotalMs: this.snap.pausedTotalMs + Date.now() - since,
    });
    await this.tell(this.snap.recordingId, 'recording');
  }

  async stop(): Promise<void> {
    if (this.snap.phase !== 'recording' && this.snap.phase !== 'paused') return;
    this.set({ phase: 'stopping' });
    try {
      this.recorder?.stop(); // its last dataavailable comes before 'stop'
    } catch {
      void this.finished(this.snap.recordingId ?? '');
    }
  }

  private async finished(recordingId: string): Promise<void> {
    this.capture?.close();
    this.capture = null;
    this.recorder = null;
    await this.appendQueue.catch(() => {});
    const spool = this.spool;
    if (spool && recordingId) {
      const entry = await spool.finalize(recordingId).catch(() => null);
      if (entry) void this.sendStopped(entry);
    }
    this.set({ phase: 'idle', recordingId: null, startedAtMs: null, pausedSinceMs: null, pausedTotalMs: 0 });
  }

  /** Pause/resume for the server's pause list; a failure is shown but does not stop recording. */
  private async tell(recordingId: string, status: 'paused' | 'recording'): Promise<void> {
    try {
      const { recording } = await recordingsApi.update(
        this.deps.sessionId,
        recordingId,
        { status },
        this.deps.bearer,
      );
      this.onServerRecording(recording);
    } catch (err) {
      this.set({ error: apiErrorDetail(err) });
    }
  }

  /** `{status: "stopped"}` until the server heard it (offline now → again when back online). */
  private async sendStopped(entry: SpoolEntry, attempt = 0): Promise<void> {
    if (entry.stopSent || this.disposed) return;
    try {
      const { recording } = await recordingsApi.update(
        this.deps.sessionId,
        entry.recordingId,
        { status: 'stopped' },
        this.deps.bearer,
      );
      this.onServerRecording(recording);
      await this.spool?.update(entry.recordingId, { stopSent: true }).catch(() => {});
    } catch (err) {
      const retry =
        !(err instanceof ApiError) || err.code === 'NETWORK' || err.status >= 500 || err.status === 429;
      if (!retry) return; // e.g. already finished by the server: nothing to tell
      setTimeout(() => void this.sendStopped(entry, attempt + 1), Math.min(10_000, 500 * 2 ** attempt));
    }
  }

  private track(entry: SpoolEntry): void {
    if (this.uploaders.has(entry.recordingId) || !this.spool) return;
    const spool = this.spool;
    const uploader = new RecordingUploader(entry.recordingId, {
      spool,
      endpoint: UPLOADS_PATH,
      token: this.deps.uploadToken,
      onStatus: (status) => this.uploadStatus(status),
    });
    this.uploaders.set(entry.recordingId, uploader);
    this.upsertUpload(entry, 'active', null);
    uploader.start();
  }

  private upsertUpload(entry: SpoolEntry, phase: UploadStatus['phase'], error: UploadStatus['error']): void {
    const view: UploadView = {
      recordingId: entry.recordingId,
      phase,
      recordedBytes: entry.recordedBytes,
      recordedMediaMs: entry.recordedMediaMs,
      ackedBytes: entry.ackedBytes,
      ackedMediaMs: entry.ackedMediaMs,
      finalBytes: entry.finalBytes,
      recovered: this.recoveredIds.has(entry.recordingId),
      error,
    };
    const uploads = this.snap.uploads.filter((u) => u.recordingId !== entry.recordingId);
    this.set({ uploads: [...uploads, view] });
  }

  private uploadStatus({ phase, entry, error }: UploadStatus): void {
    this.upsertUpload(entry, phase, error);
    if (phase === 'complete' || phase === 'failed') {
      this.uploaders.get(entry.recordingId)?.stop();
      this.uploaders.delete(entry.recordingId);
      if (phase === 'failed') this.set({ error: { kind: 'lost', detail: error?.message ?? '' } });
      // Complete: the server has every byte. Failed: it never will; nothing left to keep.
      void this.spool?.remove(entry.recordingId);
    }
  }
}
