import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { recordQueryTexts } from './query-texts.ts';
import { api, customerWrites } from './tickets-helpers.ts';

let t: TestApp;
let clock: ManualClock;
let agent: TestStaff;

beforeAll(async () => {
  t = await createTestApp({ clock: new ManualClock(new Date('2026-03-02T06:00:00Z')) });
  clock = t.clock as ManualClock;
  agent = await createStaff(t, 'agent');
});
afterAll(async () => {
  await t?.close();
});

async function factsOf(ticketId: string) {
  const r = await t.deps.db.execute<{ first_response_at: string | null; negative_messages: number }>(
    sql`SELECT first_response_at::text, negative_messages FROM insight_ticket_facts WHERE ticket_id = ${ticketId}`,
  );
  return r.rows[0];
}

/** Runs `write`, answering whether the insights sync read the ticket and its facts meanwhile. */
async function syncRead(write: () => Promise<unknown>): Promise<boolean> {
  const { texts, stop } = recordQueryTexts();
  try {
    await write();
  } finally {
    stop();
  }
  return texts.some((x) => /locked_facts/.test(x));
}

describe('insight facts on a new message', () => {
  it('are synced for a first response and an angry customer, and not read for messages that change neither', async () => {
    const created = await api(t, agent, 'POST', '/tickets', {
      subject: 'Broken kettle',
      customer: { email: 'kettle@example.com', name: 'Kettle Owner' },
      message: { body: 'My kettle stopped working.' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id;
    expect(await factsOf(id)).toEqual({ first_response_at: null, negative_messages: 0 });

    clock.advance(60_000);
    const reply = (body: string) => api(t, agent, 'POST', `/tickets/${id}/messages`, { body });
    // the first response moves the facts: synced
    expect(await syncRead(() => reply('Sorry to hear that; which model is it?'))).toBe(true);
    expect(await factsOf(id)).toEqual({ first_response_at: '2026-03-02 06:01:00+00', negative_messages: 0 });

    // a second reply changes no fact: not even read
    clock.advance(60_000);
    expect(await syncRead(() => reply('Any news?'))).toBe(false);
    // a calm customer message neither
    expect(await syncRead(() => customerWrites(t, id, 'It is the KT-200, thank you'))).toBe(false);
    // an angry one is counted for customers at risk
    expect(await syncRead(() => customerWrites(t, id, 'This is terrible, I am very frustrated and angry'))).toBe(true);
    expect(await factsOf(id)).toEqual({ first_response_at: '2026-03-02 06:01:00+00', negative_messages: 1 });
  });
});
