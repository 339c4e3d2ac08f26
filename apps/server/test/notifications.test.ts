import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectNotifications } from '../src/modules/notifications/index.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { notifications, staffUsers } from '../src/platform/db/schema/index.ts';
import { recordEvent } from '../src/platform/events.ts';
import { isAddressedEvent } from '../src/platform/realtime/addressed-events.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api, insertCategory, openTicket } from './tickets-helpers.ts';

const clock = new ManualClock(new Date('2026-05-04T09:00:00Z'));
let t: TestApp;
let sup: TestStaff;
let asha: TestStaff;
let bala: TestStaff;
let gone: TestStaff;

const collect = () => collectNotifications(t.deps.database.pool, clock.now());
const mine = async (who: TestStaff, query = '') => (await api(t, who, 'GET', `/notifications${query}`)).json();

beforeAll(async () => {
  t = await createTestApp({ clock });
  sup = await createStaff(t, 'supervisor', { name: 'Sunita Sup' });
  asha = await createStaff(t, 'agent', { name: 'Asha Agent' });
  bala = await createStaff(t, 'agent', { name: 'Bala Agent' });
  gone = await createStaff(t, 'agent', { name: 'Gita Gone' });
  await t.deps.db.update(staffUsers).set({ status: 'disabled' }).where(eq(staffUsers.id, gone.id));
});
afterAll(async () => {
  await t?.close();
});

describe('notification centre', () => {
  it('tells the people concerned about mentions, SLA breaches, spikes and quality reviews — once, and only the active ones', async () => {
    const tk = await openTicket(t, sup, { assigneeId: asha.id, subject: 'Refund not received' });
    const note = await api(t, sup, 'POST', `/tickets/${tk.id}/messages`, {
      body: '@Bala Agent can you check the refund?',
      internal: true,
    });
    expect(note.statusCode, note.body).toBe(201);
    await recordEvent(t.deps.db, {
      type: 'sla.breached',
      actor: { kind: 'system' },
      ticketId: tk.id,
      payload: { metric: 'first_response', policyName: 'Standard', notify: [sup.id] },
      at: clock.now(),
    });
    const outage = await insertCategory(t, 'Internet outage');
    await recordEvent(t.deps.db, {
      type: 'insights.spike_detected',
      actor: { kind: 'system' },
      payload: { categoryId: outage, count: 12, ratio: 4, recipientIds: [bala.id, gone.id] },
      at: clock.now(),
    });
    const card = await api(t, sup, 'POST', '/quality/scorecards', {
      name: 'Basics',
      criteria: [{ key: 'tone', label: 'Tone', weight: 1 }],
    });
    const review = await api(t, sup, 'POST', '/quality/reviews', {
      scorecardId: card.json().id,
      ticketId: tk.id,
      scores: { tone: 3 },
    });
    expect(review.statusCode, review.body).toBe(201);

    expect(await collect()).toBe(5);
    expect(await collect()).toBe(0);
    // one addressed event tells exactly these people's bells to refresh
    const { rows } = await t.deps.database.pool.query(`SELECT payload FROM events WHERE type = 'notification.created'`);
    expect(rows).toHaveLength(1);
    expect([...rows[0].payload.userIds].sort()).toEqual([asha.id, bala.id, sup.id].sort());
    expect(isAddressedEvent('notification.created')).toBe(true);

    const b = await mine(bala);
    expect(b.unread).toBe(2);
    expect(b.items.map((n: { kind: string }) => n.kind).sort()).toEqual(['mention', 'spike']);
    expect(b.items.find((n: { kind: string }) => n.kind === 'mention')).toMatchObject({
      ticketId: tk.id,
      readAt: null,
      data: { by: 'Sunita Sup', ticketNumber: tk.number, ticketSubject: 'Refund not received' },
    });
    expect(b.items.find((n: { kind: string }) => n.kind === 'spike').data).toMatchObject({
      categoryName: 'Internet outage',
      count: 12,
      ratio: 4,
    });
    const a = await mine(asha);
    expect(a.items.map((n: { kind: string }) => n.kind).sort()).toEqual(['quality_review', 'sla_breached']);
    expect(a.items.find((n: { kind: string }) => n.kind === 'quality_review').data).toMatchObject({
      score: 75,
      ticketNumber: tk.number,
    });
    expect((await mine(sup)).items.map((n: { kind: string }) => n.kind)).toEqual(['sla_breached']);
    expect(await t.deps.db.select().from(notifications).where(eq(notifications.userId, gone.id))).toEqual([]);
  });

  it('marks one read (or unread again), or all; nobody can touch or see another person’s', async () => {
    const b = await mine(bala);
    const first = b.items[0];
    const other = await api(t, asha, 'PATCH', `/notifications/${first.id}`, { read: true });
    expect(other.statusCode).toBe(404);
    const read = await api(t, bala, 'PATCH', `/notifications/${first.id}`, { read: true });
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json().readAt).toBe(clock.now().toISOString());
    expect((await mine(bala)).unread).toBe(1);
    expect((await mine(bala, '?unread=true')).items.map((n: { id: string }) => n.id)).not.toContain(first.id);
    expect((await api(t, bala, 'PATCH', `/notifications/${first.id}`, { read: false })).json().readAt).toBeNull();
    expect((await api(t, bala, 'PATCH', `/notifications/${first.id}`, { read: 'yes' })).statusCode).toBe(400);
    expect((await api(t, bala, 'POST', '/notifications/read-all')).json()).toEqual({ marked: 2 });
    expect((await mine(bala)).unread).toBe(0);
    expect((await mine(asha)).unread).toBe(2);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/notifications' })).statusCode).toBe(401);
    expect((await api(t, bala, 'GET', '/notifications?limit=0')).statusCode).toBe(400);
  });

  it('leaves events older than a week alone (a new cursor starts at the beginning of the log)', async () => {
    await recordEvent(t.deps.db, {
      type: 'automation.notified',
      actor: { kind: 'system' },
      payload: { notify: [bala.id], message: 'Old news' },
      at: new Date(clock.now().getTime() - 8 * 86_400_000),
    });
    await recordEvent(t.deps.db, {
      type: 'automation.notified',
      actor: { kind: 'system' },
      payload: { notify: [bala.id], message: 'VIP ticket waiting' },
      at: clock.now(),
    });
    expect(await collect()).toBe(1);
    const rule = (await mine(bala, '?unread=true')).items;
    expect(rule).toHaveLength(1);
    expect(rule[0]).toMatchObject({ kind: 'rule', data: { message: 'VIP ticket waiting' } });
  });
});
