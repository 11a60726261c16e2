import type { SecondPartialInsert, SecondRecord, SignalRecord } from './records.js';
import { SecondsRecorder } from './seconds-recorder.js';

/** A room's rows for the database that have not been handed to the persistence queue yet. */
export class PendingWrites {
  signals: SignalRecord[] = [];
  /** each listener's last level */
  readonly levels = new Map<string, number>();
  readonly seconds: SecondsRecorder;

  constructor(sessionId: string, instanceId: () => string) {
    this.seconds = new SecondsRecorder(sessionId, instanceId);
  }

  /** A listener erased themselves: their queued signals and level go. */
  forget(participantId: string): void {
    this.signals = this.signals.filter((s) => s.participant_id !== participantId);
    this.levels.delete(participantId);
  }

  get any(): boolean {
    return this.signals.length > 0 || this.seconds.pending > 0 || this.levels.size > 0;
  }

  take(): {
    signals: SignalRecord[];
    seconds: SecondRecord[];
    partials: SecondPartialInsert[];
    levels: Map<string, number>;
  } | null {
    if (!this.any) return null;
    const { seconds, partials } = this.seconds.take();
    const out = { signals: this.signals, seconds, partials, levels: new Map(this.levels) };
    this.signals = [];
    this.levels.clear();
    return out;
  }
}
