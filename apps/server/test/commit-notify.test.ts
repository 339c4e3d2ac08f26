import { inArray } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { categories } from '../src/platform/db/schema/index.ts';
import { EVENTS_CHANNEL, recordEvent } from '../src/platform/events.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { recordQueryTexts } from './query-texts.ts';
import { api } from './tickets-helpers.ts';

let t: TestApp;
let agent: TestStaff;
let listener: pg.Client;
const heard: Array<{ id: number; type: string; ticketId: string | null }> = [];

beforeAll(async () => {
  t = await createTestApp();
  agent = await createStaff(t, 'agent');
  listener = new pg.Client({ connectionString: t.db.url });
  await listener.connect();
  listener.on('notification', (n) => {
    if (n.channel === EVENTS_CHANNEL && n.payload) heard.push(JSON.parse(n.payload));
  });
  await listener.query(`LISTEN ${EVENTS_CHANNEL}`);
});
afterAll(async () => {
  await listener?.end();
  await t?.close();
});

async function until(check: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('a transaction and its events', () => {
  it("announce the events with the COMMIT itself, after it, in the transaction's order", async () => {
    const { texts, stop } = recordQueryTexts();
    let id = '';
    try {
      const res = await api(t, agent, 'POST', '/tickets', {
        subject: 'Announced once committed',
        customer: { email: 'announce@example.com' },
        message: { body: 'hello' },
      });
      expect(res.statusCode, res.body).toBe(201);
      id = res.json().id;
    } finally {
      stop();
    }
    // one round trip: the COMMIT and, after it, the NOTIFY of the transaction's notes
    const commits = texts.filter((x) => /^\s*commit/i.test(x));
    expect(commits).toHaveLength(1);
    expect(commits[0]).toMatch(/^COMMIT;\s*SELECT pg_notify\('seva_events', n\) FROM unnest\(ARRAY\['\{"id":/);
    expect(texts.filter((x) => /^\s*SELECT pg_notify/.test(x))).toEqual([]);
    await until(() => heard.filter((e) => e.ticketId === id).length >= 2);
    const mine = heard.filter((e) => e.ticketId === id);
    expect(mine.map((e) => e.type)).toEqual(['ticket.created', 'message.added']);
    expect(mine[0]?.id).toBeLessThan(mine[1]?.id ?? 0);
  });

  it('announce nothing of a transaction that rolled back', async () => {
    const before = heard.length;
    await expect(
      t.deps.db.transaction(async (tx) => {
        await recordEvent(tx, { type: 'test.rolled_back', actor: { kind: 'system' }, payload: {} });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    // an event committed after it is heard, and nothing before it
    const res = await api(t, agent, 'POST', '/tickets', {
      subject: 'After the rollback',
      customer: { email: 'announce@example.com' },
      message: { body: 'hello' },
    });
    await until(() => heard.some((e) => e.ticketId === res.json().id));
    expect(heard.slice(before).map((e) => e.type)).not.toContain('test.rolled_back');
  });

  it('keep a savepoint: a failed nested transaction rolls back alone', async () => {
    await t.deps.db.transaction(async (tx) => {
      await tx.insert(categories).values({ name: 'kept outer' });
      await tx
        .transaction(async (sp) => {
          await sp.insert(categories).values({ name: 'dropped inner' });
          throw new Error('inner fails');
        })
        .catch((err: Error) => expect(err.message).toBe('inner fails'));
      await tx.transaction(async (sp) => {
        await sp.insert(categories).values({ name: 'kept inner' });
      });
    });
    const rows = await t.deps.db
      .select({ name: categories.name })
      .from(categories)
      .where(inArray(categories.name, ['kept outer', 'dropped inner', 'kept inner']));
    expect(rows.map((r) => r.name).sort()).toEqual(['kept inner', 'kept outer']);
  });
});
