import type { CustomersAtRisk } from '@seva/contracts';
import { sql } from 'drizzle-orm';
import type { Deps } from '../../platform/deps.ts';
import { getSurveySettings } from '../surveys/index.ts';
import { customerHealth } from './customer-health.ts';
import { getInsightsSettings } from './insights-settings.ts';
import { scoreCustomerHealth } from './score-customer-health.ts';

const DAY_MS = 86_400_000;
const SILENCE_DAYS = 14;
/** below this health a customer is listed as at risk */
export const AT_RISK_BELOW = 75;

/** The settings a ranking depends on; a snapshot computed under others is not served (risk-snapshots.ts). */
export interface RiskBasis {
  firstResponseTargetSeconds: number;
  badAtOrBelow: number;
}

export type ComputedRisk = Omit<CustomersAtRisk, 'asOf'> & { basis: RiskBasis };

/**
 * Customers at risk over the `days` before `now`: repeat contacts within a week, reopened tickets, negative messages, bad
 * ratings, first responses beyond the target, and silence after a complaint; plus low-engagement customers (two or
 * more contacts in the period before, none in this one). Reads facts and survey answers by indexed time range; the
 * health score is computed and ordered in PostgreSQL, so only the listed customers reach the server. It reads every
 * fact of the period (and of the period before, for low engagement): ~0.3 s for 30 days and ~1 s for 90 at a million
 * tickets, so the page is answered from a snapshot this computes in the background (risk-snapshots.ts).
 */
export async function computeCustomersAtRisk(
  deps: Pick<Deps, 'db'>,
  q: { days: number; limit: number; now: Date },
): Promise<ComputedRisk> {
  const now = q.now;
  const since = new Date(now.getTime() - q.days * DAY_MS).toISOString();
  const before = new Date(now.getTime() - 2 * q.days * DAY_MS).toISOString();
  const [cfg, surveys] = await Promise.all([getInsightsSettings(deps.db), getSurveySettings(deps.db)]);
  const silenceCut = new Date(now.getTime() - SILENCE_DAYS * DAY_MS).toISOString();
  // scored and ordered in PostgreSQL; only the lowest `limit` come back (score-customer-health.ts)
  const scoring = scoreCustomerHealth(deps.db, {
    since,
    unansweredBefore: new Date(now.getTime() - cfg.firstResponseTargetSeconds * 1000).toISOString(),
    firstResponseTargetSeconds: cfg.firstResponseTargetSeconds,
    badAtOrBelow: surveys.badAtOrBelow,
    silenceBefore: silenceCut,
    healthBelow: AT_RISK_BELOW,
    limit: q.limit,
  });
  // independent of the scoring: both run side by side on the pool
  const lowEngagement = deps.db.execute<{ customer_id: string; name: string; n: number; last_at: Date }>(sql`
    WITH cur AS (SELECT DISTINCT customer_id FROM insight_ticket_facts WHERE created_at >= ${since}::timestamptz),
    prev AS (
      SELECT customer_id, count(*)::int AS n, max(created_at) AS last_at FROM insight_ticket_facts
       WHERE created_at >= ${before}::timestamptz AND created_at < ${since}::timestamptz AND customer_id IS NOT NULL
       GROUP BY 1 HAVING count(*) >= 2)
    SELECT prev.customer_id::text AS customer_id, c.name, prev.n, prev.last_at
      FROM prev LEFT JOIN cur USING (customer_id) JOIN customers c ON c.id = prev.customer_id
     WHERE cur.customer_id IS NULL
     ORDER BY prev.n DESC, c.name LIMIT ${q.limit}`);
  const [scored, { rows: quiet }] = await Promise.all([scoring, lowEngagement]);
  const atRisk = scored.map((r) => {
    const lastAt = new Date(r.last_at);
    const complaint = r.last_complaint ? new Date(r.last_complaint) : null;
    const silentAfterComplaint = complaint !== null && lastAt <= complaint && complaint.toISOString() < silenceCut;
    // the reasons (and the same health) from the reference scoring, for the returned rows only
    const h = customerHealth({
      maxContactsIn7Days: r.max7,
      reopened: r.reopened,
      negativeMessages: r.negative,
      badRatings: r.bad,
      slowResponses: r.slow,
      silentAfterComplaint,
    });
    return {
      customerId: r.customer_id,
      name: r.name,
      health: h.health,
      contacts: r.contacts,
      lastContactAt: lastAt.toISOString(),
      reasons: h.reasons,
    };
  });
  return {
    days: q.days,
    basis: { firstResponseTargetSeconds: cfg.firstResponseTargetSeconds, badAtOrBelow: surveys.badAtOrBelow },
    atRisk,
    lowEngagement: quiet.map((r) => ({
      customerId: r.customer_id,
      name: r.name,
      previousContacts: r.n,
      lastContactAt: new Date(r.last_at).toISOString(),
    })),
  };
}
