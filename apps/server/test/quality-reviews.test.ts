import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api, openTicket } from './tickets-helpers.ts';

let t: TestApp;
let sup: TestStaff;
let asha: TestStaff;
let bala: TestStaff;
let scorecardId: string;
const solvedBy: Record<string, string[]> = {};

beforeAll(async () => {
  t = await createTestApp();
  sup = await createStaff(t, 'supervisor');
  asha = await createStaff(t, 'agent', { name: 'Asha' });
  bala = await createStaff(t, 'agent', { name: 'Bala' });
  for (const agent of [asha, bala]) {
    solvedBy[agent.id] = [];
    for (let i = 0; i < 3; i += 1) {
      const tk = await openTicket(t, sup, { assigneeId: agent.id });
      const res = await api(t, agent, 'POST', `/tickets/${tk.id}/messages`, { body: 'Sorted', status: 'solved' });
      expect(res.statusCode, res.body).toBe(201);
      solvedBy[agent.id]?.push(tk.id);
    }
  }
});
afterAll(async () => {
  await t?.close();
});

describe('quality reviews', () => {
  it('lets a supervisor define a scorecard with weighted criteria', async () => {
    const res = await api(t, sup, 'POST', '/quality/scorecards', {
      name: 'Email quality',
      criteria: [
        { key: 'greeting', label: 'Greets the customer by name', weight: 1 },
        { key: 'accuracy', label: 'Correct and complete answer', weight: 3 },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    scorecardId = res.json().id;
    expect(
      (
        await api(t, asha, 'POST', '/quality/scorecards', {
          name: 'x',
          criteria: [{ key: 'a', label: 'a', weight: 1 }],
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await api(t, sup, 'POST', '/quality/scorecards', {
          name: 'dup',
          criteria: [
            { key: 'a', label: 'a', weight: 1 },
            { key: 'a', label: 'b', weight: 1 },
          ],
        })
      ).statusCode,
    ).toBe(400);
  });

  it('samples recently solved tickets per agent at random, without the reviewed ones', async () => {
    const s = (await api(t, sup, 'GET', '/quality/sample?perAgent=2&days=7')).json();
    expect(s.items.map((i: { agentName: string }) => i.agentName)).toEqual(['Asha', 'Bala']);
    for (const item of s.items) {
      expect(item.ticketIds).toHaveLength(2);
      for (const id of item.ticketIds) expect(solvedBy[item.agentId]).toContain(id);
    }
  });

  it('scores a review by the weights and shows agents their own reviews only', async () => {
    const ticketId = solvedBy[asha.id]?.[0] as string;
    const res = await api(t, sup, 'POST', '/quality/reviews', {
      scorecardId,
      ticketId,
      scores: { greeting: 4, accuracy: 2 },
      comment: 'Check the refund policy',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      agentId: asha.id,
      reviewerId: sup.id,
      score: 62.5,
      scorecardName: 'Email quality',
    });
    const bad = await api(t, sup, 'POST', '/quality/reviews', { scorecardId, ticketId, scores: { greeting: 4 } });
    expect(bad.statusCode).toBe(400);
    const mine = (await api(t, asha, 'GET', '/quality/reviews')).json();
    expect(mine.items).toHaveLength(1);
    expect(mine.items[0]).toMatchObject({ ticketId, score: 62.5, comment: 'Check the refund policy' });
    expect((await api(t, bala, 'GET', `/quality/reviews?agentId=${asha.id}`)).json().items).toEqual([]);
    const sample = (await api(t, sup, 'GET', '/quality/sample?perAgent=5')).json();
    expect(sample.items.find((i: { agentId: string }) => i.agentId === asha.id).ticketIds).not.toContain(ticketId);
    const summary = (await api(t, sup, 'GET', '/quality/summary')).json();
    expect(summary.items).toEqual([{ agentId: asha.id, agentName: 'Asha', reviews: 1, average: 62.5 }]);
  });

  it('filters the list by agent, reviewer and period, with the count and average of everything matching', async () => {
    const sup2 = await createStaff(t, 'supervisor', { name: 'Sunil' });
    const balaTicket = solvedBy[bala.id]?.[0] as string;
    const ashaTicket = solvedBy[asha.id]?.[1] as string;
    expect(
      (
        await api(t, sup2, 'POST', '/quality/reviews', {
          scorecardId,
          ticketId: balaTicket,
          scores: { greeting: 4, accuracy: 4 },
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (
        await api(t, sup2, 'POST', '/quality/reviews', {
          scorecardId,
          ticketId: ashaTicket,
          scores: { greeting: 0, accuracy: 4 },
        })
      ).statusCode,
    ).toBe(201);
    // asha: 62.5 (by sup) and 75 (by sup2); bala: 100 (by sup2)
    const all = (await api(t, sup, 'GET', '/quality/reviews')).json();
    expect(all).toMatchObject({ total: 3, average: 79.17 });
    expect(all.byAgent).toEqual([
      { agentId: asha.id, agentName: 'Asha', reviews: 2, average: 68.75 },
      { agentId: bala.id, agentName: 'Bala', reviews: 1, average: 100 },
    ]);
    expect(all.items.find((i: { ticketId: string }) => i.ticketId === ashaTicket)).toMatchObject({
      agentName: 'Asha',
      reviewerName: 'Sunil',
      ticketSubject: expect.any(String),
      ticketNumber: expect.any(Number),
    });
    const bySunil = (await api(t, sup, 'GET', `/quality/reviews?reviewerId=${sup2.id}`)).json();
    expect(bySunil.items.map((i: { score: number }) => i.score).sort()).toEqual([100, 75]);
    expect(bySunil).toMatchObject({ total: 2, average: 87.5 });
    const ashaBySunil = (await api(t, sup, 'GET', `/quality/reviews?reviewerId=${sup2.id}&agentId=${asha.id}`)).json();
    expect(ashaBySunil).toMatchObject({ total: 1, average: 75 });
    const future = new Date(Date.now() + 86_400_000).toISOString();
    const later = (await api(t, sup, 'GET', `/quality/reviews?from=${encodeURIComponent(future)}`)).json();
    expect(later).toEqual({ items: [], total: 0, average: null, byAgent: [] });
    const past = new Date(Date.now() - 86_400_000).toISOString();
    expect(
      (
        await api(t, sup, 'GET', `/quality/reviews?from=${encodeURIComponent(past)}&to=${encodeURIComponent(future)}`)
      ).json().total,
    ).toBe(3);
    // an agent asking for someone else's reviews still gets only their own, with their own average
    const ashaSees = (await api(t, asha, 'GET', `/quality/reviews?agentId=${bala.id}`)).json();
    expect(ashaSees).toMatchObject({ total: 2, average: 68.75 });
    expect(ashaSees.items.every((i: { agentId: string }) => i.agentId === asha.id)).toBe(true);
    expect((await api(t, sup, 'GET', '/quality/reviews?from=yesterday')).statusCode).toBe(400);
    expect((await api(t, sup, 'GET', '/quality/reviews?reviewerId=nobody')).statusCode).toBe(400);
  });

  it('gives the sampled tickets with their numbers and subjects', async () => {
    const s = (await api(t, sup, 'GET', '/quality/sample?perAgent=5&days=7')).json();
    const bala5 = s.items.find((i: { agentId: string }) => i.agentId === bala.id);
    expect(bala5.tickets).toHaveLength(2);
    for (const tk of bala5.tickets) {
      expect(bala5.ticketIds).toContain(tk.id);
      expect(tk).toMatchObject({ number: expect.any(Number), subject: expect.any(String) });
    }
  });
});
