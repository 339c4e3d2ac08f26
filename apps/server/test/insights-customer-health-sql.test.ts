import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerHealth } from '../src/modules/insights/customer-health.ts';
import { scoreCustomerHealth } from '../src/modules/insights/score-customer-health.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api } from './tickets-helpers.ts';

/**
 * The health score computed in PostgreSQL (score-customer-health.ts) against the TypeScript reference
 * (customer-health.ts) fed by the signal query customers-at-risk.ts used before scoring moved into SQL, on
 * generated facts and ratings: many customers tied on the same score, names that only differ by case, accents or
 * script, contacts exactly 7 days apart, first responses exactly at the target, complaints exactly 14 days old.
 */
const NOW = new Date('2026-06-30T12:00:00.000Z');
const DAY = 86_400_000;
const TARGET = 4 * 3600; // the default first-response target
const clock = new ManualClock(NOW);
let t: TestApp;
let sup: TestStaff;

/** a small deterministic generator (mulberry32), so a failure reproduces */
function generator(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(xs: T[]): T => xs[Math.floor(next() * xs.length)] as T,
  };
}

const NAMES = [
  'anna',
  'Anna',
  'ANNA',
  'Émile',
  'Emile',
  'émile',
  'Zoë',
  'Zoe',
  'zoe',
  "O'Brien",
  'OBrien',
  'de la Cruz',
  'De La Cruz',
  'Customer 10',
  'Customer 9',
  'Customer 100',
  'customer 9',
  'Ærø',
  'Aero',
  'Ångström',
  'Angstrom',
  'রিনা রায়',
  'রিনা',
  'অমিত',
  'प्रिया शर्मा',
  'प्रिया',
  'अमित',
  '  leading space',
  'x-ray',
  'X Ray',
  'xray',
  '',
  'Łukasz',
  'Lukasz',
  'Nguyễn',
  'Nguyen',
  'ßtraße',
  'sstrasse',
  '李',
  '1st Customer',
  '_under',
  'Rina Roy',
  'Rina Roy',
];

type Signals = {
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
};

/** The signals exactly as customers-at-risk.ts read them before the scoring moved into SQL (without its filter). */
async function referenceSignals(days: number): Promise<Signals[]> {
  const since = new Date(NOW.getTime() - days * DAY).toISOString();
  const unanswered = new Date(NOW.getTime() - TARGET * 1000).toISOString();
  const r = await t.deps.db.execute<Signals>(sql`
    WITH f AS (
      SELECT customer_id, created_at, reopen_count, negative_messages, first_response_seconds, first_response_at, status,
             count(*) OVER (PARTITION BY customer_id ORDER BY created_at RANGE BETWEEN interval '7 days' PRECEDING AND CURRENT ROW) AS in7
        FROM insight_ticket_facts
       WHERE created_at >= ${since}::timestamptz AND customer_id IS NOT NULL),
    per AS (
      SELECT customer_id, count(*)::int AS contacts, max(created_at) AS last_at, max(in7)::int AS max7,
             sum(reopen_count)::int AS reopened, sum(negative_messages)::int AS negative,
             count(*) FILTER (WHERE first_response_seconds > ${TARGET}
               OR (first_response_at IS NULL AND status NOT IN ('solved', 'closed')
                   AND created_at < ${unanswered}::timestamptz))::int AS slow,
             max(created_at) FILTER (WHERE negative_messages > 0) AS negative_at
        FROM f GROUP BY customer_id),
    bad AS (
      SELECT customer_id, count(*)::int AS bad, max(answered_at) AS bad_at FROM survey_requests
       WHERE kind = 'csat' AND answered_at >= ${since}::timestamptz AND rating <= 2
       GROUP BY customer_id)
    SELECT p.customer_id::text AS customer_id, c.name, p.contacts, p.last_at, p.max7, p.reopened, p.negative, p.slow,
           coalesce(b.bad, 0)::int AS bad, greatest(p.negative_at, b.bad_at) AS last_complaint
      FROM per p LEFT JOIN bad b USING (customer_id) JOIN customers c ON c.id = p.customer_id`);
  return r.rows;
}

/** The reference scoring of customers-at-risk.ts: customerHealth per customer, lowest first, then by name. */
function referenceScores(signals: Signals[]) {
  const silenceCut = new Date(NOW.getTime() - 14 * DAY).toISOString();
  return signals
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
      return {
        customerId: r.customer_id,
        name: r.name,
        health: h.health,
        contacts: r.contacts,
        lastContactAt: lastAt.toISOString(),
        reasons: h.reasons,
      };
    })
    .sort(
      (a, b) =>
        a.health - b.health ||
        a.name.localeCompare(b.name) ||
        (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0),
    );
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  sup = await createStaff(t, 'supervisor');
  const g = generator(20260630);
  const customers: Array<{ id: string; name: string }> = [];
  for (let i = 0; i < 400; i++)
    customers.push({
      id: randomUUID(),
      name: i < NAMES.length ? (NAMES[i] as string) : `${g.pick(NAMES)}${g.int(3) === 0 ? '' : ` ${g.int(40)}`}`,
    });
  await t.deps.db.execute(
    sql`INSERT INTO customers (id, name) SELECT (x->>'id')::uuid, x->>'name' FROM jsonb_array_elements(${JSON.stringify(customers)}::jsonb) x`,
  );

  const facts: Array<Record<string, unknown>> = [];
  const surveys: Array<Record<string, unknown>> = [];
  const at = (ms: number) => new Date(ms).toISOString();
  for (const c of customers) {
    const shape = g.int(6);
    const n = shape === 0 ? 0 : shape === 1 ? 1 : g.int(7);
    // an anchor and contacts around it: some exactly 7 days apart, some at the same instant, some before the period
    const anchor = NOW.getTime() - g.int(40) * DAY - g.int(DAY);
    for (let k = 0; k < n; k++) {
      const created =
        k === 0
          ? anchor
          : g.pick([
              anchor + 7 * DAY,
              anchor - 7 * DAY,
              anchor,
              anchor + k * DAY,
              anchor - k * 3 * DAY,
              anchor + g.int(9 * DAY),
            ]);
      if (created > NOW.getTime()) continue;
      const status = g.pick(['new', 'open', 'pending', 'on_hold', 'solved', 'closed']);
      const answered = g.int(3) !== 0;
      const frs = answered ? g.pick([60, TARGET - 1, TARGET, TARGET + 1, 3 * TARGET]) : null;
      facts.push({
        ticket_id: randomUUID(),
        created_at: at(g.int(3) === 0 ? NOW.getTime() - TARGET * 1000 + g.pick([-1, 0, 1]) * 1000 : created),
        channel: 'email',
        customer_id: c.id,
        status,
        first_response_at: frs === null ? null : at(created + frs * 1000),
        first_response_seconds: frs,
        reopen_count: g.int(5) === 0 ? g.int(3) : 0,
        negative_messages: g.int(6) === 0 ? 1 + g.int(3) : 0,
      });
    }
    for (let k = g.int(4) === 0 ? 1 + g.int(3) : 0; k > 0; k--) {
      const answeredAt = g.pick([
        NOW.getTime() - 14 * DAY,
        NOW.getTime() - 14 * DAY - 1,
        NOW.getTime() - 20 * DAY,
        NOW.getTime() - g.int(35) * DAY,
        anchor,
      ]);
      surveys.push({
        customer_id: c.id,
        kind: g.int(8) === 0 ? 'nps' : 'csat',
        rating: 1 + g.int(5),
        answered_at: at(answeredAt),
        token_hash: randomUUID(),
      });
    }
  }
  await t.deps.db.execute(sql`
    INSERT INTO insight_ticket_facts (ticket_id, created_at, channel, customer_id, status, first_response_at,
                                      first_response_seconds, reopen_count, negative_messages)
    SELECT (x->>'ticket_id')::uuid, (x->>'created_at')::timestamptz, x->>'channel', (x->>'customer_id')::uuid, x->>'status',
           (x->>'first_response_at')::timestamptz, (x->>'first_response_seconds')::int, (x->>'reopen_count')::int,
           (x->>'negative_messages')::int
      FROM jsonb_array_elements(${JSON.stringify(facts)}::jsonb) x`);
  await t.deps.db.execute(sql`
    INSERT INTO survey_requests (customer_id, kind, rating, answered_at, token_hash, status, expires_at)
    SELECT (x->>'customer_id')::uuid, x->>'kind', (x->>'rating')::int, (x->>'answered_at')::timestamptz, x->>'token_hash',
           'answered', now() + interval '30 days'
      FROM jsonb_array_elements(${JSON.stringify(surveys)}::jsonb) x`);
});
afterAll(async () => {
  await t?.close();
});

describe('customer health in SQL', () => {
  it('scores every customer exactly as customer-health.ts does, and orders them as localeCompare does', async () => {
    for (const days of [7, 30, 90]) {
      const reference = referenceScores(await referenceSignals(days));
      // 101: every customer; 85 and below: only customers with a signal besides repeat contacts are aggregated
      for (const healthBelow of [101, 86, 85, 75, 40]) {
        const inSql = await scoreCustomerHealth(t.deps.db, {
          since: new Date(NOW.getTime() - days * DAY).toISOString(),
          unansweredBefore: new Date(NOW.getTime() - TARGET * 1000).toISOString(),
          firstResponseTargetSeconds: TARGET,
          badAtOrBelow: 2,
          silenceBefore: new Date(NOW.getTime() - 14 * DAY).toISOString(),
          healthBelow,
          limit: 100_000,
        });
        expect(inSql.map((r) => [r.customer_id, r.name, r.health])).toEqual(
          reference.filter((r) => r.health < healthBelow).map((r) => [r.customerId, r.name, r.health]),
        );
      }
      // the generated data covers what matters: ties, every signal, scores down to the floor
      const scores = new Set(reference.map((r) => r.health));
      if (days === 30) {
        expect(scores.size).toBeGreaterThan(8);
        expect(reference.some((r) => r.health === 0)).toBe(true);
        const reasons = new Set(reference.flatMap((r) => r.reasons.map((x) => x.reason)));
        expect([...reasons].sort()).toEqual([
          'bad_rating',
          'negative_sentiment',
          'reopened',
          'repeat_contacts',
          'silent_after_complaint',
          'slow_response',
        ]);
      }
    }
  });

  it('lists the same customers at risk, scores, reasons and order as scoring every customer in TypeScript', async () => {
    const reference = referenceScores(await referenceSignals(30)).filter((r) => r.health < 75);
    // at least one tie on health crosses each limit below, so the name order decides who is listed
    expect(reference.length).toBeGreaterThan(60);
    for (const limit of [1, 7, 20, 50, 500]) {
      const res = await api(t, sup, 'GET', `/insights/customers-at-risk?days=30&limit=${limit}`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().atRisk).toEqual(reference.slice(0, limit));
    }
  });
});
