import type { SlaReport, SlaReportQuery } from '@seva/contracts';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';

const KEY = {
  policy: sql`o.policy_id::text`,
  team: sql`o.team_id::text`,
  assignee: sql`o.assignee_id::text`,
  channel: sql`o.channel`,
  metric: sql`o.metric`,
} as const;

const LABEL = {
  policy: sql`coalesce((SELECT p.name FROM sla_policies p WHERE p.id = o.policy_id), '')`,
  team: sql`coalesce((SELECT t.name FROM teams t WHERE t.id = o.team_id), '')`,
  assignee: sql`coalesce((SELECT s.name FROM staff_users s WHERE s.id = o.assignee_id), '')`,
  channel: sql`o.channel`,
  metric: sql`o.metric`,
} as const;

/** SLA achievement: finished clock cycles in [from, to] (UTC days), grouped by policy, team, person, channel or metric. */
export async function slaReport(db: DbOrTx, q: SlaReportQuery): Promise<SlaReport> {
  const by = q.by;
  const r = await db.execute<{ key: string | null; label: string; total: number; achieved: number; median: number | null }>(sql`
    SELECT ${KEY[by]} AS key, min(${LABEL[by]}) AS label, count(*)::int AS total,
           count(*) FILTER (WHERE o.achieved)::int AS achieved,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY o.used_minutes)::float8 AS median
      FROM sla_outcomes o
     WHERE o.at >= ${q.from}::date AND o.at < (${q.to}::date + 1)
     GROUP BY 1
     ORDER BY total DESC, key NULLS LAST`);
  return {
    from: q.from,
    to: q.to,
    by,
    rows: r.rows.map((x) => ({
      key: x.key,
      label: x.label,
      total: x.total,
      achieved: x.achieved,
      breached: x.total - x.achieved,
      rate: x.total > 0 ? x.achieved / x.total : null,
      medianUsedMinutes: x.median === null ? null : Number(x.median),
    })),
  };
}
