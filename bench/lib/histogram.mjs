// Latency histogram: fixed 1 ms buckets from 0 to 10 s (the last bucket holds everything above).
// Cheap to record, merged by summing buckets, sent over IPC as sparse [ms, count] pairs.
export const HIST_MAX_MS = 10_000;

export class Histogram {
  constructor() {
    this.buckets = new Uint32Array(HIST_MAX_MS + 1);
    this.count = 0;
    this.max = 0;
    this.sum = 0;
  }

  record(ms) {
    const v = ms < 0 ? 0 : ms;
    this.buckets[v > HIST_MAX_MS ? HIST_MAX_MS : v | 0]++;
    this.count++;
    this.sum += v;
    if (v > this.max) this.max = v;
  }

  reset() {
    this.buckets.fill(0);
    this.count = 0;
    this.max = 0;
    this.sum = 0;
  }

  toJSON() {
    const sparse = [];
    for (let i = 0; i < this.buckets.length; i++)
      if (this.buckets[i] !== 0) sparse.push([i, this.buckets[i]]);
    return { sparse, count: this.count, max: this.max, sum: this.sum };
  }

  merge(other) {
    const o = other instanceof Histogram ? other.toJSON() : other;
    for (const [i, c] of o.sparse) this.buckets[i] += c;
    this.count += o.count;
    this.sum += o.sum;
    if (o.max > this.max) this.max = o.max;
    return this;
  }

  /** The smallest bucket (ms) at or below which `p` (0–1) of the samples fall; null when empty. */
  percentile(p) {
    if (this.count === 0) return null;
    const target = Math.max(1, Math.ceil(p * this.count));
    let seen = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      seen += this.buckets[i];
      if (seen >= target) return i;
    }
    return HIST_MAX_MS;
  }

  summary() {
    return {
      samples: this.count,
      p50: this.percentile(0.5),
      p90: this.percentile(0.9),
      p99: this.percentile(0.99),
      p999: this.percentile(0.999),
      max: this.count ? this.max : null,
      mean: this.count ? Math.round((this.sum / this.count) * 10) / 10 : null,
    };
  }
}
