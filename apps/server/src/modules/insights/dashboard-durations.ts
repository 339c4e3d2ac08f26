import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { countAtOrUnder, type Histogram, percentileOf, WIDTH_BUCKET_THRESHOLDS } from './duration-buckets.ts';
import { and, type DimensionFilters, factFilters, num, type Range, rollupFilters, rows } from './insights-query.ts';
import { rollupRows } from './rollup-range.ts';

/**
 * Up to this many first responses (or resolutions) in the range, percentiles are computed exactly from the facts
 * (percentile_cont); above it, from the daily duration histograms, within one bucket's width (≤ 20%) of the exact
 * value. Sorting this many facts takes a few milliseconds; sorting a year of a busy desk's facts took seconds.
 */
export const EXACT_PERCENTILES_UP_TO = 20_000;

export type Metric = 'first_response' | 'resolution';

/** One group (overall, a team or a person) as the dashboard shows it. */
export interface DurationRow {
  g_team: number;
  g_assignee: number;
  team_k: string;
  assignee_k: string;
  count: number;
  mean: number | null;
  p50: number | null;
  p75: number | null;
  p90: number | null;
  p95: number | null;
  /** first responses at or under the target (overall row, first responses only) */
  within?: number;
}

const COLUMNS: Record<Metric, { at: string; seconds: string; count: string; sum: string }> = {
  first_response: {
    at: 'first_response_at',
    seconds: 'first_response_seconds',
    count: 'first_responses',
    sum: 'first_response_seconds_sum',
  },
  resolution: { at: 'solved_at', seconds: 'resolution_seconds', count: 'solved', sum: 'resolution_seconds_sum' },
};

const GROUPS = sql`GROUPING(team_k)::int AS g_team, GROUPING(assignee_k)::int AS g_assignee,
  coalesce(team_k, '') AS team_k, coalesce(assignee_k, '') AS assignee_k`;
const groupKey = (r: { g_team: number; g_assignee: number; team_k: string; assignee_k: string }) =>
  `${r.g_team}:${r.g_assignee}:${r.team_k}:${r.assignee_k}`;

const iso = (d: Date) => d.toISOString();
const DAY_MS = 86_400_000;

/** Exactly, from the facts of the range: one pass, overall, per team and per person (grouping sets). */
async function exactDurations(
  db: DbOrTx,
  metric: Metric,
  range: Range,
  f: DimensionFilters,
  targetSeconds: number,
): Promise<DurationRow[]> {
  const c = COLUMNS[metric];
  const col = sql.raw(c.seconds);
  const where = and([
    sql`${sql.raw(c.at)} >= ${iso(range.from)}::timestamptz AND ${sql.raw(c.at)} < ${iso(range.to)}::timestamptz`,
    ...factFilters(f),
  ]);
  return rows<DurationRow>(
    db,
    sql`SELECT ${GROUPS}, count(*)::int AS count, avg(${col})::float8 AS mean,
          percentile_cont(0.5) WITHIN GROUP (ORDER BY ${col}) AS p50,
          percentile_cont(0.75) WITHIN GROUP (ORDER BY ${col}) AS p75,
          percentile_cont(0.9) WITHIN GROUP (ORDER BY ${col}) AS p90,
          percentile_cont(0.95) WITHIN GROUP (ORDER BY ${col}) AS p95,
          count(*) FILTER (WHERE ${col} <= ${targetSeconds})::int AS within
        FROM (SELECT team_id::text AS team_k, assignee_id::text AS assignee_k, * FROM insight_ticket_facts WHERE ${where}) f
        GROUP BY GROUPING SETS ((), (team_k), (assignee_k))`,
  );
}

const day = (d: Date) => iso(d).slice(0, 10);

/**
 * The histograms of the whole UTC days [from, to), summed per team, person and bucket: whole months from
 * insight_monthly_durations, the days before the first and after the last whole month from insight_daily_durations.
 */
export function histogramSums(metric: Metric, from: Date, to: Date, filters: SQL[]): SQL {
  const monthFrom = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + (from.getUTCDate() === 1 ? 0 : 1)));
  const monthTo = new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth()));
  const sums = (table: string, where: SQL) =>
    sql`SELECT team_key AS team_k, assignee_key AS assignee_k, bucket::int AS bucket, sum(count) AS n
          FROM ${sql.raw(table)} WHERE metric = ${metric} AND ${where} AND ${and(filters)} GROUP BY 1, 2, 3`;
  const between = (col: string, a: Date, b: Date) =>
    sql`${sql.raw(col)} >= ${day(a)}::date AND ${sql.raw(col)} < ${day(b)}::date`;
  if (!(monthFrom < monthTo)) return sums('insight_daily_durations', between('day', from, to));
  return sql`${sums('insight_monthly_durations', between('month', monthFrom, monthTo))}
    UNION ALL ${sums('insight_daily_durations', sql`((${between('day', from, monthFrom)}) OR (${between('day', monthTo, to)}))`)}`;
}

/**
 * Counts and means exactly from the hourly and daily rollups; percentiles from the histograms for the whole UTC days
 * of the range and from the facts for the hours before the first and after the last whole day.
 */
async function bucketedDurations(
  db: DbOrTx,
  metric: Metric,
  range: Range,
  f: DimensionFilters,
  sums: Array<{ g_team: number; g_assignee: number; team_k: string; assignee_k: string; n: number; s: number }>,
  targetSeconds: number,
): Promise<DurationRow[]> {
  const c = COLUMNS[metric];
  const dayFrom = new Date(Math.ceil(range.from.getTime() / DAY_MS) * DAY_MS);
  const dayTo = new Date(Math.floor(range.to.getTime() / DAY_MS) * DAY_MS);
  const hasDays = dayFrom < dayTo;
  const at = sql.raw(c.at);
  const edges = hasDays
    ? sql`((${at} >= ${iso(range.from)}::timestamptz AND ${at} < ${iso(dayFrom)}::timestamptz)
          OR (${at} >= ${iso(dayTo)}::timestamptz AND ${at} < ${iso(range.to)}::timestamptz))`
    : sql`${at} >= ${iso(range.from)}::timestamptz AND ${at} < ${iso(range.to)}::timestamptz`;
  const thresholds = sql`${`{${WIDTH_BUCKET_THRESHOLDS.join(',')}}`}::int[]`;
  const days: SQL = hasDays ? sql`${histogramSums(metric, dayFrom, dayTo, rollupFilters(f))} UNION ALL ` : sql``;
  const buckets = await rows<{
    g_team: number;
    g_assignee: number;
    team_k: string;
    assignee_k: string;
    bucket: number;
    n: number;
  }>(
    db,
    sql`SELECT ${GROUPS}, bucket, sum(n)::int AS n FROM (
          ${days}
          SELECT coalesce(team_id::text, ''), coalesce(assignee_id::text, ''), width_bucket(${sql.raw(c.seconds)}, ${thresholds}), 1
            FROM insight_ticket_facts WHERE ${and([edges, ...factFilters(f)])}) x
        GROUP BY GROUPING SETS ((bucket), (team_k, bucket), (assignee_k, bucket))
        HAVING sum(n) <> 0`,
  );
  const hist = new Map<string, Histogram>();
  for (const b of buckets) {
    const k = groupKey(b);
    const h = hist.get(k) ?? new Map<number, number>();
    h.set(b.bucket, (h.get(b.bucket) ?? 0) + b.n);
    hist.set(k, h);
  }
  const out: DurationRow[] = [];
  for (const s of sums) {
    if (s.n === 0) continue;
    const h = hist.get(groupKey(s)) ?? new Map<number, number>();
    const row: DurationRow = {
      g_team: s.g_team,
      g_assignee: s.g_assignee,
      team_k: s.team_k,
      assignee_k: s.assignee_k,
      count: s.n,
      mean: s.s / s.n,
      p50: percentileOf(h, 0.5),
      p75: percentileOf(h, 0.75),
      p90: percentileOf(h, 0.9),
      p95: percentileOf(h, 0.95),
    };
    out.push(row);
  }
  if (metric === 'first_response') {
    const overall = out.find((r) => r.g_team === 1 && r.g_assignee === 1);
    if (overall) {
      const fromHistogram = countAtOrUnder(hist.get(groupKey(overall)) ?? new Map(), targetSeconds);
      overall.within =
        fromHistogram ??
        // a target between two bucket edges: counted from the facts (no sort, but a read of the range)
        num(
          (
            await rows<{ n: number }>(
              db,
              sql`SELECT count(*)::int AS n FROM insight_ticket_facts
                   WHERE ${and([
                     sql`${at} >= ${iso(range.from)}::timestamptz AND ${at} < ${iso(range.to)}::timestamptz`,
                     sql`first_response_seconds <= ${targetSeconds}`,
                     ...factFilters(f),
                   ])}`,
            )
          )[0]?.n,
        );
    }
  }
  return out;
}

/**
 * First-response or resolution statistics of the range — overall, per team and per person — exactly for up to
 * `exactUpTo` durations, from the histograms above that. Counts and means are always exact.
 */
export async function durationStatistics(
  db: DbOrTx,
  opts: { metric: Metric; range: Range; filters: DimensionFilters; targetSeconds: number; exactUpTo?: number },
): Promise<DurationRow[]> {
  const { metric, range, filters } = opts;
  const c = COLUMNS[metric];
  const sums = await rows<{
    g_team: number;
    g_assignee: number;
    team_k: string;
    assignee_k: string;
    n: number;
    s: number;
  }>(
    db,
    // summed per team and person first (one hash over the range's rollup rows, not three); whole days from the daily rollup
    sql`SELECT ${GROUPS}, sum(n)::int AS n, sum(s)::float8 AS s FROM (
          SELECT team_key AS team_k, assignee_key AS assignee_k, sum(${sql.raw(c.count)}) AS n, sum(${sql.raw(c.sum)}) AS s
            FROM ${rollupRows(range, [sql`${sql.raw(c.count)} <> 0`, ...rollupFilters(filters)])} r
           GROUP BY 1, 2) x
        GROUP BY GROUPING SETS ((), (team_k), (assignee_k))`,
  );
  const total = num(sums.find((r) => r.g_team === 1 && r.g_assignee === 1)?.n);
  if (total <= (opts.exactUpTo ?? EXACT_PERCENTILES_UP_TO))
    return exactDurations(db, metric, range, filters, opts.targetSeconds);
  return bucketedDurations(db, metric, range, filters, sums, opts.targetSeconds);
}
