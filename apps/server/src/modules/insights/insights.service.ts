import type {
  CostReport,
  Heatmap,
  HotButtons,
  InsightsDashboard,
  InsightsDrilldown,
  InsightsDurationStats,
  StaffingPlan,
} from '@seva/contracts';
import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { validationFailed } from '../../platform/errors.ts';
import {
  and,
  type DimensionFilters,
  factFilters,
  type Range,
  resolveRange,
  resolveTimeZone,
  rollupFilters,
  toCsv,
} from './insights-query.ts';
import { getInsightsSettings } from './insights-settings.ts';
import { type SlaBy, slaAchievementRate, slaDrilldown } from './insights-sla.ts';
import { type HourPlan, requiredAgents, suggestPartTimeShifts } from './staffing-plan.ts';

type Interval = 'hour' | 'day' | 'week';
type Row = Record<string, unknown>;

async function rows<T = Row>(db: DbOrTx, q: SQL): Promise<T[]> {
  return (await db.execute(q)).rows as T[];
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const numOrNull = (v: unknown): number | null =>
  v === null || v === undefined ? null : Math.round(Number(v) * 100) / 100;

export interface DashboardQuery extends DimensionFilters {
  from?: string | undefined;
  to?: string | undefined;
  interval?: Interval | undefined;
  tz?: string | undefined;
}

/** Labels for dimension keys ('' = none) from the small config tables. */
async function labelMaps(
  db: DbOrTx,
): Promise<{ category: Map<string, string>; team: Map<string, string>; staff: Map<string, string> }> {
  const [cats, teams, staff] = await Promise.all([
    rows<{ id: string; name: string }>(db, sql`SELECT id::text, name FROM categories`),
    rows<{ id: string; name: string }>(db, sql`SELECT id::text, name FROM teams`),
    rows<{ id: string; name: string }>(db, sql`SELECT id::text, name FROM staff_users`),
  ]);
  return {
    category: new Map(cats.map((r) => [r.id, r.name])),
    team: new Map(teams.map((r) => [r.id, r.name])),
    staff: new Map(staff.map((r) => [r.id, r.name])),
  };
}

const keyOut = (k: string) => (k === '' ? 'none' : k);

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

export interface DrilldownQuery extends DimensionFilters {
  from?: string | undefined;
  to?: string | undefined;
  metric: 'created' | 'solved' | 'first_response' | 'open' | 'sla_achieved' | 'sla_breached';
  slaBy?: SlaBy | undefined;
  slaKey?: string | undefined;
  tag?: string | undefined;
  field?: string | undefined;
  limit: number;
}

/** The tickets behind a number on the dashboard (ids, newest first), from the indexed facts. */
export async function drilldown(deps: Deps, q: DrilldownQuery): Promise<InsightsDrilldown> {
  if (q.metric === 'sla_achieved' || q.metric === 'sla_breached') return slaDrilldown(deps, { ...q, metric: q.metric });
  const range = resolveRange(q, deps.clock.now());
  const col = { created: 'created_at', solved: 'solved_at', first_response: 'first_response_at', open: 'created_at' }[
    q.metric
  ];
  const parts = [...factFilters(q)];
  if (q.metric === 'open') parts.push(sql`status NOT IN ('solved', 'closed')`);
  else
    parts.push(
      sql`${sql.raw(col)} >= ${range.from.toISOString()}::timestamptz AND ${sql.raw(col)} < ${range.to.toISOString()}::timestamptz`,
    );
  if (q.tag) parts.push(sql`tags @> ARRAY[${q.tag}]::text[]`);
  if (q.field) {
    const i = q.field.indexOf(':');
    if (i <= 0) throw validationFailed([{ path: 'field', message: 'use key:value' }]);
    parts.push(sql`custom_fields->>${q.field.slice(0, i)} = ${q.field.slice(i + 1)}`);
  }
  const where = and(parts);
  const [total] = await rows(deps.db, sql`SELECT count(*)::int AS n FROM insight_ticket_facts WHERE ${where}`);
  const ids = await rows<{ id: string }>(
    deps.db,
    sql`SELECT ticket_id AS id FROM insight_ticket_facts WHERE ${where} ORDER BY ${sql.raw(col)} DESC, ticket_id LIMIT ${q.limit}`,
  );
  return { total: num(total?.n), ticketIds: ids.map((r) => r.id) };
}

export type ExportReport =
  | 'series'
  | 'channels'
  | 'categories'
  | 'languages'
  | 'teams'
  | 'assignees'
  | 'tags'
  | 'heatmap';

/** A dashboard table as CSV. */
export async function exportCsv(deps: Deps, q: DashboardQuery & { report: ExportReport }): Promise<string> {
  if (q.report === 'heatmap') {
    const h = await heatmap(deps, q);
    const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
    return toCsv(
      ['weekday', ...Array.from({ length: 24 }, (_, i) => String(i))],
      h.cells.map((r, d) => [days[d] ?? String(d), ...r]),
    );
  }
  const d = await dashboard(deps, q);
  if (q.report === 'series')
    return toCsv(
      ['bucket', 'created', 'solved', 'backlog'],
      d.series.map((r) => [r.bucket, r.created, r.solved, r.backlog]),
    );
  if (q.report === 'tags')
    return toCsv(
      ['tag', 'created'],
      d.byTag.map((r) => [r.label, r.created]),
    );
  const src = {
    channels: d.byChannel,
    categories: d.byCategory,
    languages: d.byLanguage,
    teams: d.byTeam,
    assignees: d.byAssignee,
  }[q.report];
  return toCsv(
    ['key', 'label', 'created', 'solved'],
    src.map((r) => [r.key, r.label, r.created, r.solved]),
  );
}

/**
 * Hot buttons: what customers contact us about most in the range, with the change against the period of the
 * same length just before. Dimensions: category, channel, language, tag, or `field:<custom field key>`.
 */
export async function hotButtons(
  deps: Deps,
  q: DashboardQuery & { dimension: string; limit: number },
): Promise<HotButtons> {
  const db = deps.db;
  const range = resolveRange(q, deps.clock.now());
  const prev: Range = { from: new Date(2 * range.from.getTime() - range.to.getTime()), to: range.from };
  const labels = await labelMaps(db);
  let current: Array<{ k: string; n: number }>;
  let previous: Array<{ k: string; n: number }>;
  const rollupCount = async (col: string, r: Range) =>
    rows<{ k: string; n: number }>(
      db,
      sql`SELECT ${sql.raw(col)} AS k, sum(created)::int AS n FROM insight_hourly
           WHERE hour >= ${r.from.toISOString()}::timestamptz AND hour < ${r.to.toISOString()}::timestamptz AND ${and(rollupFilters(q))}
           GROUP BY 1 HAVING sum(created) > 0`,
    );
  let label = (k: string) => k;
  if (q.dimension === 'category' || q.dimension === 'channel' || q.dimension === 'language') {
    const col = { category: 'category_key', channel: 'channel', language: 'language_key' }[q.dimension];
    [current, previous] = await Promise.all([rollupCount(col, range), rollupCount(col, prev)]);
    if (q.dimension === 'category') label = (k) => labels.category.get(k) ?? k;
  } else if (q.dimension === 'tag') {
    const tagCount = (r: Range) =>
      rows<{ k: string; n: number }>(
        db,
        sql`SELECT tag AS k, sum(created)::int AS n FROM insight_hourly_tags
             WHERE hour >= ${r.from.toISOString()}::timestamptz AND hour < ${r.to.toISOString()}::timestamptz
             ${q.channel ? sql`AND channel = ${q.channel}` : sql``} GROUP BY 1 HAVING sum(created) > 0`,
      );
    [current, previous] = await Promise.all([tagCount(range), tagCount(prev)]);
  } else if (q.dimension.startsWith('field:') && q.dimension.length > 6) {
    const key = q.dimension.slice(6);
    const fieldCount = (r: Range) =>
      rows<{ k: string; n: number }>(
        db,
        sql`SELECT custom_fields->>${key} AS k, count(*)::int AS n FROM insight_ticket_facts
             WHERE created_at >= ${r.from.toISOString()}::timestamptz AND created_at < ${r.to.toISOString()}::timestamptz
               AND custom_fields ? ${key} AND ${and(factFilters(q))} GROUP BY 1`,
      );
    [current, previous] = await Promise.all([fieldCount(range), fieldCount(prev)]);
  } else {
    throw validationFailed([{ path: 'dimension', message: 'use category, channel, language, tag or field:<key>' }]);
  }
  const total = current.reduce((s, r) => s + r.n, 0);
  const prevBy = new Map(previous.map((r) => [r.k ?? '', r.n]));
  const items = current
    .map((r) => {
      const k = r.k ?? '';
      const p = prevBy.get(k) ?? 0;
      return {
        key: keyOut(k),
        label: k === '' ? 'none' : label(k),
        count: r.n,
        previous: p,
        change: p === 0 ? null : Math.round(((r.n - p) / p) * 1000) / 1000,
        share: total === 0 ? 0 : Math.round((r.n / total) * 1000) / 1000,
      };
    })
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label))
    .slice(0, q.limit);
  return {
    dimension: q.dimension,
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    previousFrom: prev.from.toISOString(),
    items,
  };
}

export async function listAlerts(deps: Deps, q: { limit: number }) {
  const rs = await rows<{
    id: string;
    kind: string;
    category_key: string;
    name: string | null;
    hour: Date;
    count: number;
    baseline: number;
    ratio: number;
    created_at: Date;
  }>(
    deps.db,
    sql`SELECT a.id, a.kind, a.category_key, c.name, a.hour, a.count, a.baseline, a.ratio, a.created_at
          FROM insight_alerts a LEFT JOIN categories c ON c.id::text = a.category_key
         ORDER BY a.created_at DESC LIMIT ${q.limit}`,
  );
  return {
    items: rs.map((r) => ({
      id: r.id,
      kind: r.kind,
      categoryId: r.category_key || null,
      categoryName: r.name ?? 'none',
      hour: new Date(r.hour).toISOString(),
      count: r.count,
      baseline: Math.round(r.baseline * 100) / 100,
      ratio: Math.round(r.ratio * 10) / 10,
      createdAt: new Date(r.created_at).toISOString(),
    })),
  };
}

/** Arrivals per weekday × hour in the desk's time zone, from the hourly rollup. */
export async function heatmap(
  deps: Deps,
  q: { from?: string | undefined; to?: string | undefined; channel?: string | undefined; tz?: string | undefined },
): Promise<Heatmap> {
  const range = resolveRange(q, deps.clock.now(), 28);
  const tz = resolveTimeZone(q.tz);
  const rs = await rows<{ d: number; h: number; n: number }>(
    deps.db,
    sql`SELECT extract(dow FROM hour AT TIME ZONE ${tz})::int AS d, extract(hour FROM hour AT TIME ZONE ${tz})::int AS h, sum(created)::int AS n
          FROM insight_hourly
         WHERE hour >= ${range.from.toISOString()}::timestamptz AND hour < ${range.to.toISOString()}::timestamptz
           ${q.channel ? sql`AND channel = ${q.channel}` : sql``}
         GROUP BY 1, 2`,
  );
  const cells = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
  for (const r of rs) {
    const row = cells[r.d];
    if (row) row[r.h] = r.n;
  }
  const weeks = Math.max(1, (range.to.getTime() - range.from.getTime()) / (7 * 86_400_000));
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    tz,
    weeks: Math.round(weeks * 100) / 100,
    cells,
    averages: cells.map((r) => r.map((n) => Math.round((n / weeks) * 100) / 100)),
    max: Math.max(0, ...cells.flat()),
  };
}

/** Measured handle seconds per contact by channel over the window, from the per-message handle times. */
async function measuredHandleSeconds(db: DbOrTx, range: Range): Promise<Map<string, number>> {
  const rs = await rows<{ channel: string; secs: number; contacts: number }>(
    db,
    sql`SELECT t.channel, sum(m.handle_seconds)::float8 AS secs, count(DISTINCT m.ticket_id)::int AS contacts
          FROM messages m JOIN tickets t ON t.id = m.ticket_id
         WHERE m.created_at >= ${range.from.toISOString()}::timestamptz AND m.created_at < ${range.to.toISOString()}::timestamptz
           AND m.author_type = 'staff' AND m.handle_seconds > 0
         GROUP BY 1`,
  );
  return new Map(rs.filter((r) => r.contacts > 0).map((r) => [r.channel, r.secs / r.contacts]));
}

/**
 * The staffing plan for a typical week: arrivals per hour forecast as the mean of the same hour over the last
 * `weeks` weeks, handle times measured (or the configured defaults), agents needed per hour (Erlang C for phone,
 * Erlang C with concurrency for chat, workload for email), grossed up for shrinkage, against the shifts on file.
 */
export async function staffingPlan(deps: Deps, q: { weeks: number; tz?: string | undefined }): Promise<StaffingPlan> {
  const db = deps.db;
  const tz = resolveTimeZone(q.tz);
  const cfg = await getInsightsSettings(db);
  const now = deps.clock.now();
  const to = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000);
  const range = { from: new Date(to.getTime() - q.weeks * 7 * 86_400_000), to };
  const rs = await rows<{ d: number; h: number; channel: string; n: number }>(
    db,
    sql`SELECT extract(dow FROM hour AT TIME ZONE ${tz})::int AS d, extract(hour FROM hour AT TIME ZONE ${tz})::int AS h, channel, sum(created)::int AS n
          FROM insight_hourly WHERE hour >= ${range.from.toISOString()}::timestamptz AND hour < ${range.to.toISOString()}::timestamptz
         GROUP BY 1, 2, 3`,
  );
  const measured = await measuredHandleSeconds(db, range);
  const channels = [...new Set(rs.map((r) => r.channel))].sort();
  const handleSeconds: Record<string, number> = {};
  for (const c of channels)
    handleSeconds[c] = Math.round(
      measured.get(c) ?? cfg.defaultHandleSeconds[c] ?? cfg.defaultHandleSeconds.email ?? 480,
    );
  const shifts = await rows<{ weekday: number; start_hour: number; end_hour: number }>(
    db,
    sql`SELECT weekday, start_hour, end_hour FROM insight_shifts`,
  );
  const scheduled = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
  for (const s of shifts)
    for (let h = s.start_hour; h < s.end_hour; h += 1) {
      const row = scheduled[s.weekday];
      if (row && h < 24) row[h] = (row[h] ?? 0) + 1;
    }
  const params = {
    serviceLevel: cfg.serviceLevel,
    targetSeconds: cfg.targetSeconds,
    chatConcurrency: cfg.chatConcurrency,
    shrinkage: cfg.shrinkage,
    occupancy: cfg.occupancy,
  };
  const hours: Array<HourPlan & { byChannel: Record<string, number> }> = [];
  for (let d = 0; d < 7; d += 1) {
    for (let h = 0; h < 24; h += 1) {
      const byChannel: Record<string, number> = {};
      for (const r of rs) if (r.d === d && r.h === h) byChannel[r.channel] = Math.round((r.n / q.weeks) * 100) / 100;
      const arrivals = Object.values(byChannel).reduce((a, b) => a + b, 0);
      const need = requiredAgents(
        Object.entries(byChannel).map(([channel, a]) => ({
          channel,
          arrivalsPerHour: a,
          handleSeconds: handleSeconds[channel] ?? 480,
        })),
        params,
      );
      const sch = scheduled[d]?.[h] ?? 0;
      hours.push({
        weekday: d,
        hour: h,
        arrivals: Math.round(arrivals * 100) / 100,
        byChannel,
        onFloor: Math.round(need.onFloor * 100) / 100,
        required: need.required,
        scheduled: sch,
        gap: need.required - sch,
      });
    }
  }
  return {
    tz,
    weeks: q.weeks,
    parameters: params,
    handleSeconds,
    hours,
    suggestedShifts: suggestPartTimeShifts(hours),
    totals: {
      requiredAgentHours: hours.reduce((s, h) => s + h.required, 0),
      scheduledAgentHours: hours.reduce((s, h) => s + h.scheduled, 0),
      shortAgentHours: hours.reduce((s, h) => s + Math.max(0, h.gap), 0),
    },
  };
}

/**
 * Cost per channel: the handle time staff recorded on messages, at the loaded hourly cost of their role, divided
 * by contacts (tickets created) and resolved tickets in the range; plus contacts avoided by self-service.
 */
export async function costReport(
  deps: Deps,
  q: { from?: string | undefined; to?: string | undefined },
): Promise<CostReport> {
  const db = deps.db;
  const range = resolveRange(q, deps.clock.now());
  const cfg = await getInsightsSettings(db);
  const handled = await rows<{ channel: string; role: string; secs: number }>(
    db,
    sql`SELECT t.channel, s.role, sum(m.handle_seconds)::float8 AS secs
          FROM messages m JOIN tickets t ON t.id = m.ticket_id JOIN staff_users s ON s.id = m.author_staff_id
         WHERE m.created_at >= ${range.from.toISOString()}::timestamptz AND m.created_at < ${range.to.toISOString()}::timestamptz
           AND m.handle_seconds > 0
         GROUP BY 1, 2`,
  );
  const volume = await rows<{ channel: string; created: number; solved: number }>(
    db,
    sql`SELECT channel, sum(created)::int AS created, sum(solved)::int AS solved FROM insight_hourly
         WHERE hour >= ${range.from.toISOString()}::timestamptz AND hour < ${range.to.toISOString()}::timestamptz GROUP BY 1`,
  );
  const channels = [...new Set([...handled.map((r) => r.channel), ...volume.map((r) => r.channel)])].sort();
  const round2 = (n: number) => Math.round(n * 100) / 100;
  const out = channels.map((channel) => {
    const hs = handled.filter((r) => r.channel === channel);
    const handleSeconds = hs.reduce((s, r) => s + r.secs, 0);
    const cost = hs.reduce(
      (s, r) => s + (r.secs / 3600) * (cfg.hourlyCostByRole[r.role] ?? cfg.hourlyCostByRole.agent ?? 0),
      0,
    );
    const v = volume.find((r) => r.channel === channel);
    const contacts = v?.created ?? 0;
    const resolved = v?.solved ?? 0;
    return {
      channel,
      contacts,
      resolved,
      handleSeconds: Math.round(handleSeconds),
      cost: round2(cost),
      costPerContact: contacts === 0 ? null : round2(cost / contacts),
      costPerResolved: resolved === 0 ? null : round2(cost / resolved),
    };
  });
  const [avoided] = await rows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM (
          SELECT payload->>'sessionId' AS sid FROM events
           WHERE type IN ('kb_deflection.article_opened', 'kb_deflection.contact_abandoned', 'kb_deflection.contact_submitted')
             AND created_at >= ${range.from.toISOString()}::timestamptz AND created_at < ${range.to.toISOString()}::timestamptz
           GROUP BY 1
          HAVING bool_or(type = 'kb_deflection.article_opened') AND bool_or(type = 'kb_deflection.contact_abandoned')
             AND NOT bool_or(type = 'kb_deflection.contact_submitted')) s`,
  );
  const totalCost = out.reduce((s, r) => s + r.cost, 0);
  const totalContacts = out.reduce((s, r) => s + r.contacts, 0);
  const ticketsAvoided = avoided?.n ?? 0;
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    currency: cfg.currency,
    channels: out,
    selfService: {
      ticketsAvoided,
      estimatedSaving: totalContacts === 0 ? 0 : round2((totalCost / totalContacts) * ticketsAvoided),
    },
  };
}
