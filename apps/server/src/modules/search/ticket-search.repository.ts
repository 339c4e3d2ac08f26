import { type SQL, sql } from 'drizzle-orm';
import { type Actor, ticketVisibility } from '../../platform/auth/permissions.ts';
import type { Tx } from '../../platform/db/client.ts';
import { fuzzyThreshold, MIN_FUZZY_LENGTH, ticketVisibleSql } from '../customers/index.ts';

/**
 * Ticket search in SQL: a ticket is found when its subject, or one of its messages (internal notes included), holds
 * every query word — as a word prefix through the `simple` tsvector (GIN), or close to a word through pg_trgm word
 * similarity (`<%`, GIN trigram index) for typos. Ranked by ts_rank plus match quality, the subject counting double.
 */

/** tsquery for one normalised word as a prefix: 'word':* (quoted, so no word can carry tsquery syntax). */
function prefixQuery(term: string): SQL {
  return sql`to_tsquery('simple', ${`'${term.replaceAll("'", "''")}':*`})`;
}

function termMatches(term: string, vector: SQL, text: SQL): SQL {
  if ([...term].length < MIN_FUZZY_LENGTH) return sql`${vector} @@ ${prefixQuery(term)}`;
  return sql`(${vector} @@ ${prefixQuery(term)} OR (${term} <% ${text} AND word_similarity(${term}, ${text}) >= ${fuzzyThreshold(term)}))`;
}

/** Per word: 1 for a prefix match, half the similarity for a typo match; plus ts_rank for density. */
function docScore(terms: string[], vector: SQL, text: SQL): SQL {
  const anyTerm = sql`to_tsquery('simple', ${terms.map((t) => `'${t.replaceAll("'", "''")}':*`).join(' | ')})`;
  const perTerm = terms.map(
    (t) => sql`(CASE WHEN ${vector} @@ ${prefixQuery(t)} THEN 1.0 ELSE word_similarity(${t}, ${text}) * 0.5 END)`,
  );
  return sql`(ts_rank(${vector}, ${anyTerm}) + ${sql.join(perTerm, sql` + `)})`;
}

export interface TicketHitRow {
  id: string;
  number: number;
  subject: string;
  status: string;
  priority: string;
  updated_at: Date;
  customer_id: string;
  customer_name: string;
  score: number;
  source: 'subject' | 'message' | 'internal_note' | 'number';
  /** body of the best matching message (first 20,000 characters), when a message matched */
  body: string | null;
}

export interface FindTicketsOptions {
  actor: Actor;
  terms: string[];
  limit: number;
  after: [number, string] | null;
}

/** Subject matches count double (title boost); an exact ticket number wins outright. */
const SUBJECT_BOOST = 2;
const NUMBER_SCORE = 100;

export async function findTickets(tx: Tx, opts: FindTicketsOptions): Promise<TicketHitRow[]> {
  const { terms } = opts;
  const tVec = sql`t.search_vector`;
  const tText = sql`t.search_text`;
  const mVec = sql`m.search_vector`;
  const mText = sql`m.search_text`;
  const subjectMatch = sql.join(
    terms.map((t) => termMatches(t, tVec, tText)),
    sql` AND `,
  );
  const messageMatch = sql.join(
    terms.map((t) => termMatches(t, mVec, mText)),
    sql` AND `,
  );
  // collaborators see few tickets: narrow the matches to those before scoring anything
  const limited = !ticketVisibility(opts.actor).all;
  const subjectVisible = limited ? sql`AND ${ticketVisibleSql(opts.actor, 't')}` : sql``;
  const messageVisible = limited
    ? sql`AND EXISTS (SELECT 1 FROM tickets tv WHERE tv.id = m.ticket_id AND ${ticketVisibleSql(opts.actor, 'tv')})`
    : sql``;
  const numberTerm = terms.length === 1 && /^\d{1,15}$/.test(terms[0] ?? '') ? Number(terms[0]) : null;
  const numberHits =
    numberTerm !== null
      ? sql`UNION ALL SELECT t.id AS ticket_id, ${NUMBER_SCORE}::float8 AS score, 'number' AS source, NULL::uuid AS message_id
            FROM tickets t WHERE t.number = ${numberTerm}`
      : sql``;
  const result = await tx.execute(sql`
    WITH hits AS (
      SELECT t.id AS ticket_id, (${docScore(terms, tVec, tText)}) * ${SUBJECT_BOOST} AS score, 'subject' AS source,
             NULL::uuid AS message_id
      FROM tickets t WHERE ${subjectMatch} ${subjectVisible}
      UNION ALL
      SELECT m.ticket_id, ${docScore(terms, mVec, mText)} AS score,
             CASE WHEN m.kind = 'internal' THEN 'internal_note' ELSE 'message' END AS source, m.id AS message_id
      FROM messages m WHERE m.kind IN ('public', 'internal') AND ${messageMatch} ${messageVisible}
      ${numberHits}
    ),
    scored AS (
      SELECT ticket_id,
        round((COALESCE(max(score) FILTER (WHERE source = 'subject'), 0)
             + COALESCE(max(score) FILTER (WHERE source IN ('message', 'internal_note')), 0)
             + COALESCE(max(score) FILTER (WHERE source = 'number'), 0))::numeric, 6)::float8 AS score
      FROM hits GROUP BY ticket_id
    ),
    best AS (
      -- the snippet comes from the best message when one matched, else the subject
      SELECT DISTINCT ON (ticket_id) ticket_id, source, message_id FROM hits
      ORDER BY ticket_id, (message_id IS NOT NULL) DESC, score DESC
    )
    SELECT t.id, t.number, t.subject, t.status, t.priority, t.updated_at, c.id AS customer_id, c.name AS customer_name,
           s.score, b.source,
           (SELECT left(mm.body_text, 20000) FROM messages mm WHERE mm.id = b.message_id) AS body
    FROM scored s
    JOIN best b ON b.ticket_id = s.ticket_id
    JOIN tickets t ON t.id = s.ticket_id
    JOIN customers c ON c.id = t.customer_id
    WHERE ${ticketVisibleSql(opts.actor, 't')}
      ${opts.after ? sql`AND (s.score < ${opts.after[0]} OR (s.score = ${opts.after[0]} AND t.id > ${opts.after[1]}))` : sql``}
    ORDER BY s.score DESC, t.id ASC
    LIMIT ${opts.limit + 1}`);
  return result.rows as unknown as TicketHitRow[];
}
