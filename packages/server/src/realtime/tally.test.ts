import { describe, expect, it } from 'vitest';
import { aggregate, Tally } from './tally.js';

describe('Tally', () => {
  it('counts levels and averages them', () => {
    const t = new Tally();
    expect(t.avg).toBeNull();
    expect(t.set('a', 2)).toBe(true);
    expect(t.set('b', 5)).toBe(true);
    expect(t.n).toBe(2);
    expect(t.avg).toBe(3.5);
    expect(t.counts()).toEqual([0, 1, 0, 0, 1]);
  });

  it('moves a participant between levels without double counting', () => {
    const t = new Tally();
    t.set('a', 1);
    expect(t.set('a', 1)).toBe(false);
    expect(t.set('a', 4)).toBe(true);
    expect(t.n).toBe(1);
    expect(t.counts()).toEqual([0, 0, 0, 1, 0]);
    expect(t.avg).toBe(4);
  });

  it('removes participants', () => {
    const t = new Tally();
    t.set('a', 1);
    t.set('b', 3);
    expect(t.remove('a')).toBe(true);
    expect(t.remove('a')).toBe(false);
    expect(t.n).toBe(1);
    expect(t.avg).toBe(3);
    expect(t.counts()).toEqual([0, 0, 1, 0, 0]);
  });

  it('rounds the average to 3 decimals', () => {
    const t = new Tally();
    t.set('a', 1);
    t.set('b', 1);
    t.set('c', 2);
    expect(t.avg).toBe(1.333);
  });

  it('stays consistent over many random moves', () => {
    const t = new Tally();
    const truth = new Map<string, number>();
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 5000; i++) {
      const id = `p${Math.floor(rnd() * 100)}`;
      if (rnd() < 0.1) {
        t.remove(id);
        truth.delete(id);
      } else {
        const level = 1 + Math.floor(rnd() * 5);
        t.set(id, level);
        truth.set(id, level);
      }
    }
    const counts = [0, 0, 0, 0, 0];
    for (const l of truth.values()) counts[l - 1]!++;
    expect(t.counts()).toEqual(counts);
    expect(t.n).toBe(truth.size);
  });
});

describe('aggregate', () => {
  it('sums partial counts', () => {
    expect(
      aggregate([
        [1, 0, 0, 0, 1],
        [0, 2, 0, 0, 0],
      ]),
    ).toEqual({ n: 4, avg: 2.5, counts: [1, 2, 0, 0, 1] });
    expect(aggregate([])).toEqual({ n: 0, avg: null, counts: [0, 0, 0, 0, 0] });
  });
});
