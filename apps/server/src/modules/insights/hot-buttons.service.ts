import type { HotButtons } from '@seva/contracts';
import { sql } from 'drizzle-orm';
import type { Deps } from '../../platform/deps.ts';
import { validationFailed } from '../../platform/errors.ts';
import type { DashboardQuery } from './dashboard.service.ts';
import {
  and,
  factFilters,
  keyOut,
  labelMaps,
  type Range,
  resolveRange,
  rollupFilters,
  rows,
} from './insights-query.ts';
import { rollupRows } from './rollup-range.ts';

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
      sql`SELECT ${sql.raw(col)} AS k, sum(created)::int AS n FROM ${rollupRows(r, rollupFilters(q))} r
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
