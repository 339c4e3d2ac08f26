import type { KbArticleStatus, KbLocale, KbSearchHit, KbVisibility } from '@seva/contracts';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { kbSearchQueries } from '../../platform/db/schema/index.ts';
import { planQuery, type QueryPlan } from './kb-query.ts';
import { makeSnippet } from './kb-snippet.ts';

/**
 * Knowledge-base search. Ranking (tuned on XQuAD-hi and TyDi QA-bn, see docs/kb.md):
 *   score(doc) = Σ over query words  idf(word) × ts_rank(weights {D .1, C .2, B .4, A 1}, doc, word)
 * where each word's tsquery ORs the word as a prefix, a light stem and (for Latin words) a sound key matching the
 * romanised Bengali/Hindi text; title lexemes carry weight A, body B, romanised text D. Words found in no document
 * fall back to trigram word similarity against titles and bodies (typos).
 */
// audiences — public: anyone; customers: a signed-in customer (public and customers articles); staff: all not archived
export type KbAudience = 'public' | 'customers' | 'staff';

export interface SearchKbInput {
  query: string;
  locale?: KbLocale | undefined;
  audience: KbAudience;
  limit: number;
  /** where the search came from; null: do not log */
  logSource?: 'help' | 'api' | 'widget' | 'staff' | null;
  now?: Date;
}

export interface SearchKbOutput {
  searchId: number | null;
  items: KbSearchHit[];
}

interface ScoredRow {
  [key: string]: unknown;
  translation_id: string;
  article_id: string;
  locale: string;
  title: string;
  slug: string;
  body_text: string;
  visibility: string;
  status: string;
  score: number;
}

const WEIGHTS = '{0.1,0.2,0.4,1.0}';
const TRGM_THRESHOLD = 0.5;

function scopeSql(audience: KbAudience, locale: KbLocale | undefined) {
  const visible =
    audience === 'public'
      ? sql`a.visibility = 'public' AND t.status = 'published'`
      : audience === 'customers'
        ? sql`a.visibility IN ('public', 'customers') AND t.status = 'published'`
        : sql`t.status <> 'archived'`;
  return locale ? sql`${visible} AND t.locale = ${locale}` : visible;
}

export function articleUrl(locale: string, articleId: string, slug: string): string {
  return `/help/${locale}/articles/${articleId}/${encodeURIComponent(slug)}`;
}

async function rankedRows(db: DbOrTx, plan: QueryPlan, input: SearchKbInput): Promise<ScoredRow[]> {
  if (plan.units.length === 0) return [];
  const scope = scopeSql(input.audience, input.locale);
  const queries = plan.units.map((u) => u.tsquery);
  // 1. document frequency of every word within the visible scope (GIN index per word)
  const dfResult = await db.execute<{ i: number; df: number; n: number }>(sql`
    WITH q AS (SELECT to_tsquery('simple', qt) AS tsq, i FROM unnest(${sql.param(queries)}::text[]) WITH ORDINALITY AS u(qt, i)),
    scope AS (
      SELECT t.search_vector FROM kb_article_translations t JOIN kb_articles a ON a.id = t.article_id WHERE ${scope}
    )
    SELECT q.i::int AS i,
           (SELECT count(*) FROM scope s WHERE s.search_vector @@ q.tsq)::int AS df,
           (SELECT count(*) FROM scope)::int AS n
    FROM q ORDER BY q.i`);
  const n = dfResult.rows[0]?.n ?? 0;
  if (n === 0) return [];
  const idf = (df: number) => Math.log(1 + (n - df + 0.5) / (df + 0.5));
  const found: Array<{ tsq: string; idf: number }> = [];
  const missing: Array<{ term: string; idf: number }> = [];
  for (const row of dfResult.rows) {
    const unit = plan.units[row.i - 1];
    if (!unit) continue;
    if (row.df > 0) found.push({ tsq: unit.tsquery, idf: idf(row.df) });
    else if ([...unit.term].length >= 3) missing.push({ term: unit.term, idf: idf(1) });
  }
  if (found.length === 0 && missing.length === 0) return [];
  const limit = input.limit;
  // 2. score: IDF-weighted per-word rank, plus trigram similarity for words that matched nothing exactly
  const result = await db.execute<ScoredRow>(sql`
    WITH q AS (
      SELECT to_tsquery('simple', qt) AS tsq, w FROM unnest(${sql.param(found.map((f) => f.tsq))}::text[], ${sql.param(found.map((f) => f.idf))}::float8[]) AS u(qt, w)
    ),
    fz AS (SELECT term, w FROM unnest(${sql.param(missing.map((m) => m.term))}::text[], ${sql.param(missing.map((m) => m.idf))}::float8[]) AS u(term, w)),
    scope AS (
      SELECT t.id, t.article_id, t.locale, t.title, t.slug, t.body_text, t.search_vector, t.search_title, t.search_body,
             a.visibility, t.status
      FROM kb_article_translations t JOIN kb_articles a ON a.id = t.article_id
      WHERE ${scope}
    ),
    exact AS (
      SELECT s.id, sum(q.w * ts_rank(${WEIGHTS}::float4[], s.search_vector, q.tsq)) AS score
      FROM scope s JOIN q ON s.search_vector @@ q.tsq
      GROUP BY s.id
    ),
    fuzzy AS (
      SELECT s.id,
             sum(fz.w * 0.5 * greatest(word_similarity(fz.term, s.search_title), 0.4 * word_similarity(fz.term, s.search_body))) AS score
      FROM scope s JOIN fz ON (fz.term <% s.search_title OR fz.term <% s.search_body)
      GROUP BY s.id
    ),
    total AS (
      SELECT id, sum(score) AS score FROM (SELECT * FROM exact UNION ALL SELECT * FROM fuzzy) x GROUP BY id
    )
    SELECT s.id AS translation_id, s.article_id, s.locale, s.title, s.slug, s.body_text, s.visibility, s.status,
           total.score::float8 AS score
    FROM total JOIN scope s ON s.id = total.id
    ORDER BY total.score DESC, s.id
    LIMIT ${limit}`);
  return result.rows;
}

/** Ranked knowledge-base results; public audiences only ever see published public translations. */
export async function searchKb(db: DbOrTx, input: SearchKbInput): Promise<SearchKbOutput> {
  const plan = planQuery(input.query);
  // word_similarity threshold for the <% operator, local to this transaction
  const rows = await db.transaction(async (tx) => {
    await tx.execute(sql`SELECT set_config('pg_trgm.word_similarity_threshold', ${String(TRGM_THRESHOLD)}, true)`);
    return rankedRows(tx, plan, input);
  });
  const items: KbSearchHit[] = rows.map((r) => ({
    id: r.article_id,
    locale: r.locale as KbLocale,
    title: r.title,
    slug: r.slug,
    url: articleUrl(r.locale, r.article_id, r.slug),
    snippet: makeSnippet(r.body_text, plan.units),
    visibility: r.visibility as KbVisibility,
    status: r.status as KbArticleStatus,
    score: Math.round(Number(r.score) * 10000) / 10000,
  }));
  let searchId: number | null = null;
  if (input.logSource) {
    const [logged] = await db
      .insert(kbSearchQueries)
      .values({
        query: input.query.slice(0, 500),
        normalised: plan.normalised.slice(0, 500),
        locale: input.locale ?? null,
        source: input.logSource,
        resultCount: items.length,
        ...(input.now ? { createdAt: input.now } : {}),
      })
      .returning({ id: kbSearchQueries.id });
    searchId = logged?.id ?? null;
  }
  return { searchId, items };
}
