import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api, insertCategory, openTicket } from './tickets-helpers.ts';

let t: TestApp;
let lead: TestStaff;
let agent: TestStaff;
let trainee: TestStaff;
let buddy: TestStaff;
let refunds: string;

const counts = async () =>
  (
    await t.deps.db.execute(
      sql`SELECT (SELECT count(*) FROM tickets)::int AS tickets, (SELECT count(*) FROM messages)::int AS messages, (SELECT count(*) FROM customers)::int AS customers`,
    )
  ).rows[0];

beforeAll(async () => {
  t = await createTestApp();
  lead = await createStaff(t, 'supervisor');
  agent = await createStaff(t, 'agent');
  trainee = await createStaff(t, 'agent', { name: 'New Hire' });
  buddy = await createStaff(t, 'agent', { name: 'Buddy' });
  refunds = await insertCategory(t, 'Refunds');
  const tk = await openTicket(t, agent, {
    categoryId: refunds,
    subject: 'Refund for order 88812345 — Sumaiya Akter',
    email: 'sumaiya.akter@example.com',
    name: 'Sumaiya Akter',
    body: 'I am Sumaiya Akter, call me on +880 1812-345678 or write to sumaiya.akter@example.com. Order 88812345 arrived broken.',
  });
  await api(t, agent, 'POST', `/customers/${tk.customer.id}/identities`, { kind: 'phone', value: '+8801812345678' });
  await api(t, agent, 'POST', `/tickets/${tk.id}/messages`, {
    body: 'Dear Sumaiya, the refund for order 88812345 is on its way; it reaches your account in 3 working days.',
    status: 'solved',
  });
});
afterAll(async () => {
  await t?.close();
});

describe('practice mode', () => {
  it('draws scenarios from solved tickets with no name, email or phone of the real customer left', async () => {
    expect((await api(t, agent, 'POST', '/practice/scenarios/generate', { limit: 5 })).statusCode).toBe(403);
    const res = await api(t, lead, 'POST', '/practice/scenarios/generate', { limit: 5 });
    expect(res.json()).toEqual({ created: 1 });
    expect((await api(t, lead, 'POST', '/practice/scenarios/generate', { limit: 5 })).json()).toEqual({ created: 0 });
    const [scenario] = (await api(t, trainee, 'GET', `/practice/scenarios?categoryId=${refunds}`)).json().items;
    const stored = (await t.deps.db.execute(sql`SELECT subject, customer_message, reference_reply FROM practice_scenarios`)).rows[0] as Record<string, string>;
    for (const text of [scenario.subject, scenario.customerMessage, ...Object.values(stored)]) {
      for (const secret of ['Sumaiya', 'Akter', 'sumaiya.akter@example.com', '1812', '345678', '88812345']) expect(text).not.toContain(secret);
    }
    expect(scenario.customerMessage).toContain('[name]');
    expect(scenario).not.toHaveProperty('referenceReply');
  });

  it('lets a trainee practise with a colleague playing the customer, then shows the real answer; nothing real changes', async () => {
    const before = await counts();
    const [scenario] = (await api(t, trainee, 'GET', '/practice/scenarios')).json().items;
    const started = await api(t, trainee, 'POST', '/practice/attempts', { scenarioId: scenario.id, partnerId: buddy.id });
    expect(started.statusCode, started.body).toBe(201);
    const attempt = started.json();
    expect(attempt.referenceReply).toBeNull();
    expect((await api(t, agent, 'GET', `/practice/attempts/${attempt.id}`)).statusCode).toBe(404);

    await api(t, trainee, 'POST', `/practice/attempts/${attempt.id}/turns`, { text: 'Sorry to hear that! Could you share a photo?' });
    await api(t, buddy, 'POST', `/practice/attempts/${attempt.id}/turns`, { text: 'Here it is. When do I get my money?' });
    const third = await api(t, trainee, 'POST', `/practice/attempts/${attempt.id}/turns`, { text: 'The refund starts today and takes 3 working days.' });
    expect(third.json().conversation.map((x: { role: string }) => x.role)).toEqual(['customer', 'agent', 'customer', 'agent']);
    expect((await api(t, buddy, 'POST', `/practice/attempts/${attempt.id}/submit`)).statusCode).toBe(403);

    const submitted = (await api(t, trainee, 'POST', `/practice/attempts/${attempt.id}/submit`)).json();
    expect(submitted.status).toBe('submitted');
    expect(submitted.referenceReply).toContain('3 working days');
    expect(submitted.referenceReply).not.toContain('Sumaiya');
    expect(await counts()).toEqual(before);
  });

  it('is scored by a reviewer with the scorecard and shows progress per category', async () => {
    const queue = (await api(t, lead, 'GET', '/practice/review-queue')).json().items;
    expect(queue).toHaveLength(1);
    const id = queue[0].id;
    expect((await api(t, trainee, 'POST', `/practice/attempts/${id}/review`, { scores: {} })).statusCode).toBe(403);
    const partial = await api(t, lead, 'POST', `/practice/attempts/${id}/review`, { scores: { accuracy: 4 } });
    expect(partial.statusCode).toBe(400);
    const reviewed = await api(t, lead, 'POST', `/practice/attempts/${id}/review`, {
      scores: { accuracy: 4, empathy: 3, clarity: 4, policy: 2 },
      feedback: 'Good: asked for a photo first.',
    });
    expect(reviewed.statusCode, reviewed.body).toBe(200);
    // (3·4 + 2·3 + 2·4 + 1·2) / (4·8) = 28/32
    expect(reviewed.json().review).toMatchObject({ score: 88, feedback: 'Good: asked for a photo first.' });
    const mine = (await api(t, trainee, 'GET', '/practice/progress')).json();
    expect(mine.items).toEqual([{ category: { id: refunds, name: 'Refunds' }, attempts: 1, reviewed: 1, averageScore: 88, bestScore: 88 }]);
    expect((await api(t, buddy, 'GET', `/practice/progress?traineeId=${trainee.id}`)).statusCode).toBe(403);
    // a passed practice is recognised, and that is all it leaves outside practice
    const awards = await t.deps.db.execute(sql`SELECT reason, points, ticket_id FROM recognition_awards WHERE staff_id = ${trainee.id}`);
    expect(awards.rows).toEqual([{ reason: 'practice_completed', points: 2, ticket_id: null }]);
  });
});
