import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SearchOptions, search } from '../src/modules/search/search.service.ts';
import { createStaff, staffActor, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { insertCustomer, insertTicket } from './search-fixtures.ts';

/**
 * The paths search takes for very common words (found in more documents than `exactRankingCap`): tickets walked
 * newest first, by recency exactly or by relevance within windows of the newest matches. Small thresholds make them
 * run on a few rows; every page must still reach every match exactly once. Also the typo vocabulary.
 */
let t: TestApp;
let agent: TestStaff;
let collaborator: TestStaff;
const routerIds: string[] = [];
let subjectHit = '';
let mine = '';

beforeAll(async () => {
  t = await createTestApp();
  agent = await createStaff(t, 'agent');
  collaborator = await createStaff(t, 'collaborator');
  const customer = await insertCustomer(t, 'Mira Das', 'mira@example.com');
  for (let i = 0; i < 11; i += 1) {
    const ticket = await insertTicket(t, {
      subject: `Question ${i}`,
      customerId: customer,
      messages: [{ body: i % 2 === 0 ? 'the router drops every evening' : 'router router router keeps failing' }],
      collaboratorIds: i === 3 ? [collaborator.id] : [],
    });
    routerIds.push(ticket.id);
    if (i === 3) mine = ticket.id;
  }
  subjectHit = (await insertTicket(t, { subject: 'Router broken', customerId: customer, messages: [{ body: 'help' }] }))
    .id;
  routerIds.push(subjectHit);
  await insertTicket(t, { subject: 'Unrelated', customerId: customer, messages: [{ body: 'my parcel is late' }] });
  // distinct, strictly ordered update times (newest = last inserted), so recency order is known
  await t.deps.db.execute(sql`UPDATE tickets SET updated_at = now() - (number * interval '-1 minute')`);
});
afterAll(async () => {
  await t?.close();
});

async function allPages(opts: Omit<SearchOptions, 'actor' | 'type'>, who: TestStaff = agent) {
  const ids: string[] = [];
  const pages = [];
  let cursor: string | undefined;
  do {
    const r = await search(t.deps, { actor: staffActor(who), type: 'tickets', ...opts, cursor });
    pages.push(r);
    ids.push(...r.tickets.map((x) => x.id));
    cursor = r.nextCursor ?? undefined;
  } while (cursor && pages.length < 50);
  return { ids, pages };
}

const common = { exactRankingCap: 3, minWindow: 4 };

describe('search for very common words', () => {
  it('by relevance: pages through every match once, best first within each window of the newest', async () => {
    const { ids, pages } = await allPages({ q: 'router', limit: 2, tuning: common });
    expect(ids.length).toBe(new Set(ids).size);
    expect([...ids].sort()).toEqual([...routerIds].sort());
    // the first window holds the 4 newest matches, ranked: the subject match (newest, counts double) leads
    expect(pages[0]?.tickets[0]?.id).toBe(subjectHit);
    const firstWindow = [...(pages[0]?.tickets ?? []), ...(pages[1]?.tickets ?? [])].map((x) => x.score);
    expect(firstWindow).toEqual([...firstWindow].sort((a, b) => b - a));
    expect(pages[0]?.ticketTotal?.exact).toBe(false);
    expect(pages[0]?.ticketTotal?.count).toBeGreaterThan(0);
    expect(pages[1]?.ticketTotal).toBeUndefined();
  });

  it('by recency: newest first over every page, the same order as when every match is ranked', async () => {
    const walked = await allPages({ q: 'router', sort: 'recent', limit: 3, tuning: common });
    const exact = await allPages({ q: 'router', sort: 'recent', limit: 3 });
    expect(walked.ids).toEqual(exact.ids);
    expect(walked.ids.length).toBe(routerIds.length);
    const times = walked.pages.flatMap((p) => p.tickets.map((x) => Date.parse(x.updatedAt)));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(exact.pages[0]?.ticketTotal).toEqual({ count: routerIds.length, exact: true });
  });

  it('ranks every match exactly when the word is not common', async () => {
    const { ids, pages } = await allPages({ q: 'router', limit: 5 });
    expect([...ids].sort()).toEqual([...routerIds].sort());
    const scores = pages.flatMap((p) => p.tickets.map((x) => x.score));
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('keeps a collaborator to their own tickets whatever the thresholds', async () => {
    const { ids } = await allPages({ q: 'router', limit: 2, tuning: common }, collaborator);
    expect(ids).toEqual([mine]);
  });
});

describe('typo vocabulary', () => {
  it('learns the words of new messages as they are written, so their typos are found at once', async () => {
    const customer = await insertCustomer(t, 'Noor Alam', 'noor@example.com');
    const fresh = await insertTicket(t, {
      subject: 'Hello',
      customerId: customer,
      messages: [{ body: 'the dehumidifier leaks water' }],
    });
    const words = await t.deps.db.execute(sql`SELECT word FROM search_words WHERE word = 'dehumidifier'`);
    expect(words.rows.length).toBeGreaterThan(0);
    const r = await search(t.deps, { actor: staffActor(agent), type: 'tickets', q: 'dehumidifeir', limit: 20 });
    expect(r.tickets.map((x) => x.id)).toContain(fresh.id);
    expect(r.tickets[0]?.snippet).toContain('<mark>dehumidifier</mark>');
  });

  it('keeps numbers and codes out of the vocabulary', async () => {
    const customer = await insertCustomer(t, 'Code Keeper', 'codes@example.com');
    await insertTicket(t, {
      subject: 'Order',
      customerId: customer,
      messages: [{ body: 'order ord0042424 and 987654' }],
    });
    const words = await t.deps.db.execute(sql`SELECT word FROM search_words WHERE word ~ '[0-9]'`);
    expect(words.rows).toEqual([]);
  });

  it('does not widen a word that starts a stored word', async () => {
    // "route" starts "router": searched as a prefix only, so nothing merely similar ("roster") is added
    const customer = await insertCustomer(t, 'Rota Person', 'rota@example.com');
    const roster = await insertTicket(t, { subject: 'Shift roster', customerId: customer, messages: [] });
    const r = await search(t.deps, { actor: staffActor(agent), type: 'tickets', q: 'route', limit: 50 });
    expect(r.tickets.map((x) => x.id)).not.toContain(roster.id);
    expect(r.tickets.length).toBe(routerIds.length);
  });
});
