import { type SQL, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/permissions.ts';
import type { Db, Tx } from '../../platform/db/client.ts';
import { searchTerms } from '../../platform/text/normalise.ts';
import { withoutStopwords } from '../../platform/text/stopwords.ts';
import { decodeCursor, encodeCursor, isScoreIdCursor } from './cursor.ts';
import { type CustomerSummaryRow, rows, SUMMARY_COLUMNS } from './customers.repository.ts';
import { customerVisibleSql } from './ticket-visibility-sql.ts';

/**
 * Typo tolerance: pg_trgm word similarity between a query word and the stored text. The `<%` operator uses the GIN
 * trigram index with the session threshold below; each word then needs a similarity that suits its length (one
 * swapped letter in a 6-letter word scores about 0.43, unrelated words stay under 0.3).
 */
export const TRIGRAM_THRESHOLD = 0.35;
/** Words shorter than this are matched by prefix only: trigram similarity means nothing for them. */
export const MIN_FUZZY_LENGTH = 4;

export function fuzzyThreshold(term: string): number {
  const n = [...term].length;
  return n >= 6 ? TRIGRAM_THRESHOLD : n === 5 ? 0.45 : 0.55;
}

/**
 * Runs `fn` in a transaction with our search settings (SET LOCAL: nothing leaks to other queries): the pg_trgm
 * word-similarity threshold, and no sequential scans — PostgreSQL cannot estimate how many rows `<%` keeps, guesses
 * high and scans whole tables (700 ms on 100k messages) where the GIN trigram index answers in a tenth of that.
 */
export async function withSearchSettings<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT set_config('pg_trgm.word_similarity_threshold', ${String(TRIGRAM_THRESHOLD)}, true),
      set_config('enable_seqscan', 'off', true)`);
    return fn(tx);
  });
}

/** Search words of a query: normalised (NFC, nukta, ZWJ/ZWNJ, case), stopwords dropped, at most 12, no repeats. */
export function queryTerms(q: string): string[] {
  return [...new Set(withoutStopwords(searchTerms(q)))].slice(0, 12);
}

export function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The word is in `column`: as a substring (prefixes included), or close enough to a word there (typos). */
export function termMatchesSql(term: string, column: SQL): SQL {
  const like = `%${escapeLike(term)}%`;
  if ([...term].length < MIN_FUZZY_LENGTH) return sql`${column} LIKE ${like}`;
  return sql`(${column} LIKE ${like} OR (${term} <% ${column} AND word_similarity(${term}, ${column}) >= ${fuzzyThreshold(term)}))`;
}

/** Per word: 1 when a word starts with it, 0.6 inside a word, else half its similarity (typos rank last). */
function termScoreSql(term: string, column: SQL): SQL {
  const prefix = `% ${escapeLike(term)}%`;
  const like = `%${escapeLike(term)}%`;
  return sql`(CASE WHEN (' ' || ${column}) LIKE ${prefix} THEN 1.0 WHEN ${column} LIKE ${like} THEN 0.6
    ELSE word_similarity(${term}, ${column}) * 0.5 END)`;
}

export interface CustomerSearchHitRow extends CustomerSummaryRow {
  score: number;
}

export interface SearchCustomersOptions {
  actor: Actor;
  q: string;
  organisationId?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/**
 * Customers matching every word of `q` in their normalised name, emails and phones, best first. Merged customers are
 * left out; collaborators only find customers of tickets they can see.
 */
export async function searchCustomers(
  tx: Tx,
  opts: SearchCustomersOptions,
): Promise<{ items: CustomerSearchHitRow[]; nextCursor: string | null }> {
  const terms = queryTerms(opts.q);
  if (terms.length === 0) return { items: [], nextCursor: null };
  const after = decodeCursor(opts.cursor, isScoreIdCursor);
  const col = sql`c.search_text`;
  const matches = sql.join(
    terms.map((t) => termMatchesSql(t, col)),
    sql` AND `,
  );
  const score = sql.join(
    terms.map((t) => termScoreSql(t, col)),
    sql` + `,
  );
  const found = await rows<CustomerSearchHitRow>(
    tx,
    sql`SELECT * FROM (
      SELECT ${SUMMARY_COLUMNS}, round((${score})::numeric, 6)::float8 AS score
      FROM customers c LEFT JOIN organisations o ON o.id = c.organisation_id
      WHERE c.merged_into_id IS NULL AND ${matches} AND ${customerVisibleSql(opts.actor, 'c')}
        ${opts.organisationId ? sql`AND c.organisation_id = ${opts.organisationId}` : sql``}
    ) s
    ${after ? sql`WHERE (s.score < ${after[0]} OR (s.score = ${after[0]} AND s.id > ${after[1]}))` : sql``}
    ORDER BY s.score DESC, s.id ASC
    LIMIT ${opts.limit + 1}`,
  );
  const items = found.slice(0, opts.limit);
  const last = items[items.length - 1];
  return { items, nextCursor: found.length > opts.limit && last ? encodeCursor([last.score, last.id]) : null };
}
