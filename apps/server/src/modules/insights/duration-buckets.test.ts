import { describe, expect, it } from 'vitest';
import { bucketBounds, bucketOf, countAtOrUnder, EDGES, type Histogram, percentileOf } from './duration-buckets.ts';

/** percentile_cont as PostgreSQL computes it */
function exactPercentile(sorted: number[], p: number): number {
  const r = p * (sorted.length - 1);
  const lo = Math.floor(r);
  const a = sorted[lo] as number;
  return lo === r ? a : a + (r - lo) * ((sorted[lo + 1] as number) - a);
}

function histogramOf(values: number[]): Histogram {
  const h: Histogram = new Map();
  for (const v of values) h.set(bucketOf(v), (h.get(bucketOf(v)) ?? 0) + 1);
  return h;
}

/** a deterministic pseudo-random sequence (no flaky data) */
function lcg(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

describe('duration buckets', () => {
  it('puts every duration in the bucket whose bounds hold it, each bucket at most 20% wide above 10 s', () => {
    for (const v of [0, 1, 9, 10, 11, 59, 60, 61, 3599, 3600, 3601, 14_400, 86_399, 86_400, 31_536_000]) {
      const { lo, hi } = bucketBounds(bucketOf(v));
      expect(lo <= v && v <= hi, `${v} in [${lo}, ${hi}]`).toBe(true);
    }
    for (let b = 1; b < EDGES.length - 1; b += 1) {
      const { lo, hi } = bucketBounds(b);
      if (lo > 10) expect(hi - lo).toBeLessThanOrEqual(0.2 * lo);
    }
  });

  it('gives percentiles within one bucket of percentile_cont over the same durations', () => {
    const rnd = lcg(42);
    for (const spread of [300, 14_400, 172_800]) {
      const values = Array.from({ length: 5000 }, () => Math.round(rnd() * rnd() * spread));
      const sorted = [...values].sort((a, b) => a - b);
      const h = histogramOf(values);
      for (const p of [0.5, 0.75, 0.9, 0.95]) {
        const exact = exactPercentile(sorted, p);
        const approx = percentileOf(h, p) as number;
        const { lo, hi } = bucketBounds(bucketOf(Math.round(exact)));
        // within the width of the bucket that holds the exact answer
        expect(Math.abs(approx - exact), `p${p * 100} of spread ${spread}`).toBeLessThanOrEqual(hi - lo + 1);
      }
    }
  });

  it('is exact where buckets are one second wide, and empty without durations', () => {
    expect(percentileOf(histogramOf([1, 2, 3, 4]), 0.5)).toBe(2.5);
    expect(percentileOf(new Map(), 0.5)).toBeNull();
  });

  it('counts durations at or under a round target exactly, and says so when it cannot', () => {
    const h = histogramOf([60, 299, 300, 301, 900, 14_400, 14_401]);
    expect(countAtOrUnder(h, 300)).toBe(3);
    expect(countAtOrUnder(h, 14_400)).toBe(6);
    expect(countAtOrUnder(h, 301)).toBeNull();
  });
});
