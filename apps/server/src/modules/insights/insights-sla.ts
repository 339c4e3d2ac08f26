import type { InsightsDrilldown, InsightsSla } from '@seva/contracts';
import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { validationFailed } from '../../platform/errors.ts';
import { and, type DimensionFilters, type Range, resolveRange } from './insights-query.ts';

export type SlaBy = 'policy' | 'team' | 'assignee' | 'channel' | 'metric';

const KEY: Record<SlaBy, SQL> = {
  policy: sql`coalesce(o.policy_id::text, '')`,
  team: sql`coalesce(o.team_id::text, '')`,
  assignee: sql`coalesce(o.assignee_id::text, '')`,
  channel: sql`o.channel`,
  metric: sql`o.metric`,
};

const LABEL: Record<SlaBy, SQL> = {
  policy: sql`coalesce((SELECT p.name FROM sla_policies p WHERE p.id = o.policy_id), '')`,
  team: sql`coalesce((SELECT t.name FROM teams t WHERE t.id = o.team_id), '')`,
  assignee: sql`coalesce((SELECT s.name FROM staff_users s WHERE s.id = o.assignee_id), '')`,
  channel: sql`o.channel`,
  metric: sql`o.metric`,
};

const UUIDISH = /^[0-9a-f-]{36}$/i;

/**
 * WHERE fragments over `sla_outcomes o`: channel, team and person are the outcome's own (as they were when the
 * clock finished); category and language come from the ticket's facts.
 */
function outcomeFilters(f: DimensionFilters): SQL[] {
  const out: SQL[] = [];
  const id = (col: string, field: string, v: string) => {
    if (v !== 'none' && !UUIDISH.test(v)) throw validationFailed([{ path: field, message: 'must be an id or none' }]);
    return v === 'none' ? sql`${sql.raw(col)} IS NULL` : sql`${sql.raw(col)} = ${v}::uuid`;
  };
  if (f.channel) out.push(sql`o.channel = ${f.channel}`);
  if (f.teamId) out.push(id('o.team_id', 'teamId', f.teamId));
  if (f.assigneeId) out.push(id('o.assignee_id', 'assigneeId', f.assigneeId));
  if (f.categoryId)
    out.push(
      sql`EXISTS (SELECT 1 FROM insight_ticket_facts x WHERE x.ticket_id = o.ticket_id AND ${id('x.category_id', 'categoryId', f.categoryId)})`,
    );
  if (f.language) {
    out.push(
      f.language === 'none'
        ? sql`EXISTS (SELECT 1 FROM insight_ticket_facts x WHERE x.ticket_id = o.ticket_id AND x.language IS NULL)`
        : sql`EXISTS (SELECT 1 FROM insight_ticket_facts x WHERE x.ticket_id = o.ticket_id AND x.language = ${f.language})`,
    );
  }
  return out;
}

const inRange = (r: Range) =>
  sql`o.at >= ${r.from.toISOString()}::timestamptz AND o.at < ${r.to.toISOString()}::timestamptz`;
const rate = (achieved: number, total: number) =>
  total === 0 ? null : Math.round((achieved / total) * 10_000) / 10_000;

/** The share of SLA clock cycles finished in the range within their target (the dashboard's headline figure). */
export async function slaAchievementRate(
  db: DbOrTx,
  range: Range,
  f: DimensionFilters,
): Promise<{ total: number; achieved: number; rate: number | null }> {
  const r = await db.execute<{ total: number; achieved: number }>(sql`
    SELECT count(*)::int AS total, count(*) FILTER (WHERE o.achieved)::int AS achieved
      FROM sla_outcomes o WHERE ${and([inRange(range), ...outcomeFilters(f)])}`);
  const total = Number(r.rows[0]?.total ?? 0);
  const achieved = Number(r.rows[0]?.achieved ?? 0);
  return { total, achieved, rate: rate(achieved, total) };
}

/**
 * SLA achievement per policy, team, person, channel or metric from `sla_outcomes` (the same facts as Admin → SLAs,
 * `GET /sla/report`), with the dashboard's range and filters; read by the indexed outcome time.
 */
export async function slaAchievement(
  deps: Deps,
  q: DimensionFilters & { from?: string | undefined; to?: string | undefined; by: SlaBy },
): Promise<InsightsSla> {
  const range = resolveRange(q, deps.clock.now());
  const where = and([inRange(range), ...outcomeFilters(q)]);
  const r = await deps.db.execute<{ key: string; label: string; total: number; achieved: number }>(sql`
    SELECT ${KEY[q.by]} AS key, min(${LABEL[q.by]}) AS label, count(*)::int AS total, count(*) FILTER (WHERE o.achieved)::int AS achieved
      FROM sla_outcomes o WHERE ${where}
     GROUP BY 1 ORDER BY total DESC, key`);
  const rows = r.rows.map((x) => ({
    key: x.key === '' ? 'none' : x.key,
    label: x.key === '' ? 'none' : x.label || x.key,
    total: x.total,
    achieved: x.achieved,
    breached: x.total - x.achieved,
    rate: rate(x.achieved, x.total),
  }));
  const total = rows.reduce((s, x) => s + x.total, 0);
  const achieved = rows.reduce((s, x) => s + x.achieved, 0);
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    by: q.by,
    total: { total, achieved, breached: total - achieved, rate: rate(achieved, total) },
    rows,
  };
}

/** The tickets behind an SLA figure: those with an outcome achieved (or breached) in the range, for one row or all. */
export async function slaDrilldown(
  deps: Deps,
  q: DimensionFilters & {
    from?: string | undefined;
    to?: string | undefined;
    metric: 'sla_achieved' | 'sla_breached';
    slaBy?: SlaBy | undefined;
    slaKey?: string | undefined;
    limit: number;
  },
): Promise<InsightsDrilldown> {
  const range = resolveRange(q, deps.clock.now());
  const parts = [inRange(range), ...outcomeFilters(q), sql`o.achieved = ${q.metric === 'sla_achieved'}`];
  if (q.slaBy && q.slaKey !== undefined) parts.push(sql`${KEY[q.slaBy]} = ${q.slaKey === 'none' ? '' : q.slaKey}`);
  const where = and(parts);
  const r = await deps.db.execute<{ id: string; at: Date }>(sql`
    SELECT o.ticket_id AS id, max(o.at) AS at FROM sla_outcomes o WHERE ${where}
     GROUP BY o.ticket_id ORDER BY at DESC, id LIMIT ${q.limit}`);
  const n = await deps.db.execute<{ n: number }>(
    sql`SELECT count(DISTINCT o.ticket_id)::int AS n FROM sla_outcomes o WHERE ${where}`,
  );
  return { total: Number(n.rows[0]?.n ?? 0), ticketIds: r.rows.map((x) => x.id) };
}
