import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeProviders, fixture, startFakeProviders, twilioSign } from '../apps/server/test/fakes/fake-providers.ts';
import { launchBrowser, newContext } from './support/browser.ts';
import { type SevaServer, startServer } from './support/server.ts';

/**
 * An SMS journey in a real browser against a real server (with the worker): the admin connects a Twilio-compatible
 * SMS channel in the admin UI, the fake provider delivers a signed SMS, the agent answers it in the ticket view, and
 * the reply reaches the fake provider's Messages API.
 */
let server: SevaServer;
let browser: Browser;
let fake: FakeProviders;
const saved: Record<string, string | undefined> = {};
const ADMIN = { name: 'Asha Admin', email: 'asha@example.com', password: 'a sturdy passphrase' };

beforeAll(async () => {
  fake = await startFakeProviders({ now: () => new Date() });
  for (const k of ['SEVA_ROLES', 'SEVA_UNSAFE_ALLOW_LOOPBACK_PORTS']) saved[k] = process.env[k];
  process.env.SEVA_ROLES = 'api,realtime,worker';
  process.env.SEVA_UNSAFE_ALLOW_LOOPBACK_PORTS = String(fake.port);
  server = await startServer();
  browser = await launchBrowser();
  const created = await server.runCli(['admin', 'create', '--email', ADMIN.email, '--password', ADMIN.password, '--name', ADMIN.name]);
  expect(created.code, created.stderr).toBe(0);
});

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
      const login = await context.request.post('/api/v1/auth/login', { data: { email: ADMIN.email, password: ADMIN.password } });
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

      const channels = (await (await context.request.get('/api/v1/channels')).json()) as { items: Array<{ id: string; hookPath: string }> };
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
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSign(fake.creds.authToken, hookUrl, form) },
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
        .poll(() => fake.sent.find((s) => s.provider === 'twilio' && s.form?.Body === 'Your parcel arrives tomorrow.')?.form, { timeout: 20_000 })
        .toMatchObject({ To: '+8801712345678', From: '+14155550100' });
    } finally {
      await context.close();
    }
  });
});
