import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerApi } from './support/api.ts';
import { launchBrowser, newContext } from './support/browser.ts';
import { createAdminWithToken, type SevaServer, startServer } from './support/server.ts';

/**
 * The help centre's contact form, in a real browser: a Bengali visitor opens /help, follows "contact us", types a
 * question, is offered the Bengali article that answers it, sends the form anyway — and the agent finds the web
 * ticket, in Bengali, through the API; the KB report counts the web form's suggestion and contact.
 */
let server: SevaServer;
let browser: Browser;
let token: string;
let articleId = '';
const ADMIN = { name: 'Asha Admin', email: 'asha@example.com', password: 'a sturdy passphrase' };
const api = bearerApi(
  () => server.baseUrl,
  () => token,
);
const TITLE = 'আমার অর্ডার কবে আসবে?';

interface TicketRow {
  id: string;
  number: number;
  subject: string;
  channel: string;
  language: string | null;
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  token = await createAdminWithToken(server, ADMIN, 'tickets:read,tickets:write,admin');
  const article = await api<{ id: string }>('POST', '/kb/articles', {
    format: 'html',
    status: 'published',
    visibility: 'public',
    locale: 'bn',
    title: TITLE,
    body: '<p>আপনার অর্ডার সাধারণত তিন দিনের মধ্যে পৌঁছে যায়। পাঠানোর পরে এসএমএসে ট্র্যাকিং নম্বর আসে।</p>',
  });
  articleId = article.id;
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the help centre contact form', () => {
  it('a Bengali visitor is offered an article while typing, sends the form anyway, and an agent sees the ticket', {
    timeout: 120_000,
  }, async () => {
    const ctx = await newContext(browser, server.baseUrl, { locale: 'bn-BD' });
    try {
      const page = await ctx.newPage();
      const dialogs: string[] = [];
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await page.goto('/help');
      expect(new URL(page.url()).pathname).toBe('/help/bn');
      await page.getByRole('link', { name: 'এখনও সাহায্য দরকার? আমাদের সঙ্গে যোগাযোগ করুন' }).click();
      await page.getByRole('heading', { name: 'যোগাযোগ করুন' }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/help/bn/contact');

      await page.getByLabel('আপনার নাম').fill('রহিম <b>উদ্দিন</b>');
      await page.getByLabel('ইমেল ঠিকানা').fill('rahim@example.org');
      await page.getByLabel('বিষয়', { exact: true }).pressSequentially('অর্ডার কবে আসবে', { delay: 30 });
      await page.getByLabel('আমরা কীভাবে সাহায্য করতে পারি?').pressSequentially('তিন দিন হয়ে গেল, অর্ডার এখনও আসেনি।', {
        delay: 10,
      });

      // the suggestion appears while typing, as a plain link to the article that opens in a new tab
      const box = page.getByTestId('contact-suggestions');
      await box.getByText('এই নিবন্ধগুলো হয়তো আপনার প্রশ্নের উত্তর দেবে').waitFor();
      const link = box.getByRole('link', { name: new RegExp(TITLE.replace('?', '\\?')) });
      await link.waitFor();
      expect(await link.getAttribute('href')).toMatch(new RegExp(`^/help/bn/articles/${articleId}/`));
      expect(await link.getAttribute('target')).toBe('_blank');
      await box.getByRole('button', { name: 'এতে আমার প্রশ্নের উত্তর পেয়েছি' }).waitFor();

      // attaches a photo with the form's file input (the browser posts multipart/form-data)
      await page.getByLabel('ফাইল সংযুক্ত করুন (ঐচ্ছিক)').setInputFiles({
        name: 'বাক্স.png',
        mimeType: 'image/png',
        buffer: Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex'),
      });

      // sends it anyway
      await page.getByRole('button', { name: 'বার্তা পাঠান' }).click();
      const sent = page.getByTestId('contact-sent');
      await sent.getByRole('heading', { name: 'ধন্যবাদ — আমরা আপনার বার্তা পেয়েছি' }).waitFor();
      const number = Number(/#(\d+)/.exec((await sent.textContent()) ?? '')?.[1]);
      expect(number).toBeGreaterThan(0);
      expect(dialogs).toEqual([]);

      // the agent sees it through the API: channel web, in Bengali, with the message as typed
      const list = await api<{ items: TicketRow[] }>('GET', '/tickets?limit=50');
      const ticket = list.items.find((t) => t.number === number);
      expect(ticket).toMatchObject({ subject: 'অর্ডার কবে আসবে', channel: 'web', language: 'bn' });
      const msgs = await api<{ items: Array<{ body?: string; bodyText?: string }> }>(
        'GET',
        `/tickets/${ticket?.id}/messages`,
      );
      expect(JSON.stringify(msgs)).toContain('তিন দিন হয়ে গেল, অর্ডার এখনও আসেনি।');
      expect(JSON.stringify(msgs)).toMatch(/"filename":"বাক্স\.png","contentType":"image\/png"/);

      // the KB report counts the web form's session: suggestions shown, then a contact
      await expect
        .poll(
          async () => {
            const report = await api<{
              items: Array<{ channel: string; locale: string | null; sessions: number; contactSubmitted: number }>;
            }>('GET', '/kb/reports/deflection');
            return report.items.find((r) => r.channel === 'web_form' && r.locale === 'bn');
          },
          { timeout: 15_000 },
        )
        .toMatchObject({ sessions: 1, contactSubmitted: 1 });
    } finally {
      await ctx.close();
    }
  });
});
