import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleInsightsHook } from '../src/modules/insights/insights.hook.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api, openTicket } from './tickets-helpers.ts';

/**
 * Rina: three tickets in two days (repeat contacts), an angry first message, a bad rating, a reopened ticket.
 * Calm: one quiet, quickly answered ticket. Quiet: two tickets last period, none now (low engagement).
 */
const clock = new ManualClock(new Date('2026-03-20T10:00:00Z'));
let t: TestApp;
let sup: TestStaff;
let agent: TestStaff;

async function at<T>(iso: string, fn: () => Promise<T>): Promise<T> {
  clock.set(new Date(iso));
  return fn();
}
async function reply(id: string, status?: string) {
  const res = await api(t, agent, 'POST', `/tickets/${id}/messages`, {
    body: 'Thanks for waiting, sorted.',
    ...(status ? { status } : {}),
  });
  expect(res.statusCode, res.body).toBe(201);
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  sup = await createStaff(t, 'supervisor');
  agent = await createStaff(t, 'agent');
  const quiet = { email: 'quiet@example.com', name: 'Quentin Quiet' };
  const rina = { email: 'rina@example.com', name: 'Rina Roy' };
  await at('2026-03-20T10:00:00Z', () => openTicket(t, sup, { ...quiet, body: 'Question about my plan' }));
  await at('2026-03-25T10:00:00Z', () => openTicket(t, sup, { ...quiet, body: 'Another question about the plan' }));
  const a = await at('2026-05-01T09:00:00Z', () =>
    openTicket(t, sup, { ...rina, body: 'This is terrible, I am very frustrated' }),
  );
  await at('2026-05-01T09:10:00Z', () => reply(a.id, 'solved'));
  const b = await at('2026-05-01T12:00:00Z', () => openTicket(t, sup, { ...rina, body: 'Another question' }));
  await at('2026-05-01T12:05:00Z', () => reply(b.id));
  const c = await at('2026-05-02T09:00:00Z', () => openTicket(t, sup, { ...rina, body: 'And one more' }));
  await at('2026-05-02T09:05:00Z', () => reply(c.id, 'solved'));
  const reopen = await at('2026-05-02T09:30:00Z', () => api(t, agent, 'PATCH', `/tickets/${c.id}`, { status: 'open' }));
  expect(reopen.statusCode, reopen.body).toBe(200);
  const calm = await at('2026-05-01T10:00:00Z', () =>
    openTicket(t, sup, { email: 'calm@example.com', name: 'Chitra Calm', body: 'Hello there' }),
  );
  await at('2026-05-01T10:05:00Z', () => reply(calm.id));
  // Rina rates the first ticket badly
  const { rows } = await t.deps.database.pool.query(`SELECT id FROM survey_requests WHERE ticket_id = $1`, [a.id]);
  const url = (await api(t, sup, 'GET', `/surveys/${rows[0].id}/link`)).json().url as string;
  const token = url.split('/').pop();
  const answered = await at('2026-05-02T10:00:00Z', () =>
    t.app.inject({ method: 'POST', url: '/survey/v1/answers', payload: { token, rating: 1 } }),
  );
  expect(answered.statusCode, answered.body).toBe(200);
  clock.set(new Date('2026-05-03T12:00:00Z'));
});
afterAll(async () => {
  await t?.close();
});

describe('customers at risk', () => {
  it('lists customers with a health score and the reasons, and the ones who went quiet', async () => {
    const res = await api(t, sup, 'GET', '/insights/customers-at-risk?days=30');
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.atRisk).toEqual([
      {
        customerId: expect.any(String),
        name: 'Rina Roy',
        health: 40,
        contacts: 3,
        lastContactAt: '2026-05-02T09:00:00.000Z',
        reasons: [
          { reason: 'bad_rating', count: 1 },
          { reason: 'repeat_contacts', count: 3 },
          { reason: 'negative_sentiment', count: 1 },
          { reason: 'reopened', count: 1 },
        ],
      },
    ]);
    expect(r.lowEngagement).toEqual([
      {
        customerId: expect.any(String),
        name: 'Quentin Quiet',
        previousContacts: 2,
        lastContactAt: '2026-03-25T10:00:00.000Z',
      },
    ]);
  });

  it('counts an angry follow-up on a ticket that already has its facts, and nothing for a calm one', async () => {
    const { rows } = await t.deps.database.pool.query<{ id: string; negative_messages: number }>(
      `SELECT t.id, f.negative_messages FROM tickets t JOIN insight_ticket_facts f ON f.ticket_id = t.id
         JOIN customer_identities ci ON ci.customer_id = t.customer_id WHERE ci.value = 'calm@example.com'`,
    );
    const ticket = rows[0];
    if (!ticket) throw new Error('no facts for the calm ticket');
    expect(ticket.negative_messages).toBe(0);
    const message = (bodyText: string) => ({
      kind: 'message' as const,
      ticketId: ticket.id,
      messageId: '00000000-0000-4000-8000-000000000001',
      messageKind: 'public' as const,
      authorType: 'customer' as const,
      actor: { kind: 'system' as const },
      now: clock.now(),
      message: { bodyText, authorStaffId: null, status: 'received', automated: false },
    });
    // inside a transaction the facts are synced once, at commit, with the count folded into the update
    await t.deps.db.transaction(async (tx) => {
      await handleInsightsHook(tx, message('This is terrible, I am very frustrated and angry'));
      await handleInsightsHook(tx, message('Still terrible. Awful service, I am furious'));
      await handleInsightsHook(tx, message('Thank you'));
    });
    const after = await t.deps.database.pool.query<{ negative_messages: number }>(
      'SELECT negative_messages FROM insight_ticket_facts WHERE ticket_id = $1',
      [ticket.id],
    );
    expect(after.rows[0]?.negative_messages).toBe(2);
  });

  it('keeps the sentiment counts across a rebuild', async () => {
    const rebuilt = await api(t, await createStaff(t, 'admin'), 'POST', '/insights/rebuild');
    expect(rebuilt.statusCode, rebuilt.body).toBe(200);
    // the rewritten tables are vacuumed right after (reports read them by index-only scans at once)
    const vacuumed = await t.deps.database.pool.query<{ relname: string }>(
      `SELECT relname FROM pg_stat_user_tables
        WHERE relname IN ('insight_ticket_facts', 'insight_hourly', 'insight_open_counts') AND last_vacuum IS NOT NULL`,
    );
    expect(vacuumed.rows.map((r) => r.relname).sort()).toEqual([
      'insight_hourly',
      'insight_open_counts',
      'insight_ticket_facts',
    ]);
    const r = (await api(t, sup, 'GET', '/insights/customers-at-risk?days=30')).json();
    expect(r.atRisk[0].health).toBe(40);
  });
});
