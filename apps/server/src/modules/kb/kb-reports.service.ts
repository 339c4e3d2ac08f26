import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';

export interface ContentGap {
  query: string;
  locale: string | null;
  count: number;
  lastAt: string;
}

/** Searches by customers (help centre, widget, API) that found nothing, grouped by normalised query and language. */
export async function kbContentGaps(
  db: DbOrTx,
  opts: { days: number; limit: number; now: Date },
): Promise<ContentGap[]> {
  const since = new Date(opts.now.getTime() - opts.days * 86_400_000);
  const { rows } = await db.execute<{
    query: string;
    locale: string | null;
    count: number;
    last_at: Date | string;
  }>(sql`
    SELECT min(query) AS query, locale, count(*)::int AS count, max(created_at) AS last_at
    FROM kb_search_queries
    WHERE result_count = 0 AND source <> 'staff' AND created_at >= ${since.toISOString()}::timestamptz
    GROUP BY normalised, locale
    ORDER BY count(*) DESC, max(created_at) DESC
    LIMIT ${opts.limit}`);
  return rows.map((r) => ({
    query: r.query,
    locale: r.locale,
    count: r.count,
    lastAt: new Date(r.last_at).toISOString(),
  }));
}
