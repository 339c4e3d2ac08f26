import type { InsightsDrilldown } from '@seva/contracts';
import { sql } from 'drizzle-orm';
import type { Deps } from '../../platform/deps.ts';
import { validationFailed } from '../../platform/errors.ts';
import { and, type DimensionFilters, factFilters, num, resolveRange, rollupFilters, rows } from './insights-query.ts';
import { type SlaBy, slaDrilldown } from './insights-sla.ts';

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
  // open tickets by dimensions alone: the counts kept with the facts (maintain-open-counts.ts) instead of counting
  const [total] =
    q.metric === 'open' && !q.tag && !q.field
      ? await rows(
          deps.db,
          sql`SELECT coalesce(sum(open), 0)::int AS n FROM insight_open_counts WHERE ${and(rollupFilters(q))}`,
        )
      : await rows(deps.db, sql`SELECT count(*)::int AS n FROM insight_ticket_facts WHERE ${where}`);
  const ids = await rows<{ id: string }>(
    deps.db,
    sql`SELECT ticket_id AS id FROM insight_ticket_facts WHERE ${where} ORDER BY ${sql.raw(col)} DESC, ticket_id LIMIT ${q.limit}`,
  );
  return { total: num(total?.n), ticketIds: ids.map((r) => r.id) };
}
