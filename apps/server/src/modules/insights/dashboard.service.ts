import type { InsightsDashboard, InsightsDurationStats } from '@seva/contracts';
import { type SQL, sql } from 'drizzle-orm';
import type { Deps } from '../../platform/deps.ts';
import {
  and,
  type DimensionFilters,
  factFilters,
  keyOut,
  labelMaps,
  num,
  type Row,
  resolveRange,
  resolveTimeZone,
  rollupFilters,
  rows,
} from './insights-query.ts';
import { getInsightsSettings } from './insights-settings.ts';
import { slaAchievementRate } from './insights-sla.ts';

type Interval = 'hour' | 'day' | 'week';

const numOrNull = (v: unknown): number | null =>
  v === null || v === undefined ? null : Math.round(Number(v) * 100) / 100;

export interface DashboardQuery extends DimensionFilters {
  from?: string | undefined;
  to?: string | undefined;
  interval?: Interval | undefined;
  tz?: string | undefined;
}

function durationStats(r: Row | undefined): InsightsDurationStats {
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

const STATS = (col: string) =>
  sql.raw(`count(*)::int AS count, avg(${col}) AS mean,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY ${col}) AS p50,
    percentile_cont(0.75) WITHIN GROUP (ORDER BY ${col}) AS p75,
    percentile_cont(0.9) WITHIN GROUP (ORDER BY ${col}) AS p90,
    percentile_cont(0.95) WITHIN GROUP (ORDER BY ${col}) AS p95`);

/**
 * The dashboard: volumes and backlog from the hourly rollup, response and resolution times from the facts of
 * tickets answered or solved in the range (an indexed range read), never a scan of all tickets.
 */
export async function dashboard(deps: Deps, q: DashboardQuery): Promise<InsightsDashboard> {
  const db = deps.db;
  const range = resolveRange(q, deps.clock.now());
  const tz = resolveTimeZone(q.tz);
  const days = (range.to.getTime() - range.from.getTime()) / 86_400_000;
  const interval: Interval = q.interval ?? (days <= 2 ? 'hour' : days <= 120 ? 'day' : 'week');
  const cfg = await getInsightsSettings(db);
  const rf = rollupFilters(q);
  const inRange = sql`hour >= ${range.from.toISOString()}::timestamptz AND hour < ${range.to.toISOString()}::timestamptz`;
  const where = and([inRange, ...rf]);

  const ff = factFilters(q);
  const frWhere = and([
    sql`first_response_at >= ${range.from.toISOString()}::timestamptz AND first_response_at < ${range.to.toISOString()}::timestamptz`,
    ...ff,
  ]);
  const resWhere = and([
    sql`solved_at >= ${range.from.toISOString()}::timestamptz AND solved_at < ${range.to.toISOString()}::timestamptz`,
    ...ff,
  ]);
  /**
   * Duration statistics overall, per team and per person in one pass over the facts of the range (grouping sets),
   * rather than one pass each: over a year of tickets each pass reads and sorts most of the facts.
   */
  const durations = (col: string, where: SQL, extra: SQL = sql``) =>
    rows<Row & { g_team: number; g_assignee: number; team_k: string; assignee_k: string }>(
      db,
      sql`SELECT GROUPING(team_id)::int AS g_team, GROUPING(assignee_id)::int AS g_assignee,
            coalesce(team_id::text, '') AS team_k, coalesce(assignee_id::text, '') AS assignee_k,
            ${STATS(col)} ${extra}
          FROM insight_ticket_facts WHERE ${where}
          GROUP BY GROUPING SETS ((), (team_id), (assignee_id))`,
    );

  // independent reads, run side by side on the pool
  const [before, seriesRows, labels, tagRows, frRows, resRows, openRows, sla] = await Promise.all([
    rows(
      db,
      sql`SELECT coalesce(sum(created - solved), 0)::int AS n FROM insight_hourly WHERE hour < ${range.from.toISOString()}::timestamptz AND ${and(rf)}`,
    ),
    rows<{ bucket: Date; created: number; solved: number }>(
      db,
      sql`WITH b AS (
          -- steps in local wall time, then back to instants (PostgreSQL 15 has no time-zone generate_series)
          SELECT (g AT TIME ZONE ${tz}) AS bucket
            FROM generate_series(date_trunc(${interval}, ${range.from.toISOString()}::timestamptz AT TIME ZONE ${tz}),
                                 (${range.to.toISOString()}::timestamptz - interval '1 second') AT TIME ZONE ${tz},
                                 ${`1 ${interval}`}::interval) AS g),
        r AS (
          SELECT date_trunc(${interval}, hour, ${tz}) AS bucket, sum(created)::int AS created, sum(solved)::int AS solved
            FROM insight_hourly WHERE ${where} GROUP BY 1)
        SELECT b.bucket, coalesce(r.created, 0)::int AS created, coalesce(r.solved, 0)::int AS solved
          FROM b LEFT JOIN r USING (bucket) ORDER BY b.bucket`,
    ),
    labelMaps(db),
    rows<{ tag: string; created: number }>(
      db,
      sql`SELECT tag, sum(created)::int AS created FROM insight_hourly_tags
         WHERE ${inRange} ${q.channel ? sql`AND channel = ${q.channel}` : sql``}
         GROUP BY tag HAVING sum(created) > 0 ORDER BY 2 DESC, 1 LIMIT 25`,
    ),
    durations(
      'first_response_seconds',
      frWhere,
      sql`, count(*) FILTER (WHERE first_response_seconds <= ${cfg.firstResponseTargetSeconds})::int AS within`,
    ),
    durations('resolution_seconds', resWhere),
    rows(
      db,
      sql`SELECT count(*)::int AS n FROM insight_ticket_facts WHERE status NOT IN ('solved', 'closed') AND ${and(ff)}`,
    ),
    slaAchievementRate(db, range, q),
  ]);
  let backlog = num(before[0]?.n);
  const series = seriesRows.map((r) => {
    backlog += r.created - r.solved;
    return { bucket: new Date(r.bucket).toISOString(), created: r.created, solved: r.solved, backlog };
  });

  const breakdown = async (col: string, label: (k: string) => string) => {
    const rs = await rows<{ k: string; created: number; solved: number }>(
      db,
      sql`SELECT ${sql.raw(col)} AS k, sum(created)::int AS created, sum(solved)::int AS solved
            FROM insight_hourly WHERE ${where} GROUP BY 1 HAVING sum(created) > 0 OR sum(solved) > 0 ORDER BY 2 DESC, 3 DESC, 1`,
    );
    return rs.map((r) => ({
      key: keyOut(r.k),
      label: r.k === '' ? 'none' : label(r.k),
      created: r.created,
      solved: r.solved,
    }));
  };
  const [byChannel, byCategory, byLanguage, byTeam, byAssignee] = await Promise.all([
    breakdown('channel', (k) => k),
    breakdown('category_key', (k) => labels.category.get(k) ?? k),
    breakdown('language_key', (k) => k),
    breakdown('team_key', (k) => labels.team.get(k) ?? k),
    breakdown('assignee_key', (k) => labels.staff.get(k) ?? k),
  ]);

  const fr = frRows.find((r) => r.g_team === 1 && r.g_assignee === 1);
  const res = resRows.find((r) => r.g_team === 1 && r.g_assignee === 1);
  const timesBy = (dim: 'team' | 'assignee', label: (k: string) => string) => {
    const pick = (rs: typeof frRows) =>
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
    byTag: tagRows.map((r) => ({ key: r.tag, label: r.tag, created: r.created })),
    firstResponse: durationStats(fr),
    resolution: durationStats(res),
    timesByTeam: timesBy('team', (k) => labels.team.get(k) ?? k),
    timesByAssignee: timesBy('assignee', (k) => labels.staff.get(k) ?? k),
  };
}
