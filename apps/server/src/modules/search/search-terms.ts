import { type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/client.ts';
import { textScripts } from '../../platform/text/scripts.ts';
import { fuzzyThreshold, MIN_FUZZY_LENGTH } from '../customers/index.ts';

/**
 * How each query word is searched. Every word is a word prefix in the `simple` tsvector (GIN). A word of 4+ letters
 * without digits that starts no stored word at all (a typo) is widened to the stored words closest to it, found by
 * trigram similarity in the small `search_words` vocabulary — so typo tolerance costs a vocabulary lookup plus an
 * exact tsvector search, never a trigram scan over millions of messages.
 */
export interface NearWord {
  word: string;
  similarity: number;
}

export interface TermPlan {
  term: string;
  /** stored words close to the term, best first; empty when the term starts a stored word (or is too short) */
  near: NearWord[];
}

/** At most this many near words per typo'd query word. */
export const MAX_NEAR_WORDS = 12;
/** Words that may be typos: long enough for trigram similarity to mean something, and no digits (codes, numbers). */
export function mayBeTypo(term: string): boolean {
  return [...term].length >= MIN_FUZZY_LENGTH && !/\p{Nd}/u.test(term);
}

function quote(word: string): string {
  return `'${word.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
}

/** tsquery text: every term (as a prefix, or one of its near words), all required. */
export function tsqueryText(plans: readonly TermPlan[]): string {
  return plans
    .map((p) => {
      const exact = `${quote(p.term)}:*`;
      return p.near.length === 0 ? exact : `(${[exact, ...p.near.map((n) => quote(n.word))].join(' | ')})`;
    })
    .join(' & ');
}

/** tsquery text matching any one of the alternatives (for ts_rank's density). */
export function anyTermText(plans: readonly TermPlan[]): string {
  return plans.flatMap((p) => [`${quote(p.term)}:*`, ...p.near.map((n) => quote(n.word))]).join(' | ');
}

export function tsquerySql(text: string): SQL {
  return sql`to_tsquery('simple', ${text})`;
}

/**
 * A ticket whose writing systems (`tickets.scripts`, platform/text/scripts.ts) lack those of a query word (or of every
 * one of its near words) cannot hold it: a cheap test on the ticket row that lets the recency walk pass over, say,
 * English tickets when the query is Bengali, without reading their messages. Necessary, never sufficient.
 * Each mask is made of the script bits 1, 2 and 4 only (textScripts never gives 8, unknown), so a ticket whose bits
 * are not worked out yet (15) passes every one: `(15 & m) = m`.
 */
export function scriptsFilterSql(plans: readonly TermPlan[], column: SQL): SQL {
  const perTerm = plans.flatMap((p) => {
    const masks = [...new Set([p.term, ...p.near.map((n) => n.word)].map(textScripts))];
    if (masks.includes(0)) return []; // a word in no known script: no requirement
    return [
      sql`(${sql.join(
        masks.map((m) => sql`(${column} & ${m}::smallint) = ${m}::smallint`),
        sql` OR `,
      )})`,
    ];
  });
  return perTerm.length === 0 ? sql`TRUE` : sql.join(perTerm, sql` AND `);
}

/**
 * Match quality of one document for every term: 1 for a prefix match, half the similarity of the best near word
 * otherwise (typos rank below exact words), plus ts_rank for density.
 */
export function docScoreSql(plans: readonly TermPlan[], vector: SQL): SQL {
  const perTerm = plans.map((p) => {
    const near = p.near.map(
      (n) => sql` WHEN ${vector} @@ ${tsquerySql(quote(n.word))} THEN ${n.similarity * 0.5}::float8`,
    );
    return sql`(CASE WHEN ${vector} @@ ${tsquerySql(`${quote(p.term)}:*`)} THEN 1.0::float8${sql.join(near, sql``)} ELSE 0::float8 END)`;
  });
  return sql`(ts_rank(${vector}, ${tsquerySql(anyTermText(plans))}) + ${sql.join(perTerm, sql` + `)})`;
}

/** Looks up near words for the query words that start no stored word. */
export async function planTerms(tx: Tx, terms: readonly string[]): Promise<TermPlan[]> {
  const candidates = terms.filter(mayBeTypo);
  const near = new Map<string, NearWord[]>();
  if (candidates.length > 0) {
    const known = await tx.execute(sql`
      SELECT x.term FROM unnest(${sql.param(candidates)}::text[]) AS x(term)
      WHERE NOT EXISTS (SELECT 1 FROM search_words w
                        WHERE w.word >= x.term COLLATE "C" AND w.word < (x.term || chr(1114111)) COLLATE "C")`);
    for (const row of known.rows as Array<{ term: string }>) {
      const found = await tx.execute(sql`
        SELECT word, max(word_similarity(${row.term}, word))::float8 AS similarity FROM search_words
        WHERE ${row.term} <% word AND word_similarity(${row.term}, word) >= ${fuzzyThreshold(row.term)}
        GROUP BY word ORDER BY similarity DESC, word LIMIT ${MAX_NEAR_WORDS}`);
      near.set(
        row.term,
        (found.rows as Array<{ word: string; similarity: number }>).map((r) => ({
          word: r.word,
          similarity: Math.round(r.similarity * 1e6) / 1e6,
        })),
      );
    }
  }
  return terms.map((term) => ({ term, near: near.get(term) ?? [] }));
}
