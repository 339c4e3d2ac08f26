import { describe, expect, it } from 'vitest';
import { findSpikes, HOURS_PER_WEEK, judgeSpike, poissonTail } from './spike-detector.ts';

/** A deterministic pseudo-random generator so the synthetic series are the same on every run. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function poisson(lambda: number, rand: () => number): number {
  const l = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do {
    k += 1;
    p *= rand();
  } while (p > l);
  return k - 1;
}

/** Weekly seasonality: busy weekday office hours, quiet nights and weekends. */
function expectedAt(hourIndex: number): number {
  const how = hourIndex % HOURS_PER_WEEK;
  const day = Math.floor(how / 24);
  const hour = how % 24;
  const weekend = day === 0 || day === 6;
  const office = hour >= 9 && hour < 18;
  return weekend ? (office ? 3 : 0.5) : office ? 20 : 2;
}

describe('spike detector', () => {
  it('finds exactly the injected spikes in a seasonal series with noise', () => {
    const rand = rng(42);
    const weeks = 8;
    const series = Array.from({ length: weeks * HOURS_PER_WEEK }, (_, i) => poisson(expectedAt(i), rand));
    // spikes: a Sunday night outage (4× normal is far above a quiet hour), a Wednesday-morning 4× surge
    const sundayNight = 6 * HOURS_PER_WEEK + 2; // week 7, Sunday 02:00
    const wednesdayMorning = 7 * HOURS_PER_WEEK + 3 * 24 + 10; // week 8, Wednesday 10:00
    series[sundayNight] = 12;
    series[wednesdayMorning] = 80;
    const found = findSpikes(series, { weeks: 4 }).map((s) => s.index);
    expect(found).toEqual([sundayNight, wednesdayMorning]);
  });

  it('does not call the busy Monday morning a spike just because it is busier than the night', () => {
    const rand = rng(7);
    const series = Array.from({ length: 6 * HOURS_PER_WEEK }, (_, i) => poisson(expectedAt(i), rand));
    expect(findSpikes(series, { weeks: 4 })).toEqual([]);
  });

  it('needs a minimum count, a ratio, a z-score and an unlikely Poisson tail before it alerts', () => {
    expect(judgeSpike(2, [0, 0, 0, 0]).isSpike).toBe(false); // 2 instead of 0 is noise
    expect(judgeSpike(5, [1, 1, 1, 1]).isSpike).toBe(false); // 5 where 1 is usual happens by chance (p ≈ 0.05)
    expect(judgeSpike(10, [1, 1, 1, 1])).toMatchObject({ isSpike: true, baseline: 1, ratio: 10 });
    expect(judgeSpike(25, [10, 10, 10, 10]).isSpike).toBe(false); // 2.5× is below the factor of 3
    expect(judgeSpike(40, [10, 10, 10, 10]).isSpike).toBe(true);
    expect(judgeSpike(40, [0, 30, 0, 30]).isSpike).toBe(false); // a volatile history needs a bigger jump
  });
});

describe('poisson tail', () => {
  it('matches known values', () => {
    expect(poissonTail(0, 3)).toBe(1);
    expect(poissonTail(1, 2)).toBeCloseTo(1 - Math.exp(-2), 12);
    expect(poissonTail(5, 2)).toBeCloseTo(0.052653, 5);
    expect(poissonTail(40, 10)).toBeGreaterThan(0);
    expect(poissonTail(40, 10)).toBeLessThan(1e-10);
  });
});
