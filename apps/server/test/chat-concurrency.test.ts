import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepChats } from '../src/modules/chat/index.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { setRouting, visitorStartsChat } from './chat-helpers.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api, insertTeam } from './tickets-helpers.ts';
import { insertWidget } from './widget-helpers.ts';

let t: TestApp;
let admin: TestStaff;

beforeAll(async () => {
  t = await createTestApp({ clock: new ManualClock(new Date('2026-03-02T06:00:00Z')) });
  admin = await createStaff(t, 'admin');
  await setRouting(t, admin, admin, { status: 'offline' });
});
afterAll(async () => {
  await t?.close();
});

describe('chat work at the same time', () => {
  it('accepts, ends, transfers, availability changes and sweeps running together never fail, deadlock or overfill anyone', async () => {
    const people = await Promise.all([1, 2, 3, 4].map((i) => createStaff(t, 'agent', { name: `Busy ${i}` })));
    const team = await insertTeam(t, 'Busy floor', people.map((p) => p.id));
    for (const p of people) await setRouting(t, admin, p, { status: 'online', maxChats: 2 });
    const w = await insertWidget(t, { teamId: team });
    const chats = await Promise.all(Array.from({ length: 12 }, (_, i) => visitorStartsChat(t, w.key, { body: `Busy ${i}` })));
    const ops: Array<Promise<{ statusCode: number; body: string } | unknown>> = [];
    chats.forEach((c, i) => {
      const who = people[i % people.length] as TestStaff;
      ops.push(api(t, who, 'POST', `/chats/${c.ticketId}/accept`));
      if (i % 3 === 0) ops.push(api(t, who, 'POST', `/chats/${c.ticketId}/end`, {}));
      if (i % 4 === 1) ops.push(api(t, who, 'POST', `/tickets/${c.ticketId}/transfer`, { toUserId: (people[(i + 1) % people.length] as TestStaff).id, note: 'over to you' }));
    });
    ops.push(setRouting(t, admin, people[0] as TestStaff, { status: 'away' }));
    ops.push(sweepChats(t.deps.db, t.clock.now()));
    ops.push(setRouting(t, admin, people[0] as TestStaff, { status: 'online' }));
    ops.push(sweepChats(t.deps.db, t.clock.now()));
    const results = await Promise.all(ops);
    const serverErrors = results.filter((r) => typeof r === 'object' && r !== null && 'statusCode' in r && (r as { statusCode: number }).statusCode >= 500);
    expect(serverErrors.map((r) => (r as { body: string }).body)).toEqual([]);
    await sweepChats(t.deps.db, t.clock.now());
    const load = await t.deps.db.execute<{ n: number }>(sql`
      SELECT (SELECT count(*) FROM chat_sessions c WHERE (c.status = 'active' AND c.accepted_by_id = s.id) OR (c.status = 'waiting' AND c.offered_to_id = s.id))::int AS n
        FROM staff_users s WHERE s.id = ANY(${`{${people.map((p) => p.id).join(',')}}`}::uuid[])`);
    for (const r of load.rows) expect(r.n).toBeLessThanOrEqual(2);
    // every live chat is with exactly one person or waiting in the queue; an active chat's ticket is its acceptor's
    const mismatched = await t.deps.db.execute(sql`
      SELECT cs.ticket_id FROM chat_sessions cs JOIN tickets t ON t.id = cs.ticket_id
       WHERE cs.widget_id = ${w.id} AND cs.status = 'active' AND t.assignee_id IS DISTINCT FROM cs.accepted_by_id`);
    expect(mismatched.rows).toEqual([]);
  });
});
