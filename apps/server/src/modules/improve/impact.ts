/**
 * Weekly contact counts around a split date (when a fix shipped): `weeks` full weeks before it and, once shipped,
 * up to `weeks` weeks after it (the last one may still be running, so "after" is a per-week rate over the days that
 * have passed). Pure, so the arithmetic is unit-tested without a database.
 */
export interface WeeklyImpact {
  splitAt: string | null;
  weeks: Array<{ weekStart: string; count: number; after: boolean }>;
  beforePerWeek: number;
  afterPerWeek: number | null;
  change: number | null;
}

const WEEK = 7 * 86_400_000;

export function weeklyImpact(
  createdAt: readonly Date[],
  opts: { splitAt: Date; shipped: boolean; weeks: number; now: Date },
): WeeklyImpact {
  const split = opts.splitAt.getTime();
  const buckets: Array<{ weekStart: string; count: number; after: boolean }> = [];
  for (let i = opts.weeks; i >= 1; i -= 1) {
    buckets.push({ weekStart: new Date(split - i * WEEK).toISOString(), count: 0, after: false });
  }
  const elapsedAfter = opts.shipped ? Math.max(0, Math.min(opts.now.getTime() - split, opts.weeks * WEEK)) : 0;
  const afterWeeks = Math.ceil(elapsedAfter / WEEK);
  for (let i = 0; i < afterWeeks; i += 1) {
    buckets.push({ weekStart: new Date(split + i * WEEK).toISOString(), count: 0, after: true });
  }
  let before = 0;
  let after = 0;
  for (const d of createdAt) {
    const t = d.getTime();
    if (t < split) {
      const idx = opts.weeks - 1 - Math.floor((split - 1 - t) / WEEK);
      if (idx < 0) continue;
      const b = buckets[idx];
      if (!b) continue;
      b.count += 1;
      before += 1;
    } else if (opts.shipped && t < split + elapsedAfter) {
      const b = buckets[opts.weeks + Math.floor((t - split) / WEEK)];
      if (!b) continue;
      b.count += 1;
      after += 1;
    }
  }
  const beforePerWeek = before / opts.weeks;
  const afterPerWeek = opts.shipped && elapsedAfter > 0 ? after / (elapsedAfter / WEEK) : null;
  const change = afterPerWeek !== null && beforePerWeek > 0 ? (afterPerWeek - beforePerWeek) / beforePerWeek : null;
  return {
    splitAt: opts.shipped ? opts.splitAt.toISOString() : null,
    weeks: buckets,
    beforePerWeek: round(beforePerWeek),
    afterPerWeek: afterPerWeek === null ? null : round(afterPerWeek),
    change: change === null ? null : round(change),
  };
}

const round = (n: number) => Math.round(n * 1000) / 1000;
