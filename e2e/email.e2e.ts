import nodemailer from 'nodemailer';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSink, textOf } from '../apps/server/test/fakes/smtp-sink.ts';
import { launchBrowser, newContext } from './support/browser.ts';
import { freePort, type SevaServer, startServer } from './support/server.ts';

/**
 * Email end to end with real SMTP peers: the admin adds a mailbox in the admin screen, a Bengali mail arrives through
 * Seva's SMTP listener, the agent sees the ticket appear live, replies, and the reply reaches a real SMTP sink
 * (the relay) threaded onto the customer's message.
 */
let server: SevaServer;
let browser: Browser;
let sink: Awaited<ReturnType<typeof startSink>>;
let smtpPort: number;
const saved: Record<string, string | undefined> = {};
const ADMIN = { name: 'Asha Admin', email: 'asha@example.com', password: 'a sturdy passphrase' };

beforeAll(async () => {
  sink = await startSink();
  smtpPort = await freePort();
  for (const k of ['SEVA_ROLES', 'SEVA_SMTP_PORT', 'SEVA_SMTP_RELAY_URL']) saved[k] = process.env[k];
  process.env.SEVA_ROLES = 'api,realtime,worker';
  process.env.SEVA_SMTP_PORT = String(smtpPort);
  process.env.SEVA_SMTP_RELAY_URL = `smtp://127.0.0.1:${sink.port}`;
  server = await startServer();
  browser = await launchBrowser();
  const created = await server.runCli([
    'admin',
    'create',
    '--email',
    ADMIN.email,
    '--password',
    ADMIN.password,
    '--name',
    ADMIN.name,
  ]);
  expect(created.code, created.stderr).toBe(0);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await sink?.close();
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('email journey', () => {
  it('takes a Bengali mail through the listener to a live ticket, and the reply reaches the relay threaded', {
    timeout: 120_000,
  }, async () => {
    const context = await newContext(browser, server.baseUrl);
    try {
      expect(
        (
          await context.request.post('/api/v1/auth/login', { data: { email: ADMIN.email, password: ADMIN.password } })
        ).status(),
      ).toBe(200);
      const page = await context.newPage();

      // 1. the mailbox, in the admin screen
      await page.goto('/admin?tab=mailboxes');
      await page.getByTestId('mailbox-create').click();
      await page.getByTestId('mailbox-address').fill('support@example.com');
      await page.getByTestId('mailbox-name').fill('Support');
      await page.getByTestId('mailbox-save').click();
      const card = page.getByTestId('mailbox-support@example.com');
      await card.waitFor();
      expect(await card.getByTestId('mailbox-status').textContent()).toBe('Active');

      // 1b. an IMAP mailbox: the security choice follows the port, and plain text is warned about
      await page.getByTestId('mailbox-create').click();
      await page.getByTestId('mailbox-address').fill('imap@example.com');
      await page.getByTestId('mailbox-name').fill('IMAP');
      await page.getByTestId('imap-enabled').click();
      await page.getByTestId('imap-host').fill('127.0.0.1');
      await page.getByLabel('User name', { exact: true }).fill('support');
      await page.getByLabel('Password', { exact: true }).fill('imap-password');
      expect(await page.getByTestId('imap-port').inputValue()).toBe('993');
      await page.getByTestId('imap-security').click();
      await page.getByRole('option', { name: 'STARTTLS (port 143)' }).click();
      expect(await page.getByTestId('imap-port').inputValue()).toBe('143');
      expect(await page.getByTestId('imap-plain-warning').count()).toBe(0);
      await page.getByTestId('imap-security').click();
      await page.getByRole('option', { name: 'None — plain text' }).click();
      await page.getByTestId('imap-plain-warning').waitFor();
      await page.getByTestId('mailbox-save').click();
      const imapCard = page.getByTestId('mailbox-imap@example.com');
      await imapCard.waitFor();
      expect(await imapCard.getByTestId('mailbox-imap-badge').textContent()).toBe('IMAP 127.0.0.1 · no TLS');
      expect(await imapCard.getByTestId('mailbox-imap-sync').textContent()).toBe('IMAP not checked yet');
      const saved = await context.request.get('/api/v1/mailboxes');
      const imapMailbox = (await saved.json()).items.find((m: { address: string }) => m.address === 'imap@example.com');
      expect(imapMailbox.imap).toMatchObject({ enabled: true, security: 'plain', port: 143, lastSyncAt: null });

      // 2. the agent watches the inbox while a customer writes
      await page.goto('/');
      await page.getByTestId('ticket-table').or(page.getByText('No tickets match this view')).first().waitFor();
      const smtp = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
      await smtp.sendMail({
        from: 'রিনা দাস <rina@example.net>',
        to: 'support@example.com',
        subject: 'অর্ডার কবে আসবে?',
        text: 'আমার অর্ডার #৪৫২ এখনও আসেনি।',
        messageId: '<order-452@example.net>',
      });
      await page.getByText('অর্ডার কবে আসবে?').first().waitFor({ timeout: 30_000 });

      // 3. the reply goes out through the relay, threaded
      await page.getByText('অর্ডার কবে আসবে?').first().click();
      await page.getByTestId('composer-editor').click();
      await page.keyboard.type('আপনার অর্ডার আজ পৌঁছাবে।');
      await page.getByTestId('send-reply').click();
      const deadline = Date.now() + 30_000;
      // the agent's reply (the acknowledgement sent on arrival is threaded too, with other words)
      const find = () =>
        sink.mails.find((m) => m.to.includes('rina@example.net') && textOf(m.raw).includes('আপনার অর্ডার আজ পৌঁছাবে।'));
      let reply = find();
      while (!reply && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        reply = find();
      }
      expect(reply?.raw).toContain('In-Reply-To: <order-452@example.net>');
      expect(reply, 'the reply reached the relay').toBeTruthy();
      expect(reply?.raw).toMatch(/^From: .*support@example\.com/m);
    } finally {
      await context.close();
    }
  });
});
