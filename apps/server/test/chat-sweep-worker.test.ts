import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.ts';
import { sessionOf, setRouting, visitorStartsChat } from './chat-helpers.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api, insertTeam } from './tickets-helpers.ts';
import { insertWidget, sleep } from './widget-helpers.ts';

let t: TestApp;
let clock: ManualClock;
let admin: TestStaff;

beforeAll(async () => {
  t = await createTestApp({ clock: new ManualClock(new Date('2026-03-02T06:00:00Z')), env: { SEVA_ROLES: 'api,realtime,worker', SEVA_CHAT_SWEEP_SECONDS: '1' } });
  clock = t.clock as ManualClock;
  admin = await createStaff(t, 'admin');
  await setRouting(t, admin, admin, { status: 'offline' });
});
afterAll(async () => {
  await t?.close();
});

async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > until) return v;
    await sleep(100);
  }
}

describe('the chat worker', () => {
  it('moves an unanswered offer on by itself once the offer timeout has passed on the clock', async () => {
    const a = await createStaff(t, 'agent', { name: 'Worker A' });
    const b = await createStaff(t, 'agent', { name: 'Worker B' });
    const team = await insertTeam(t, 'Worker team', [a.id, b.id]);
    await setRouting(t, admin, a, { status: 'online' });
    const w = await insertWidget(t, { teamId: team });
    await t.deps.db.execute(sql`UPDATE widgets SET offer_timeout_seconds = 10 WHERE id = ${w.id}`);
    const chat = await visitorStartsChat(t, w.key);
    expect((await sessionOf(t, chat.ticketId)).offeredToId).toBe(a.id);
    await setRouting(t, admin, b, { status: 'online' });
    // the worker runs every second, but the offer is still fresh on the clock: it stays with A
    await sleep(1500);
    expect((await sessionOf(t, chat.ticketId)).offeredToId).toBe(a.id);
    clock.advance(11_000);
    const s = await eventually(() => sessionOf(t, chat.ticketId), (x) => x.offeredToId === b.id);
    expect(s).toMatchObject({ offeredToId: b.id, offeredIds: [a.id] });
  });

  it('offers a chat transferred to a team to a member of that team', async () => {
    const a = await createStaff(t, 'agent', { name: 'Sales Sam' });
    const b = await createStaff(t, 'agent', { name: 'Billing Bea' });
    const sales = await insertTeam(t, 'Sales', [a.id]);
    const billing = await insertTeam(t, 'Billing', [b.id]);
    await setRouting(t, admin, a, { status: 'online' });
    await setRouting(t, admin, b, { status: 'online' });
    const w = await insertWidget(t, { teamId: sales });
    const chat = await visitorStartsChat(t, w.key);
    expect((await sessionOf(t, chat.ticketId)).offeredToId).toBe(a.id);
    expect((await api(t, a, 'POST', `/chats/${chat.ticketId}/accept`)).statusCode).toBe(200);
    const res = await api(t, a, 'POST', `/tickets/${chat.ticketId}/transfer`, { toTeamId: billing, note: 'An invoice question' });
    expect(res.statusCode, res.body).toBe(200);
    expect(await sessionOf(t, chat.ticketId)).toMatchObject({ status: 'waiting', offeredToId: b.id });
  });
});
