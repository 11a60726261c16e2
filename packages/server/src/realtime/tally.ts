import type { Counts } from '@rstream/protocol';

/** The live count of levels in one session: O(1) per signal, no allocation on the hot path. */
export class Tally {
  private readonly levels = new Map<string, number>();
  private readonly c: [number, number, number, number, number] = [0, 0, 0, 0, 0];
  private sum = 0;

  /** Sets a participant's level; true when the aggregate changed. */
  set(participantId: string, level: number): boolean {
    const prev = this.levels.get(participantId);
    if (prev === level) return false;
    if (prev !== undefined) {
      this.c[prev - 1]!--;
      this.sum -= prev;
    }
    this.levels.set(participantId, level);
    this.c[level - 1]!++;
    this.sum += level;
    return true;
  }

  /** Stops counting a participant; true when they were counted. */
  remove(participantId: string): boolean {
    const prev = this.levels.get(participantId);
    if (prev === undefined) return false;
    this.levels.delete(participantId);
    this.c[prev - 1]!--;
    this.sum -= prev;
    return true;
  }

  get(participantId: string): number | undefined {
    return this.levels.get(participantId);
  }

  get n(): number {
    return this.levels.size;
  }

  /** Mean level, rounded to 3 decimals; null with nobody counted. */
  get avg(): number | null {
    return this.levels.size === 0 ? null : Math.round((this.sum / this.levels.size) * 1000) / 1000;
  }

  counts(): Counts {
    return [this.c[0], this.c[1], this.c[2], this.c[3], this.c[4]];
  }

  entries(): IterableIterator<[string, number]> {
    return this.levels.entries();
  }

  clear(): void {
    this.levels.clear();
    this.c.fill(0);
    this.sum = 0;
  }
}

/** Sums partial counts (e.g. from several instances) into one aggregate. */
export function aggregate(parts: Iterable<Counts>): { n: number; avg: number | null; counts: Counts } {
  const counts: Counts = [0, 0, 0, 0, 0];
  for (const p of parts) for (let i = 0; i < 5; i++) counts[i]! += p[i]!;
  const n = counts.reduce((a, b) => a + b, 0);
  const sum = counts.reduce((a, c, i) => a + c * (i + 1), 0);
  return { n, avg: n === 0 ? null : Math.round((sum / n) * 1000) / 1000, counts };
}
