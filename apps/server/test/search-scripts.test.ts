import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { search } from '../src/modules/search/search.service.ts';
import type { Actor } from '../src/platform/auth/permissions.ts';
import type { ManualClock } from '../src/platform/clock.ts';
import { SCRIPT, textScripts } from '../src/platform/text/scripts.ts';
import { createStaff, staffActor, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { insertCustomer, insertTicket } from './search-fixtures.ts';
import { api, openTicket } from './tickets-helpers.ts';

/**
 * `tickets.scripts`: the writing systems of a ticket's subject and every message it has had, which the recency walk
 * for common words uses to pass over tickets that cannot hold the query (platform/text/scripts.ts). Every way text
 * reaches a ticket must add its bits, or the walk would miss the ticket; these tests take each way and then search
 * through the walk (thresholds of 1 make every word "common").
 */
let t: TestApp;
let clock: ManualClock;
let agent: TestStaff;

beforeAll(async () => {
  t = await createTestApp();
  clock = t.clock as ManualClock;
  agent = await createStaff(t, 'agent');
});
afterAll(async () => {
  await t?.close();
});

const actor = (): Actor => staffActor(agent);
const walk = { exactRankingCap: 1, minWindow: 2 };

/** Every ticket the walk finds for `q`, over all pages, both orders (they must agree). */
async function walkFinds(q: string): Promise<string[]> {
  const found: Record<string, string[]> = {};
  for (const sort of ['recent', 'relevance'] as const) {
    const ids: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const r = await search(t.deps, { actor: actor(), q, type: 'tickets', sort, limit: 2, cursor, tuning: walk });
      ids.push(...r.tickets.map((x) => x.id));
      cursor = r.nextCursor ?? undefined;
      pages += 1;
    } while (cursor && pages < 100);
    found[sort] = ids.sort();
  }
  expect(found.recent).toEqual(found.relevance);
  return found.recent ?? [];
}

async function scriptsOf(id: string): Promise<number> {
  const res = await t.deps.db.execute(sql`SELECT scripts FROM tickets WHERE id = ${id}`);
  return Number((res.rows[0] as { scripts: number }).scripts);
}

async function say(id: string, body: string, internal = false): Promise<{ id: string }> {
  clock.advance(1000);
  const res = await api(t, agent, 'POST', `/tickets/${id}/messages`, { body, internal });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe('textScripts and seva_text_scripts', () => {
  it('classify every sample the same way, range edges included', async () => {
    const samples = [
      'refund',
      'A',
      'z',
      '\u00C0',
      '\u024F',
      '\u0250',
      '\u1E00',
      '\u1EFF',
      'টাকা ফেরত',
      '\u0980',
      '\u09FF',
      '\u0A00',
      'पैसे वापस',
      '\u0900',
      '\u097F',
      '\uA8E0',
      '\uA8FF',
      '12345 ৫ ५',
      '',
      '😀 数据 بيانات',
      'my টাকা and पैसे',
      'naïve café',
    ];
    const res = await t.deps.db.execute(
      sql`SELECT s, seva_text_scripts(s)::int AS bits FROM unnest(${sql.param(samples)}::text[]) AS s`,
    );
    const inSql = new Map((res.rows as Array<{ s: string; bits: number }>).map((r) => [r.s, Number(r.bits)]));
    for (const s of samples) expect([s, inSql.get(s)]).toEqual([s, textScripts(s)]);
    expect(textScripts('my টাকা and पैसे')).toBe(SCRIPT.latin | SCRIPT.bengali | SCRIPT.devanagari);
    expect(textScripts('12345 😀 数据')).toBe(0);
  });
});

describe('tickets.scripts', () => {
  it('holds a new ticket’s subject and first message, and grows with each reply', async () => {
    const ticket = await openTicket(t, agent, { subject: 'Order help', body: 'where is my parcel' });
    expect(await scriptsOf(ticket.id)).toBe(SCRIPT.latin);
    expect(await walkFinds('টাকাফেরত')).not.toContain(ticket.id);

    await say(ticket.id, 'আমার টাকাফেরত কবে আসবে?');
    expect(await scriptsOf(ticket.id)).toBe(SCRIPT.latin | SCRIPT.bengali);
    expect(await walkFinds('টাকাফেরত')).toEqual([ticket.id]);

    await say(ticket.id, 'आंतरिक नोट: वापसीजांच', true);
    expect(await scriptsOf(ticket.id)).toBe(SCRIPT.latin | SCRIPT.bengali | SCRIPT.devanagari);
    expect(await walkFinds('वापसीजांच')).toEqual([ticket.id]);
  });

  it('takes in a subject edited into another script', async () => {
    const ticket = await openTicket(t, agent, { subject: 'Billing', body: 'invoice question' });
    clock.advance(1000);
    const res = await api(t, agent, 'PATCH', `/tickets/${ticket.id}`, { subject: 'বিলসমস্যা জরুরি' });
    expect(res.statusCode, res.body).toBe(200);
    expect(await walkFinds('বিলসমস্যা')).toEqual([ticket.id]);
  });

  it('takes in the messages of a merged ticket', async () => {
    const target = await openTicket(t, agent, { subject: 'Delivery', body: 'late delivery' });
    const source = await openTicket(t, agent, { subject: 'Delivery again', body: 'डिलीवरीदेरी हो गई' });
    clock.advance(1000);
    const res = await api(t, agent, 'POST', `/tickets/${source.id}/merge`, { targetTicketId: String(target.number) });
    expect(res.statusCode, res.body).toBe(200);
    expect(await scriptsOf(target.id)).toBe(SCRIPT.latin | SCRIPT.devanagari);
    expect(await walkFinds('डिलीवरीदेरी')).toEqual([target.id]);
  });

  it('takes in a message split off into a new ticket', async () => {
    const original = await openTicket(t, agent, { subject: 'Account', body: 'cannot log in' });
    const bengali = await say(original.id, 'পাসওয়ার্ডরিসেট কাজ করছে না');
    clock.advance(1000);
    const res = await api(t, agent, 'POST', `/tickets/${original.id}/split`, {
      messageId: bengali.id,
      subject: 'Password reset',
    });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json();
    expect(await scriptsOf(created.id)).toBe(SCRIPT.latin | SCRIPT.bengali);
    // the original keeps its bits (they only grow), and no longer holds the word: found once, in the new ticket
    expect(await walkFinds('পাসওয়ার্ডরিসেট')).toEqual([created.id]);
  });

  it('takes in messages written straight into the table (imports, bulk loads)', async () => {
    const customer = await insertCustomer(t, 'Rina Paul', 'rina@example.com');
    const ticket = await insertTicket(t, {
      subject: 'Imported',
      customerId: customer,
      messages: [{ body: 'old mail' }, { body: 'পুরনোআমদানি বার্তা' }],
    });
    expect(await scriptsOf(ticket.id)).toBe(SCRIPT.latin | SCRIPT.bengali);
    expect(await walkFinds('পুরনোআমদানি')).toEqual([ticket.id]);
  });

  it('is what the walk trusts: a ticket whose bits lack the query’s script is not read', async () => {
    const ticket = await openTicket(t, agent, { subject: 'Trust', body: 'বিশ্বাসপরীক্ষা শব্দ' });
    expect(await walkFinds('বিশ্বাসপরীক্ষা')).toEqual([ticket.id]);
    // only to show the walk's test: a ticket row claiming Latin only is passed over without reading its messages
    await t.deps.db.execute(sql`UPDATE tickets SET scripts = ${SCRIPT.latin} WHERE id = ${ticket.id}`);
    expect(await walkFinds('বিশ্বাসপরীক্ষা')).toEqual([]);
    // the exact path (a rare word, every match ranked) reads the messages and still finds it
    const exact = await search(t.deps, { actor: actor(), q: 'বিশ্বাসপরীক্ষা', type: 'tickets', limit: 10 });
    expect(exact.tickets.map((x) => x.id)).toEqual([ticket.id]);
  });
});
