import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowChannelLoopbackPortsForTests } from '../src/modules/channels/index.ts';
import { ManualClock } from '../src/platform/clock.ts';
import {
  attachments,
  channelDeliveries,
  channelInboundMessages,
  customerIdentities,
  messages,
  tickets,
} from '../src/platform/db/schema/index.ts';
import { createStaff, type TestStaff } from './factories.ts';
import {
  type FakeProviders,
  fixture,
  metaSign,
  startFakeProviders,
  twilioSign,
  until,
} from './fakes/fake-providers.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api, upload } from './tickets-helpers.ts';

let t: TestApp;
let fake: FakeProviders;
let admin: TestStaff;
let agent: TestStaff;
const clock = new ManualClock(new Date('2026-11-20T10:00:00Z'));
const APP_SECRET = 'meta-app-secret-for-tests';
const VERIFY_TOKEN = 'verify-me-please';
const TG_SECRET = 'tg_secret_token-123';
const ch = { sms: '', whatsapp: '', messenger: '', instagram: '', telegram: '' };
const SMS_URL = 'https://seva.example.com/hooks/channels/sms';
let seq = 0;
const uid = (p: string) => `${p}${Date.now().toString(36)}${(++seq).toString(36)}`;

async function createChannel(body: Record<string, unknown>): Promise<string> {
  const res = await api(t, admin, 'POST', '/channels', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

function postTwilio(form: string, opts: { token?: string } = {}) {
  return t.app.inject({
    method: 'POST',
    url: `/hooks/channels/${ch.sms}`,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilioSign(opts.token ?? fake.creds.authToken, SMS_URL, form),
    },
    payload: form,
  });
}

function postMeta(channelId: string, body: string, opts: { secret?: string } = {}) {
  return t.app.inject({
    method: 'POST',
    url: `/hooks/channels/${channelId}`,
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSign(opts.secret ?? APP_SECRET, body) },
    payload: body,
  });
}

function postTelegram(body: string, secret = TG_SECRET) {
  return t.app.inject({
    method: 'POST',
    url: `/hooks/channels/${ch.telegram}`,
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret },
    payload: body,
  });
}

async function ticketOf(channelId: string, externalMessageId: string) {
  const [row] = await t.deps.db
    .select()
    .from(channelInboundMessages)
    .where(
      and(
        eq(channelInboundMessages.channelId, channelId),
        eq(channelInboundMessages.externalMessageId, externalMessageId),
      ),
    );
  if (!row?.ticketId) throw new Error(`no ticket for ${externalMessageId}`);
  const [ticket] = await t.deps.db.select().from(tickets).where(eq(tickets.id, row.ticketId));
  if (!ticket) throw new Error('ticket vanished');
  return { ticket, messageId: row.messageId as string };
}

async function deliveryFor(messageId: string, status?: string) {
  return until(async () => {
    const [d] = await t.deps.db.select().from(channelDeliveries).where(eq(channelDeliveries.messageId, messageId));
    return d && (!status || d.status === status) ? d : null;
  });
}

beforeAll(async () => {
  fake = await startFakeProviders({ now: () => clock.now() });
  allowChannelLoopbackPortsForTests([fake.port]);
  t = await createTestApp({
    clock,
    env: { SEVA_ROLES: 'api,realtime,worker', HOST: '127.0.0.1', SEVA_PUBLIC_URL: 'https://seva.example.com' },
  });
  admin = await createStaff(t, 'admin');
  agent = await createStaff(t, 'agent');
  const meta = { appSecret: APP_SECRET, accessToken: fake.creds.accessToken, verifyToken: VERIFY_TOKEN };
  ch.sms = await createChannel({
    kind: 'sms',
    name: 'SMS +1 415 555 0100',
    settings: {
      accountSid: fake.creds.accountSid,
      phoneNumber: '+14155550100',
      apiBaseUrl: fake.baseUrl,
      webhookUrl: SMS_URL,
    },
    credentials: { authToken: fake.creds.authToken },
    autoReplies: { en: 'Thanks! We got your message.' },
  });
  ch.whatsapp = await createChannel({
    kind: 'whatsapp',
    name: 'WhatsApp',
    settings: { phoneNumberId: '1069900001', apiBaseUrl: fake.baseUrl },
    credentials: meta,
  });
  ch.messenger = await createChannel({
    kind: 'messenger',
    name: 'Facebook page',
    settings: { pageId: '5550001', apiBaseUrl: fake.baseUrl },
    credentials: meta,
  });
  ch.instagram = await createChannel({
    kind: 'instagram',
    name: 'Instagram',
    settings: { pageId: '1784140000', apiBaseUrl: fake.baseUrl },
    credentials: meta,
  });
  ch.telegram = await createChannel({
    kind: 'telegram',
    name: 'Telegram bot',
    settings: { botUsername: 'seva_support_bot', apiBaseUrl: fake.baseUrl },
    credentials: { botToken: fake.creds.botToken, webhookSecret: TG_SECRET },
  });
});

afterAll(async () => {
  await t?.close();
  await fake?.close();
  allowChannelLoopbackPortsForTests([]);
});

describe('channel settings', () => {
  it('refuses a provider channel without the credentials it needs, naming each field', async () => {
    const res = await api(t, admin, 'POST', '/channels', { kind: 'whatsapp', name: 'Incomplete', settings: {} });
    expect(res.statusCode).toBe(400);
    const paths = res.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'settings.phoneNumberId',
        'credentials.appSecret',
        'credentials.accessToken',
        'credentials.verifyToken',
      ]),
    );
  });
});

describe('Twilio SMS', () => {
  it('turns a signed SMS into a ticket, answers with empty TwiML and sends the auto-reply', async () => {
    const sid = uid('SM');
    const before = fake.sent.length;
    const form = fixture('twilio-inbound-sms.form', {
      SID: sid,
      ACCOUNT_SID: fake.creds.accountSid,
      FROM: '+8801712345678',
      BODY: 'আমার অর্ডার কোথায়?',
    });
    const res = await postTwilio(form);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/xml');
    expect(res.body).toContain('<Response></Response>');
    const { ticket } = await ticketOf(ch.sms, sid);
    expect(ticket).toMatchObject({ channel: 'sms', subject: 'আমার অর্ডার কোথায়?' });
    const [phone] = await t.deps.db
      .select()
      .from(customerIdentities)
      .where(eq(customerIdentities.value, '+8801712345678'));
    expect(phone?.customerId).toBe(ticket.customerId);
    await fake.waitForSent(before + 1);
    expect(fake.sent[before]).toMatchObject({
      provider: 'twilio',
      form: { To: '+8801712345678', From: '+14155550100', Body: 'Thanks! We got your message.' },
    });
  });

  it('stores a webhook delivered twice only once', async () => {
    const sid = uid('SM');
    const form = fixture('twilio-inbound-sms.form', {
      SID: sid,
      ACCOUNT_SID: fake.creds.accountSid,
      FROM: '+8801799999999',
      BODY: 'twice',
    });
    expect((await postTwilio(form)).statusCode).toBe(200);
    expect((await postTwilio(form)).statusCode).toBe(200);
    const { ticket } = await ticketOf(ch.sms, sid);
    const rows = await t.deps.db
      .select()
      .from(messages)
      .where(and(eq(messages.ticketId, ticket.id), eq(messages.authorType, 'customer')));
    expect(rows).toHaveLength(1);
  });

  it('refuses a forged X-Twilio-Signature and stores nothing', async () => {
    const sid = uid('SM');
    const form = fixture('twilio-inbound-sms.form', {
      SID: sid,
      ACCOUNT_SID: fake.creds.accountSid,
      FROM: '+8801711111111',
      BODY: 'forged',
    });
    expect((await postTwilio(form, { token: 'wrong-token' })).statusCode).toBe(401);
    // a valid signature over different parameters is forged too
    const tampered = form.replace('forged', 'tampered');
    const res = await t.app.inject({
      method: 'POST',
      url: `/hooks/channels/${ch.sms}`,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSign(fake.creds.authToken, SMS_URL, form),
      },
      payload: tampered,
    });
    expect(res.statusCode).toBe(401);
    expect(
      await t.deps.db.select().from(channelInboundMessages).where(eq(channelInboundMessages.externalMessageId, sid)),
    ).toHaveLength(0);
  });

  it('sends the agent reply through the Messages API and shows the delivered status callback on the message', async () => {
    const sid = uid('SM');
    await postTwilio(
      fixture('twilio-inbound-sms.form', {
        SID: sid,
        ACCOUNT_SID: fake.creds.accountSid,
        FROM: '+8801712000001',
        BODY: 'Need help',
      }),
    );
    const { ticket } = await ticketOf(ch.sms, sid);
    const reply = await api(t, agent, 'POST', `/tickets/${ticket.id}/messages`, { body: 'We are on it.' });
    const d = await deliveryFor(reply.json().id, 'sent');
    expect(d.providerMessageId).toMatch(/^SM/);
    expect(fake.sent.find((s) => s.form?.Body === 'We are on it.')?.form?.To).toBe('+8801712000001');
    const status = fixture('twilio-status-delivered.form', {
      SID: d.providerMessageId ?? '',
      TO: '+8801712000001',
      ACCOUNT_SID: fake.creds.accountSid,
    });
    // Twilio posts status callbacks to the StatusCallback URL (…/status) and signs that URL
    const statusRes = await t.app.inject({
      method: 'POST',
      url: `/hooks/channels/${ch.sms}/status`,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilioSign(
          fake.creds.authToken,
          `https://seva.example.com/hooks/channels/${ch.sms}/status`,
          status,
        ),
      },
      payload: status,
    });
    expect(statusRes.statusCode).toBe(200);
    const [m] = await t.deps.db.select().from(messages).where(eq(messages.id, reply.json().id));
    expect(m?.meta).toMatchObject({
      channel: { delivery: { status: 'delivered', providerMessageId: d.providerMessageId } },
    });
  });

  it('fetches MMS media and attaches it to the message', async () => {
    const sid = uid('MM');
    const url = fake.addMedia(`${sid}.jpg`, Buffer.from('JPEGBYTES'), 'image/jpeg');
    await postTwilio(
      fixture('twilio-inbound-mms.form', {
        SID: sid,
        ACCOUNT_SID: fake.creds.accountSid,
        FROM: '+8801712000002',
        BODY: 'photo of the damage',
        MEDIA_URL: url,
      }),
    );
    const { messageId } = await ticketOf(ch.sms, sid);
    const files = await until(async () => {
      const rows = await t.deps.db.select().from(attachments).where(eq(attachments.messageId, messageId));
      return rows.length > 0 ? rows : null;
    });
    expect(files[0]).toMatchObject({ contentType: 'image/jpeg', sizeBytes: 9 });
  });

  it("sends an agent's attachment as MMS through a signed, expiring link only that channel can use", async () => {
    const sid = uid('SM');
    await postTwilio(
      fixture('twilio-inbound-sms.form', {
        SID: sid,
        ACCOUNT_SID: fake.creds.accountSid,
        FROM: '+8801712000003',
        BODY: 'send me the invoice',
      }),
    );
    const { ticket } = await ticketOf(ch.sms, sid);
    const up = await upload(t, agent, 'invoice.png', 'image/png', Buffer.from('PNG-INVOICE'));
    expect(up.statusCode).toBe(201);
    const reply = await api(t, agent, 'POST', `/tickets/${ticket.id}/messages`, {
      body: 'Here is your invoice.',
      attachmentIds: [up.json().id],
    });
    await deliveryFor(reply.json().id, 'sent');
    const call = fake.sent.find((s) => s.provider === 'twilio' && s.form?.Body === 'Here is your invoice.');
    expect(call?.form?.Body).toBe('Here is your invoice.');
    expect(call?.mediaUrls).toHaveLength(1);
    const link = new URL(call?.mediaUrls?.[0] ?? '');
    expect(link.origin).toBe('https://seva.example.com');
    expect(link.pathname).toBe(`/hooks/channels/${ch.sms}/media/${up.json().id}`);
    expect(call?.form?.StatusCallback).toBe(`https://seva.example.com/hooks/channels/${ch.sms}/status`);

    const got = await t.app.inject({ method: 'GET', url: `${link.pathname}${link.search}` });
    expect(got.statusCode).toBe(200);
    expect(got.rawPayload.toString()).toBe('PNG-INVOICE');
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect(got.headers['content-disposition']).toContain('attachment');
    const tampered = link.search.replace(/s=([0-9a-f])/, (_m, c: string) => `s=${c === '0' ? '1' : '0'}`);
    expect((await t.app.inject({ method: 'GET', url: `${link.pathname}${tampered}` })).statusCode).toBe(404);
    expect(
      (await t.app.inject({ method: 'GET', url: `/hooks/channels/${ch.whatsapp}/media/${up.json().id}${link.search}` }))
        .statusCode,
    ).toBe(404);
    // an expired link (its own expiry in the past) is refused
    const expired = link.search.replace(/e=(\d+)/, (_m, e: string) => `e=${Number(e) - 4 * 24 * 3600}`);
    expect((await t.app.inject({ method: 'GET', url: `${link.pathname}${expired}` })).statusCode).toBe(404);
  });

  it('marks a reply to an invalid number failed at once (4xx is not retried) and shows the error', async () => {
    const sid = uid('SM');
    await postTwilio(
      fixture('twilio-inbound-sms.form', {
        SID: sid,
        ACCOUNT_SID: fake.creds.accountSid,
        FROM: 'short',
        BODY: 'from a short code',
      }),
    );
    const { ticket } = await ticketOf(ch.sms, sid);
    const reply = await api(t, agent, 'POST', `/tickets/${ticket.id}/messages`, { body: 'reply to a short code' });
    const d = await deliveryFor(reply.json().id, 'failed');
    expect(d.attempts).toBe(1);
    expect(d.lastError).toContain('21211');
    const [m] = await t.deps.db.select().from(messages).where(eq(messages.id, reply.json().id));
    expect(m?.status).toBe('failed');
    const channel = (await api(t, admin, 'GET', `/channels/${ch.sms}`)).json();
    expect(channel.lastError).toContain('21211');
  });
});

describe('WhatsApp Cloud API', () => {
  const wa = (vars: { wamid: string; waId: string; body: string }) =>
    fixture('whatsapp-inbound-text.json', {
      PHONE_NUMBER_ID: '1069900001',
      NAME: 'Asha',
      WA_ID: vars.waId,
      WAMID: vars.wamid,
      TIMESTAMP: Math.floor(clock.now().getTime() / 1000),
      BODY: vars.body,
    });

  it('answers the verify-token handshake only with the right token', async () => {
    const ok = await t.app.inject({
      method: 'GET',
      url: `/hooks/channels/${ch.whatsapp}?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`,
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toBe('1158201444');
    const bad = await t.app.inject({
      method: 'GET',
      url: `/hooks/channels/${ch.whatsapp}?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1`,
    });
    expect(bad.statusCode).toBe(403);
  });

  it('refuses a bad X-Hub-Signature-256 and stores nothing', async () => {
    const wamid = uid('wamid.');
    const res = await postMeta(ch.whatsapp, wa({ wamid, waId: '8801712300000', body: 'forged' }), { secret: 'wrong' });
    expect(res.statusCode).toBe(401);
    expect(
      await t.deps.db.select().from(channelInboundMessages).where(eq(channelInboundMessages.externalMessageId, wamid)),
    ).toHaveLength(0);
  });

  it('recognises the same phone number across SMS and WhatsApp as one customer', async () => {
    const sid = uid('SM');
    await postTwilio(
      fixture('twilio-inbound-sms.form', {
        SID: sid,
        ACCOUNT_SID: fake.creds.accountSid,
        FROM: '+8801755500000',
        BODY: 'by sms',
      }),
    );
    const wamid = uid('wamid.');
    expect((await postMeta(ch.whatsapp, wa({ wamid, waId: '8801755500000', body: 'by whatsapp' }))).statusCode).toBe(
      200,
    );
    const a = await ticketOf(ch.sms, sid);
    const b = await ticketOf(ch.whatsapp, wamid);
    expect(b.ticket.customerId).toBe(a.ticket.customerId);
    expect(b.ticket.channel).toBe('whatsapp');
    const contacts = (await api(t, agent, 'GET', `/channels/contacts?customerId=${a.ticket.customerId}`)).json();
    expect(contacts.items.map((c: { channelKind: string }) => c.channelKind).sort()).toEqual(['sms', 'whatsapp']);
  });

  it('replies with text inside the 24-hour window and takes read receipts', async () => {
    const wamid = uid('wamid.');
    fake.customerWrote('8801712300001', clock.now());
    await postMeta(ch.whatsapp, wa({ wamid, waId: '8801712300001', body: 'hello' }));
    const { ticket } = await ticketOf(ch.whatsapp, wamid);
    const reply = await api(t, agent, 'POST', `/tickets/${ticket.id}/messages`, { body: 'Hi Asha!' });
    const d = await deliveryFor(reply.json().id, 'sent');
    const call = fake.sent.find(
      (s) => s.provider === 'whatsapp' && (s.json?.text as { body?: string } | undefined)?.body === 'Hi Asha!',
    );
    expect(call?.json).toMatchObject({ messaging_product: 'whatsapp', to: '8801712300001', type: 'text' });
    const status = fixture('whatsapp-status-read.json', {
      PHONE_NUMBER_ID: '1069900001',
      WAMID: d.providerMessageId ?? '',
      STATUS: 'read',
      TIMESTAMP: 1,
      WA_ID: '8801712300001',
    });
    expect((await postMeta(ch.whatsapp, status)).statusCode).toBe(200);
    const [m] = await t.deps.db.select().from(messages).where(eq(messages.id, reply.json().id));
    expect(m?.meta).toMatchObject({ channel: { delivery: { status: 'read' } } });
  });

  it('outside the 24-hour window: fails without a template, sends the template when one is configured', async () => {
    const wamid = uid('wamid.');
    fake.customerWrote('8801712300002', clock.now());
    await postMeta(ch.whatsapp, wa({ wamid, waId: '8801712300002', body: 'old question' }));
    const { ticket } = await ticketOf(ch.whatsapp, wamid);
    clock.advance(25 * 3600_000);
    try {
      const before = fake.sent.filter((s) => s.provider === 'whatsapp').length;
      const late = await api(t, agent, 'POST', `/tickets/${ticket.id}/messages`, { body: 'Sorry for the wait' });
      const failed = await deliveryFor(late.json().id, 'failed');
      expect(failed.lastError).toContain('24-hour');
      expect(fake.sent.filter((s) => s.provider === 'whatsapp')).toHaveLength(before);

      await api(t, admin, 'PATCH', `/channels/${ch.whatsapp}`, {
        settings: { templateName: 'support_followup', templateLanguage: 'en_US' },
      });
      const again = await api(t, agent, 'POST', `/tickets/${ticket.id}/messages`, {
        body: 'Your parcel is on its way',
      });
      await deliveryFor(again.json().id, 'sent');
      const call = fake.sent.filter((s) => s.provider === 'whatsapp').at(-1);
      expect(call?.json).toMatchObject({
        type: 'template',
        template: {
          name: 'support_followup',
          language: { code: 'en_US' },
          components: [{ type: 'body', parameters: [{ type: 'text', text: 'Your parcel is on its way' }] }],
        },
      });
    } finally {
      clock.advance(-25 * 3600_000);
    }
  });

  it("sends an agent's image after the text as a media message by signed link", async () => {
    const wamid = uid('wamid.');
    fake.customerWrote('8801712300009', clock.now());
    await postMeta(ch.whatsapp, wa({ wamid, waId: '8801712300009', body: 'send the photo' }));
    const { ticket } = await ticketOf(ch.whatsapp, wamid);
    const up = await upload(t, agent, 'label.jpg', 'image/jpeg', Buffer.from('JPEG-LABEL'));
    const reply = await api(t, agent, 'POST', `/tickets/${ticket.id}/messages`, {
      body: 'Here is the label',
      attachmentIds: [up.json().id],
    });
    await deliveryFor(reply.json().id, 'sent');
    const calls = await until(async () => {
      const c = fake.sent.filter((s) => s.provider === 'whatsapp' && s.json?.to === '8801712300009');
      return c.length >= 2 ? c : null;
    });
    expect(calls[0]?.json).toMatchObject({ type: 'text', text: { body: 'Here is the label' } });
    expect(calls[1]?.json).toMatchObject({
      type: 'image',
      image: { link: expect.stringContaining(`/hooks/channels/${ch.whatsapp}/media/${up.json().id}?e=`) },
    });
  });

  it("holds a collaborator's reply until it is approved, then delivers it", async () => {
    const wamid = uid('wamid.');
    fake.customerWrote('8801712300010', clock.now());
    await postMeta(ch.whatsapp, wa({ wamid, waId: '8801712300010', body: 'question for an expert' }));
    const { ticket } = await ticketOf(ch.whatsapp, wamid);
    const helper = await createStaff(t, 'collaborator');
    const supervisor = await createStaff(t, 'supervisor');
    expect((await api(t, admin, 'PATCH', '/settings', { collaboratorRepliesNeedApproval: true })).statusCode).toBe(200);
    expect(
      (await api(t, agent, 'POST', `/tickets/${ticket.id}/collaborators`, { userId: helper.id })).statusCode,
    ).toBeLessThan(300);
    const draft = await api(t, helper, 'POST', `/tickets/${ticket.id}/messages`, { body: 'Expert answer' });
    expect(draft.json().status).toBe('pending_approval');
    await new Promise((r) => setTimeout(r, 1500));
    expect(fake.sent.some((s) => (s.json?.text as { body?: string } | undefined)?.body === 'Expert answer')).toBe(
      false,
    );
    const approved = await api(t, supervisor, 'POST', `/tickets/${ticket.id}/messages/${draft.json().id}/approve`);
    expect(approved.statusCode).toBe(200);
    await deliveryFor(draft.json().id, 'sent');
    expect(fake.sent.some((s) => (s.json?.text as { body?: string } | undefined)?.body === 'Expert answer')).toBe(true);
    await api(t, admin, 'PATCH', '/settings', { collaboratorRepliesNeedApproval: false });
  });

  it('downloads an image in two steps (media id → URL) and attaches it', async () => {
    const wamid = uid('wamid.');
    const mediaId = uid('media');
    fake.addMedia(mediaId, Buffer.from('WAIMAGE'), 'image/jpeg');
    const body = fixture('whatsapp-inbound-image.json', {
      PHONE_NUMBER_ID: '1069900001',
      NAME: 'Asha',
      WA_ID: '8801712300003',
      WAMID: wamid,
      TIMESTAMP: 1,
      BODY: 'broken screen',
      SHA256: 'x',
      MEDIA_ID: mediaId,
    });
    await postMeta(ch.whatsapp, body);
    const { messageId } = await ticketOf(ch.whatsapp, wamid);
    const [m] = await t.deps.db.select().from(messages).where(eq(messages.id, messageId));
    expect(m?.bodyText).toBe('broken screen');
    const files = await until(async () => {
      const rows = await t.deps.db.select().from(attachments).where(eq(attachments.messageId, messageId));
      return rows.length > 0 ? rows : null;
    });
    expect(files[0]).toMatchObject({ contentType: 'image/jpeg', sizeBytes: 7 });
  });
});

describe('Messenger and Instagram', () => {
  it('takes a page message, replies through the Send API and applies the delivery receipt', async () => {
    const mid = uid('m_');
    const body = fixture('messenger-inbound-text.json', {
      PAGE_ID: '5550001',
      TIME_MS: clock.now().getTime(),
      PSID: '24000000001',
      MID: mid,
      BODY: 'Is the shop open?',
    });
    expect((await postMeta(ch.messenger, body)).body).toBe('EVENT_RECEIVED');
    expect((await postMeta(ch.messenger, body)).statusCode).toBe(200);
    const { ticket } = await ticketOf(ch.messenger, mid);
    expect(ticket.channel).toBe('messenger');
    const reply = await api(t, agent, 'POST', `/tickets/${ticket.id}/messages`, { body: 'Open until 8pm.' });
    const d = await deliveryFor(reply.json().id, 'sent');
    const call = fake.sent.find(
      (s) => s.provider === 'meta' && (s.json?.message as { text?: string } | undefined)?.text === 'Open until 8pm.',
    );
    expect(call?.json).toMatchObject({ recipient: { id: '24000000001' }, messaging_type: 'RESPONSE' });
    expect(call?.path).toBe('/v21.0/5550001/messages');
    const delivery = fixture('messenger-delivery.json', {
      PAGE_ID: '5550001',
      TIME_MS: clock.now().getTime(),
      PSID: '24000000001',
      MID: d.providerMessageId ?? '',
    });
    await postMeta(ch.messenger, delivery);
    await deliveryFor(reply.json().id, 'delivered');
  });

  it('takes Instagram direct messages on the Instagram channel only', async () => {
    const mid = uid('ig_');
    const body = fixture('instagram-inbound-text.json', {
      PAGE_ID: '1784140000',
      TIME_MS: clock.now().getTime(),
      IGSID: '9900000001',
      MID: mid,
      BODY: 'Do you ship to Dhaka?',
    });
    expect((await postMeta(ch.instagram, body)).statusCode).toBe(200);
    const { ticket } = await ticketOf(ch.instagram, mid);
    expect(ticket.channel).toBe('instagram');
    // an Instagram payload posted to the Messenger channel is not a page event: nothing is stored
    const mid2 = uid('ig_');
    await postMeta(ch.messenger, body.replace(mid, mid2));
    expect(
      await t.deps.db.select().from(channelInboundMessages).where(eq(channelInboundMessages.externalMessageId, mid2)),
    ).toHaveLength(0);
  });
});

describe('Telegram', () => {
  const update = (vars: { updateId: number; messageId: number; chatId: number; body: string }) =>
    fixture('telegram-update-text.json', {
      UPDATE_ID: vars.updateId,
      MESSAGE_ID: vars.messageId,
      CHAT_ID: vars.chatId,
      NAME: 'Asha',
      DATE: 1,
      BODY: vars.body,
    });

  it('refuses an update without the secret token and stores nothing', async () => {
    const res = await postTelegram(update({ updateId: 1, messageId: 1, chatId: 111, body: 'x' }), 'wrong');
    expect(res.statusCode).toBe(401);
    expect(
      await t.deps.db
        .select()
        .from(channelInboundMessages)
        .where(eq(channelInboundMessages.externalMessageId, '111:1')),
    ).toHaveLength(0);
  });

  it('takes a message, sets the language from the user and replies with sendMessage', async () => {
    const res = await postTelegram(update({ updateId: 10, messageId: 42, chatId: 5550042, body: 'সাহায্য দরকার' }));
    expect(res.statusCode).toBe(200);
    const { ticket } = await ticketOf(ch.telegram, '5550042:42');
    expect(ticket).toMatchObject({ channel: 'telegram', language: 'bn' });
    const reply = await api(t, agent, 'POST', `/tickets/${ticket.id}/messages`, { body: 'আমরা সাহায্য করছি' });
    await deliveryFor(reply.json().id, 'delivered');
    const call = fake.sent.find((s) => s.provider === 'telegram' && s.json?.text === 'আমরা সাহায্য করছি');
    expect(call?.json).toMatchObject({ chat_id: '5550042' });
    expect(call?.path).toBe(`/bot${fake.creds.botToken}/sendMessage`);
  });

  it('fetches a photo through getFile', async () => {
    const fileId = uid('AgAC');
    fake.addMedia(`photos/${fileId}.jpg`, Buffer.from('TGPHOTO!'), 'image/jpeg');
    const body = fixture('telegram-update-photo.json', {
      UPDATE_ID: 11,
      MESSAGE_ID: 43,
      CHAT_ID: 5550043,
      NAME: 'Ravi',
      DATE: 1,
      FILE_ID: fileId,
      BODY: 'यह देखो',
    });
    await postTelegram(body);
    const { messageId } = await ticketOf(ch.telegram, '5550043:43');
    const files = await until(async () => {
      const rows = await t.deps.db.select().from(attachments).where(eq(attachments.messageId, messageId));
      return rows.length > 0 ? rows : null;
    });
    expect(files[0]?.sizeBytes).toBe(8);
  });

  it('marks a reply to a user who blocked the bot failed without retrying', async () => {
    await postTelegram(update({ updateId: 12, messageId: 44, chatId: 403, body: 'bye' }));
    const { ticket } = await ticketOf(ch.telegram, '403:44');
    const reply = await api(t, agent, 'POST', `/tickets/${ticket.id}/messages`, { body: 'still there?' });
    const d = await deliveryFor(reply.json().id, 'failed');
    expect(d.attempts).toBe(1);
    expect(d.lastError).toContain('blocked');
    expect(d.lastError).not.toContain(fake.creds.botToken);
  });
});
