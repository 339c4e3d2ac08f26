import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sweepChats, widgetAvailability } from '../src/modules/chat/index.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { sessionOf, setRouting, ticketRow, visitorStartsChat } from './chat-helpers.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api, insertTeam } from './tickets-helpers.ts';
import { insertWidget } from './widget-helpers.ts';

let t: TestApp;
let clock: ManualClock;
let admin: TestStaff;
const SECOND = 1000;

beforeAll(async () => {
  t = await createTestApp({ clock: new ManualClock(new Date('2026-03-02T06:00:00Z')) });
  clock = t.clock as ManualClock;
  admin = await createStaff(t, 'admin');
  await setRouting(t, admin, admin, { status: 'offline' });
});
afterAll(async () => {
  await t?.close();
});

/** Everyone goes offline between tests, and earlier chats end, so each test starts from an empty floor. */
beforeEach(async () => {
  await t.deps.db.execute(sql`UPDATE staff_availability SET status = 'offline'`);
  await t.deps.db.execute(sql`UPDATE chat_sessions SET status = 'ended', offered_to_id = NULL`);
});

async function events(ticketId: string, type: string) {
  const r = await t.deps.db.execute<{ payload: Record<string, unknown> }>(
    sql`SELECT payload FROM events WHERE ticket_id = ${ticketId} AND type = ${type} ORDER BY id`,
  );
  return r.rows.map((x) => x.payload);
}

describe('widget availability', () => {
  it('is open without a calendar, closed outside business hours and on a holiday, and needs someone online with room', async () => {
    const ana = await createStaff(t, 'agent', { name: 'Ana Avail' });
    const team = await insertTeam(t, 'Avail team', [ana.id]);
    const w = await insertWidget(t, { teamId: team });
    const now = clock.now();
    // no calendar, nobody online
    expect(await widgetAvailability(t.deps.db, { id: w.id, teamId: team }, now)).toEqual({
      isOpen: true,
      agentsAvailable: false,
      opensAt: null,
    });
    await setRouting(t, admin, ana, { status: 'online', maxChats: 1 });
    expect(await widgetAvailability(t.deps.db, { id: w.id, teamId: team }, now)).toMatchObject({
      isOpen: true,
      agentsAvailable: true,
    });
    // an agent outside the widget's team does not count
    const other = await createStaff(t, 'agent', { name: 'Olu Outside' });
    await setRouting(t, admin, ana, { status: 'away' });
    await setRouting(t, admin, other, { status: 'online' });
    expect((await widgetAvailability(t.deps.db, { id: w.id, teamId: team }, now)).agentsAvailable).toBe(false);
    // but a widget without a team takes anyone
    expect((await widgetAvailability(t.deps.db, { id: w.id, teamId: null }, now)).agentsAvailable).toBe(true);

    // business hours 09:00–17:00 Dhaka (03:00–11:00 UTC) Monday to Friday; 2026-03-02 is a Monday, 06:00Z = 12:00 local
    const cal = await api(t, admin, 'POST', '/sla/calendars', {
      name: 'Dhaka office',
      timeZone: 'Asia/Dhaka',
      weekly: Object.fromEntries(['1', '2', '3', '4', '5'].map((d) => [d, [{ start: '09:00', end: '17:00' }]])),
    });
    expect(cal.statusCode, cal.body).toBe(201);
    const patch = await api(t, admin, 'PATCH', `/widgets/${w.id}`, { calendarId: cal.json().id });
    expect(patch.statusCode, patch.body).toBe(200);
    expect(patch.json().calendarId).toBe(cal.json().id);
    expect(await widgetAvailability(t.deps.db, { id: w.id, teamId: null }, now)).toEqual({
      isOpen: true,
      agentsAvailable: true,
      opensAt: null,
    });
    const evening = new Date('2026-03-02T12:30:00Z');
    expect(await widgetAvailability(t.deps.db, { id: w.id, teamId: null }, evening)).toEqual({
      isOpen: false,
      agentsAvailable: false,
      opensAt: '2026-03-03T03:00:00.000Z',
    });
    // a holiday on Tuesday: it opens on Wednesday
    const hol = await api(t, admin, 'POST', `/sla/calendars/${cal.json().id}/holidays`, {
      day: '2026-03-03',
      name: 'Closed',
    });
    expect(hol.statusCode, hol.body).toBeLessThan(300);
    expect((await widgetAvailability(t.deps.db, { id: w.id, teamId: null }, evening)).opensAt).toBe(
      '2026-03-04T03:00:00.000Z',
    );
  });

  it('says nobody is available when everyone online is at chat capacity', async () => {
    const cap = await createStaff(t, 'agent', { name: 'Cap Full' });
    const team = await insertTeam(t, 'Cap team', [cap.id]);
    const w = await insertWidget(t, { teamId: team });
    await setRouting(t, admin, cap, { status: 'online', maxChats: 1 });
    expect((await widgetAvailability(t.deps.db, { id: w.id, teamId: team }, clock.now())).agentsAvailable).toBe(true);
    const chat = await visitorStartsChat(t, w.key);
    expect((await sessionOf(t, chat.ticketId)).offeredToId).toBe(cap.id);
    // the offer holds their only slot
    expect((await widgetAvailability(t.deps.db, { id: w.id, teamId: team }, clock.now())).agentsAvailable).toBe(false);
  });
});

describe('offers and escalation', () => {
  it('offers to the team member who speaks the language, escalates on timeout, queues, and offers again when someone comes online', async () => {
    const bn = await createStaff(t, 'agent', { name: 'Bina Bengali' });
    const en = await createStaff(t, 'agent', { name: 'Eli English' });
    const late = await createStaff(t, 'agent', { name: 'Lata Late' });
    const team = await insertTeam(t, 'Chat team', [bn.id, en.id, late.id]);
    await setRouting(t, admin, bn, { status: 'online', languages: [{ language: 'bn', level: 5 }] });
    await setRouting(t, admin, en, { status: 'online', languages: [{ language: 'en', level: 5 }] });
    const w = await insertWidget(t, { teamId: team });
    await t.deps.db.execute(sql`UPDATE widgets SET offer_timeout_seconds = 30 WHERE id = ${w.id}`);

    const chat = await visitorStartsChat(t, w.key, { body: 'আমার অর্ডার কোথায়?', locale: 'bn' });
    let s = await sessionOf(t, chat.ticketId);
    expect(s).toMatchObject({ status: 'waiting', offeredToId: bn.id });
    expect(await events(chat.ticketId, 'chat.offered')).toEqual([{ userId: bn.id, timeoutSeconds: 30 }]);
    // routing did not assign it by open-ticket capacity
    expect((await ticketRow(t, chat.ticketId)).assigneeId).toBeNull();

    // not yet timed out: nothing moves
    clock.advance(29 * SECOND);
    expect((await sweepChats(t.deps.db, clock.now())).escalated).toBe(0);
    clock.advance(2 * SECOND);
    expect((await sweepChats(t.deps.db, clock.now())).escalated).toBe(1);
    s = await sessionOf(t, chat.ticketId);
    expect(s.offeredToId).toBe(en.id);
    expect(s.offeredIds).toEqual([bn.id]);

    // Eli lets it pass too: nobody left, it waits in the queue
    clock.advance(31 * SECOND);
    await sweepChats(t.deps.db, clock.now());
    s = await sessionOf(t, chat.ticketId);
    expect(s).toMatchObject({ status: 'waiting', offeredToId: null });
    expect(await events(chat.ticketId, 'chat.queued')).toHaveLength(1);
    const queue = await api(t, bn, 'GET', '/chats?scope=queue');
    expect(queue.json().items.map((c: { ticketId: string }) => c.ticketId)).toContain(chat.ticketId);

    // Lata comes online: the queued chat is offered to her at once
    await setRouting(t, admin, late, { status: 'online' });
    expect((await sessionOf(t, chat.ticketId)).offeredToId).toBe(late.id);
    const mine = await api(t, late, 'GET', '/chats?scope=mine');
    expect(mine.json().items).toMatchObject([{ ticketId: chat.ticketId, offeredToId: late.id, status: 'waiting' }]);
  });

  it('declining moves the offer on; a chat with nobody online waits and is offered by the sweep when someone is', async () => {
    const a = await createStaff(t, 'agent', { name: 'Dee Decline' });
    const b = await createStaff(t, 'agent', { name: 'Bo Backup' });
    const team = await insertTeam(t, 'Decline team', [a.id, b.id]);
    const w = await insertWidget(t, { teamId: team });
    const lonely = await visitorStartsChat(t, w.key);
    expect((await sessionOf(t, lonely.ticketId)).offeredToId).toBeNull();
    expect(await events(lonely.ticketId, 'chat.offered')).toEqual([]);
    expect(await events(lonely.ticketId, 'chat.queued')).toEqual([{}]);

    // someone comes online without going through the API (a session restored): the sweep finds them
    await t.deps.db.execute(
      sql`INSERT INTO staff_availability (user_id, status) VALUES (${a.id}, 'online') ON CONFLICT (user_id) DO UPDATE SET status = 'online'`,
    );
    expect((await sweepChats(t.deps.db, clock.now())).offered).toBe(1);
    expect((await sessionOf(t, lonely.ticketId)).offeredToId).toBe(a.id);

    await setRouting(t, admin, b, { status: 'online' });
    // someone else cannot decline an offer that is not theirs
    expect((await api(t, b, 'POST', `/chats/${lonely.ticketId}/decline`)).statusCode).toBe(409);
    expect((await api(t, a, 'POST', `/chats/${lonely.ticketId}/decline`)).statusCode).toBe(204);
    expect((await sessionOf(t, lonely.ticketId)).offeredToId).toBe(b.id);
  });

  it('never offers anyone more chats than their capacity, however many arrive at once', async () => {
    const people = await Promise.all([1, 2, 3].map((i) => createStaff(t, 'agent', { name: `Cap ${i}` })));
    const team = await insertTeam(
      t,
      'Burst team',
      people.map((p) => p.id),
    );
    for (const [i, p] of people.entries()) await setRouting(t, admin, p, { status: 'online', maxChats: i + 1 });
    const w = await insertWidget(t, { teamId: team });
    const chats = await Promise.all(
      Array.from({ length: 10 }, (_, i) => visitorStartsChat(t, w.key, { body: `Burst ${i}` })),
    );
    // accept some at once too, racing the offers
    await Promise.all(people.map((p) => api(t, p, 'POST', `/chats/${chats[0]?.ticketId}/accept`)));
    const load = await t.deps.db.execute<{ id: string; n: number }>(sql`
      SELECT s.id, (SELECT count(*) FROM chat_sessions c WHERE (c.status = 'active' AND c.accepted_by_id = s.id) OR (c.status = 'waiting' AND c.offered_to_id = s.id))::int AS n
        FROM staff_users s WHERE s.id = ANY(${`{${people.map((p) => p.id).join(',')}}`}::uuid[])`);
    const byId = new Map(load.rows.map((r) => [r.id, r.n]));
    for (const [i, p] of people.entries()) expect(byId.get(p.id)).toBeLessThanOrEqual(i + 1);
    // 6 places in all: exactly 6 chats are with someone, 4 wait in the queue
    expect([...byId.values()].reduce((a, b) => a + b, 0)).toBe(6);
    const queued = await t.deps.db.execute(
      sql`SELECT 1 FROM chat_sessions WHERE widget_id = ${w.id} AND status = 'waiting' AND offered_to_id IS NULL`,
    );
    expect(queued.rows).toHaveLength(4);
  });

  it('lets routing rules set the team and tags of a chat, and offers it inside that team instead of assigning it', async () => {
    const plumber = await createStaff(t, 'agent', { name: 'Pia Plumber' });
    const generalist = await createStaff(t, 'agent', { name: 'Gus General' });
    const plumbing = await insertTeam(t, 'Chat plumbing', [plumber.id]);
    expect((await api(t, admin, 'PUT', `/routing/teams/${plumbing}`, { strategy: 'least_loaded' })).statusCode).toBe(
      204,
    );
    const rule = await api(t, admin, 'POST', '/routing/rules', {
      name: 'Chat leaks',
      keywords: ['leaking tap'],
      actions: { teamId: plumbing, addTags: ['plumbing'] },
    });
    expect(rule.statusCode, rule.body).toBe(201);
    await setRouting(t, admin, plumber, { status: 'online' });
    await setRouting(t, admin, generalist, { status: 'online' });
    const w = await insertWidget(t);
    const chat = await visitorStartsChat(t, w.key, { body: 'I have a leaking tap in the kitchen' });
    const ticket = await ticketRow(t, chat.ticketId);
    expect(ticket).toMatchObject({ teamId: plumbing, tags: ['plumbing'], assigneeId: null });
    expect((await sessionOf(t, chat.ticketId)).offeredToId).toBe(plumber.id);
  });

  it('applies a rule limited to widgets only to chats from those widgets', async () => {
    const billing = await insertTeam(t, 'Chat billing', []);
    const shop = await insertWidget(t);
    const blog = await insertWidget(t);
    const bad = await api(t, admin, 'POST', '/routing/rules', {
      name: 'Bad',
      widgetIds: ['00000000-0000-4000-8000-000000000000'],
      actions: { teamId: billing },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([expect.objectContaining({ path: 'body.widgetIds' })]);
    const rule = await api(t, admin, 'POST', '/routing/rules', {
      name: 'Shop chats',
      widgetIds: [shop.id],
      actions: { teamId: billing, addTags: ['shop'] },
    });
    expect(rule.statusCode, rule.body).toBe(201);
    expect(rule.json()).toMatchObject({ widgetIds: [shop.id], mailboxIds: [] });
    const fromShop = await visitorStartsChat(t, shop.key, { body: 'Where is my invoice?' });
    const fromBlog = await visitorStartsChat(t, blog.key, { body: 'Where is my invoice?' });
    expect(await ticketRow(t, fromShop.ticketId)).toMatchObject({ teamId: billing, tags: ['shop'] });
    expect(await ticketRow(t, fromBlog.ticketId)).toMatchObject({ teamId: null, tags: [] });
    // a ticket from another channel never matches a widget rule
    const byApi = await api(t, admin, 'POST', '/tickets', {
      subject: 'Invoice',
      customer: { email: 'inv@example.com', name: 'Inv' },
      message: { body: 'Where is my invoice?' },
    });
    expect(byApi.statusCode, byApi.body).toBe(201);
    expect(await ticketRow(t, byApi.json().id)).toMatchObject({ teamId: null });
    // a change that leaves widgetIds out keeps them
    const kept = await api(t, admin, 'PUT', `/routing/rules/${rule.json().id}`, {
      name: 'Shop chats (renamed)',
      actions: { teamId: billing },
    });
    expect(kept.json()).toMatchObject({ widgetIds: [shop.id] });
    await api(t, admin, 'DELETE', `/routing/rules/${rule.json().id}`);
  });
});
