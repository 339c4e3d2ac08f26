import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SearchOptions, search } from '../src/modules/search/search.service.ts';
import type { Actor } from '../src/platform/auth/permissions.ts';
import { createStaff, staffActor, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { insertCustomer, insertTicket } from './search-fixtures.ts';

/**
 * The recency walk's budget: a word common long ago but absent from the newest tickets must not make one page walk
 * every ticket. A page (or relevance window) ends where the budget does, with a cursor that goes on from there; pages
 * may be short or empty, and every match is still reached exactly once, in the same order as without a budget.
 */
let t: TestApp;
let agent: TestStaff;
/** oldest first */
const parcelIds: string[] = [];
const bengaliIds: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  agent = await createStaff(t, 'agent');
  const customer = await insertCustomer(t, 'Asha Roy', 'asha@example.com');
  for (let i = 0; i < 7; i += 1) {
    const bodies = [i % 2 === 0 ? 'my parcel is lost' : 'parcel parcel never came'];
    parcelIds.push(
      (await insertTicket(t, { subject: `Old ${i}`, customerId: customer, messages: [{ body: bodies[0] ?? '' }] })).id,
    );
  }
  for (let i = 0; i < 3; i += 1) {
    bengaliIds.push(
      (await insertTicket(t, { subject: `বাংলা ${i}`, customerId: customer, messages: [{ body: 'পার্সেল হারিয়ে গেছে' }] }))
        .id,
    );
  }
  // the newest: nothing about parcels, in English
  for (let i = 0; i < 9; i += 1) {
    await insertTicket(t, { subject: `New ${i}`, customerId: customer, messages: [{ body: 'cannot log in today' }] });
  }
  // distinct, strictly ordered update times (newest = last inserted)
  await t.deps.db.execute(sql`UPDATE tickets SET updated_at = now() - (number * interval '-1 minute')`);
});
afterAll(async () => {
  await t?.close();
});

const actor = (): Actor => staffActor(agent);

async function allPages(opts: Omit<SearchOptions, 'actor' | 'type'>) {
  const ids: string[] = [];
  const sizes: number[] = [];
  let cursor: string | undefined;
  do {
    const r = await search(t.deps, { actor: actor(), type: 'tickets', ...opts, cursor });
    ids.push(...r.tickets.map((x) => x.id));
    sizes.push(r.tickets.length);
    cursor = r.nextCursor ?? undefined;
  } while (cursor && sizes.length < 100);
  return { ids, sizes };
}

const tight = { exactRankingCap: 1, minWindow: 2, walkBudget: { walked: 6, read: 3 } };
const unbounded = { exactRankingCap: 1, minWindow: 2, walkBudget: { walked: 1_000_000, read: 1_000_000 } };

describe('the recency walk’s budget', () => {
  it('by recency: an empty first page with a cursor, then every match once, newest first', async () => {
    const { ids, sizes } = await allPages({ q: 'parcel', sort: 'recent', limit: 2, tuning: tight });
    expect(sizes[0]).toBe(0);
    expect(ids).toEqual([...parcelIds].reverse());
    // the same order as a walk without a budget, and as ranking every match exactly
    expect((await allPages({ q: 'parcel', sort: 'recent', limit: 2, tuning: unbounded })).ids).toEqual(ids);
    expect((await allPages({ q: 'parcel', sort: 'recent', limit: 2 })).ids).toEqual(ids);
  });

  it('by relevance: windows end where the budget does, and every match comes once', async () => {
    const { ids, sizes } = await allPages({ q: 'parcel', sort: 'relevance', limit: 2, tuning: tight });
    expect(sizes[0]).toBe(0);
    expect(ids.length).toBe(new Set(ids).size);
    expect([...ids].sort()).toEqual([...parcelIds].sort());
  });

  it('counts tickets passed over for their writing systems against the walk’s own budget', async () => {
    // nine English tickets on top: the walk of 6 stops among them before it reads a single Bengali ticket
    const first = await search(t.deps, {
      actor: actor(),
      type: 'tickets',
      q: 'পার্সেল',
      sort: 'recent',
      limit: 5,
      tuning: tight,
    });
    expect(first.tickets).toEqual([]);
    expect(first.nextCursor).not.toBeNull();
    const { ids } = await allPages({ q: 'পার্সেল', sort: 'recent', limit: 5, tuning: tight });
    expect(ids).toEqual([...bengaliIds].reverse());
  });

  it('fills whole pages when the budget is not reached', async () => {
    const roomy = { exactRankingCap: 1, minWindow: 2, walkBudget: { walked: 100, read: 100 } };
    const { sizes } = await allPages({ q: 'parcel', sort: 'recent', limit: 3, tuning: roomy });
    expect(sizes).toEqual([3, 3, 1]);
  });
});
