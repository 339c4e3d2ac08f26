import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncTicketFacts } from '../src/modules/insights/maintain-ticket-facts.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api, openTicket } from './tickets-helpers.ts';
import { checkTicketSnapshots } from '../src/platform/new-ticket-snapshot.ts';

/**
 * How the facts sync talks to PostgreSQL (maintain-ticket-facts.ts, insight-writes.ts): the ticket and its locked
 * fact row in one read, and a transaction's fact row and rollup deltas in one write. Checks the round trips, the
 * lock, each side of the read's full join, a ticket synced twice before its write went out, and that the rollups
 * still equal a rebuild.
 */
const clock = new ManualClock(new Date('2026-06-02T10:05:00Z'));
let t: TestApp;
let admin: TestStaff;

// every statement the server sends that touches an insight table, while `captured` is set
let captured: string[] | null = null;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const q = args[0] as string | { text?: string } | undefined;
  const text = typeof q === 'string' ? q : (q?.text ?? '');
  if (captured && /insight_/.test(text)) captured.push(text);
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

beforeAll(async () => {
  t = await createTestApp({ clock });
  admin = await createStaff(t, 'admin');
});
afterAll(async () => {
  pg.Client.prototype.query = query;
  await t?.close();
});

async function capture(fn: () => Promise<unknown>): Promise<string[]> {
  captured = [];
  try {
    await fn();
    return captured;
  } finally {
    captured = null;
  }
}

const rows = async (text: string, values: unknown[] = []) => (await t.deps.database.pool.query(text, values)).rows;

const rollupSums = (table: 'insight_hourly' | 'insight_daily', time: 'hour' | 'day') =>
  rows(`SELECT ${time}, channel, category_key, team_key, assignee_key, language_key, sum(created)::int AS c,
               sum(solved)::int AS s, sum(first_responses)::int AS fr,
               sum(first_response_seconds_sum)::int AS frs, sum(resolution_seconds_sum)::int AS rs
          FROM ${table} GROUP BY 1, 2, 3, 4, 5, 6
        HAVING sum(created) <> 0 OR sum(solved) <> 0 OR sum(first_responses) <> 0 ORDER BY 1, 2, 3, 4, 5, 6`);

/**
 * Every rollup summed over its shards; the facts without their counters (a rebuild recounts those from events),
 * and their durations only where there is one (a rebuild writes 0 for none, the sync null: neither is read).
 */
async function snapshot() {
  return {
    facts: await rows(`SELECT ticket_id, created_at, channel, category_id, team_id, assignee_id, language, tags,
                              customer_id, custom_fields, status, first_response_at, solved_at,
                              CASE WHEN first_response_at IS NOT NULL THEN first_response_seconds END AS frs,
                              CASE WHEN solved_at IS NOT NULL THEN resolution_seconds END AS rs
                         FROM insight_ticket_facts ORDER BY ticket_id`),
    hourly: await rollupSums('insight_hourly', 'hour'),
    daily: await rollupSums('insight_daily', 'day'),
    tags: await rows(`SELECT hour, tag, channel, sum(created)::int AS n FROM insight_hourly_tags GROUP BY 1, 2, 3
                       HAVING sum(created) <> 0 ORDER BY 1, 2, 3`),
    durations: await rows(`SELECT * FROM insight_daily_durations WHERE count <> 0
                            ORDER BY day, metric, channel, category_key, team_key, assignee_key, language_key, bucket`),
    monthlyDurations: await rows(`SELECT * FROM insight_monthly_durations WHERE count <> 0
                                   ORDER BY month, metric, channel, category_key, team_key, assignee_key, language_key, bucket`),
    open: await rows(`SELECT channel, category_key, team_key, assignee_key, language_key, sum(open)::int AS n
                        FROM insight_open_counts GROUP BY 1, 2, 3, 4, 5 HAVING sum(open) <> 0 ORDER BY 1, 2, 3, 4, 5`),
  };
}

async function expectEqualToRebuild(): Promise<void> {
  const kept = await snapshot();
  const rebuilt = await api(t, admin, 'POST', '/insights/rebuild');
  expect(rebuilt.statusCode, rebuilt.body).toBe(200);
  expect(kept).toEqual(await snapshot());
}

describe('insight writes', () => {
  it('a ticket create reads nothing back and writes its facts and every rollup in one statement', async () => {
    // as in production: without the test-only comparison of the new ticket's snapshot with the database
    checkTicketSnapshots(false);
    const sent = await capture(() => openTicket(t, admin, { channel: 'email', tags: ['billing', 'vip'] })).finally(() =>
      checkTicketSnapshots(true),
    );
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/INSERT INTO insight_ticket_facts/);
    for (const table of [
      'insight_hourly ',
      'insight_daily ',
      'insight_hourly_tags',
      'insight_daily_durations',
      'insight_monthly_durations',
      'insight_open_counts',
    ])
      expect(sent[0]).toContain(table);
  });

  it('a message that changes none of the facts costs no read and no write; a first response, one of each', async () => {
    const ticket = await openTicket(t, admin);
    const first = await capture(async () => {
      const r = await api(t, admin, 'POST', `/tickets/${ticket.id}/messages`, { body: 'First answer' });
      expect(r.statusCode, r.body).toBe(201);
    });
    expect(first).toHaveLength(2);
    expect(first[0]).toMatch(/^with "locked_facts"/);
    expect(first[1]).toMatch(/insight_ticket_facts/);
    clock.advance(60_000);
    const sent = await capture(async () => {
      const r = await api(t, admin, 'POST', `/tickets/${ticket.id}/messages`, { body: 'And one more thing' });
      expect(r.statusCode, r.body).toBe(201);
    });
    expect(sent).toEqual([]);
  });

  it('concurrent solves that move rows of several keys each keep the rollups equal to a rebuild', async () => {
    const tickets = await Promise.all(
      Array.from({ length: 6 }, (_, i) => openTicket(t, admin, { channel: i % 2 ? 'web' : 'email', tags: ['rush'] })),
    );
    clock.advance(25 * 60_000);
    // concurrent writes that move rows of several keys each (first response, solve, open counts, histograms)
    const solved = await Promise.all(
      tickets.map((x) => api(t, admin, 'PATCH', `/tickets/${x.id}`, { status: 'solved', tags: ['rush', 'done'] })),
    );
    for (const r of solved) expect(r.statusCode, r.body).toBe(200);
    await expectEqualToRebuild();
  });

  it('keeps the daily rollup equal to the hourly rows of each UTC day when a ticket moves days after it was created', async () => {
    const tickets = await Promise.all(
      Array.from({ length: 4 }, (_, i) => openTicket(t, admin, { channel: i % 2 ? 'web' : 'chat' })),
    );
    clock.advance(26 * 3_600_000); // the next UTC day: answers and solves land there, moves change the first day's rows
    for (const [i, x] of tickets.entries()) {
      const r = await api(t, admin, 'PATCH', `/tickets/${x.id}`, {
        assigneeId: admin.id,
        ...(i % 2 ? { status: 'solved' } : {}),
      });
      expect(r.statusCode, r.body).toBe(200);
    }
    const perDay = (table: 'insight_hourly' | 'insight_daily') =>
      rows(`SELECT ${table === 'insight_hourly' ? "date_trunc('day', hour, 'UTC')" : 'day'} AS day, assignee_key,
                   sum(created)::int AS c, sum(solved)::int AS s
              FROM ${table} GROUP BY 1, 2 HAVING sum(created) <> 0 OR sum(solved) <> 0 ORDER BY 1, 2`);
    const daily = await perDay('insight_daily');
    expect(daily).toEqual(await perDay('insight_hourly'));
    // the first day's creations moved to the assignee; the solves are on the second day
    expect(daily.filter((r) => r.assignee_key === admin.id).map((r) => [r.c, r.s])).toEqual(
      expect.arrayContaining([
        [4, 0],
        [0, 2],
      ]),
    );
    await expectEqualToRebuild();
  });

  it('locks the fact row while the sync’s transaction is open', async () => {
    const ticket = await openTicket(t, admin);
    const other = new pg.Client({ connectionString: t.db.url });
    await other.connect();
    try {
      await t.deps.db.transaction(async (tx) => {
        await syncTicketFacts(tx, ticket.id);
        await expect(
          other.query('SELECT 1 FROM insight_ticket_facts WHERE ticket_id = $1 FOR UPDATE NOWAIT', [ticket.id]),
        ).rejects.toThrow(/could not obtain lock/);
      });
      const free = await other.query('SELECT 1 FROM insight_ticket_facts WHERE ticket_id = $1 FOR UPDATE NOWAIT', [
        ticket.id,
      ]);
      expect(free.rowCount).toBe(1);
    } finally {
      await other.end();
    }
  });

  it('writes what is queued before reading a ticket synced a second time in the transaction', async () => {
    const ticket = await openTicket(t, admin, { channel: 'email' });
    const reopens = async () =>
      (await rows('SELECT reopen_count, language FROM insight_ticket_facts WHERE ticket_id = $1', [ticket.id]))[0];
    const was = await reopens();
    await t.deps.db.transaction(async (tx) => {
      await tx.execute(sql`UPDATE tickets SET language = 'de' WHERE id = ${ticket.id}`);
      await syncTicketFacts(tx, ticket.id, { reopened: true });
      await tx.execute(sql`UPDATE tickets SET language = 'fr' WHERE id = ${ticket.id}`);
      // the first sync's update is still queued for the commit: this one must see it, not the row before it
      await syncTicketFacts(tx, ticket.id, { reopened: true });
    });
    expect(await reopens()).toEqual({ reopen_count: was.reopen_count + 2, language: 'fr' });
    const open = await rows(
      `SELECT language_key, sum(open)::int AS n FROM insight_open_counts WHERE channel = 'email'
        GROUP BY 1 HAVING sum(open) <> 0 ORDER BY 1`,
    );
    expect(open.find((r) => r.language_key === 'de')).toBeUndefined();
    expect(open.find((r) => r.language_key === 'fr')).toEqual({ language_key: 'fr', n: 1 });
    await expectEqualToRebuild();
  });

  it('removes a fact row whose ticket is gone, with its contributions', async () => {
    const ticket = await openTicket(t, admin, { channel: 'phone' });
    const stray = randomUUID();
    // a copy of the ticket's facts under an id no ticket has, counted in the rollups like a ticket of its own
    await rows(
      `INSERT INTO insight_ticket_facts (ticket_id, created_at, channel, category_id, team_id, assignee_id, language,
              tags, customer_id, custom_fields, status, first_response_at, first_response_seconds, solved_at,
              resolution_seconds, reopen_count, negative_messages, updated_at)
       SELECT $2::uuid, created_at, channel, category_id, team_id, assignee_id,
              language, tags, customer_id, custom_fields, status, first_response_at, first_response_seconds, solved_at,
              resolution_seconds, reopen_count, negative_messages, updated_at
         FROM insight_ticket_facts WHERE ticket_id = $1`,
      [ticket.id, stray],
    );
    const phone = async () => ({
      created: (await rows(`SELECT sum(created)::int AS n FROM insight_hourly WHERE channel = 'phone'`))[0]?.n,
      open: (await rows(`SELECT sum(open)::int AS n FROM insight_open_counts WHERE channel = 'phone'`))[0]?.n,
    });
    const was = await phone();
    await t.deps.db.transaction(async (tx) => {
      const change = await syncTicketFacts(tx, stray);
      expect(change.before).not.toBeNull();
      expect(change.after).toBeNull();
    });
    expect(await rows('SELECT 1 FROM insight_ticket_facts WHERE ticket_id = $1', [stray])).toEqual([]);
    expect(await phone()).toEqual({ created: was.created - 1, open: was.open - 1 });
  });

  it('leaves nothing behind for an id with neither a ticket nor facts', async () => {
    const before = await snapshot();
    const change = await t.deps.db.transaction((tx) => syncTicketFacts(tx, randomUUID()));
    expect(change).toEqual({ before: null, after: null });
    expect(await snapshot()).toEqual(before);
  });
});
