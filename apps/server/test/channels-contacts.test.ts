import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelContacts, events, messages, tickets } from '../src/platform/db/schema/index.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { fixture, sevaSign } from './fakes/fake-providers.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api } from './tickets-helpers.ts';

/**
 * Moving one messaging contact (not the whole customer) to another customer: the contact and its open
 * conversations go, closed ones and earlier messages stay; later messages belong to the target; audited; only admins
 * and supervisors may do it.
 */
let t: TestApp;
let admin: TestStaff;
let supervisor: TestStaff;
let agent: TestStaff;
let channelId = '';
let secret = '';

function inbound(id: string, user: string, body: string) {
  const payload = fixture('api-inbound-message.json', {
    MESSAGE_ID: id,
    USER_ID: user,
    NAME: `App user ${user}`,
    EMAIL: `${user}@app.example.com`,
    VERIFIED: false,
    BODY: body,
  });
  const ts = String(Math.floor(Date.now() / 1000));
  return t.app.inject({
    method: 'POST',
    url: `/hooks/channels/${channelId}/messages`,
    headers: {
      'content-type': 'application/json',
      'x-seva-timestamp': ts,
      'x-seva-signature': sevaSign(secret, ts, payload),
    },
    payload,
  });
}

async function contactOf(user: string) {
  const [c] = await t.deps.db
    .select()
    .from(channelContacts)
    .where(and(eq(channelContacts.channelId, channelId), eq(channelContacts.externalId, user)));
  if (!c) throw new Error(`no contact ${user}`);
  return c;
}

async function newCustomer(email: string, name: string): Promise<string> {
  const res = await api(t, admin, 'POST', '/customers', { name, emails: [email] });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

beforeAll(async () => {
  t = await createTestApp({ env: { HOST: '127.0.0.1' } });
  admin = await createStaff(t, 'admin');
  supervisor = await createStaff(t, 'supervisor');
  agent = await createStaff(t, 'agent');
  const res = await api(t, admin, 'POST', '/channels', {
    kind: 'api',
    name: 'Mobile app',
    callbackUrl: 'https://app.example.com/seva',
  });
  expect(res.statusCode).toBe(201);
  channelId = res.json().id;
  secret = res.json().secret;
});

afterAll(async () => {
  await t?.close();
});

describe('moving one contact to another customer', () => {
  it('moves the contact and its open conversation; the next message is the target customer’s; audited', async () => {
    const first = await inbound('cm-1', 'u-move', 'Where is my order?');
    expect(first.statusCode).toBe(202);
    const ticketId = first.json().ticketId as string;
    const contact = await contactOf('u-move');
    const source = contact.customerId;
    // the same person also uses a second app account that stays with the source customer
    await inbound('cm-keep', 'u-keep', 'Second account');
    const kept = await contactOf('u-keep');
    await t.deps.db.update(channelContacts).set({ customerId: source }).where(eq(channelContacts.id, kept.id));
    const target = await newCustomer('rahima@example.com', 'Rahima Begum');

    const before = await api(t, supervisor, 'GET', `/channels/contacts?customerId=${source}`);
    expect(
      before
        .json()
        .items.map((c: { externalId: string }) => c.externalId)
        .sort(),
    ).toEqual(['u-keep', 'u-move']);

    const res = await api(t, supervisor, 'POST', `/channels/contacts/${contact.id}/merge`, { customerId: target });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      contact: {
        id: contact.id,
        customerId: target,
        externalId: 'u-move',
        channelKind: 'api',
        channelName: 'Mobile app',
      },
      fromCustomerId: source,
      toCustomerId: target,
      movedTicketIds: [ticketId],
    });

    // the contact lists: the target has it, the source keeps only the other one
    const targetContacts = (await api(t, agent, 'GET', `/channels/contacts?customerId=${target}`)).json().items;
    expect(targetContacts.map((c: { externalId: string }) => c.externalId)).toEqual(['u-move']);
    const sourceContacts = (await api(t, agent, 'GET', `/channels/contacts?customerId=${source}`)).json().items;
    expect(sourceContacts.map((c: { externalId: string }) => c.externalId)).toEqual(['u-keep']);

    // the open ticket is the target's now; the earlier message keeps its author, the next one is the target's
    const [ticket] = await t.deps.db.select().from(tickets).where(eq(tickets.id, ticketId));
    expect(ticket?.customerId).toBe(target);
    const next = await inbound('cm-2', 'u-move', 'Any news?');
    expect(next.json().ticketId).toBe(ticketId);
    const msgs = await t.deps.db
      .select()
      .from(messages)
      .where(eq(messages.ticketId, ticketId))
      .orderBy(messages.createdAt);
    expect(msgs.map((m) => [m.bodyText, m.authorCustomerId])).toEqual([
      ['Where is my order?', source],
      ['Any news?', target],
    ]);
    // the customer's ticket list shows it
    const targetTickets = (await api(t, agent, 'GET', `/customers/${target}/tickets`)).json().items;
    expect(targetTickets.map((x: { id: string }) => x.id)).toEqual([ticketId]);

    // the audit trail: who moved what from whom, and the ticket's own timeline
    const [audit] = await t.deps.db.select().from(events).where(eq(events.type, 'customer.contact_merged'));
    expect(audit).toMatchObject({
      customerId: target,
      actorId: supervisor.id,
      payload: {
        contactId: contact.id,
        channelId,
        externalId: 'u-move',
        fromCustomerId: source,
        toCustomerId: target,
        movedTicketIds: [ticketId],
      },
    });
    const changed = await t.deps.db
      .select()
      .from(events)
      .where(and(eq(events.type, 'ticket.customer_changed'), eq(events.ticketId, ticketId)));
    expect(changed.map((e) => e.payload)).toEqual([
      { fromCustomerId: source, toCustomerId: target, reason: 'customer.contact_merged', contactId: contact.id },
    ]);
  });

  it('leaves closed conversations with the old customer', async () => {
    const old = await inbound('cc-1', 'u-closed', 'Old question');
    const oldTicket = old.json().ticketId as string;
    await t.deps.db.update(tickets).set({ status: 'closed' }).where(eq(tickets.id, oldTicket));
    const fresh = await inbound('cc-2', 'u-closed', 'New question');
    const freshTicket = fresh.json().ticketId as string;
    expect(freshTicket).not.toBe(oldTicket);
    const contact = await contactOf('u-closed');
    const target = await newCustomer('closed-target@example.com', 'Closed Target');

    const res = await api(t, admin, 'POST', `/channels/contacts/${contact.id}/merge`, { customerId: target });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().movedTicketIds).toEqual([freshTicket]);
    const rows = await t.deps.db.select({ id: tickets.id, customerId: tickets.customerId }).from(tickets);
    expect(rows.find((r) => r.id === oldTicket)?.customerId).toBe(contact.customerId);
    expect(rows.find((r) => r.id === freshTicket)?.customerId).toBe(target);
  });

  it('finds the contact through a merged customer and moves it from the surviving one', async () => {
    await inbound('mc-1', 'u-merged', 'Hello');
    const contact = await contactOf('u-merged');
    const survivor = await newCustomer('survivor@example.com', 'Survivor');
    expect(
      (await api(t, admin, 'POST', `/customers/${survivor}/merge`, { duplicateId: contact.customerId })).statusCode,
    ).toBe(200);
    const listed = (await api(t, admin, 'GET', `/channels/contacts?customerId=${survivor}`)).json().items;
    expect(listed).toMatchObject([{ id: contact.id, customerId: contact.customerId, externalId: 'u-merged' }]);
    const target = await newCustomer('merged-target@example.com', 'Merged Target');
    const res = await api(t, admin, 'POST', `/channels/contacts/${contact.id}/merge`, { customerId: target });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ fromCustomerId: survivor, toCustomerId: target });
    expect((await api(t, admin, 'GET', `/channels/contacts?customerId=${survivor}`)).json().items).toEqual([]);
  });

  it('refuses agents, unknown contacts, the same customer, merged or unknown targets and bad input; nothing changes', async () => {
    await inbound('rf-1', 'u-refuse', 'Hi');
    const contact = await contactOf('u-refuse');
    const target = await newCustomer('refuse-target@example.com', 'Refuse Target');
    const merged = await newCustomer('refuse-merged@example.com', 'Refuse Merged');
    expect((await api(t, admin, 'POST', `/customers/${target}/merge`, { duplicateId: merged })).statusCode).toBe(200);
    const url = `/channels/contacts/${contact.id}/merge`;

    const byAgent = await api(t, agent, 'POST', url, { customerId: target });
    expect(byAgent.statusCode).toBe(403);
    expect(byAgent.json().code).toBe('FORBIDDEN');
    expect((await api(t, agent, 'POST', url, { customerId: target }, { via: 'session' })).statusCode).toBe(403);
    expect(
      (
        await api(t, admin, 'POST', '/channels/contacts/00000000-0000-4000-8000-000000000000/merge', {
          customerId: target,
        })
      ).statusCode,
    ).toBe(404);
    const same = await api(t, admin, 'POST', url, { customerId: contact.customerId });
    expect(same.statusCode).toBe(400);
    expect(same.json().errors?.[0]?.path ?? JSON.stringify(same.json())).toContain('customerId');
    expect((await api(t, admin, 'POST', url, { customerId: merged })).statusCode).toBe(409);
    expect((await api(t, admin, 'POST', url, { customerId: '00000000-0000-4000-8000-000000000000' })).statusCode).toBe(
      404,
    );
    expect((await api(t, admin, 'POST', url, { customerId: 'not-a-uuid' })).statusCode).toBe(400);
    expect((await api(t, admin, 'POST', url, {})).statusCode).toBe(400);

    expect((await contactOf('u-refuse')).customerId).toBe(contact.customerId);
    const audits = await t.deps.db.select().from(events).where(eq(events.type, 'customer.contact_merged'));
    expect(audits.some((e) => (e.payload as { contactId?: string }).contactId === contact.id)).toBe(false);
  });
});
