import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api } from './tickets-helpers.ts';
import { insertWidget, newVisitor, type TestWidget, visitorRequest } from './widget-helpers.ts';

let t: TestApp;
let agent: TestStaff;
let collab: TestStaff;
let w: TestWidget;
let ipSeq = 0;

beforeAll(async () => {
  t = await createTestApp({ clock: new ManualClock(new Date('2026-12-06T06:00:00Z')) });
  agent = await createStaff(t, 'agent', { name: 'Priya Phone' });
  collab = await createStaff(t, 'collaborator', { name: 'Cyrus Collab' });
  w = await insertWidget(t);
});
afterAll(async () => {
  await t?.close();
});

/** A visitor asks to be called back through the widget; answers the ticket id and the callback id. */
async function requestCallback(preferredAt: string, note = 'Please call') {
  ipSeq += 1;
  const v = await newVisitor(t.app, w.key, {}, `192.0.2.${ipSeq + 100}`);
  const res = await visitorRequest(t.app, v.visitorToken, 'POST', '/callbacks', { name: `Caller ${ipSeq}`, phone: `+880 1711 00000${ipSeq}`, preferredAt, timezone: 'Asia/Dhaka', note });
  if (res.statusCode !== 201) throw new Error(`callback failed: ${res.statusCode} ${res.body}`);
  const [row] = (await t.deps.db.execute<{ id: string; ticket_id: string }>(sql`
    SELECT cb.id, cb.ticket_id FROM callback_requests cb JOIN tickets tk ON tk.id = cb.ticket_id WHERE tk.number = ${res.json().ticketNumber}`)).rows;
  if (!row) throw new Error('no callback row');
  return { callbackId: row.id, ticketId: row.ticket_id };
}

describe('the callback queue', () => {
  it('lists open callbacks by preferred time; agents claim, schedule and release them; a second claim is refused', async () => {
    const later = await requestCallback('2026-12-07T12:00:00+06:00');
    const sooner = await requestCallback('2026-12-07T09:00:00+06:00');
    const queue = await api(t, agent, 'GET', '/callbacks');
    expect(queue.statusCode, queue.body).toBe(200);
    const ids = queue.json().items.map((c: { id: string }) => c.id);
    expect(ids.indexOf(sooner.callbackId)).toBeLessThan(ids.indexOf(later.callbackId));
    expect(queue.json().items.find((c: { id: string }) => c.id === sooner.callbackId)).toMatchObject({ status: 'requested', attempts: 0, timezone: 'Asia/Dhaka', claimedById: null });

    const claimed = await api(t, agent, 'PATCH', `/callbacks/${sooner.callbackId}`, { claim: true, scheduledFor: '2026-12-07T03:30:00Z' });
    expect(claimed.statusCode, claimed.body).toBe(200);
    expect(claimed.json()).toMatchObject({ claimedById: agent.id, claimedByName: 'Priya Phone', status: 'scheduled', scheduledFor: '2026-12-07T03:30:00.000Z' });
    const other = await createStaff(t, 'agent');
    expect((await api(t, other, 'PATCH', `/callbacks/${sooner.callbackId}`, { claim: true })).statusCode).toBe(409);
    expect((await api(t, agent, 'PATCH', `/callbacks/${sooner.callbackId}`, { claim: false })).json().claimedById).toBeNull();
    const bad = await api(t, agent, 'PATCH', `/callbacks/${sooner.callbackId}`, { status: 'maybe' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toContain('status');
    // a collaborator sees none of them (not their tickets); a foreign callback is a 404
    expect((await api(t, collab, 'GET', '/callbacks?status=all')).json().items).toEqual([]);
    expect((await api(t, collab, 'PATCH', `/callbacks/${sooner.callbackId}`, { claim: true })).statusCode).toBe(404);
  });

  it('logs calls with an internal note; a callback counts failed attempts and becomes unreachable after the third', async () => {
    const cb = await requestCallback('2026-12-07T10:00:00+06:00');
    for (const [i, outcome] of ['no_answer', 'busy'].entries()) {
      const res = await api(t, agent, 'POST', `/tickets/${cb.ticketId}/calls`, { direction: 'outbound', outcome, durationSeconds: 5, callbackId: cb.callbackId });
      expect(res.statusCode, res.body).toBe(201);
      const state = (await api(t, agent, 'GET', '/callbacks?status=open')).json().items.find((c: { id: string }) => c.id === cb.callbackId);
      expect(state).toMatchObject({ status: 'requested', attempts: i + 1 });
    }
    const third = await api(t, agent, 'POST', `/tickets/${cb.ticketId}/calls`, { direction: 'outbound', outcome: 'voicemail', durationSeconds: 30, notes: 'Left a message', callbackId: cb.callbackId });
    expect(third.statusCode).toBe(201);
    const done = (await api(t, agent, 'GET', '/callbacks?status=done')).json().items.find((c: { id: string }) => c.id === cb.callbackId);
    expect(done).toMatchObject({ status: 'unreachable', attempts: 3 });
    // no more calls against a closed callback
    expect((await api(t, agent, 'POST', `/tickets/${cb.ticketId}/calls`, { direction: 'outbound', outcome: 'answered', durationSeconds: 60, callbackId: cb.callbackId })).statusCode).toBe(409);

    const calls = await api(t, agent, 'GET', `/tickets/${cb.ticketId}/calls`);
    expect(calls.json().items.map((c: { outcome: string }) => c.outcome)).toEqual(['no_answer', 'busy', 'voicemail']);
    expect(calls.json().items[2]).toMatchObject({ staffName: 'Priya Phone', notes: 'Left a message', durationSeconds: 30, phone: expect.stringContaining('+880') });
    // every call left an internal note, never a public message
    const notes = await t.deps.db.execute<{ kind: string; body_text: string }>(sql`SELECT kind, body_text FROM messages WHERE ticket_id = ${cb.ticketId} AND author_type = 'staff' ORDER BY seq`);
    expect(notes.rows.map((n) => n.kind)).toEqual(['internal', 'internal', 'internal']);
    expect(notes.rows[2]?.body_text).toContain('Outbound call');
    expect(notes.rows[2]?.body_text).toContain('Left a message');
    const logged = await t.deps.db.execute(sql`SELECT 1 FROM events WHERE ticket_id = ${cb.ticketId} AND type = 'call.logged'`);
    expect(logged.rows).toHaveLength(3);
  });

  it('completes a callback when the call is answered, and refuses a callback of another ticket naming the field', async () => {
    const cb = await requestCallback('2026-12-07T11:00:00+06:00');
    const elsewhere = await requestCallback('2026-12-07T11:30:00+06:00');
    const wrong = await api(t, agent, 'POST', `/tickets/${cb.ticketId}/calls`, { direction: 'outbound', outcome: 'answered', durationSeconds: 90, callbackId: elsewhere.callbackId });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0].path).toBe('callbackId');
    const negative = await api(t, agent, 'POST', `/tickets/${cb.ticketId}/calls`, { direction: 'outbound', outcome: 'answered', durationSeconds: -1 });
    expect(negative.statusCode).toBe(400);
    expect(negative.json().errors[0].path).toContain('durationSeconds');
    const ok = await api(t, agent, 'POST', `/tickets/${cb.ticketId}/calls`, { direction: 'outbound', outcome: 'answered', durationSeconds: 312, callbackId: cb.callbackId, notes: 'Sorted the refund' });
    expect(ok.statusCode).toBe(201);
    const all = (await api(t, agent, 'GET', '/callbacks?status=all')).json().items.find((c: { id: string }) => c.id === cb.callbackId);
    expect(all).toMatchObject({ status: 'completed', attempts: 0 });
    const note = await t.deps.db.execute<{ body_text: string }>(sql`SELECT body_text FROM messages WHERE ticket_id = ${cb.ticketId} AND kind = 'internal'`);
    expect(note.rows[0]?.body_text).toContain('answered, 5 min 12 s');
  });

  it('shows calls only to people who may see the ticket (collaborators: 404 on foreign tickets)', async () => {
    const cb = await requestCallback('2026-12-07T13:00:00+06:00');
    expect((await api(t, collab, 'GET', `/tickets/${cb.ticketId}/calls`)).statusCode).toBe(404);
    expect((await api(t, collab, 'POST', `/tickets/${cb.ticketId}/calls`, { direction: 'inbound', outcome: 'answered', durationSeconds: 10 })).statusCode).toBe(404);
    // once a collaborator is on the ticket they see its calls
    expect((await api(t, agent, 'POST', `/tickets/${cb.ticketId}/collaborators`, { userId: collab.id })).statusCode).toBeLessThan(300);
    expect((await api(t, collab, 'POST', `/tickets/${cb.ticketId}/calls`, { direction: 'inbound', outcome: 'answered', durationSeconds: 10 })).statusCode).toBe(201);
    expect((await api(t, collab, 'GET', `/tickets/${cb.ticketId}/calls`)).json().items).toHaveLength(1);
    expect((await api(t, collab, 'GET', '/callbacks?status=all')).json().items.map((c: { id: string }) => c.id)).toEqual([cb.callbackId]);
  });
});
