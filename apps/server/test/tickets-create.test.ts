import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOrCreateCustomerByEmail } from '../src/modules/customers/find-or-create-customer.ts';
import {
  customerIdentities,
  customers,
  customFields,
  events,
  messages,
  tickets,
} from '../src/platform/db/schema/index.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { recordQueryTexts } from './query-texts.ts';
import { api, insertCategory, insertCustomField, insertTeam, openTicket } from './tickets-helpers.ts';

let t: TestApp;
let admin: TestStaff;
let agent: TestStaff;
let collaborator: TestStaff;

beforeAll(async () => {
  t = await createTestApp();
  admin = await createStaff(t, 'admin');
  agent = await createStaff(t, 'agent');
  collaborator = await createStaff(t, 'collaborator');
});
afterAll(async () => {
  await t?.close();
});

describe('POST /tickets', () => {
  it('opens a ticket for a new customer with the customer message first', async () => {
    const res = await api(t, agent, 'POST', '/tickets', {
      subject: 'Parcel never arrived',
      customer: { email: 'Rina.Das@Example.COM', name: 'Rina Das' },
      message: { body: 'My parcel has not arrived after two weeks.' },
      tags: [' VIP ', 'delivery', 'vip', ''],
      priority: 'high',
    });
    expect(res.statusCode).toBe(201);
    const ticket = res.json();
    expect(ticket).toMatchObject({
      subject: 'Parcel never arrived',
      status: 'new',
      priority: 'high',
      type: 'question',
      channel: 'api',
      language: 'en',
      tags: ['vip', 'delivery'],
      messageCount: 1,
      customer: { name: 'Rina Das', email: 'rina.das@example.com' },
      assignee: null,
      links: [],
      collaborators: [],
      incidentCount: 0,
      firstResponseAt: null,
    });
    expect(ticket.number).toBeGreaterThanOrEqual(1000);

    const msgs = (await api(t, agent, 'GET', `/tickets/${ticket.id}/messages`)).json().items;
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toMatchObject({
      seq: 1,
      kind: 'public',
      authorType: 'customer',
      status: 'received',
      author: { name: 'Rina Das' },
    });

    const [row] = await t.deps.db.select().from(tickets).where(eq(tickets.id, ticket.id));
    expect(row?.searchText).toBe('parcel never arrived rina das rina das example com');
    expect(row?.lastSeq).toBe(1);
    expect(row?.lastCustomerMessageAt).not.toBeNull();

    const recorded = await t.deps.db.select().from(events).where(eq(events.ticketId, ticket.id)).orderBy(events.id);
    expect(recorded.map((e) => e.type)).toEqual(['ticket.created', 'message.added']);
    // written by the ticket's own insert statement (insert-ticket-row.ts): the ticket's fields, its time, its actor
    expect(recorded[0]).toMatchObject({
      customerId: ticket.customer.id,
      actorType: 'token',
      actorId: agent.id,
      payload: {
        number: ticket.number,
        subject: ticket.subject,
        channel: 'api',
        customerId: ticket.customer.id,
        priority: ticket.priority,
        type: ticket.type,
      },
    });
    expect(recorded[0]?.createdAt.toISOString()).toBe(row?.createdAt.toISOString());
  });

  it('reuses the customer of an email address whatever its case', async () => {
    const a = await openTicket(t, agent, { email: 'same.person@example.org', name: 'Same Person' });
    const b = await openTicket(t, agent, { email: '  SAME.person@EXAMPLE.org ' });
    expect(b.customer.id).toBe(a.customer.id);
    const ids = await t.deps.db
      .select()
      .from(customerIdentities)
      .where(eq(customerIdentities.value, 'same.person@example.org'));
    expect(ids).toHaveLength(1);
    expect(ids[0]?.isPrimary).toBe(true);
    const [c] = await t.deps.db.select().from(customers).where(eq(customers.id, a.customer.id));
    expect(c?.searchText).toBe('same person same person example org');
  });

  it('opens a ticket for an existing customer by id', async () => {
    const a = await openTicket(t, agent);
    const res = await api(t, agent, 'POST', '/tickets', {
      subject: 'Second question',
      customer: { id: a.customer.id },
      message: { body: 'Another thing' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().customer.id).toBe(a.customer.id);
  });

  it('names the field when the customer id, category, team or assignee is unknown', async () => {
    const res = await api(t, agent, 'POST', '/tickets', {
      subject: 'x',
      customer: { id: '00000000-0000-4000-8000-000000000001' },
      message: { body: 'x' },
      categoryId: '00000000-0000-4000-8000-000000000002',
      teamId: '00000000-0000-4000-8000-000000000003',
      assigneeId: '00000000-0000-4000-8000-000000000004',
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(
      res
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['assigneeId', 'categoryId', 'customer.id', 'teamId']);
  });

  it('refuses an inactive category and accepts active references', async () => {
    const inactive = await insertCategory(t, 'Old stuff', false);
    const bad = await api(t, agent, 'POST', '/tickets', {
      subject: 'x',
      customer: { email: 'c1@example.com' },
      message: { body: 'x' },
      categoryId: inactive,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('categoryId');

    const category = await insertCategory(t, 'Billing');
    const team = await insertTeam(t, 'Tier 1', [agent.id]);
    const ok = await openTicket(t, agent, { categoryId: category, teamId: team, assigneeId: agent.id });
    expect(ok).toMatchObject({
      categoryId: category,
      teamId: team,
      assigneeId: agent.id,
      assignee: { id: agent.id, name: agent.name },
    });
  });

  it('detects Bengali and Hindi unless the language is given', async () => {
    const bn = await openTicket(t, agent, { subject: 'অর্ডার', body: 'আমার অর্ডার এখনও আসেনি' });
    expect(bn.language).toBe('bn');
    const hi = await openTicket(t, agent, { subject: 'ऑर्डर', body: 'मेरा ऑर्डर अभी तक नहीं आया' });
    expect(hi.language).toBe('hi');
    const given = await openTicket(t, agent, { subject: 'ऑर्डर', body: 'मेरा ऑर्डर', language: 'EN' });
    expect(given.language).toBe('en');
    const none = await openTicket(t, agent, { subject: '1234', body: '5678' });
    expect(none.language).toBeNull();
  });

  it('keeps the first message internal when asked and accepts another channel', async () => {
    const ticket = await openTicket(t, agent, {
      message: { body: 'Logged a phone call: customer angry', internal: true },
      channel: 'phone',
    });
    expect(ticket.channel).toBe('phone');
    const msgs = (await api(t, agent, 'GET', `/tickets/${ticket.id}/messages`)).json().items;
    expect(msgs[0]).toMatchObject({ kind: 'internal', authorType: 'staff', author: { id: agent.id } });
  });

  it('sanitises HTML and derives the text when only HTML is given', async () => {
    const res = await api(t, agent, 'POST', '/tickets', {
      subject: '<img src=x onerror=alert(1)>',
      customer: { email: 'xss@example.com', name: '<script>alert(1)</script>' },
      message: {
        html: '<p>Hi <b>team</b><script>alert(1)</script></p><img src=x onerror=alert(2)><a href="javascript:alert(3)">click</a>',
      },
    });
    expect(res.statusCode).toBe(201);
    const id = res.json().id;
    const [m] = await t.deps.db.select().from(messages).where(eq(messages.ticketId, id));
    expect(m?.bodyHtml).toBe('<p>Hi <b>team</b></p><a target="_blank" rel="noopener noreferrer nofollow">click</a>');
    expect(m?.bodyText).toBe('Hi team\nclick');
    expect(m?.searchText).toBe('hi team click');
  });

  it('refuses a message with neither text nor HTML', async () => {
    const res = await api(t, agent, 'POST', '/tickets', {
      subject: 'x',
      customer: { email: 'e@example.com' },
      message: { body: '   ' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('VALIDATION_FAILED');
  });

  it('refuses unknown fields in the body', async () => {
    const res = await api(t, agent, 'POST', '/tickets', {
      subject: 'x',
      customer: { email: 'e@example.com' },
      message: { body: 'x' },
      status: 'solved',
    });
    expect(res.statusCode).toBe(400);
  });

  it('does not let collaborators open tickets, nor anyone signed out', async () => {
    const body = { subject: 'x', customer: { email: 'e@example.com' }, message: { body: 'x' } };
    expect((await api(t, collaborator, 'POST', '/tickets', body)).statusCode).toBe(403);
    expect((await api(t, null, 'POST', '/tickets', body)).statusCode).toBe(401);
  });

  it('needs the CSRF header when using a session cookie', async () => {
    const body = { subject: 'Via browser', customer: { email: 'browser@example.com' }, message: { body: 'x' } };
    const noCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers: { cookie: agent.session.cookie },
      payload: body,
    });
    expect(noCsrf.statusCode).toBe(403);
    const ok = await api(t, agent, 'POST', '/tickets', body, { via: 'session' });
    expect(ok.statusCode).toBe(201);
  });

  it('finds a ticket by its number as well as its id', async () => {
    const ticket = await openTicket(t, admin);
    const byNumber = await api(t, agent, 'GET', `/tickets/${ticket.number}`);
    expect(byNumber.statusCode).toBe(200);
    expect(byNumber.json().id).toBe(ticket.id);
    expect((await api(t, agent, 'GET', '/tickets/999999')).statusCode).toBe(404);
    expect((await api(t, agent, 'GET', '/tickets/not-a-ticket')).statusCode).toBe(404);
  });
});

describe('custom fields on tickets', () => {
  beforeAll(async () => {
    await insertCustomField(t, { key: 'order_ref', label: 'Order reference', fieldType: 'text', isRequired: true });
    await insertCustomField(t, {
      key: 'plan',
      label: 'Plan',
      fieldType: 'dropdown',
      options: [
        { value: 'free', label: 'Free' },
        { value: 'pro', label: 'Pro' },
      ],
    });
    await insertCustomField(t, { key: 'due', label: 'Due', fieldType: 'date' });
    await insertCustomField(t, { key: 'retired', label: 'Retired', fieldType: 'text', isActive: false });
  });

  it('names each custom field that is missing, unknown or of the wrong type', async () => {
    const res = await api(t, agent, 'POST', '/tickets', {
      subject: 'x',
      customer: { email: 'cf@example.com' },
      message: { body: 'x' },
      customFields: { plan: 'gold', due: '31/12/2026', colour: 'red', retired: 'x' },
    });
    expect(res.statusCode).toBe(400);
    expect(
      res
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual([
      'customFields.colour',
      'customFields.due',
      'customFields.order_ref',
      'customFields.plan',
      'customFields.retired',
    ]);
  });

  it('a customer created for a ticket whose custom fields fail is rolled back with it', async () => {
    const res = await api(t, agent, 'POST', '/tickets', {
      subject: 'x',
      customer: { email: 'cf-new@example.com', name: 'Fields Fail' },
      message: { body: 'x' },
      customFields: { plan: 'pro' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.map((e: { path: string }) => e.path)).toEqual(['customFields.order_ref']);
    const identities = await t.deps.db
      .select()
      .from(customerIdentities)
      .where(eq(customerIdentities.value, 'cf-new@example.com'));
    expect(identities).toEqual([]);
  });

  it('reads the configuration versions only with the customer, and still sees a new field at once', async () => {
    const create = (subject: string, customFields: Record<string, string>) =>
      api(t, agent, 'POST', '/tickets', {
        subject,
        customer: { email: 'cf-versions@example.com' },
        message: { body: 'x' },
        customFields,
      });
    // the first create fills this process's configuration cache (each miss reads the versions again, by design)
    expect((await create('warm-up', { order_ref: 'B-1' })).statusCode).toBe(201);
    const { texts, stop } = recordQueryTexts();
    try {
      const ok = await create('versions', { order_ref: 'B-2' });
      expect(ok.statusCode, ok.body).toBe(201);
      expect(ok.json().customFields).toEqual({ order_ref: 'B-2' });
      const withVersions = texts.filter((x) => /config_versions/.test(x));
      // no read of the versions of its own: the customer's statement carried them (and the message's, as always)
      expect(withVersions.filter((x) => !/customer_identities|"bump"/.test(x))).toEqual([]);
      expect(withVersions.filter((x) => /customer_identities/.test(x))).toHaveLength(1);

      // a field added since is required of the very next ticket
      await insertCustomField(t, { key: 'contract', label: 'Contract', fieldType: 'text', isRequired: true });
      const next = await create('versions 2', { order_ref: 'B-3' });
      expect(next.statusCode).toBe(400);
      expect(next.json().errors.map((e: { path: string }) => e.path)).toEqual(['customFields.contract']);
    } finally {
      stop();
      await t.deps.db.delete(customFields).where(eq(customFields.key, 'contract'));
    }
  });

  it('stores valid values and merges updates, refusing to clear a required one', async () => {
    const ticket = await openTicket(t, agent, { customFields: { order_ref: 'A-1', plan: 'pro' } });
    expect(ticket.customFields).toEqual({ order_ref: 'A-1', plan: 'pro' });
    const upd = await api(t, agent, 'PATCH', `/tickets/${ticket.id}`, {
      customFields: { plan: null, due: '2026-12-31' },
    });
    expect(upd.statusCode).toBe(200);
    expect(upd.json().customFields).toEqual({ order_ref: 'A-1', due: '2026-12-31' });
    const bad = await api(t, agent, 'PATCH', `/tickets/${ticket.id}`, { customFields: { order_ref: null } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('customFields.order_ref');
  });
});

describe('findOrCreateCustomerByEmail', () => {
  it('creates one customer when many transactions race for the same new address', async () => {
    const email = 'race@example.net';
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        t.deps.db.transaction((tx) =>
          findOrCreateCustomerByEmail(tx, { email: i % 2 ? email.toUpperCase() : email, name: `Racer ${i}` }),
        ),
      ),
    );
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const rows = await t.deps.db.select().from(customerIdentities).where(eq(customerIdentities.value, email));
    expect(rows).toHaveLength(1);
  });
});
