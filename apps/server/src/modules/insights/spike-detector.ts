/**
 * Spike detection against a category's own hour-of-week baseline: the count in one hour is compared with the
 * counts in the same hour of the previous weeks (Monday 09:00 with earlier Mondays 09:00), so a busy Monday
 * morning is not a spike but a quiet Sunday night with four times its usual volume is.
 */
export interface SpikeOptions {
  /** the observed count must be at least this many times the baseline (default 3) */
  factor?: number;
  /** and at least this many tickets (default 5), so 2 instead of 0 is not an alert */
  minCount?: number;
  /** and this many standard deviations above the baseline (default 3; Poisson variance when the history is flat) */
  minZ?: number;
  /** a baseline below this counts as this (default 1) */
  baselineFloor?: number;
  /** and so unlikely under the baseline's upper confidence bound (Poisson tail, default 1e-4) */
  alpha?: number;
}

export interface SpikeVerdict {
  isSpike: boolean;
  observed: number;
  baseline: number;
  ratio: number;
  z: number;
  /** P(X ≥ observed) for a Poisson count at the baseline's upper confidence bound */
  pValue: number;
}

/** P(X ≥ k) for X ~ Poisson(lambda), summed in log space so it stays accurate in the far tail. */
export function poissonTail(k: number, lambda: number): number {
  if (k <= 0) return 1;
  if (lambda <= 0) return 0;
  // 1 − P(X ≤ k−1)
  let logTerm = -lambda; // log P(X = 0)
  let cdf = Math.exp(logTerm);
  for (let i = 1; i < k; i += 1) {
    logTerm += Math.log(lambda) - Math.log(i);
    cdf += Math.exp(logTerm);
  }
  const tail = 1 - cdf;
  if (tail > 1e-9) return tail;
  // far tail: sum the terms from k upwards instead (1 − cdf has cancelled out)
  let t = -lambda;
  for (let i = 1; i <= k; i += 1) t += Math.log(lambda) - Math.log(i);
  let sum = 0;
  for (let i = k; i < k + 200; i += 1) {
    sum += Math.exp(t);
    t += Math.log(lambda) - Math.log(i + 1);
  }
  return sum;
}

export function judgeSpike(observed: number, history: number[], opts: SpikeOptions = {}): SpikeVerdict {
  const factor = opts.factor ?? 3;
  const minCount = opts.minCount ?? 5;
  const minZ = opts.minZ ?? 3;
  const floor = opts.baselineFloor ?? 1;
  const alpha = opts.alpha ?? 1e-4;
  const n = history.length;
  const mean = n > 0 ? history.reduce((a, b) => a + b, 0) / n : 0;
  const variance = n > 1 ? history.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : mean;
  const baseline = Math.max(mean, floor);
  // counts are at least Poisson-noisy: never trust a variance smaller than the mean
  const sd = Math.sqrt(Math.max(variance, baseline));
  const ratio = observed / baseline;
  const z = (observed - mean) / sd;
  // a few weeks of history estimate the rate only roughly: judge against its upper confidence bound
  const lambda = Math.max(floor, mean + 2 * Math.sqrt(baseline / Math.max(1, n)));
  const pValue = poissonTail(observed, lambda);
  const isSpike = observed >= minCount && ratio >= factor && z >= minZ && pValue < alpha;
  return { isSpike, observed, baseline: mean, ratio, z, pValue };
}

export const HOURS_PER_WEEK = 168;

/**
 * Scans an hourly series (index 0 = the first hour) and returns the indices that spike against the same hour in
 * the previous `weeks` weeks. Hours without a full history are not judged.
 */
export function findSpikes(series: number[], opts: SpikeOptions & { weeks?: number } = {}): Array<SpikeVerdict & { index: number }> {
  const weeks = opts.weeks ?? 4;
  const out: Array<SpikeVerdict & { index: number }> = [];
  for (let i = weeks * HOURS_PER_WEEK; i < series.length; i += 1) {
    const history: number[] = [];
    for (let w = 1; w <= weeks; w += 1) history.push(series[i - w * HOURS_PER_WEEK] ?? 0);
    const v = judgeSpike(series[i] ?? 0, history, opts);
    if (v.isSpike) out.push({ ...v, index: i });
  }
  return out;
}
