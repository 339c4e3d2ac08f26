import type { InsightsDashboard, InsightsDurationStats } from '@seva/contracts';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { type DurationRow, durationStatistics, type Metric } from './dashboard-durations.ts';
import {
  and,
  type DimensionFilters,
  keyOut,
  labelMaps,
  num,
  resolveRange,
  resolveTimeZone,
  rollupFilters,
  rows,
} from './insights-query.ts';
import { getInsightsSettings } from './insights-settings.ts';
import { slaAchievementRate } from './insights-sla.ts';
import { rollupRows } from './rollup-range.ts';

type Interval = 'hour' | 'day' | 'week';

const numOrNull = (v: unknown): number | null =>
  v === null || v === undefined ? null : Math.round(Number(v) * 100) / 100;

export interface DashboardQuery extends DimensionFilters {
  from?: string | undefined;
  to?: string | undefined;
  interval?: Interval | undefined;
  tz?: string | undefined;
}

function durationStats(r: DurationRow | undefined): InsightsDurationStats {
  const count = num(r?.count);
  if (!r || count === 0) return { count: 0, mean: null, median: null, p75: null, p90: null, p95: null };
  return {
    count,
    mean: numOrNull(r.mean),
    median: numOrNull(r.p50),
    p75: numOrNull(r.p75),
    p90: numOrNull(r.p90),
    p95: numOrNull(r.p95),
  };
}

/** The range, time zone, interval and rollup filters of a dashboard query. */
function dashboardScope(deps: Deps, q: DashboardQuery) {
  const range = resolveRange(q, deps.clock.now());
  const tz = resolveTimeZone(q.tz);
  const days = (range.to.getTime() - range.from.getTime()) / 86_400_000;
  const interval: Interval = q.interval ?? (days <= 2 ? 'hour' : days <= 120 ? 'day' : 'week');
  const rf = rollupFilters(q);
  const inRange = sql`hour >= ${range.from.toISOString()}::timestamptz AND hour < ${range.to.toISOString()}::timestamptz`;
  return { range, tz, interval, rf, inRange };
}

/** Created, solved and backlog per bucket of the range, from the daily and hourly rollups (the dashboard's chart). */
async function volumeSeries(db: DbOrTx, scope: ReturnType<typeof dashboardScope>) {
  const { range, tz, interval, rf } = scope;
  const [before, seriesRows] = await Promise.all([
    rows(
      db,
      sql`SELECT coalesce(sum(created - solved), 0)::int AS n FROM ${rollupRows({ from: null, to: range.from }, rf)} r`,
    ),
    rows<{ bucket: Date; created: number; solved: number }>(
      db,
      sql`WITH b AS (
          -- steps in local wall time, then back to instants (PostgreSQL 15 has no time-zone generate_series)
          SELECT (g AT TIME ZONE ${tz}) AS bucket
            FROM generate_series(date_trunc(${interval}, ${range.from.toISOString()}::timestamptz AT TIME ZONE ${tz}),
                                 (${range.to.toISOString()}::timestamptz - interval '1 second') AT TIME ZONE ${tz},
                                 ${`1 ${interval}`}::interval) AS g),
        -- summed per hour (or whole day) first: the time-zone truncation then runs once per hour, not per rollup row
        h AS (
          SELECT hour, sum(created) AS created, sum(solved) AS solved
            FROM ${rollupRows(range, rf, { interval, tz })} r GROUP BY hour),
        r AS (
          SELECT date_trunc(${interval}, hour, ${tz}) AS bucket, sum(created)::int AS created, sum(solved)::int AS solved
            FROM h GROUP BY 1)
        SELECT b.bucket, coalesce(r.created, 0)::int AS created, coalesce(r.solved, 0)::int AS solved
          FROM b LEFT JOIN r USING (bucket) ORDER BY b.bucket`,
    ),
  ]);
  let backlog = num(before[0]?.n);
  return seriesRows.map((r) => {
    backlog += r.created - r.solved;
    return { bucket: new Date(r.bucket).toISOString(), created: r.created, solved: r.solved, backlog };
  });
}

/** The 25 tags most created in the range, from the tag rollup. */
async function topTags(db: DbOrTx, scope: ReturnType<typeof dashboardScope>, q: DashboardQuery) {
  const rs = await rows<{ tag: string; created: number }>(
    db,
    sql`SELECT tag, sum(created)::int AS created FROM insight_hourly_tags
         WHERE ${scope.inRange} ${q.channel ? sql`AND channel = ${q.channel}` : sql``}
         GROUP BY tag HAVING sum(created) > 0 ORDER BY 2 DESC, 1 LIMIT 25`,
  );
  return rs.map((r) => ({ key: r.tag, label: r.tag, created: r.created }));
}

/** The dashboard's chart alone (the series CSV export): two reads of the rollups. */
export async function dashboardSeries(deps: Deps, q: DashboardQuery): Promise<InsightsDashboard['series']> {
  return volumeSeries(deps.db, dashboardScope(deps, q));
}

/** The dashboard's tag table alone (the tags CSV export). */
export async function dashboardTags(deps: Deps, q: DashboardQuery): Promise<InsightsDashboard['byTag']> {
  return topTags(deps.db, dashboardScope(deps, q), q);
}

/**
 * The dashboard: volumes and backlog from the daily and hourly rollups; response and resolution times exactly from
 * the facts of the range when it holds few, from the monthly and daily duration histograms when it holds many
 * (dashboard-durations.ts); never a scan of all tickets.
 */
export async function dashboard(
  deps: Deps,
  q: DashboardQuery,
  opts: { exactPercentilesUpTo?: number } = {},
): Promise<InsightsDashboard> {
  const db = deps.db;
  const scope = dashboardScope(deps, q);
  const { range, interval } = scope;
  const cfg = await getInsightsSettings(db);
  const durations = (metric: Metric) =>
    durationStatistics(db, {
      metric,
      range,
      filters: q,
      targetSeconds: cfg.firstResponseTargetSeconds,
      ...(opts.exactPercentilesUpTo === undefined ? {} : { exactUpTo: opts.exactPercentilesUpTo }),
    });

  // independent reads, run side by side on the pool
  const [series, labels, byTag, frRows, resRows, openRows, sla, breakdownRows] = await Promise.all([
    volumeSeries(db, scope),
    labelMaps(db),
    topTags(db, scope, q),
    durations('first_response'),
    durations('resolution'),
    // open tickets now, from the counts kept with the facts (maintain-open-counts.ts), not a count of open facts
    rows(db, sql`SELECT coalesce(sum(open), 0)::int AS n FROM insight_open_counts WHERE ${and(scope.rf)}`),
    slaAchievementRate(db, range, q),
    // every breakdown in one pass over the range's rollup rows, summed per combination of dimensions first and then
    // grouped by each (grouping sets) — one hash over the rollup rows instead of five
    rows<{ d: string; k: string; created: number; solved: number }>(
      db,
      sql`SELECT CASE WHEN GROUPING(channel) = 0 THEN 'channel' WHEN GROUPING(category_key) = 0 THEN 'category_key'
                      WHEN GROUPING(language_key) = 0 THEN 'language_key' WHEN GROUPING(team_key) = 0 THEN 'team_key'
                      ELSE 'assignee_key' END AS d,
                 coalesce(channel, category_key, language_key, team_key, assignee_key) AS k,
                 sum(created)::int AS created, sum(solved)::int AS solved
            FROM (SELECT channel, category_key, language_key, team_key, assignee_key,
                         sum(created) AS created, sum(solved) AS solved
                    FROM ${rollupRows(range, scope.rf)} r
                   GROUP BY 1, 2, 3, 4, 5) d
           GROUP BY GROUPING SETS ((channel), (category_key), (language_key), (team_key), (assignee_key))
          HAVING sum(created) > 0 OR sum(solved) > 0`,
    ),
  ]);

  const breakdown = (col: string, label: (k: string) => string) =>
    breakdownRows
      .filter((r) => r.d === col)
      .sort((a, b) => b.created - a.created || b.solved - a.solved || (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
      .map((r) => ({
        key: keyOut(r.k),
        label: r.k === '' ? 'none' : label(r.k),
        created: r.created,
        solved: r.solved,
      }));
  const byChannel = breakdown('channel', (k) => k);
  const byCategory = breakdown('category_key', (k) => labels.category.get(k) ?? k);
  const byLanguage = breakdown('language_key', (k) => k);
  const byTeam = breakdown('team_key', (k) => labels.team.get(k) ?? k);
  const byAssignee = breakdown('assignee_key', (k) => labels.staff.get(k) ?? k);

  const fr = frRows.find((r) => r.g_team === 1 && r.g_assignee === 1);
  const res = resRows.find((r) => r.g_team === 1 && r.g_assignee === 1);
  const timesBy = (dim: 'team' | 'assignee', label: (k: string) => string) => {
    const pick = (rs: DurationRow[]) =>
      rs
        .filter((r) => (dim === 'team' ? r.g_team === 0 : r.g_assignee === 0))
        .map((r) => ({ ...r, k: dim === 'team' ? r.team_k : r.assignee_k }));
    const a = pick(frRows);
    const b = pick(resRows);
    const keys = [...new Set([...a, ...b].map((r) => String(r.k)))].sort();
    return keys.map((k) => ({
      key: keyOut(k),
      label: k === '' ? 'none' : label(k),
      firstResponse: durationStats(a.find((r) => r.k === k)),
      resolution: durationStats(b.find((r) => r.k === k)),
    }));
  };
  const created = byChannel.reduce((s, r) => s + r.created, 0);
  const solved = byChannel.reduce((s, r) => s + r.solved, 0);
  const frCount = num(fr?.count);
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    interval,
    totals: {
      created,
      solved,
      firstResponses: frCount,
      backlogNow: num(openRows[0]?.n),
      firstResponseTargetRate: frCount === 0 ? null : Math.round((num(fr?.within) / frCount) * 10_000) / 10_000,
      slaAchievementRate: sla.rate,
    },
    series,
    byChannel,
    byCategory,
    byLanguage,
    byTeam,
    byAssignee,
    byTag,
    firstResponse: durationStats(fr),
    resolution: durationStats(res),
    timesByTeam: timesBy('team', (k) => labels.team.get(k) ?? k),
    timesByAssignee: timesBy('assignee', (k) => labels.staff.get(k) ?? k),
  };
}
