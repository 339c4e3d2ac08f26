/**
 * The buckets of the duration histograms (insight_daily_durations). Bucket `i` holds the whole seconds in
 * (EDGES[i - 1], EDGES[i]] (bucket 0 holds 0 s). Edges grow by at most 20% (1 s steps below 10 s) and include the
 * round durations people choose as targets (5 min, 15 min, 1 h, 4 h, 1 day …), so a count of durations at or under
 * such a target is exact. Bucket numbers are stored: changing EDGES needs a rebuild of the insights.
 */
const ROUND = [
  15, 20, 30, 45, 60, 90, 120, 180, 300, 600, 900, 1200, 1800, 2700, 3600, 5400, 7200, 10_800, 14_400, 21_600, 28_800,
  43_200, 86_400, 172_800, 259_200, 345_600, 432_000, 604_800, 1_209_600, 2_592_000,
];
const MAX_SECONDS = 2_147_483_647;

function buildEdges(): number[] {
  const out = new Set<number>(ROUND);
  for (let v = 0; v <= 10; v += 1) out.add(v);
  for (let v = 10; v < MAX_SECONDS / 1.2; v = Math.ceil(v * 1.2)) out.add(v);
  out.add(MAX_SECONDS);
  return [...out].sort((a, b) => a - b);
}

export const EDGES: readonly number[] = buildEdges();

/** The bucket of a duration in whole seconds (the first edge at or above it). */
export function bucketOf(seconds: number): number {
  let lo = 0;
  let hi = EDGES.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((EDGES[mid] as number) >= seconds) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The thresholds for PostgreSQL's `width_bucket(seconds, thresholds)`, which then gives the same bucket as
 * bucketOf: the number of edges below the value.
 */
export const WIDTH_BUCKET_THRESHOLDS: readonly number[] = EDGES.slice(0, -1).map((e) => e + 1);

/** The smallest and largest whole seconds a bucket holds. */
export function bucketBounds(bucket: number): { lo: number; hi: number } {
  const hi = EDGES[bucket] as number;
  return { lo: bucket === 0 ? 0 : (EDGES[bucket - 1] as number) + 1, hi };
}

export type Histogram = Map<number, number>;

/**
 * A percentile (0 … 1) as PostgreSQL's percentile_cont computes it (linear interpolation between the two nearest
 * ranks), with each rank's value placed evenly inside its bucket: the answer is within one bucket's width of the
 * exact one (at most 20% of the value above 10 s, exact for 1-second buckets). Null for an empty histogram.
 */
export function percentileOf(h: Histogram, p: number): number | null {
  const buckets = [...h.entries()].filter(([, c]) => c > 0).sort((a, b) => a[0] - b[0]);
  const n = buckets.reduce((s, [, c]) => s + c, 0);
  if (n === 0) return null;
  const valueAt = (rank: number): number => {
    let before = 0;
    for (const [b, c] of buckets) {
      if (rank < before + c) {
        const { lo, hi } = bucketBounds(b);
        // the largest bucket is open-ended: its lower bound is the best we can say
        if (hi === MAX_SECONDS) return lo;
        return lo + ((hi - lo) * (rank - before + 0.5)) / c;
      }
      before += c;
    }
    return bucketBounds((buckets[buckets.length - 1] as [number, number])[0]).lo;
  };
  const r = p * (n - 1);
  const below = Math.floor(r);
  const v = valueAt(below);
  return below === r ? v : v + (r - below) * (valueAt(below + 1) - v);
}

/** Durations at or under `seconds`, or null when `seconds` is not an edge (the histogram cannot say exactly). */
export function countAtOrUnder(h: Histogram, seconds: number): number | null {
  const b = EDGES.indexOf(seconds);
  if (b < 0) return null;
  let n = 0;
  for (const [bucket, c] of h) if (bucket <= b) n += c;
  return n;
}
