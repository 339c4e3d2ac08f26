import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowChannelLoopbackPortsForTests } from '../src/modules/channels/index.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { channelDeliveries, channelInboundMessages, messages, tickets } from '../src/platform/db/schema/index.ts';
import { createStaff, type TestStaff } from './factories.ts';
import {
  type FakeProviders,
  fixture,
  metaSign,
  type SentRequest,
  startFakeProviders,
  until,
} from './fakes/fake-providers.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api } from './tickets-helpers.ts';

/**
 * WhatsApp beyond plain text, against the fake Cloud API: templates with header, body and button parameters in the
 * customer's language outside the 24-hour window; reply buttons and lists sent from the ticket inside it; the
 * customer's button and list choices received as messages.
 */
let t: TestApp;
let fake: FakeProviders;
let admin: TestStaff;
let agent: TestStaff;
let channelId = '';
const clock = new ManualClock(new Date('2026-11-21T09:00:00Z'));
const APP_SECRET = 'wa-rich-secret';
const PHONE_NUMBER_ID = '1069911111';
let seq = 0;

async function hook(body: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: `/hooks/channels/${channelId}`,
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSign(APP_SECRET, body) },
    payload: body,
  });
  expect(res.statusCode).toBe(200);
}

/** The customer writes: answers the ticket the message went to. */
async function customerWrites(waId: string, text: string, name = 'Customer') {
  seq += 1;
  const wamid = `wamid.rich${seq}`;
  fake.customerWrote(waId, clock.now());
  await hook(
    fixture('whatsapp-inbound-text.json', {
      PHONE_NUMBER_ID,
      NAME: name,
      WA_ID: waId,
      WAMID: wamid,
      TIMESTAMP: Math.floor(clock.now().getTime() / 1000),
      BODY: text,
    }),
  );
  const [row] = await t.deps.db
    .select({ ticketId: channelInboundMessages.ticketId, messageId: channelInboundMessages.messageId })
    .from(channelInboundMessages)
    .where(and(eq(channelInboundMessages.channelId, channelId), eq(channelInboundMessages.externalMessageId, wamid)));
  if (!row?.ticketId) throw new Error('no ticket');
  return { ticketId: row.ticketId, messageId: row.messageId as string };
}

async function delivered(messageId: string, status = 'sent') {
  return until(async () => {
    const [d] = await t.deps.db.select().from(channelDeliveries).where(eq(channelDeliveries.messageId, messageId));
    return d && d.status === status ? d : null;
  });
}

const lastTo = (waId: string): SentRequest | undefined =>
  fake.sent.filter((s) => s.provider === 'whatsapp' && s.json?.to === waId).at(-1);

beforeAll(async () => {
  fake = await startFakeProviders({ now: () => clock.now() });
  allowChannelLoopbackPortsForTests([fake.port]);
  t = await createTestApp({ clock, env: { SEVA_ROLES: 'api,realtime,worker', HOST: '127.0.0.1' } });
  admin = await createStaff(t, 'admin');
  agent = await createStaff(t, 'agent', { name: 'Asha Roy' });
  const res = await api(t, admin, 'POST', '/channels', {
    kind: 'whatsapp',
    name: 'WhatsApp Khulna',
    settings: {
      phoneNumberId: PHONE_NUMBER_ID,
      apiBaseUrl: fake.baseUrl,
      templateName: 'order_update',
      templateLanguage: 'en_US',
      templateLanguages: 'en:en_US, bn:bn',
      templateHeader: 'Ticket {{ticket.number}}',
      templateBody: '{{customer.name}} | {{reply}}',
      templateButtons: 'url:{{ticket.number}} | quick_reply:talk-to-agent',
    },
    credentials: { appSecret: APP_SECRET, accessToken: fake.creds.accessToken, verifyToken: 'v' },
  });
  expect(res.statusCode, res.body).toBe(201);
  channelId = res.json().id;
});

afterAll(async () => {
  await t?.close();
  await fake?.close();
  allowChannelLoopbackPortsForTests([]);
});

describe('WhatsApp templates', () => {
  it('outside the window sends the template with header, body and button parameters in the customer’s language', async () => {
    const bn = await customerWrites('8801811000001', 'আমার অর্ডার কোথায়? অনেক দিন হয়ে গেল', 'Rupa Sen');
    const en = await customerWrites('8801811000002', 'Where is my order? It has been a week', 'John Doe');
    const [bnTicket] = await t.deps.db.select().from(tickets).where(eq(tickets.id, bn.ticketId));
    const [enTicket] = await t.deps.db.select().from(tickets).where(eq(tickets.id, en.ticketId));
    expect(bnTicket?.language).toBe('bn');
    clock.advance(25 * 3600_000);
    try {
      const r1 = await api(t, agent, 'POST', `/tickets/${bn.ticketId}/messages`, { body: 'পার্সেল আজ পাঠানো হয়েছে' });
      await delivered(r1.json().id);
      expect(lastTo('8801811000001')?.json).toEqual({
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: '8801811000001',
        type: 'template',
        template: {
          name: 'order_update',
          language: { code: 'bn' },
          components: [
            { type: 'header', parameters: [{ type: 'text', text: `Ticket ${bnTicket?.number}` }] },
            {
              type: 'body',
              parameters: [
                { type: 'text', text: 'Rupa Sen' },
                { type: 'text', text: 'পার্সেল আজ পাঠানো হয়েছে' },
              ],
            },
            {
              type: 'button',
              sub_type: 'url',
              index: '0',
              parameters: [{ type: 'text', text: String(bnTicket?.number) }],
            },
            {
              type: 'button',
              sub_type: 'quick_reply',
              index: '1',
              parameters: [{ type: 'payload', payload: 'talk-to-agent' }],
            },
          ],
        },
      });

      const r2 = await api(t, agent, 'POST', `/tickets/${en.ticketId}/messages`, { body: 'Your parcel left today' });
      await delivered(r2.json().id);
      const en2 = lastTo('8801811000002')?.json as { template: { language: { code: string }; components: unknown[] } };
      expect(en2.template.language.code).toBe('en_US');
      expect(en2.template.components[1]).toEqual({
        type: 'body',
        parameters: [
          { type: 'text', text: 'John Doe' },
          { type: 'text', text: 'Your parcel left today' },
        ],
      });
      expect(enTicket?.language).toBe('en');
    } finally {
      clock.advance(-25 * 3600_000);
    }
  });

  it('falls back to the default template language when the customer’s is not translated', async () => {
    const hi = await customerWrites('8801811000003', 'मेरा ऑर्डर कहाँ है? बहुत दिन हो गए', 'Ravi Kumar');
    clock.advance(25 * 3600_000);
    try {
      const r = await api(t, agent, 'POST', `/tickets/${hi.ticketId}/messages`, { body: 'It ships today' });
      await delivered(r.json().id);
      expect(lastTo('8801811000003')?.json?.template).toMatchObject({ language: { code: 'en_US' } });
    } finally {
      clock.advance(-25 * 3600_000);
    }
  });

  it('refuses malformed template settings with the field named', async () => {
    const res = await api(t, admin, 'PATCH', `/channels/${channelId}`, {
      settings: { templateButtons: 'call:+123', templateLanguages: 'english' },
    });
    expect(res.statusCode).toBe(400);
    const paths = JSON.stringify(res.json());
    expect(paths).toContain('templateButtons');
    expect(paths).toContain('templateLanguages');
  });
});

describe('WhatsApp interactive messages', () => {
  it('sends reply buttons inside the window, and the customer’s choice arrives as a message', async () => {
    const c = await customerWrites('8801811000010', 'I want to change my delivery day');
    const res = await api(t, agent, 'POST', `/channels/tickets/${c.ticketId}/interactive`, {
      type: 'buttons',
      body: 'Which day suits you?',
      buttons: [
        { id: 'day-sat', title: 'Saturday' },
        { id: 'day-sun', title: 'Sunday' },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const d = await delivered(res.json().messageId);
    expect(lastTo('8801811000010')?.json).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '8801811000010',
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: 'Which day suits you?' },
        action: {
          buttons: [
            { type: 'reply', reply: { id: 'day-sat', title: 'Saturday' } },
            { type: 'reply', reply: { id: 'day-sun', title: 'Sunday' } },
          ],
        },
      },
    });
    // the agent sees what was offered; the ticket counts it as a reply
    const [m] = await t.deps.db.select().from(messages).where(eq(messages.id, res.json().messageId));
    expect(m).toMatchObject({
      kind: 'public',
      authorType: 'staff',
      bodyText: 'Which day suits you?\n\n▸ Saturday\n▸ Sunday',
    });
    const [ticket] = await t.deps.db.select().from(tickets).where(eq(tickets.id, c.ticketId));
    expect(ticket?.status).toBe('open');
    expect(ticket?.firstResponseAt).not.toBeNull();

    // the customer taps "Sunday"
    await hook(
      fixture('whatsapp-inbound-interactive.json', {
        PHONE_NUMBER_ID,
        NAME: 'Customer',
        WA_ID: '8801811000010',
        WAMID: 'wamid.tap-sunday',
        CONTEXT_WAMID: d.providerMessageId ?? '',
        TIMESTAMP: Math.floor(clock.now().getTime() / 1000),
        REPLY_TYPE: 'button_reply',
        REPLY_ID: 'day-sun',
        REPLY_TITLE: 'Sunday',
      }),
    );
    const thread = await t.deps.db
      .select()
      .from(messages)
      .where(eq(messages.ticketId, c.ticketId))
      .orderBy(messages.seq);
    const tap = thread.at(-1);
    expect(tap).toMatchObject({ authorType: 'customer', bodyText: 'Sunday' });
    expect(tap?.meta).toMatchObject({
      channel: {
        provider: {
          type: 'interactive',
          reply: { kind: 'button_reply', id: 'day-sun', title: 'Sunday' },
          context: { id: d.providerMessageId },
        },
      },
    });
  });

  it('sends a list, and a list choice and a template quick-reply button arrive as messages', async () => {
    const c = await customerWrites('8801811000011', 'Which plans do you have?');
    const res = await api(t, agent, 'POST', `/channels/tickets/${c.ticketId}/interactive`, {
      type: 'list',
      body: 'Pick a plan',
      button: 'Plans',
      sections: [
        {
          title: 'Monthly',
          rows: [
            { id: 'plan-basic', title: 'Basic', description: '৳199 a month' },
            { id: 'plan-pro', title: 'Pro' },
          ],
        },
        { title: 'Yearly', rows: [{ id: 'plan-year', title: 'Yearly' }] },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    await delivered(res.json().messageId);
    expect(lastTo('8801811000011')?.json?.interactive).toEqual({
      type: 'list',
      body: { text: 'Pick a plan' },
      action: {
        button: 'Plans',
        sections: [
          {
            title: 'Monthly',
            rows: [
              { id: 'plan-basic', title: 'Basic', description: '৳199 a month' },
              { id: 'plan-pro', title: 'Pro' },
            ],
          },
          { title: 'Yearly', rows: [{ id: 'plan-year', title: 'Yearly' }] },
        ],
      },
    });
    const ts = Math.floor(clock.now().getTime() / 1000);
    await hook(
      fixture('whatsapp-inbound-interactive.json', {
        PHONE_NUMBER_ID,
        NAME: 'Customer',
        WA_ID: '8801811000011',
        WAMID: 'wamid.pick-pro',
        CONTEXT_WAMID: 'wamid.x',
        TIMESTAMP: ts,
        REPLY_TYPE: 'list_reply',
        REPLY_ID: 'plan-pro',
        REPLY_TITLE: 'Pro',
      }),
    );
    await hook(
      fixture('whatsapp-inbound-button.json', {
        PHONE_NUMBER_ID,
        NAME: 'Customer',
        WA_ID: '8801811000011',
        WAMID: 'wamid.quick-reply',
        CONTEXT_WAMID: 'wamid.y',
        TIMESTAMP: ts,
        PAYLOAD: 'talk-to-agent',
        TEXT: 'Talk to an agent',
      }),
    );
    const thread = await t.deps.db
      .select()
      .from(messages)
      .where(eq(messages.ticketId, c.ticketId))
      .orderBy(messages.seq);
    expect(
      thread.slice(-2).map((m) => [m.bodyText, (m.meta.channel as { provider?: { reply?: unknown } }).provider?.reply]),
    ).toEqual([
      ['Pro', { kind: 'list_reply', id: 'plan-pro', title: 'Pro' }],
      ['Talk to an agent', { kind: 'template_button', id: 'talk-to-agent', title: 'Talk to an agent' }],
    ]);
  });

  it('refuses buttons outside the window, on other channels and with bad input; nothing is stored', async () => {
    const c = await customerWrites('8801811000012', 'Hello');
    const count = async () => (await t.deps.db.select().from(messages).where(eq(messages.ticketId, c.ticketId))).length;
    const before = await count();
    const url = `/channels/tickets/${c.ticketId}/interactive`;
    const ok = { type: 'buttons', body: 'Yes or no?', buttons: [{ id: 'y', title: 'Yes' }] };
    for (const bad of [
      { ...ok, buttons: [1, 2, 3, 4].map((i) => ({ id: `b${i}`, title: `B${i}` })) },
      { ...ok, buttons: [{ id: 'y', title: 'A title that is far too long' }] },
      {
        ...ok,
        buttons: [
          { id: 'y', title: 'Yes' },
          { id: 'y', title: 'Also yes' },
        ],
      },
      {
        type: 'list',
        body: 'x',
        button: 'Open',
        sections: [{ rows: Array.from({ length: 11 }, (_, i) => ({ id: `r${i}`, title: `R${i}` })) }],
      },
      { type: 'carousel', body: 'x' },
    ]) {
      const res = await api(t, agent, 'POST', url, bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
    }
    clock.advance(25 * 3600_000);
    try {
      const closed = await api(t, agent, 'POST', url, ok);
      expect(closed.statusCode).toBe(409);
      expect(JSON.stringify(closed.json())).toMatch(/24-hour/);
    } finally {
      clock.advance(-25 * 3600_000);
    }
    // an email ticket has no WhatsApp conversation
    const email = await api(t, agent, 'POST', '/tickets', {
      subject: 'By email',
      customer: { email: 'mail@example.com' },
      message: { body: 'hi' },
    });
    expect((await api(t, agent, 'POST', `/channels/tickets/${email.json().id}/interactive`, ok)).statusCode).toBe(409);
    expect(
      (await api(t, agent, 'POST', '/channels/tickets/00000000-0000-4000-8000-000000000000/interactive', ok))
        .statusCode,
    ).toBe(404);
    const collaborator = await createStaff(t, 'collaborator');
    expect((await api(t, collaborator, 'POST', url, ok)).statusCode).toBe(403);
    expect(await count()).toBe(before);
  });
});
