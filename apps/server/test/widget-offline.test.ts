import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callbackRequests, customerIdentities, events, tickets } from '../src/platform/db/schema/index.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { startSink, textOf } from './fakes/smtp-sink.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api } from './tickets-helpers.ts';
import { insertWidget, newVisitor, sleep, startChat, type TestWidget, visitorRequest } from './widget-helpers.ts';

let t: TestApp;
let sink: Awaited<ReturnType<typeof startSink>>;
let widget: TestWidget;
let agent: TestStaff;

beforeAll(async () => {
  sink = await startSink();
  t = await createTestApp({
    env: { SEVA_ROLES: 'api,realtime,worker', SEVA_SMTP_RELAY_URL: `smtp://127.0.0.1:${sink.port}`, HOST: '127.0.0.1' },
  });
  const admin = await createStaff(t, 'admin');
  agent = await createStaff(t, 'agent', { name: 'Mita' });
  const mb = await api(t, admin, 'POST', '/mailboxes', { address: 'help@shop.example', name: 'Shop help' });
  expect(mb.statusCode, mb.body).toBe(201);
  widget = await insertWidget(t);
});
afterAll(async () => {
  await t?.close();
  await sink?.close();
});

async function mailTo(address: string, containing: string, timeoutMs = 10_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const hit = sink.mails.find(
      (m) => m.to.includes(address) && (m.raw.includes(containing) || textOf(m.raw).includes(containing)),
    );
    if (hit) return hit;
    await sleep(100);
  }
  throw new Error(
    `no mail to ${address} containing ${containing}; got ${sink.mails.map((m) => m.to.join(',')).join(' | ')}`,
  );
}

describe('leave a message and call me back', () => {
  it('turns "leave a message" into an email ticket whose answer reaches the visitor by email', async () => {
    const v = await newVisitor(t.app, widget.key, { locale: 'en' });
    const res = await visitorRequest(t.app, v.visitorToken, 'POST', '/messages', {
      name: 'Nila Sen',
      email: 'Nila@Example.org',
      body: 'My refund has not arrived yet.',
    });
    expect(res.statusCode, res.body).toBe(201);
    const [ticket] = await t.deps.db.select().from(tickets).where(eq(tickets.number, res.json().ticketNumber));
    expect(ticket).toMatchObject({ channel: 'email', subject: 'My refund has not arrived yet.' });
    const ids = await t.deps.db
      .select()
      .from(customerIdentities)
      .where(eq(customerIdentities.customerId, ticket?.customerId ?? ''));
    expect(ids.map((i) => `${i.kind}:${i.value}`)).toContain('email:nila@example.org');

    const reply = await api(t, agent, 'POST', `/tickets/${ticket?.id}/messages`, {
      body: 'Your refund was sent today.',
    });
    expect(reply.statusCode, reply.body).toBe(201);
    const mail = await mailTo('nila@example.org', 'Your refund was sent today.');
    expect(mail.raw).toMatch(/^From: .*help@shop\.example/m);
  });

  it('names the field when the address is missing', async () => {
    const v = await newVisitor(t.app, widget.key);
    const res = await visitorRequest(t.app, v.visitorToken, 'POST', '/messages', { name: 'X', body: 'hi' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body).toContain('email');
  });

  it('turns "call me back" into a phone ticket with a callback request in the queue', async () => {
    const v = await newVisitor(t.app, widget.key, { locale: 'hi-IN' });
    const res = await visitorRequest(t.app, v.visitorToken, 'POST', '/callbacks', {
      name: 'Arjun',
      phone: '+91 98765 43210',
      preferredAt: '2026-12-07T10:30:00+05:30',
      timezone: 'Asia/Kolkata',
      note: 'About my broken phone',
    });
    expect(res.statusCode, res.body).toBe(201);
    const [ticket] = await t.deps.db.select().from(tickets).where(eq(tickets.number, res.json().ticketNumber));
    expect(ticket).toMatchObject({ channel: 'phone', language: 'hi' });
    const [cb] = await t.deps.db
      .select()
      .from(callbackRequests)
      .where(eq(callbackRequests.ticketId, ticket?.id ?? ''));
    expect(cb).toMatchObject({
      phone: '+919876543210',
      status: 'requested',
      timezone: 'Asia/Kolkata',
      note: 'About my broken phone',
      visitorId: v.visitorId,
    });
    expect(cb?.preferredAt?.toISOString()).toBe('2026-12-07T05:00:00.000Z');
    const evs = await t.deps.db
      .select()
      .from(events)
      .where(eq(events.ticketId, ticket?.id ?? ''));
    expect(evs.map((e) => e.type)).toEqual(expect.arrayContaining(['ticket.created', 'callback.requested']));

    const bad = await visitorRequest(t.app, v.visitorToken, 'POST', '/callbacks', {
      name: 'Arjun',
      phone: 'call me maybe',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('phone');
  });
});

describe('transcripts and chats that continue by email', () => {
  it("emails the customer-visible transcript, escaped and in the visitor's language, without internal notes", async () => {
    const v = await newVisitor(t.app, widget.key, { locale: 'bn' });
    const { conversation } = await startChat(t.app, v.visitorToken, '<script>alert(1)</script> অর্ডার কোথায়?');
    await api(t, agent, 'POST', `/tickets/${conversation.id}/messages`, {
      body: 'INTERNAL-ONLY remark',
      internal: true,
    });
    await api(t, agent, 'POST', `/tickets/${conversation.id}/messages`, { body: 'আপনার অর্ডার পথে আছে।' });
    const res = await visitorRequest(t.app, v.visitorToken, 'POST', `/conversations/${conversation.id}/transcript`, {
      email: 'reader@example.net',
    });
    expect(res.statusCode, res.body).toBe(202);
    const mail = await mailTo('reader@example.net', 'X-Seva-Ticket');
    const all = mail.raw;
    expect(all).not.toContain('INTERNAL-ONLY');
    expect(all).not.toContain('<script>');
    expect(textOf(all)).toContain('আপনার অর্ডার পথে আছে।');
    expect(textOf(all)).toContain('আমাদের সঙ্গে আপনার কথোপকথন');

    const other = await newVisitor(t.app, widget.key);
    const refused = await visitorRequest(
      t.app,
      other.visitorToken,
      'POST',
      `/conversations/${conversation.id}/transcript`,
      { email: 'thief@example.net' },
    );
    expect(refused.statusCode).toBe(404);
  });

  it('continues by email when the agent ends the chat but keeps the ticket open', async () => {
    const v = await newVisitor(t.app, widget.key);
    const { conversation } = await startChat(t.app, v.visitorToken, 'Need a quote', {
      preChat: { name: 'Rupa', email: 'rupa@example.com' },
    });
    // only someone online takes chats
    expect((await api(t, agent, 'PUT', '/routing/me/availability', { status: 'online' })).statusCode).toBe(200);
    expect((await api(t, agent, 'POST', `/chats/${conversation.id}/accept`)).statusCode).toBe(200);
    const ended = await api(t, agent, 'POST', `/chats/${conversation.id}/end`, { keepOpen: true });
    expect(ended.statusCode, ended.body).toBe(200);
    const reply = await api(t, agent, 'POST', `/tickets/${conversation.id}/messages`, {
      body: 'Here is your quote, by email',
    });
    expect(reply.statusCode).toBe(201);
    const mail = await mailTo('rupa@example.com', 'Here is your quote, by email');
    expect(mail.raw).toMatch(/^From: .*help@shop\.example/m);
  });

  it('sends an agent reply by email once the visitor has ended the chat', async () => {
    const v = await newVisitor(t.app, widget.key);
    const { conversation } = await startChat(t.app, v.visitorToken, 'Quick question', {
      preChat: { name: 'Tara', email: 'tara@example.com' },
    });
    const live = await api(t, agent, 'POST', `/tickets/${conversation.id}/messages`, {
      body: 'Answered live in the chat',
    });
    expect(live.statusCode).toBe(201);
    await visitorRequest(t.app, v.visitorToken, 'POST', `/conversations/${conversation.id}/end`);
    await api(t, agent, 'POST', `/tickets/${conversation.id}/messages`, { body: 'A follow-up after you left' });
    await mailTo('tara@example.com', 'A follow-up after you left');
    await sleep(1200);
    expect(
      sink.mails.some(
        (m) =>
          m.to.includes('tara@example.com') &&
          textOf(m.raw).includes('Answered live in the chat') &&
          !textOf(m.raw).includes('follow-up'),
      ),
    ).toBe(false);
  });
});
