import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reusableQuery } from '../src/platform/db/reusable-query.ts';
import { customers, tickets } from '../src/platform/db/schema/index.ts';
import { createTestDatabase, type TestDatabase } from './harness.ts';

/** A query built once and run on any handle (platform/db/reusable-query.ts) answers exactly as the ordinary query. */
let db: TestDatabase;

const ticketById = reusableQuery((d) =>
  d
    .select({
      id: tickets.id,
      number: tickets.number,
      subject: tickets.subject,
      tags: tickets.tags,
      customFields: tickets.customFields,
      createdAt: tickets.createdAt,
      solvedAt: tickets.solvedAt,
      customerName: customers.name,
    })
    .from(tickets)
    .innerJoin(customers, eq(customers.id, tickets.customerId))
    .where(eq(tickets.id, sql.placeholder('id'))),
);

const insertTicket = reusableQuery((d) =>
  d
    .insert(tickets)
    .values({
      subject: sql.placeholder('subject'),
      channel: 'api',
      customerId: sql.placeholder('customerId'),
      tags: sql.placeholder('tags'),
      customFields: sql.placeholder('customFields'),
      createdAt: sql.placeholder('createdAt'),
      solvedAt: sql.placeholder('solvedAt'),
    })
    .returning({ id: tickets.id }),
);

let customerId = '';

beforeAll(async () => {
  db = await createTestDatabase();
  const [c] = await db.database.db.insert(customers).values({ name: 'Rina Akter' }).returning({ id: customers.id });
  customerId = c?.id ?? '';
});

afterAll(async () => {
  await db.drop();
});

describe('reusable queries', () => {
  it('insert and select like the ordinary queries: dates, nulls, arrays and JSON encoded and decoded the same', async () => {
    const createdAt = new Date('2026-11-30T10:15:00.000Z');
    const [a] = await insertTicket(db.database.db, {
      subject: 'বিল ভুল এসেছে',
      customerId,
      tags: ['billing', 'vip'],
      customFields: { order: 'A-17', urgent: true },
      createdAt,
      solvedAt: null,
    });
    const [b] = await insertTicket(db.database.db, {
      subject: 'दूसरा टिकट',
      customerId,
      tags: [],
      customFields: {},
      createdAt,
      solvedAt: new Date('2026-12-01T08:00:00.000Z'),
    });
    for (const id of [a?.id ?? '', b?.id ?? '']) {
      const ordinary = await db.database.db
        .select({
          id: tickets.id,
          number: tickets.number,
          subject: tickets.subject,
          tags: tickets.tags,
          customFields: tickets.customFields,
          createdAt: tickets.createdAt,
          solvedAt: tickets.solvedAt,
          customerName: customers.name,
        })
        .from(tickets)
        .innerJoin(customers, eq(customers.id, tickets.customerId))
        .where(eq(tickets.id, id));
      expect(await ticketById(db.database.db, { id })).toEqual(ordinary);
    }
    const [first] = await ticketById(db.database.db, { id: a?.id ?? '' });
    expect(first).toMatchObject({ subject: 'বিল ভুল এসেছে', tags: ['billing', 'vip'], solvedAt: null });
    expect(first?.customFields).toEqual({ order: 'A-17', urgent: true });
    expect(first?.createdAt).toEqual(createdAt);
  });

  it("runs on the caller's transaction: it sees the transaction's own writes, and they roll back with it", async () => {
    let inside: unknown[] = [];
    let id = '';
    await expect(
      db.database.db.transaction(async (tx) => {
        const [t] = await insertTicket(tx, {
          subject: 'rolled back',
          customerId,
          tags: [],
          customFields: {},
          createdAt: new Date(),
          solvedAt: null,
        });
        id = t?.id ?? '';
        inside = await ticketById(tx, { id });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(inside).toHaveLength(1);
    expect(await ticketById(db.database.db, { id })).toEqual([]);
  });

  it('fails clearly when a placeholder has no value', async () => {
    await expect(ticketById(db.database.db, {})).rejects.toThrow(/placeholder "id"/);
  });
});
