import type { CustomersAtRisk } from '@seva/contracts';
import { sql } from 'drizzle-orm';
import type { Deps } from '../../platform/deps.ts';
import { getSurveySettings } from '../surveys/index.ts';
import { customerHealth } from './customer-health.ts';
import { getInsightsSettings } from './insights-settings.ts';

const DAY_MS = 86_400_000;
const SILENCE_DAYS = 14;
/** below this health a customer is listed as at risk */
export const AT_RISK_BELOW = 75;

/**
 * Customers at risk over the last `days`: repeat contacts within a week, reopened tickets, negative messages, bad
 * ratings, first responses beyond the target, and silence after a complaint; plus low-engagement customers (two or
 * more contacts in the period before, none in this one). Reads facts and survey answers by indexed time range.
 */
export async function customersAtRisk(deps: Deps, q: { days: number; limit: number }): Promise<CustomersAtRisk> {
  const now = deps.clock.now();
  const since = new Date(now.getTime() - q.days * DAY_MS).toISOString();
  const before = new Date(now.getTime() - 2 * q.days * DAY_MS).toISOString();
  const cfg = await getInsightsSettings(deps.db);
  const surveys = await getSurveySettings(deps.db);
  const silenceCut = new Date(now.getTime() - SILENCE_DAYS * DAY_MS).toISOString();
  const { rows } = await deps.db.execute<{
    customer_id: string;
    name: string;
    contacts: number;
    last_at: Date;
    max7: number;
    reopened: number;
    negative: number;
    slow: number;
    bad: number;
    last_complaint: Date | null;
  }>(sql`
    WITH f AS (
      SELECT customer_id, created_at, reopen_count, negative_messages, first_response_seconds, first_response_at, status,
             count(*) OVER (PARTITION BY customer_id ORDER BY created_at RANGE BETWEEN interval '7 days' PRECEDING AND CURRENT ROW) AS in7
        FROM insight_ticket_facts
       WHERE created_at >= ${since}::timestamptz AND customer_id IS NOT NULL),
    per AS (
      SELECT customer_id, count(*)::int AS contacts, max(created_at) AS last_at, max(in7)::int AS max7,
             sum(reopen_count)::int AS reopened, sum(negative_messages)::int AS negative,
             count(*) FILTER (WHERE first_response_seconds > ${cfg.firstResponseTargetSeconds}
               OR (first_response_at IS NULL AND status NOT IN ('solved', 'closed')
                   AND created_at < ${new Date(now.getTime() - cfg.firstResponseTargetSeconds * 1000).toISOString()}::timestamptz))::int AS slow,
             max(created_at) FILTER (WHERE negative_messages > 0) AS negative_at
        FROM f GROUP BY customer_id),
    bad AS (
      SELECT customer_id, count(*)::int AS bad, max(answered_at) AS bad_at FROM survey_requests
       WHERE kind = 'csat' AND answered_at >= ${since}::timestamptz AND rating <= ${surveys.badAtOrBelow}
       GROUP BY customer_id)
    SELECT p.customer_id::text AS customer_id, c.name, p.contacts, p.last_at, p.max7, p.reopened, p.negative, p.slow,
           coalesce(b.bad, 0)::int AS bad, greatest(p.negative_at, b.bad_at) AS last_complaint
      FROM per p LEFT JOIN bad b USING (customer_id) JOIN customers c ON c.id = p.customer_id
     WHERE p.max7 >= 3 OR p.reopened > 0 OR p.negative > 0 OR p.slow > 0 OR b.bad > 0`);
  const atRisk = rows
    .map((r) => {
      const lastAt = new Date(r.last_at);
      const complaint = r.last_complaint ? new Date(r.last_complaint) : null;
      const silentAfterComplaint = complaint !== null && lastAt <= complaint && complaint.toISOString() < silenceCut;
      const h = customerHealth({
        maxContactsIn7Days: r.max7,
        reopened: r.reopened,
        negativeMessages: r.negative,
        badRatings: r.bad,
        slowResponses: r.slow,
        silentAfterComplaint,
      });
      return { customerId: r.customer_id, name: r.name, health: h.health, contacts: r.contacts, lastContactAt: lastAt.toISOString(), reasons: h.reasons };
    })
    .filter((c) => c.health < AT_RISK_BELOW)
    .sort((a, b) => a.health - b.health || a.name.localeCompare(b.name))
    .slice(0, q.limit);
  const { rows: quiet } = await deps.db.execute<{ customer_id: string; name: string; n: number; last_at: Date }>(sql`
    WITH cur AS (SELECT DISTINCT customer_id FROM insight_ticket_facts WHERE created_at >= ${since}::timestamptz),
    prev AS (
      SELECT customer_id, count(*)::int AS n, max(created_at) AS last_at FROM insight_ticket_facts
       WHERE created_at >= ${before}::timestamptz AND created_at < ${since}::timestamptz AND customer_id IS NOT NULL
       GROUP BY 1 HAVING count(*) >= 2)
    SELECT prev.customer_id::text AS customer_id, c.name, prev.n, prev.last_at
      FROM prev LEFT JOIN cur USING (customer_id) JOIN customers c ON c.id = prev.customer_id
     WHERE cur.customer_id IS NULL
     ORDER BY prev.n DESC, c.name LIMIT ${q.limit}`);
  return {
    days: q.days,
    atRisk,
    lowEngagement: quiet.map((r) => ({ customerId: r.customer_id, name: r.name, previousContacts: r.n, lastContactAt: new Date(r.last_at).toISOString() })),
  };
}
