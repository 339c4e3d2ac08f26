import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { type RiskReason, WEIGHTS } from './customer-health.ts';
import { rows } from './insights-query.ts';

/** One customer's signals over the period and the health score PostgreSQL computed from them. */
export interface ScoredCustomer {
  customer_id: string;
  name: string;
  health: number;
  contacts: number;
  last_at: Date;
  /** most tickets within any 7 days; only computed where it can change the health (≥ 3 contacts), else 0 */
  max7: number;
  reopened: number;
  negative: number;
  slow: number;
  bad: number;
  last_complaint: Date | null;
}

export interface ScoreCustomersOptions {
  /** start of the period (facts created and ratings answered from then on) */
  since: string;
  /** a ticket without a first response created before this is slow (now − the first-response target) */
  unansweredBefore: string;
  firstResponseTargetSeconds: number;
  /** ratings at or below this are bad */
  badAtOrBelow: number;
  /** a complaint before this, with no contact since, is silence after a complaint (now − 14 days) */
  silenceBefore: string;
  /** only customers whose health is below this */
  healthBelow: number;
  limit: number;
}

/** customer-health.ts's points for one signal, as SQL (the same weights, so both score alike; a test compares them). */
function points(reason: RiskReason, count: SQL): SQL {
  const w = WEIGHTS[reason];
  return reason === 'repeat_contacts' || reason === 'silent_after_complaint'
    ? sql`CASE WHEN ${count} > 0 THEN ${w.max}::int ELSE 0 END`
    : sql`CASE WHEN ${count} > 0 THEN least(${w.max}::int, ${w.per}::int * ${count}) ELSE 0 END`;
}

/**
 * The customers with the lowest health (customer-health.ts, computed in PostgreSQL), lowest first and then by name
 * as JavaScript's localeCompare orders it (ICU root collation), at most `limit`. A hashed aggregate over the facts of
 * the period (of the customers with a signal other than repeat contacts) gives every signal but repeat contacts;
 * the 7-day window count, which needs the facts sorted by customer, runs only for customers with 3 or more contacts
 * whose health its 15 points could bring below the threshold. Only the returned rows leave the database.
 */
export async function scoreCustomerHealth(db: DbOrTx, o: ScoreCustomersOptions): Promise<ScoredCustomer[]> {
  const silent = sql`(last_complaint IS NOT NULL
    AND date_trunc('milliseconds', last_at) <= date_trunc('milliseconds', last_complaint)
    AND date_trunc('milliseconds', last_complaint) < ${o.silenceBefore}::timestamptz)::int`;
  const repeatMax = WEIGHTS.repeat_contacts.max;
  const slowFact = sql`(first_response_seconds > ${o.firstResponseTargetSeconds}
    OR (first_response_at IS NULL AND status NOT IN ('solved', 'closed') AND created_at < ${o.unansweredBefore}::timestamptz))`;
  // Repeat contacts alone take at most 15 points: below 85, only customers with another signal can be listed, so
  // only they are aggregated (in the seeded 1M-ticket data one customer in eight instead of every one of the period).
  const signalledOnly = o.healthBelow <= 100 - repeatMax;
  return rows<ScoredCustomer>(
    db,
    sql`WITH bad AS (
          SELECT customer_id, count(*)::int AS bad, max(answered_at) AS bad_at FROM survey_requests
           WHERE kind = 'csat' AND answered_at >= ${o.since}::timestamptz AND rating <= ${o.badAtOrBelow}
           GROUP BY customer_id),
        signalled AS (
          SELECT customer_id FROM insight_ticket_facts
           WHERE created_at >= ${o.since}::timestamptz AND customer_id IS NOT NULL
             AND (reopen_count > 0 OR negative_messages > 0 OR ${slowFact})
          UNION SELECT customer_id FROM bad),
        per AS (
          SELECT customer_id, count(*)::int AS contacts, max(created_at) AS last_at,
                 sum(reopen_count)::int AS reopened, sum(negative_messages)::int AS negative,
                 count(*) FILTER (WHERE ${slowFact})::int AS slow,
                 max(created_at) FILTER (WHERE negative_messages > 0) AS negative_at
            FROM insight_ticket_facts
           WHERE created_at >= ${o.since}::timestamptz AND customer_id IS NOT NULL
             ${signalledOnly ? sql`AND customer_id IN (SELECT customer_id FROM signalled)` : sql``}
           GROUP BY customer_id),
        signals AS (
          SELECT p.*, coalesce(b.bad, 0)::int AS bad, greatest(p.negative_at, b.bad_at) AS last_complaint
            FROM per p LEFT JOIN bad b USING (customer_id)),
        -- 100 minus every signal's points but repeat contacts
        s AS (
          SELECT signals.*, 100 - ${points('reopened', sql`reopened`)} - ${points('negative_sentiment', sql`negative`)}
                 - ${points('bad_rating', sql`bad`)} - ${points('slow_response', sql`slow`)}
                 - ${points('silent_after_complaint', silent)} AS rest
            FROM signals),
        rep AS (
          SELECT customer_id, max(in7)::int AS max7
            FROM (SELECT customer_id,
                         count(*) OVER (PARTITION BY customer_id ORDER BY created_at
                                        RANGE BETWEEN interval '7 days' PRECEDING AND CURRENT ROW) AS in7
                    FROM insight_ticket_facts
                   WHERE created_at >= ${o.since}::timestamptz
                     AND customer_id IN (SELECT customer_id FROM s
                                          WHERE contacts >= 3 AND rest - ${repeatMax}::int < ${o.healthBelow})) w
           GROUP BY customer_id),
        scored AS (
          SELECT s.*, coalesce(r.max7, 0) AS max7,
                 greatest(0, rest - ${points('repeat_contacts', sql`(coalesce(r.max7, 0) >= 3)::int`)}) AS health
            FROM s LEFT JOIN rep r USING (customer_id))
        SELECT sc.customer_id::text AS customer_id, c.name, sc.health::int AS health, sc.contacts, sc.last_at,
               sc.max7, sc.reopened, sc.negative, sc.slow, sc.bad, sc.last_complaint
          FROM scored sc JOIN customers c ON c.id = sc.customer_id
         WHERE sc.health < ${o.healthBelow}
         ORDER BY sc.health, c.name COLLATE "und-x-icu", sc.customer_id
         LIMIT ${o.limit}`,
  );
}
