import type { PartialTally } from './remote-tallies.js';
import { FULL_PARTICIPANT_LIST_MAX } from './room-types.js';
import type { Tally } from './tally.js';

/** What this instance tells the others about a room's tally (several instances). */
export class PartialPublisher {
  /** local level changes not yet published to other instances */
  readonly unpublished = new Map<string, number | null>();
  lastPublishAt = 0;
  publishedN = 0;

  constructor(
    private readonly sessionId: string,
    private readonly tally: Tally,
  ) {}

  changed(participantId: string, level: number | null): void {
    this.unpublished.set(participantId, level);
  }

  /** This instance's partial for the others; null when there is nothing new to say. */
  take(now: number, heartbeatMs: number): PartialTally | null {
    const n = this.tally.n;
    const due = now - this.lastPublishAt >= heartbeatMs && (n > 0 || this.publishedN > 0);
    if (this.unpublished.size === 0 && !due) return null;
    const p: PartialTally = { s: this.sessionId, c: this.tally.counts() };
    if (n <= FULL_PARTICIPANT_LIST_MAX) p.f = [...this.tally.entries()];
    else p.d = [...this.unpublished];
    this.unpublished.clear();
    this.lastPublishAt = now;
    this.publishedN = n;
    return p;
  }
}
