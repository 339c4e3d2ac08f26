import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api, insertCategory, insertTeam, openTicket } from './tickets-helpers.ts';

/**
 * The open-ticket counts kept with the facts (maintain-open-counts.ts) against a fresh count of the open facts and
 * of the open tickets, after creates, status changes, moves between teams, assignees and categories, merges and a
 * rebuild; and the dashboard's backlog read from them.
 */
const clock = new ManualClock(new Date('2026-04-01T09:00:00Z'));
let t: TestApp;
let admin: TestStaff;
let agent: TestStaff;
let team: string;
let category: string;

type Row = {
  channel: string;
  category_key: string;
  team_key: string;
  assignee_key: string;
  language_key: string;
  n: number;
};

async function query<T>(text: string): Promise<T[]> {
  return (await t.deps.database.pool.query(text)).rows as T[];
}
const DIMS = `channel, coalesce(category_id::text, '') AS category_key, coalesce(team_id::text, '') AS team_key,
  coalesce(assignee_id::text, '') AS assignee_key, coalesce(language, '') AS language_key`;

/** The counts as kept, summed over their shards (rollup-shards.ts), without keys back at zero, in a stable order. */
async function kept(): Promise<Row[]> {
  return query<Row>(`SELECT channel, category_key, team_key, assignee_key, language_key, sum(open)::int AS n
                       FROM insight_open_counts GROUP BY 1, 2, 3, 4, 5 HAVING sum(open) <> 0 ORDER BY 1, 2, 3, 4, 5`);
}
/** The same counts counted afresh, from the facts and from the tickets themselves. */
async function fresh(from: 'insight_ticket_facts' | 'tickets'): Promise<Row[]> {
  const merged = from === 'tickets' ? 'AND merged_into_id IS NULL' : '';
  return query<Row>(`SELECT ${DIMS}, count(*)::int AS n FROM ${from} WHERE status NOT IN ('solved', 'closed') ${merged}
                      GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`);
}
async function expectExact(): Promise<void> {
  const counts = await kept();
  expect(counts).toEqual(await fresh('insight_ticket_facts'));
  expect(counts).toEqual(await fresh('tickets'));
}
async function backlog(query = ''): Promise<number> {
  const res = await api(t, admin, 'GET', `/insights/dashboard${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().totals.backlogNow;
}
async function patch(id: string, body: Record<string, unknown>) {
  const res = await api(t, admin, 'PATCH', `/tickets/${id}`, body);
  expect(res.statusCode, res.body).toBe(200);
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  admin = await createStaff(t, 'admin');
  agent = await createStaff(t, 'agent');
  team = await insertTeam(t, 'Billing', [agent.id]);
  category = await insertCategory(t, 'Refunds');
});
afterAll(async () => {
  await t?.close();
});

describe('open ticket counts', () => {
  it('equal a fresh count after creates, status changes, moves, reopens and merges', async () => {
    const made = [];
    for (const [i, channel] of ['email', 'web', 'phone', 'email', 'web', 'email', 'api', 'phone'].entries()) {
      clock.set(new Date(Date.parse('2026-04-01T09:00:00Z') + i * 600_000));
      made.push(await openTicket(t, admin, { channel, ...(i % 3 === 0 ? { language: 'bn' } : {}) }));
    }
    await expectExact();
    expect(await backlog()).toBe(8);

    const [a, b, c, d, e, f, g, h] = made;
    await patch(a.id, { status: 'solved' });
    await patch(b.id, { status: 'pending' });
    await patch(c.id, { status: 'open' });
    await patch(c.id, { status: 'solved' });
    await patch(d.id, { teamId: team, assigneeId: agent.id, categoryId: category });
    await patch(e.id, { status: 'on_hold', language: 'hi' });
    await patch(f.id, { status: 'solved' });
    await patch(f.id, { status: 'open' }); // reopened
    await patch(g.id, { status: 'solved' });
    await patch(g.id, { status: 'closed' }); // solved → closed: still not open
    await expectExact();
    expect(await backlog()).toBe(5); // b, d, e, f, h

    // merged tickets leave the counts (the target stays as it is)
    let res = await api(t, admin, 'POST', `/tickets/${h.id}/merge`, { targetTicketId: d.id });
    expect(res.statusCode, res.body).toBe(200);
    res = await api(t, admin, 'POST', `/tickets/${a.id}/merge`, { targetTicketId: b.id }); // a solved one
    expect(res.statusCode, res.body).toBe(200);
    await expectExact();
    expect(await backlog()).toBe(4);

    // the dashboard's filters read the same counts
    expect(await backlog('?channel=email')).toBe(2); // d, f
    expect(await backlog(`?teamId=${team}`)).toBe(1);
    expect(await backlog('?teamId=none')).toBe(3);
    expect(await backlog(`?assigneeId=${agent.id}&categoryId=${category}`)).toBe(1);
    expect(await backlog('?language=hi')).toBe(1);
    const drill = await api(t, admin, 'GET', '/insights/drilldown?metric=open&channel=email&limit=10');
    expect(drill.statusCode, drill.body).toBe(200);
    expect(drill.json().total).toBe(2);
    expect([...drill.json().ticketIds].sort()).toEqual([d.id, f.id].sort());
  });

  it('is rebuilt with the rest of the insights', async () => {
    const before = await kept();
    await t.deps.database.pool.query(`UPDATE insight_open_counts SET open = open + 5`);
    await t.deps.database.pool.query(
      `INSERT INTO insight_open_counts (channel, category_key, team_key, assignee_key, language_key, open) VALUES ('sms', '', '', '', '', 3)`,
    );
    const rebuilt = await api(t, admin, 'POST', '/insights/rebuild');
    expect(rebuilt.statusCode, rebuilt.body).toBe(200);
    expect(await kept()).toEqual(before);
    await expectExact();
    expect(await backlog()).toBe(4);
  });
});
