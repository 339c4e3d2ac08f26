import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type FakeProviders,
  fixture,
  metaSign,
  startFakeProviders,
  twilioSign,
} from '../apps/server/test/fakes/fake-providers.ts';
import { bearerApi } from './support/api.ts';
import { launchBrowser, newContext } from './support/browser.ts';
import { createAdminWithToken, type SevaServer, startServer } from './support/server.ts';

/**
 * Channel journeys in a real browser against a real server (with the worker).
 *
 * An SMS journey in a real browser against a real server (with the worker): the admin connects a Twilio-compatible
 * SMS channel in the admin UI, the fake provider delivers a signed SMS, the agent answers it in the ticket view, and
 * the reply reaches the fake provider's Messages API.
 *
 * A WhatsApp journey: the ticket page shows each reply's delivery state changing live (failed with the provider's
 * error, then sent and read), the 24-hour reply window; the customer page lists the customer's messaging contacts,
 * also after merging a duplicate; and the agent moves the conversation to email.
 */
let server: SevaServer;
let browser: Browser;
let fake: FakeProviders;
let token: string;
const saved: Record<string, string | undefined> = {};
const ADMIN = { name: 'Asha Admin', email: 'asha@example.com', password: 'a sturdy passphrase' };

beforeAll(async () => {
  fake = await startFakeProviders({ now: () => new Date() });
  for (const k of ['SEVA_ROLES', 'SEVA_UNSAFE_ALLOW_LOOPBACK_PORTS']) saved[k] = process.env[k];
  process.env.SEVA_ROLES = 'api,realtime,worker';
  process.env.SEVA_UNSAFE_ALLOW_LOOPBACK_PORTS = String(fake.port);
  server = await startServer();
  browser = await launchBrowser();
  token = await createAdminWithToken(server, ADMIN, 'tickets:read,tickets:write,customers:read,customers:write,admin');
});
const api = bearerApi(
  () => server.baseUrl,
  () => token,
);

/** Connects a WhatsApp channel to the fake Cloud API through the admin API. */
function connectWhatsapp(name: string, phoneNumberId: string, appSecret: string) {
  return api<{ id: string; hookPath: string }>('POST', '/channels', {
    kind: 'whatsapp',
    name,
    settings: { phoneNumberId, apiBaseUrl: fake.baseUrl },
    credentials: { appSecret, accessToken: fake.creds.accessToken, verifyToken: `verify-${phoneNumberId}` },
  });
}

/** A Meta webhook (WhatsApp) delivered to the channel's hook, signed with the app secret; Seva must answer 200. */
async function postSignedMeta(hookPath: string, appSecret: string, body: string) {
  const res = await fetch(`${server.baseUrl}${hookPath}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': metaSign(appSecret, body) },
    body,
  });
  expect(res.status).toBe(200);
}

/** A browser context signed in as the admin. */
async function signedInContext() {
  const context = await newContext(browser, server.baseUrl);
  const login = await context.request.post('/api/v1/auth/login', {
    data: { email: ADMIN.email, password: ADMIN.password },
  });
  expect(login.status()).toBe(200);
  return context;
}

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await fake?.close();
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('SMS channel journey', () => {
  it('connects an SMS channel, takes an SMS as a ticket and sends the agent reply back to the provider', async () => {
    const context = await newContext(browser, server.baseUrl);
    try {
      const login = await context.request.post('/api/v1/auth/login', {
        data: { email: ADMIN.email, password: ADMIN.password },
      });
      expect(login.status()).toBe(200);
      const page = await context.newPage();

      // 1. connect the channel in the admin UI (SMS is the default type)
      await page.goto('/');
      await page.getByTestId('nav-channels').click();
      await page.getByTestId('channel-connect').click();
      await page.getByTestId('channel-name').fill('SMS Dhaka');
      await page.getByTestId('channel-field-accountSid').fill(fake.creds.accountSid);
      await page.getByTestId('channel-field-phoneNumber').fill('+14155550100');
      await page.getByTestId('channel-field-authToken').fill(fake.creds.authToken);
      await page.getByTestId('channel-field-apiBaseUrl').fill(fake.baseUrl);
      await page.getByTestId('channel-save').click();
      const card = page.getByTestId('channel-SMS Dhaka');
      await card.waitFor();
      expect(await card.getByTestId('channel-status').textContent()).toBe('Active');

      const channels = (await (await context.request.get('/api/v1/channels')).json()) as {
        items: Array<{ id: string; hookPath: string }>;
      };
      const hookUrl = `${server.baseUrl}${channels.items[0]?.hookPath}`;

      // 2. the provider delivers an SMS, signed like Twilio signs it
      const form = fixture('twilio-inbound-sms.form', {
        SID: 'SM0000000000000000000000000000e2e1',
        ACCOUNT_SID: fake.creds.accountSid,
        FROM: '+8801712345678',
        BODY: 'আমার পার্সেল কোথায়?',
      });
      const delivered = await fetch(hookUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': twilioSign(fake.creds.authToken, hookUrl, form),
        },
        body: form,
      });
      expect(delivered.status).toBe(200);

      // 3. the agent finds it in the inbox and replies
      await page.goto('/');
      await page.getByText('আমার পার্সেল কোথায়?').first().click();
      await page.getByTestId('composer').waitFor();
      await page.getByTestId('composer-editor').click();
      await page.keyboard.type('Your parcel arrives tomorrow.');
      await page.getByTestId('send-reply').click();
      await page.locator('[data-testid="message"][data-kind="public"]').nth(1).waitFor();

      // 4. the reply reaches the provider, to the customer's number, from ours
      await expect
        .poll(
          () =>
            fake.sent.find((s) => s.provider === 'twilio' && s.form?.Body === 'Your parcel arrives tomorrow.')?.form,
          { timeout: 20_000 },
        )
        .toMatchObject({ To: '+8801712345678', From: '+14155550100' });
    } finally {
      await context.close();
    }
  });

  it('shows WhatsApp delivery states live, the reply window and the contacts; merges a duplicate; moves to email', {
    timeout: 120_000,
  }, async () => {
    const APP_SECRET = 'e2e-app-secret';
    const WA_ID = '8801911000111';
    const channel = await connectWhatsapp('WhatsApp Dhaka', '1069900077', APP_SECRET);
    await api('POST', '/mailboxes', { address: 'support@example.com', name: 'Support' });
    // the same person wrote to us by email before, as another customer
    const emailTicket = await api<{ customer: { id: string } }>('POST', '/tickets', {
      subject: 'Invoice copy',
      customer: { email: 'karim@example.com', name: 'Karim Uddin' },
      message: { body: 'Please send the invoice again.' },
    });
    const postMeta = (body: string) => postSignedMeta(channel.hookPath, APP_SECRET, body);
    const now = () => Math.floor(Date.now() / 1000);
    await postMeta(
      fixture('whatsapp-inbound-text.json', {
        PHONE_NUMBER_ID: '1069900077',
        NAME: 'Karim Mia',
        WA_ID,
        WAMID: 'wamid.e2e-in-1',
        TIMESTAMP: now(),
        BODY: 'রিফান্ড কবে পাব?',
      }),
    );
    const list = await api<{ items: Array<{ id: string; number: number; channel: string }> }>(
      'GET',
      '/tickets?channel=whatsapp',
    );
    const ticket = list.items[0];
    expect(ticket).toBeTruthy();

    const context = await signedInContext();
    try {
      const page = await context.newPage();
      await page.goto(`/tickets/${ticket?.number}`);

      // the channel panel: which channel, and the 24-hour window open until a day after the customer wrote
      const panel = page.getByTestId('ticket-channel-panel');
      await panel.waitFor();
      expect(await panel.getAttribute('data-window')).toBe('open');
      expect(await panel.getByTestId('reply-window').textContent()).toContain('Free-form replies are allowed until');
      expect(await panel.textContent()).toContain('Karim Mia');

      // a reply's text is in a sandboxed frame: find it by its place in the conversation
      const replies = page.locator('[data-testid="message"][data-kind="public"]');
      const reply = async (text: string, n: number) => {
        await page.getByTestId('composer-editor').click();
        await page.keyboard.type(text);
        await page.getByTestId('send-reply').click();
        return replies.nth(n);
      };

      // 1. WhatsApp refuses the first reply (the provider saw no message from this number in 24 hours): the
      //    message says so, with the provider's error, without a reload
      const first = await reply('We are checking your refund.', 1);
      await first.locator('[data-testid="message-delivery"][data-status="failed"]').waitFor({ timeout: 20_000 });
      expect(await first.getByTestId('message-delivery-error').textContent()).toMatch(/24-hour|131047/);

      // 2. the next reply is sent, and the read receipt turns it to "Read" live
      fake.customerWrote(WA_ID, new Date());
      const second = await reply('Your refund was sent today.', 2);
      const sent = second.locator('[data-testid="message-delivery"][data-status="sent"]');
      await sent.waitFor({ timeout: 20_000 });
      expect(await sent.textContent()).toBe('Sent');
      const deliveries = await api<{ items: Array<{ status: string; providerMessageId: string | null }> }>(
        'GET',
        `/channels/${channel.id}/deliveries`,
      );
      const wamid = deliveries.items.find((d) => d.status === 'sent')?.providerMessageId;
      expect(wamid).toBeTruthy();
      await postMeta(
        fixture('whatsapp-status-read.json', {
          PHONE_NUMBER_ID: '1069900077',
          WAMID: wamid ?? '',
          STATUS: 'read',
          TIMESTAMP: now(),
          WA_ID,
        }),
      );
      await second.locator('[data-testid="message-delivery"][data-status="read"]').waitFor({ timeout: 20_000 });
      expect(await second.getByTestId('message-delivery').textContent()).toBe('Read');

      // 3. the ticket's customer panel lists the WhatsApp contact
      await page.getByTestId('customer-panel').getByTestId('channel-contact').filter({ hasText: WA_ID }).waitFor();

      // 4. the email customer's page: no messaging contacts; merging the WhatsApp customer in brings theirs
      await page.goto(`/customers/${emailTicket.customer.id}`);
      const contacts = page.getByTestId('customer-channel-contacts');
      await contacts.getByText('No messaging contacts yet.').waitFor();
      await page.getByTestId('merge-customer').click();
      await page.getByTestId('merge-customer-search').fill('Karim Mia');
      await page.getByTestId('merge-customer-select').click();
      await page.getByRole('option', { name: 'Karim Mia' }).click();
      await page.getByTestId('merge-customer-confirm').click();
      const contact = contacts.locator('[data-testid="channel-contact"][data-kind="whatsapp"]');
      await contact.waitFor();
      expect(await contact.textContent()).toContain(WA_ID);
      expect(await contact.textContent()).toContain('WhatsApp Dhaka');

      // 5. back on the ticket, the conversation moves to the customer's email address
      await page.goto(`/tickets/${ticket?.number}`);
      await panel.waitFor();
      await panel.getByTestId('move-to-email').click();
      await page
        .getByTestId('message')
        .filter({ hasText: 'Conversation moved to email (karim@example.com).' })
        .waitFor();
      await panel.waitFor({ state: 'detached' });
      const info = await api<{ channel: unknown; emails: string[] }>('GET', `/channels/tickets/${ticket?.id}`);
      expect(info.channel).toBeNull();
    } finally {
      await context.close();
    }
  });
  it('moves a single WhatsApp contact to another customer from the customer page', { timeout: 90_000 }, async () => {
    const APP_SECRET = 'e2e-app-secret-2';
    const WA_ID = '8801911000222';
    const channel = await connectWhatsapp('WhatsApp Sylhet', '1069900088', APP_SECRET);
    const postMeta = async (wamid: string, text: string) => {
      const body = fixture('whatsapp-inbound-text.json', {
        PHONE_NUMBER_ID: '1069900088',
        NAME: 'Nasrin Work Phone',
        WA_ID,
        WAMID: wamid,
        TIMESTAMP: Math.floor(Date.now() / 1000),
        BODY: text,
      });
      await postSignedMeta(channel.hookPath, APP_SECRET, body);
    };
    await postMeta('wamid.e2e-move-1', 'Is my order packed?');
    const tickets = await api<{ items: Array<{ id: string; subject: string; customer: { id: string } }> }>(
      'GET',
      '/tickets?channel=whatsapp',
    );
    const ticket = tickets.items.find((x) => x.subject === 'Is my order packed?');
    expect(ticket).toBeTruthy();
    const source = ticket?.customer.id as string;
    // the person is already a customer, known by email
    const target = await api<{ id: string }>('POST', '/customers', {
      name: 'Nasrin Akter',
      emails: ['nasrin@example.com'],
    });

    const context = await signedInContext();
    try {
      const page = await context.newPage();
      await page.goto(`/customers/${source}`);
      const contacts = page.getByTestId('customer-channel-contacts');
      const row = contacts.locator('[data-testid="channel-contact"][data-kind="whatsapp"]').filter({ hasText: WA_ID });
      await row.getByTestId('move-contact').click();
      await page.getByTestId('move-contact-search').fill('Nasrin Akter');
      await page.getByTestId('move-contact-select').click();
      await page.getByRole('option', { name: 'Nasrin Akter <nasrin@example.com>' }).click();
      await page.getByText('will move from Nasrin Work Phone to Nasrin Akter').waitFor();
      await page.getByTestId('move-contact-confirm').click();
      await page.getByText('Contact moved to Nasrin Akter with 1 open conversation').waitFor();
      // gone from this customer, listed on the other, with the open conversation
      await contacts.getByText('No messaging contacts yet.').waitFor();
      await page.goto(`/customers/${target.id}`);
      const moved = page
        .getByTestId('customer-channel-contacts')
        .locator('[data-testid="channel-contact"][data-kind="whatsapp"]');
      await moved.waitFor();
      expect(await moved.textContent()).toContain(WA_ID);
      await page.getByTestId('customer-tickets').getByText('Is my order packed?').waitFor();
    } finally {
      await context.close();
    }

    // the contact's next message continues that conversation, as the other customer's
    await postMeta('wamid.e2e-move-2', 'Also: can you gift-wrap it?');
    const after = await api<{ customer: { id: string } }>('GET', `/tickets/${ticket?.id}`);
    expect(after.customer.id).toBe(target.id);
    const thread = await api<{ items: Array<{ bodyText: string; author: { id: string } | null }> }>(
      'GET',
      `/tickets/${ticket?.id}/messages`,
    );
    expect(thread.items.map((m) => [m.bodyText, m.author?.id])).toEqual([
      ['Is my order packed?', source],
      ['Also: can you gift-wrap it?', target.id],
    ]);
  });
  it('sends WhatsApp reply buttons from the ticket and shows the customer’s tap live', {
    timeout: 90_000,
  }, async () => {
    const APP_SECRET = 'e2e-app-secret-3';
    const WA_ID = '8801911000333';
    const channel = await connectWhatsapp('WhatsApp Rajshahi', '1069900099', APP_SECRET);
    const postMeta = (body: string) => postSignedMeta(channel.hookPath, APP_SECRET, body);
    const ts = () => Math.floor(Date.now() / 1000);
    fake.customerWrote(WA_ID, new Date());
    await postMeta(
      fixture('whatsapp-inbound-text.json', {
        PHONE_NUMBER_ID: '1069900099',
        NAME: 'Selim Reza',
        WA_ID,
        WAMID: 'wamid.e2e-int-1',
        TIMESTAMP: ts(),
        BODY: 'Can I change the delivery day?',
      }),
    );
    const tickets = await api<{ items: Array<{ number: number; subject: string }> }>(
      'GET',
      '/tickets?channel=whatsapp',
    );
    const ticket = tickets.items.find((x) => x.subject === 'Can I change the delivery day?');
    expect(ticket).toBeTruthy();

    const context = await signedInContext();
    try {
      const page = await context.newPage();
      await page.goto(`/tickets/${ticket?.number}`);
      const panel = page.getByTestId('ticket-channel-panel');
      await panel.waitFor();
      await panel.getByTestId('interactive-open').click();
      await page.getByTestId('interactive-body').fill('Which day suits you?');
      await page.getByTestId('interactive-options').fill('Saturday\nSunday');
      await page.getByTestId('interactive-confirm').click();
      await page.getByText('Sent to WhatsApp').waitFor();

      // the buttons reach the provider as an interactive message
      const interactive = () =>
        fake.sent.find((s) => s.provider === 'whatsapp' && s.json?.to === WA_ID && s.json?.type === 'interactive');
      await expect.poll(interactive, { timeout: 20_000 }).toBeTruthy();
      const sent = interactive();
      expect(sent?.json?.interactive).toMatchObject({
        type: 'button',
        body: { text: 'Which day suits you?' },
        action: {
          buttons: [
            { type: 'reply', reply: { id: 'option-1', title: 'Saturday' } },
            { type: 'reply', reply: { id: 'option-2', title: 'Sunday' } },
          ],
        },
      });
      const replies = page.locator('[data-testid="message"][data-kind="public"]');
      await replies.nth(1).locator('[data-testid="message-delivery"][data-status="sent"]').waitFor({ timeout: 20_000 });

      // the customer taps "Sunday": it appears on the ticket without a reload
      await postMeta(
        fixture('whatsapp-inbound-interactive.json', {
          PHONE_NUMBER_ID: '1069900099',
          NAME: 'Selim Reza',
          WA_ID,
          WAMID: 'wamid.e2e-int-tap',
          CONTEXT_WAMID: 'wamid.x',
          TIMESTAMP: ts(),
          REPLY_TYPE: 'button_reply',
          REPLY_ID: 'option-2',
          REPLY_TITLE: 'Sunday',
        }),
      );
      await replies.nth(2).waitFor({ timeout: 20_000 });
      expect(await replies.count()).toBe(3);
    } finally {
      await context.close();
    }
  });
});
