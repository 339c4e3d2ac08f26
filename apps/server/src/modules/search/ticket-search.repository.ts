import { type SQL, sql } from 'drizzle-orm';
import { type Actor, ticketVisibility } from '../../platform/auth/permissions.ts';
import type { Tx } from '../../platform/db/client.ts';
import { ticketVisibleSql } from '../customers/index.ts';
import { docScoreSql, scriptsFilterSql, type TermPlan, tsquerySql, tsqueryText } from './search-terms.ts';

/**
 * Ticket search in SQL. A ticket is found when its subject, or one of its messages (internal notes included), holds
 * every query word (see search-terms.ts). Three building blocks, chosen by the service by how many documents match:
 * - `countMatches`: bounded probe of the GIN indexes (stops at `cap` rows), plus the planner's estimate;
 * - `rankAllMatches`: few matches — score every one exactly, keyset-paginate by score or recency;
 * - `recentMatches` + `scoreTickets`: many matches — walk tickets newest first (index on updated_at) and test each
 *   one's subject and messages, so a word in a third of a million tickets costs what a page of them costs. A ticket
 *   whose writing systems lack the query's (`tickets.scripts`) is passed over without reading its messages.
 */

const SEARCHABLE_KINDS = sql`('public', 'internal')`;
/** Subject matches count double (title boost); an exact ticket number wins outright. */
export const SUBJECT_BOOST = 2;
export const NUMBER_SCORE = 100;

export type Source = 'subject' | 'message' | 'internal_note' | 'number';

/** The tickets to look in: every ticket, the ones a collaborator can see, or a given list. */
export type Scope = { kind: 'all' } | { kind: 'visible'; userId: string } | { kind: 'ids'; ids: string[] };

export function scopeFor(actor: Actor): Scope {
  const v = ticketVisibility(actor);
  return v.all ? { kind: 'all' } : { kind: 'visible', userId: v.userId };
}

export interface RankedRow {
  id: string;
  score: number;
  /** exact updated_at as ISO text with microseconds (cursors need every digit) */
  updated_key: string;
  source: Source;
  message_id: string | null;
}

export interface TicketHitRow extends RankedRow {
  number: number;
  subject: string;
  status: string;
  priority: string;
  updated_at: Date;
  customer_id: string;
  customer_name: string;
  /** body of the best matching message (first 20,000 characters), when a message matched */
  body: string | null;
}

const UPDATED_KEY = sql`to_char(t.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

function scopeCte(scope: Scope): SQL {
  if (scope.kind === 'visible')
    return sql`scope_ids AS MATERIALIZED (
      SELECT t.id FROM tickets t WHERE t.assignee_id = ${scope.userId}
      UNION SELECT tc.ticket_id FROM ticket_collaborators tc WHERE tc.user_id = ${scope.userId}),`;
  if (scope.kind === 'ids')
    return sql`scope_ids AS MATERIALIZED (SELECT unnest(${sql.param(scope.ids)}::uuid[]) AS id),`;
  return sql``;
}

function inScope(scope: Scope, column: SQL): SQL {
  return scope.kind === 'all' ? sql`TRUE` : sql`${column} IN (SELECT id FROM scope_ids)`;
}

/** Every matching subject and message in scope, scored, plus the ticket whose number is the query. */
function hitsCte(plans: readonly TermPlan[], scope: Scope, numberTerm: number | null): SQL {
  const q = tsquerySql(tsqueryText(plans));
  const numberHits =
    numberTerm !== null
      ? sql`UNION ALL SELECT t.id AS ticket_id, ${NUMBER_SCORE}::float8 AS score, 'number' AS source,
              NULL::uuid AS message_id
            FROM tickets t WHERE t.number = ${numberTerm} AND ${inScope(scope, sql`t.id`)}`
      : sql``;
  return sql`${scopeCte(scope)}
    hits AS (
      SELECT t.id AS ticket_id, ${docScoreSql(plans, sql`t.search_vector`)} * ${SUBJECT_BOOST} AS score,
             'subject' AS source, NULL::uuid AS message_id
      FROM tickets t WHERE t.search_vector @@ ${q} AND ${inScope(scope, sql`t.id`)}
      UNION ALL
      SELECT m.ticket_id, ${docScoreSql(plans, sql`m.search_vector`)} AS score,
             CASE WHEN m.kind = 'internal' THEN 'internal_note' ELSE 'message' END AS source, m.id AS message_id
      FROM messages m
      WHERE m.kind IN ${SEARCHABLE_KINDS} AND m.search_vector @@ ${q} AND ${inScope(scope, sql`m.ticket_id`)}
      ${numberHits}
    ),
    scored AS (
      -- a ticket adds its best subject score, its best message score and the number score
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
    )`;
}

export interface MatchCount {
  /** matching subjects and messages, counted up to `cap` each */
  subjects: number;
  messages: number;
}

/** Counts matching subjects and messages, each up to `cap` (the GIN index stops the heap visits there). */
export async function countMatches(tx: Tx, plans: readonly TermPlan[], cap: number): Promise<MatchCount> {
  const q = tsquerySql(tsqueryText(plans));
  const res = await tx.execute(sql`SELECT
    (SELECT count(*) FROM (SELECT 1 FROM tickets t WHERE t.search_vector @@ ${q} LIMIT ${cap}) a)::int AS subjects,
    (SELECT count(*) FROM (SELECT 1 FROM messages m WHERE m.kind IN ${SEARCHABLE_KINDS} AND m.search_vector @@ ${q}
                           LIMIT ${cap}) b)::int AS messages`);
  const row = res.rows[0] as unknown as MatchCount;
  return { subjects: Number(row.subjects), messages: Number(row.messages) };
}

async function plannedRows(tx: Tx, query: SQL): Promise<number> {
  const res = await tx.execute(sql`EXPLAIN (FORMAT JSON) ${query}`);
  const plan = (res.rows[0] as Record<string, unknown> | undefined)?.['QUERY PLAN'];
  const parsed = (typeof plan === 'string' ? JSON.parse(plan) : plan) as Array<{ Plan?: { 'Plan Rows'?: number } }>;
  return Math.round(Number(parsed[0]?.Plan?.['Plan Rows'] ?? 0));
}

/**
 * The planner's estimate of the matching tickets (from the tsvector statistics; no rows are read): matching subjects
 * plus matching messages, at most the number of tickets. An estimate, shown as "about N".
 */
export async function estimateMatchingTickets(tx: Tx, plans: readonly TermPlan[]): Promise<number> {
  const q = tsquerySql(tsqueryText(plans));
  const subjects = await plannedRows(tx, sql`SELECT 1 FROM tickets t WHERE t.search_vector @@ ${q}`);
  const messages = await plannedRows(
    tx,
    sql`SELECT 1 FROM messages m WHERE m.kind IN ${SEARCHABLE_KINDS} AND m.search_vector @@ ${q}`,
  );
  const res = await tx.execute(
    sql`SELECT greatest(reltuples, 0)::float8 AS n FROM pg_class WHERE oid = 'tickets'::regclass`,
  );
  const tickets = Number((res.rows[0] as { n: number } | undefined)?.n ?? 0);
  return Math.round(tickets > 0 ? Math.min(tickets, subjects + messages) : subjects + messages);
}

export type RankOrder =
  | { by: 'relevance'; after: [number, string] | null }
  | { by: 'recent'; after: [string, string] | null };

/** All matches in scope scored exactly; one page of them in the given order, and how many there are. */
export async function rankAllMatches(
  tx: Tx,
  opts: {
    plans: readonly TermPlan[];
    scope: Scope;
    actor: Actor;
    numberTerm: number | null;
    order: RankOrder;
    limit: number;
  },
): Promise<{ rows: TicketHitRow[]; total: number }> {
  const { order } = opts;
  let keyset = sql``;
  let orderBy = sql`s.score DESC, t.id ASC`;
  if (order.by === 'relevance' && order.after) {
    keyset = sql`AND (s.score < ${order.after[0]} OR (s.score = ${order.after[0]} AND t.id > ${order.after[1]}))`;
  }
  if (order.by === 'recent') {
    orderBy = sql`t.updated_at DESC, t.id DESC`;
    if (order.after) keyset = sql`AND (t.updated_at, t.id) < (${order.after[0]}::timestamptz, ${order.after[1]}::uuid)`;
  }
  const res = await tx.execute(sql`
    WITH ${hitsCte(opts.plans, opts.scope, opts.numberTerm)},
    page AS (
      SELECT s.ticket_id AS id, s.score, ${UPDATED_KEY} AS updated_key, b.source, b.message_id
      FROM scored s JOIN best b ON b.ticket_id = s.ticket_id JOIN tickets t ON t.id = s.ticket_id
      WHERE ${ticketVisibleSql(opts.actor, 't')} ${keyset}
      ORDER BY ${orderBy}
      LIMIT ${opts.limit}
    )
    SELECT page.*, (SELECT count(*) FROM scored)::int AS total FROM page`);
  const ranked = res.rows as unknown as Array<RankedRow & { total: number }>;
  const total = Number(ranked[0]?.total ?? (await countScored(tx, opts)));
  return { rows: await describeTickets(tx, ranked), total };
}

/** The number of matches when the page is empty (a cursor past the end). */
async function countScored(
  tx: Tx,
  opts: { plans: readonly TermPlan[]; scope: Scope; numberTerm: number | null },
): Promise<number> {
  const res = await tx.execute(
    sql`WITH ${hitsCte(opts.plans, opts.scope, opts.numberTerm)} SELECT count(*)::int AS n FROM scored`,
  );
  return Number((res.rows[0] as { n: number } | undefined)?.n ?? 0);
}

/**
 * How far one call of `recentMatches` walks: at most `walked` tickets along the index, and of those at most `read`
 * whose writing systems fit the query (the ones whose messages have to be read). A word common long ago but rare
 * among the newest tickets would otherwise make one page walk all of them.
 */
export interface WalkBudget {
  walked: number;
  read: number;
}

/** ~60 ms of ticket rows and ~30–150 ms of message reads on the benchmark's 1M database (docs/performance.md). */
export const WALK_BUDGET: WalkBudget = { walked: 20_000, read: 2_000 };

export interface RecentMatches {
  rows: Array<{ id: string; updated_key: string }>;
  /** where the walk stopped when its budget ran out before `limit` matches: continue after this key */
  resume: [string, string] | null;
}

/**
 * Matching tickets newest first (by updated_at, then id), after the keyset `after`: walks the tickets_updated_idx
 * backwards and tests each ticket's subject and messages, stopping after `limit` matches or when the budget is spent
 * (then `resume` says where it stopped; every ticket before it was tested). Only for words that match many tickets
 * (for rare words the walk would visit every ticket).
 * One statement that streams: the index scan feeds row numbers (the walk's budget), the writing-systems test, a second
 * row number (the read budget), then the message test; the outer LIMIT stops it all at `limit` rows. The row where a
 * budget ends comes back marked `edge`, matching or not.
 */
export async function recentMatches(
  tx: Tx,
  opts: {
    plans: readonly TermPlan[];
    after: [string, string] | null;
    limit: number;
    excludeId?: string | null;
    budget?: WalkBudget;
  },
): Promise<RecentMatches> {
  const q = tsquerySql(tsqueryText(opts.plans));
  const { walked, read } = opts.budget ?? WALK_BUDGET;
  // a bitmap of every matching message would be the plan for a rare word, and is exactly what we avoid here
  await tx.execute(
    sql`SELECT set_config('enable_bitmapscan', 'off', true), set_config('enable_hashjoin', 'off', true)`,
  );
  try {
    const res = await tx.execute(sql`
      SELECT x.id, x.updated_key, x.found, x.edge FROM (
        SELECT w.id, w.updated_at, w.updated_key,
          -- a scalar subquery, not EXISTS: PostgreSQL would turn EXISTS into a hashed subplan over every matching message
          (w.fits AND (w.search_vector @@ ${q} OR COALESCE((
            SELECT bool_or(m.search_vector @@ ${q}) FROM messages m
            WHERE m.ticket_id = w.id AND m.kind IN ${SEARCHABLE_KINDS}), false))) AS found,
          (w.walked = ${walked} OR row_number() OVER (ORDER BY w.updated_at DESC, w.id DESC) = ${read}) AS edge
        FROM (
          SELECT t.id, t.updated_at, t.search_vector, ${UPDATED_KEY} AS updated_key,
            -- tickets without the query's writing systems are passed over on the ticket row alone
            (${scriptsFilterSql(opts.plans, sql`t.scripts`)}) AS fits,
            row_number() OVER (ORDER BY t.updated_at DESC, t.id DESC) AS walked
          FROM tickets t
          WHERE ${opts.after ? sql`(t.updated_at, t.id) < (${opts.after[0]}::timestamptz, ${opts.after[1]}::uuid)` : sql`TRUE`}
            ${opts.excludeId ? sql`AND t.id <> ${opts.excludeId}` : sql``}
          ORDER BY t.updated_at DESC, t.id DESC
          LIMIT ${walked}
        ) w
        WHERE w.fits OR w.walked = ${walked}
        ORDER BY w.updated_at DESC, w.id DESC
        LIMIT ${read}
      ) x
      WHERE x.found OR x.edge
      ORDER BY x.updated_at DESC, x.id DESC
      LIMIT ${opts.limit}`);
    const all = res.rows as unknown as Array<{ id: string; updated_key: string; found: boolean; edge: boolean }>;
    const rows = all.filter((r) => r.found).map((r) => ({ id: r.id, updated_key: r.updated_key }));
    const last = all[all.length - 1];
    const resume: [string, string] | null = rows.length < opts.limit && last?.edge ? [last.updated_key, last.id] : null;
    return { rows, resume };
  } finally {
    await tx.execute(
      sql`SELECT set_config('enable_bitmapscan', 'on', true), set_config('enable_hashjoin', 'on', true)`,
    );
  }
}

/** Scores the given tickets (all of which match): score, best source and message, updated key. Unordered. */
export async function scoreTickets(
  tx: Tx,
  opts: { plans: readonly TermPlan[]; ids: string[]; numberTerm: number | null },
): Promise<RankedRow[]> {
  if (opts.ids.length === 0) return [];
  const res = await tx.execute(sql`
    WITH ${hitsCte(opts.plans, { kind: 'ids', ids: opts.ids }, opts.numberTerm)}
    SELECT s.ticket_id AS id, s.score, ${UPDATED_KEY} AS updated_key, b.source, b.message_id
    FROM scored s JOIN best b ON b.ticket_id = s.ticket_id JOIN tickets t ON t.id = s.ticket_id`);
  return res.rows as unknown as RankedRow[];
}

/** Ticket columns, customer and best message body for ranked rows, in their order. */
export async function describeTickets(tx: Tx, ranked: readonly RankedRow[]): Promise<TicketHitRow[]> {
  if (ranked.length === 0) return [];
  const ids = ranked.map((r) => r.id);
  const messageIds = ranked.map((r) => r.message_id).filter((m): m is string => m !== null);
  const res = await tx.execute(sql`
    SELECT t.id, t.number, t.subject, t.status, t.priority, t.updated_at, c.id AS customer_id, c.name AS customer_name
    FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE t.id = ANY(${sql.param(ids)}::uuid[])`);
  const bodies =
    messageIds.length === 0
      ? { rows: [] }
      : await tx.execute(
          sql`SELECT m.id, left(m.body_text, 20000) AS body FROM messages m WHERE m.id = ANY(${sql.param(messageIds)}::uuid[])`,
        );
  const ticketById = new Map((res.rows as unknown as TicketHitRow[]).map((r) => [r.id, r]));
  const bodyById = new Map((bodies.rows as Array<{ id: string; body: string }>).map((r) => [r.id, r.body]));
  const out: TicketHitRow[] = [];
  for (const r of ranked) {
    const t = ticketById.get(r.id);
    if (!t) continue;
    out.push({
      ...t,
      id: r.id,
      score: Number(r.score),
      updated_key: r.updated_key,
      source: r.source,
      message_id: r.message_id,
      body: r.message_id ? (bodyById.get(r.message_id) ?? null) : null,
    });
  }
  return out;
}

export async function findTicketIdByNumber(tx: Tx, ticketNumber: number): Promise<string | null> {
  const res = await tx.execute(sql`SELECT id FROM tickets WHERE number = ${ticketNumber}`);
  return (res.rows[0] as { id: string } | undefined)?.id ?? null;
}
