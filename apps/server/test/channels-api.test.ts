import { eq } from 'drizzle-orm';
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
import { type FakeProviders, fixture, sevaSign, startFakeProviders, until } from './fakes/fake-providers.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api } from './tickets-helpers.ts';

let t: TestApp;
let fake: FakeProviders;
let admin: TestStaff;
let agent: TestStaff;
let channelId = '';
let secret = '';
const clock = new ManualClock(new Date());

function postSigned(path: string, body: string, opts: { secret?: string; ts?: number } = {}) {
  const ts = String(opts.ts ?? Math.floor(Date.now() / 1000));
  return t.app.inject({
    method: 'POST',
    url: path,
    headers: {
      'content-type': 'application/json',
      'x-seva-timestamp': ts,
      'x-seva-signature': sevaSign(opts.secret ?? secret, ts, body),
    },
    payload: body,
  });
}

function inbound(vars: { id: string; user: string; body: string; email?: string; verified?: boolean; name?: string }) {
  return fixture('api-inbound-message.json', {
    MESSAGE_ID: vars.id,
    USER_ID: vars.user,
    NAME: vars.name ?? 'App User',
    EMAIL: vars.email ?? `${vars.user}@app.example.com`,
    VERIFIED: vars.verified ?? false,
    BODY: vars.body,
  });
}

beforeAll(async () => {
  fake = await startFakeProviders({ now: () => clock.now() });
  allowChannelLoopbackPortsForTests([fake.port]);
  t = await createTestApp({ clock, env: { SEVA_ROLES: 'api,realtime,worker', HOST: '127.0.0.1' } });
  admin = await createStaff(t, 'admin');
  agent = await createStaff(t, 'agent');
  const res = await api(t, admin, 'POST', '/channels', {
    kind: 'api',
    name: 'Mobile app',
    callbackUrl: `${fake.baseUrl}/callback`,
    costPerMessage: 0.0075,
    autoReplies: {},
  });
  expect(res.statusCode).toBe(201);
  channelId = res.json().id;
  secret = res.json().secret;
  fake.creds.callbackSecret = secret;
});

afterAll(async () => {
  await t?.close();
  await fake?.close();
  allowChannelLoopbackPortsForTests([]);
});

describe('API channel admin', () => {
  it('creates a channel, returns its secret once and never again', async () => {
    expect(secret).toMatch(/^[\w-]{40,}$/);
    const got = await api(t, admin, 'GET', `/channels/${channelId}`);
    expect(got.statusCode).toBe(200);
    expect(got.json()).toMatchObject({
      kind: 'api',
      name: 'Mobile app',
      status: 'active',
      costPerMessage: 0.0075,
      credentialsSet: ['secret'],
      hookPath: `/hooks/channels/${channelId}/messages`,
    });
    expect(JSON.stringify(got.json())).not.toContain(secret);
  });

  it('refuses callback URLs that point at private or loopback addresses', async () => {
    for (const callbackUrl of [
      'http://169.254.169.254/latest',
      'http://10.0.0.5/hook',
      'http://[::1]:9/x',
      'ftp://example.com/x',
    ]) {
      const res = await api(t, admin, 'POST', '/channels', { kind: 'api', name: 'Bad', callbackUrl });
      expect(res.statusCode, callbackUrl).toBe(400);
    }
  });

  it('refuses agents (settings:manage is needed)', async () => {
    expect((await api(t, agent, 'GET', '/channels')).statusCode).toBe(403);
  });

  it('documents the inbound hook with an example in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json', headers: admin.bearer })).json();
    const op = doc.paths['/hooks/channels/{id}/messages']?.post;
    expect(op).toBeDefined();
    expect(JSON.stringify(op)).toContain('app-msg-8812');
    expect(JSON.stringify(op)).toContain('x-seva-signature');
  });
});

describe('API channel inbound', () => {
  it('creates a conversation for a new app user and continues it on the next message', async () => {
    const first = await postSigned(
      `/hooks/channels/${channelId}/messages`,
      inbound({ id: 'm-1', user: 'u-100', body: 'My order has not arrived' }),
    );
    expect(first.statusCode).toBe(202);
    const a = first.json();
    expect(a.duplicate).toBe(false);
    const [ticket] = await t.deps.db.select().from(tickets).where(eq(tickets.id, a.ticketId));
    expect(ticket).toMatchObject({ channel: 'api', subject: 'My order has not arrived', status: 'new' });

    const second = await postSigned(
      `/hooks/channels/${channelId}/messages`,
      inbound({ id: 'm-2', user: 'u-100', body: 'Any news?' }),
    );
    expect(second.json().ticketId).toBe(a.ticketId);
    const msgs = await t.deps.db.select().from(messages).where(eq(messages.ticketId, a.ticketId));
    expect(msgs.map((m) => m.bodyText)).toEqual(['My order has not arrived', 'Any news?']);
    expect(msgs[0]?.meta).toMatchObject({ channel: { id: channelId, kind: 'api', externalMessageId: 'm-1' } });
  });

  it('stores the same message once when it is delivered twice', async () => {
    const body = inbound({ id: 'm-dup', user: 'u-200', body: 'Hello twice' });
    const one = await postSigned(`/hooks/channels/${channelId}/messages`, body);
    const two = await postSigned(`/hooks/channels/${channelId}/messages`, body);
    expect(one.statusCode).toBe(202);
    expect(two.statusCode).toBe(202);
    expect(two.json()).toMatchObject({
      duplicate: true,
      ticketId: one.json().ticketId,
      messageId: one.json().messageId,
    });
    const rows = await t.deps.db.select().from(messages).where(eq(messages.ticketId, one.json().ticketId));
    expect(rows).toHaveLength(1);
  });

  it('refuses a bad or stale signature and stores nothing', async () => {
    const before = await t.deps.db.select().from(channelInboundMessages);
    const body = inbound({ id: 'm-forged', user: 'u-300', body: 'forged' });
    const wrong = await postSigned(`/hooks/channels/${channelId}/messages`, body, { secret: 'not-the-secret' });
    const stale = await postSigned(`/hooks/channels/${channelId}/messages`, body, {
      ts: Math.floor(Date.now() / 1000) - 3600,
    });
    const unsigned = await t.app.inject({
      method: 'POST',
      url: `/hooks/channels/${channelId}/messages`,
      headers: { 'content-type': 'application/json' },
      payload: body,
    });
    const unknown = await postSigned('/hooks/channels/00000000-0000-4000-8000-000000000000/messages', body);
    for (const r of [wrong, stale, unsigned, unknown]) expect(r.statusCode).toBe(401);
    expect(await t.deps.db.select().from(channelInboundMessages)).toHaveLength(before.length);
  });

  it('names the invalid field of a signed but malformed message', async () => {
    const res = await postSigned(`/hooks/channels/${channelId}/messages`, JSON.stringify({ messageId: 'x', user: {} }));
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json())).toContain('user.id');
  });

  it('stores inline attachments', async () => {
    const body = JSON.stringify({
      messageId: 'm-att',
      user: { id: 'u-400' },
      text: 'screenshot attached',
      attachments: [
        { filename: '../../etc/shot.png', contentType: 'image/png', data: Buffer.from('PNGDATA').toString('base64') },
      ],
    });
    const res = await postSigned(`/hooks/channels/${channelId}/messages`, body);
    expect(res.statusCode).toBe(202);
    const files = await t.deps.db.select().from(attachments).where(eq(attachments.messageId, res.json().messageId));
    expect(files).toHaveLength(1);
    expect(files[0]?.filename).toBe('shot.png');
    expect(files[0]?.sizeBytes).toBe(7);
  });

  it('joins a verified email to the existing customer, but never an unverified one', async () => {
    const v = await postSigned(
      `/hooks/channels/${channelId}/messages`,
      inbound({ id: 'm-v1', user: 'u-500', body: 'hi', email: 'known@example.com', verified: true }),
    );
    const [t1] = await t.deps.db.select().from(tickets).where(eq(tickets.id, v.json().ticketId));
    const [identity] = await t.deps.db
      .select()
      .from(customerIdentities)
      .where(eq(customerIdentities.value, 'known@example.com'));
    expect(identity?.customerId).toBe(t1?.customerId);
    // someone else claims the same email without verification: a separate customer
    const u = await postSigned(
      `/hooks/channels/${channelId}/messages`,
      inbound({ id: 'm-v2', user: 'u-501', body: 'hi', email: 'known@example.com', verified: false }),
    );
    const [t2] = await t.deps.db.select().from(tickets).where(eq(tickets.id, u.json().ticketId));
    expect(t2?.customerId).not.toBe(t1?.customerId);
    // a verified claim by another app user finds the customer that owns the email
    const w = await postSigned(
      `/hooks/channels/${channelId}/messages`,
      inbound({ id: 'm-v3', user: 'u-502', body: 'hi again', email: 'KNOWN@example.com', verified: true }),
    );
    const [t3] = await t.deps.db.select().from(tickets).where(eq(tickets.id, w.json().ticketId));
    expect(t3?.customerId).toBe(t1?.customerId);
  });
});

describe('API channel outbound', () => {
  it('delivers a public agent reply to the callback URL, signed, and records the delivery on the message', async () => {
    const res = await postSigned(
      `/hooks/channels/${channelId}/messages`,
      inbound({ id: 'm-out-1', user: 'u-600', body: 'Where is my refund?' }),
    );
    const ticketId = res.json().ticketId;
    const before = fake.sent.length;
    const reply = await api(t, agent, 'POST', `/tickets/${ticketId}/messages`, { body: 'Your refund left today.' });
    expect(reply.statusCode).toBe(201);
    const note = await api(t, agent, 'POST', `/tickets/${ticketId}/messages`, {
      body: 'internal: checked with finance',
      internal: true,
    });
    expect(note.statusCode).toBe(201);
    await fake.waitForSent(before + 1);
    const call = fake.sent[before];
    expect(call?.json).toMatchObject({
      type: 'message',
      id: reply.json().id,
      conversationId: ticketId,
      user: { id: 'u-600' },
      text: 'Your refund left today.',
    });
    expect(call?.headers['idempotency-key']).toBeDefined();
    const msg = await until(async () => {
      const [m] = await t.deps.db.select().from(messages).where(eq(messages.id, reply.json().id));
      return m?.status === 'sent' ? m : null;
    });
    expect(msg.meta).toMatchObject({ channel: { delivery: { status: 'sent' } } });
    // the internal note never left
    await new Promise((r) => setTimeout(r, 1500));
    expect(fake.sent.slice(before).map((s) => s.json?.text)).toEqual(['Your refund left today.']);
  });

  it('retries a failing callback with backoff until it succeeds', async () => {
    const res = await postSigned(
      `/hooks/channels/${channelId}/messages`,
      inbound({ id: 'm-out-2', user: 'u-700', body: 'Retry me' }),
    );
    fake.failNext(2);
    const before = fake.sent.length;
    const reply = await api(t, agent, 'POST', `/tickets/${res.json().ticketId}/messages`, { body: 'Third time lucky' });
    await fake.waitForSent(before + 3, 25_000);
    const d = await until(async () => {
      const [row] = await t.deps.db
        .select()
        .from(channelDeliveries)
        .where(eq(channelDeliveries.messageId, reply.json().id));
      return row?.status === 'sent' ? row : null;
    }, 25_000);
    expect(d.attempts).toBe(3);
    expect(fake.sent.slice(before).every((s) => s.json?.id === reply.json().id)).toBe(true);
  }, 40_000);

  it('takes delivery and read receipts from the app, never moving backwards', async () => {
    const res = await postSigned(
      `/hooks/channels/${channelId}/messages`,
      inbound({ id: 'm-out-3', user: 'u-800', body: 'Receipts please' }),
    );
    const reply = await api(t, agent, 'POST', `/tickets/${res.json().ticketId}/messages`, { body: 'Here it is' });
    const messageId = reply.json().id;
    await until(async () => {
      const [d] = await t.deps.db.select().from(channelDeliveries).where(eq(channelDeliveries.messageId, messageId));
      return d?.status === 'sent';
    });
    const read = await postSigned(
      `/hooks/channels/${channelId}/receipts`,
      JSON.stringify({ messageId, status: 'read' }),
    );
    expect(read.json()).toEqual({ updated: 1 });
    const late = await postSigned(
      `/hooks/channels/${channelId}/receipts`,
      JSON.stringify({ messageId, status: 'delivered' }),
    );
    expect(late.json()).toEqual({ updated: 0 });
    const [m] = await t.deps.db.select().from(messages).where(eq(messages.id, messageId));
    expect(m?.meta).toMatchObject({ channel: { delivery: { status: 'read' } } });
  });

  it('holds inbound while paused (503, nothing stored) and works again after resuming', async () => {
    expect((await api(t, admin, 'PATCH', `/channels/${channelId}`, { status: 'paused' })).json().status).toBe('paused');
    const body = inbound({ id: 'm-paused', user: 'u-900', body: 'anyone?' });
    const paused = await postSigned(`/hooks/channels/${channelId}/messages`, body);
    expect(paused.statusCode).toBe(503);
    expect(
      await t.deps.db
        .select()
        .from(channelInboundMessages)
        .where(eq(channelInboundMessages.externalMessageId, 'm-paused')),
    ).toHaveLength(0);
    await api(t, admin, 'PATCH', `/channels/${channelId}`, { status: 'active' });
    expect((await postSigned(`/hooks/channels/${channelId}/messages`, body)).statusCode).toBe(202);
  });

  it('sends a test message and lists it with its outcome, and counts the cost', async () => {
    const before = fake.sent.length;
    const res = await api(t, admin, 'POST', `/channels/${channelId}/test`, { to: 'u-test', text: 'Hello from Seva' });
    expect(res.statusCode).toBe(202);
    await fake.waitForSent(before + 1);
    const list = await until(async () => {
      const l = (await api(t, admin, 'GET', `/channels/${channelId}/deliveries`)).json();
      return l.items.find((d: { kind: string; status: string }) => d.kind === 'test' && d.status === 'sent') ? l : null;
    });
    expect(list.items.length).toBeGreaterThan(0);
    const costs = (await api(t, admin, 'GET', '/channels/costs?days=1')).json();
    const row = costs.items.find((c: { channelId: string }) => c.channelId === channelId);
    expect(row.messagesSent).toBeGreaterThanOrEqual(4);
    expect(row.totalCost).toBeCloseTo(row.messagesSent * 0.0075, 6);
  });
});

describe('channel conversations and email', () => {
  it('shows where a ticket talks and moves the conversation to email, after which replies go by email only', async () => {
    const res = await postSigned(
      `/hooks/channels/${channelId}/messages`,
      inbound({ id: 'm-move', user: 'u-move', body: 'Please email me', email: 'mover@example.com', verified: true }),
    );
    const ticketId = res.json().ticketId;
    const info = await api(t, agent, 'GET', `/channels/tickets/${ticketId}`);
    expect(info.statusCode).toBe(200);
    expect(info.json()).toMatchObject({
      channel: { kind: 'api', name: 'Mobile app', contact: { externalId: 'u-move' } },
      emails: ['mover@example.com'],
    });

    // no mailbox yet: a clear refusal
    expect((await api(t, agent, 'POST', `/channels/tickets/${ticketId}/move-to-email`, {})).statusCode).toBe(409);
    const mb = await api(t, admin, 'POST', '/mailboxes', { address: 'support@example.com', name: 'Support' });
    expect(mb.statusCode).toBe(201);
    // an address owned by another customer is refused
    await postSigned(
      `/hooks/channels/${channelId}/messages`,
      inbound({ id: 'm-other', user: 'u-other', body: 'x', email: 'other@example.com', verified: true }),
    );
    expect(
      (await api(t, agent, 'POST', `/channels/tickets/${ticketId}/move-to-email`, { email: 'other@example.com' }))
        .statusCode,
    ).toBe(409);

    const moved = await api(t, agent, 'POST', `/channels/tickets/${ticketId}/move-to-email`, {});
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ channel: null, emails: ['mover@example.com'] });
    const before = fake.sent.length;
    const reply = await api(t, agent, 'POST', `/tickets/${ticketId}/messages`, { body: 'Continuing by email' });
    expect(reply.statusCode).toBe(201);
    await new Promise((r) => setTimeout(r, 1500));
    expect(fake.sent.length).toBe(before);
    expect(
      await t.deps.db.select().from(channelDeliveries).where(eq(channelDeliveries.messageId, reply.json().id)),
    ).toHaveLength(0);
  });

  it('answers 404 for a ticket the agent cannot see', async () => {
    expect((await api(t, agent, 'GET', '/channels/tickets/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });
});

describe('business hours', () => {
  it('answers a conversation that starts outside business hours with the away reply, and refuses unknown time zones', async () => {
    const bad = await api(t, admin, 'PATCH', `/channels/${channelId}`, {
      businessHours: { timezone: 'Mars/Olympus', days: [] },
    });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('businessHours.timezone');

    const closedDay = (clock.now().getUTCDay() + 3) % 7;
    const set = await api(t, admin, 'PATCH', `/channels/${channelId}`, {
      businessHours: { timezone: 'UTC', days: [{ day: closedDay, open: '10:00', close: '11:00' }] },
      awayReplies: { en: 'We are closed now and will answer in the morning.' },
      autoReplies: { en: 'Thanks, we got it.' },
    });
    expect(set.statusCode).toBe(200);
    expect(set.json().businessHours.days).toHaveLength(1);
    const before = fake.sent.length;
    await postSigned(
      `/hooks/channels/${channelId}/messages`,
      inbound({ id: 'm-night', user: 'u-night', body: 'Are you there?' }),
    );
    await fake.waitForSent(before + 1);
    expect(fake.sent[before]?.json?.text).toBe('We are closed now and will answer in the morning.');

    await api(t, admin, 'PATCH', `/channels/${channelId}`, { businessHours: null });
    await postSigned(`/hooks/channels/${channelId}/messages`, inbound({ id: 'm-day', user: 'u-day', body: 'Hello?' }));
    await fake.waitForSent(before + 2);
    expect(fake.sent[before + 1]?.json?.text).toBe('Thanks, we got it.');
    await api(t, admin, 'PATCH', `/channels/${channelId}`, { autoReplies: {}, awayReplies: {} });
  });
});

describe('stranded deliveries', () => {
  it('sends a queued delivery again when its job was lost', async () => {
    const { channelsRuntime } = await import('../src/modules/channels/channels-runtime.ts');
    const { requeueStrandedDeliveries } = await import('../src/modules/channels/requeue-stranded-deliveries.ts');
    const [lost] = await t.deps.db
      .insert(channelDeliveries)
      .values({
        idempotencyKey: 'test:lost-job',
        channelId,
        kind: 'test',
        recipient: 'u-lost',
        text: 'recovered',
        createdAt: clock.now(),
        updatedAt: clock.now(),
      })
      .returning();
    const before = fake.sent.length;
    const rt = channelsRuntime(t.deps, () => undefined);
    const later = () => new Date(clock.now().getTime() + 20 * 60_000);
    expect(await requeueStrandedDeliveries({ db: t.deps.db, jobs: rt.jobs, now: later })).toBe(1);
    await fake.waitForSent(before + 1);
    expect(fake.sent[before]?.json?.text).toBe('recovered');
    const row = await until(async () => {
      const [d] = await t.deps.db
        .select()
        .from(channelDeliveries)
        .where(eq(channelDeliveries.id, lost?.id ?? ''));
      return d?.status === 'sent' ? d : null;
    });
    expect(row.attempts).toBe(1);
  });
});
