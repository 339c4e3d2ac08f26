import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowChannelLoopbackPortsForTests } from '../src/modules/channels/index.ts';
import {
  channelContacts,
  channelInboundMessages,
  customers,
  events,
  messages,
} from '../src/platform/db/schema/index.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { type FakeProviders, fixture, metaSign, startFakeProviders, until } from './fakes/fake-providers.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api } from './tickets-helpers.ts';

/**
 * Messenger and Instagram webhooks carry only the sender's id: Seva asks the Graph API's User Profile API for the
 * name once per contact, after the message is stored, keeps it on the contact and names the customer made for it.
 * A failed lookup never loses or delays the message. The Graph API is the fake provider server.
 */
let t: TestApp;
let fake: FakeProviders;
let admin: TestStaff;
const APP_SECRET = 'profile-app-secret';
const ch = { messenger: '', instagram: '' };
let seq = 0;

async function write(kind: 'messenger' | 'instagram', senderId: string, text: string) {
  seq += 1;
  const mid = `m_profile_${seq}`;
  const body =
    kind === 'messenger'
      ? fixture('messenger-inbound-text.json', {
          PAGE_ID: '6660001',
          TIME_MS: Date.now(),
          PSID: senderId,
          MID: mid,
          BODY: text,
        })
      : fixture('instagram-inbound-text.json', {
          PAGE_ID: '1784150000',
          TIME_MS: Date.now(),
          IGSID: senderId,
          MID: mid,
          BODY: text,
        });
  const res = await t.app.inject({
    method: 'POST',
    url: `/hooks/channels/${ch[kind]}`,
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSign(APP_SECRET, body) },
    payload: body,
  });
  expect(res.statusCode).toBe(200);
  const [stored] = await t.deps.db
    .select({ messageId: channelInboundMessages.messageId })
    .from(channelInboundMessages)
    .where(and(eq(channelInboundMessages.channelId, ch[kind]), eq(channelInboundMessages.externalMessageId, mid)));
  return stored?.messageId ?? null;
}

async function contact(kind: 'messenger' | 'instagram', externalId: string) {
  const [row] = await t.deps.db
    .select({ displayName: channelContacts.displayName, customerName: customers.name })
    .from(channelContacts)
    .innerJoin(customers, eq(customers.id, channelContacts.customerId))
    .where(and(eq(channelContacts.channelId, ch[kind]), eq(channelContacts.externalId, externalId)));
  return row;
}

const fetchesOf = (id: string) => fake.profileFetches.filter((f) => f.id === id);

beforeAll(async () => {
  fake = await startFakeProviders({ now: () => new Date() });
  allowChannelLoopbackPortsForTests([fake.port]);
  t = await createTestApp({ env: { SEVA_ROLES: 'api,realtime,worker', HOST: '127.0.0.1' } });
  admin = await createStaff(t, 'admin');
  const credentials = { appSecret: APP_SECRET, accessToken: fake.creds.accessToken, verifyToken: 'v' };
  for (const [kind, pageId] of [
    ['messenger', '6660001'],
    ['instagram', '1784150000'],
  ] as const) {
    const res = await api(t, admin, 'POST', '/channels', {
      kind,
      name: kind,
      settings: { pageId, apiBaseUrl: fake.baseUrl },
      credentials,
    });
    expect(res.statusCode, res.body).toBe(201);
    ch[kind] = res.json().id;
  }
});

afterAll(async () => {
  await t?.close();
  await fake?.close();
  allowChannelLoopbackPortsForTests([]);
});

describe('Messenger and Instagram profile names', () => {
  it('names a new Messenger contact and its customer from the User Profile API, once per contact', async () => {
    fake.addProfile('24100000001', { kind: 'messenger', firstName: 'Peter', lastName: 'Chang' });
    expect(await write('messenger', '24100000001', 'Is the shop open today?')).toBeTruthy();
    const named = await until(async () => {
      const c = await contact('messenger', '24100000001');
      return c?.displayName ? c : null;
    });
    expect(named).toEqual({ displayName: 'Peter Chang', customerName: 'Peter Chang' });
    expect(fetchesOf('24100000001')).toEqual([{ id: '24100000001', fields: 'first_name,last_name' }]);
    // found by name in the customer search
    const search = await api(t, admin, 'GET', '/customers?q=Peter%20Chang');
    expect(search.json().items.map((c: { name: string }) => c.name)).toContain('Peter Chang');
    const [audit] = await t.deps.db.select().from(events).where(eq(events.type, 'customer.channel_profile_fetched'));
    expect(audit?.payload).toMatchObject({ name: 'Peter Chang', channelId: ch.messenger, customerRenamed: true });

    // the next message uses the stored name: no second lookup
    await write('messenger', '24100000001', 'And tomorrow?');
    await new Promise((r) => setTimeout(r, 1500));
    expect(fetchesOf('24100000001')).toHaveLength(1);
  });

  it('names an Instagram contact by its name (username when it has none)', async () => {
    fake.addProfile('9910000001', { kind: 'instagram', name: 'Farhana Rahman', username: 'farhana.r' });
    fake.addProfile('9910000002', { kind: 'instagram', name: '', username: 'dhaka_deals' });
    await write('instagram', '9910000001', 'Do you ship to Sylhet?');
    await write('instagram', '9910000002', 'Price?');
    await until(async () => (await contact('instagram', '9910000001'))?.displayName === 'Farhana Rahman');
    await until(async () => (await contact('instagram', '9910000002'))?.displayName === 'dhaka_deals');
    expect(fetchesOf('9910000001')).toEqual([{ id: '9910000001', fields: 'name,username' }]);
    expect((await contact('instagram', '9910000002'))?.customerName).toBe('dhaka_deals');
  });

  it('keeps the message when the lookup is refused, and does not ask again', async () => {
    // the Graph API does not know this id (a permanent error): the message is stored, the contact stays unnamed
    const messageId = await write('messenger', '24100000404', 'Hello?');
    expect(messageId).toBeTruthy();
    await until(async () => fetchesOf('24100000404').length === 1);
    await new Promise((r) => setTimeout(r, 3000));
    expect(fetchesOf('24100000404')).toHaveLength(1);
    expect(await contact('messenger', '24100000404')).toEqual({
      displayName: '',
      customerName: 'messenger 24100000404',
    });
    const [m] = await t.deps.db
      .select()
      .from(messages)
      .where(eq(messages.id, messageId as string));
    expect(m?.bodyText).toBe('Hello?');
    // a later message still arrives (and does not retry the lookup)
    expect(await write('messenger', '24100000404', 'Anyone there?')).toBeTruthy();
    await new Promise((r) => setTimeout(r, 1000));
    expect(fetchesOf('24100000404')).toHaveLength(1);
  });

  it('retries a lookup that failed for a moment; the message was stored before it', { timeout: 30_000 }, async () => {
    fake.addProfile('24100000503', { kind: 'messenger', firstName: 'Mina', lastName: 'Das' });
    fake.failProfilesNext(1);
    const messageId = await write('messenger', '24100000503', 'Order 7781?');
    // stored at once, before any lookup succeeded
    expect(messageId).toBeTruthy();
    await until(async () => (await contact('messenger', '24100000503'))?.displayName === 'Mina Das', 25_000);
    expect(fetchesOf('24100000503')).toHaveLength(2);
  });

  it('does not rename a customer an agent already named', { timeout: 30_000 }, async () => {
    fake.addProfile('24100000777', { kind: 'messenger', firstName: 'Page', lastName: 'Name' });
    // the first lookup fails, so the retry (2 s later) comes after the agent's rename
    fake.failProfilesNext(1);
    await write('messenger', '24100000777', 'Hi');
    // an agent renames the customer before the lookup lands
    const [c] = await t.deps.db
      .select({ customerId: channelContacts.customerId })
      .from(channelContacts)
      .where(eq(channelContacts.externalId, '24100000777'));
    await t.deps.db
      .update(customers)
      .set({ name: 'Rafiq (VIP)' })
      .where(eq(customers.id, c?.customerId as string));
    await until(async () => (await contact('messenger', '24100000777'))?.displayName === 'Page Name', 25_000);
    expect((await contact('messenger', '24100000777'))?.customerName).toBe('Rafiq (VIP)');
  });
});
