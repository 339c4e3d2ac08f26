import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerApi } from './support/api.ts';
import { launchBrowser, newContext } from './support/browser.ts';
import { createAdminWithToken, type SevaServer, startServer } from './support/server.ts';

/**
 * The knowledge base in the help widget, in a real browser: a visitor on a Bengali shop's page (another origin)
 * types a Bengali question into the widget, finds the Bengali article (never the internal one), reads it inside the
 * widget (its markup never runs), says it solved the problem — and the KB report counts the deflection. Another
 * visitor starts writing a message, is offered the article, reads it, comes back to the message untouched and sends
 * it anyway: counted as a contact. People stay reachable throughout.
 */
let server: SevaServer;
let browser: Browser;
let token: string;
let shop: http.Server;
let shopOrigin = '';
let widgetKey = '';
const articles: Record<string, string> = {};
const ADMIN = { name: 'Asha Admin', email: 'asha@example.com', password: 'a sturdy passphrase' };
const api = bearerApi(
  () => server.baseUrl,
  () => token,
);
const VIEWPORT = { width: 1280, height: 800 };
const TITLE = 'আমার অর্ডার কবে আসবে?';

interface DeflectionRow {
  locale: string | null;
  channel: string;
  sessions: number;
  articleOpened: number;
  articleSolved: number;
  contactSubmitted: number;
  contactAbandoned: number;
  deflectionRate: number;
}

/** A Bengali shop on its own origin that embeds the widget in Bengali. */
function shopPage(): string {
  return `<!doctype html>
<html lang="bn"><head><meta charset="utf-8"><title>চায়ের দোকান</title></head>
<body><h1>চায়ের দোকান</h1><p>সেরা দার্জিলিং চা।</p>
<script src="${server.baseUrl}/widget.js" data-seva-key="${widgetKey}" data-seva-language="bn" async></script>
</body></html>`;
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  token = await createAdminWithToken(server, ADMIN, 'tickets:read,tickets:write,admin');

  shop = http.createServer((req, res) => {
    if (req.url !== '/') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(shopPage());
  });
  await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
  shopOrigin = `http://localhost:${(shop.address() as AddressInfo).port}`;

  const widget = await api<{ publicKey: string }>('POST', '/widgets', {
    name: 'চায়ের দোকান',
    greetings: { en: 'Hello!', bn: 'নমস্কার! চা নিয়ে যা খুশি জিজ্ঞেস করুন।', hi: 'नमस्ते!' },
    allowedOrigins: [shopOrigin],
    options: { kb: true, chat: true, message: true, callback: false },
  });
  widgetKey = widget.publicKey;

  const article = async (key: string, body: Record<string, unknown>) => {
    const res = await api<{ id: string }>('POST', '/kb/articles', {
      format: 'html',
      status: 'published',
      visibility: 'public',
      ...body,
    });
    articles[key] = res.id;
  };
  await article('delivery', {
    locale: 'bn',
    title: TITLE,
    body:
      '<p>আপনার অর্ডার সাধারণত তিন দিনের মধ্যে পৌঁছে যায়। পাঠানোর পরে এসএমএসে ট্র্যাকিং নম্বর আসে।</p>' +
      '<p><a href="https://shop.example/track">অর্ডার ট্র্যাক করুন</a></p>' +
      '<script>window.__pwned = 1</script><img src="x" onerror="window.__pwned = 2">',
  });
  await article('internal', {
    locale: 'bn',
    visibility: 'internal',
    title: 'অর্ডার কবে আসবে — শুধু কর্মীদের জন্য',
    body: '<p>অর্ডার দেরি হলে গুদামের গোপন নম্বরে ফোন করুন।</p>',
  });
  await article('english', {
    locale: 'en',
    title: 'When will my order arrive?',
    body: '<p>Orders arrive within three days.</p>',
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (shop ? shop.close(() => resolve()) : resolve()));
  await server?.stop();
});

async function openWidget(page: Page): Promise<Frame> {
  await page.goto('/');
  await expect
    .poll(() => page.evaluate(() => document.querySelector('seva-widget') !== null), { timeout: 15_000 })
    .toBe(true);
  await page.mouse.click(VIEWPORT.width - 48, VIEWPORT.height - 48);
  let frame: Frame | undefined;
  await expect
    .poll(
      () => {
        frame = page.frames().find((f) => f.url().includes('/widget/frame'));
        return !!frame;
      },
      { timeout: 15_000 },
    )
    .toBe(true);
  const f = frame as Frame;
  await f.getByText('নমস্কার! চা নিয়ে যা খুশি জিজ্ঞেস করুন।').waitFor();
  return f;
}

async function widgetDeflection(): Promise<DeflectionRow | undefined> {
  const report = await api<{ items: DeflectionRow[] }>('GET', '/kb/reports/deflection');
  return report.items.find((r) => r.channel === 'widget' && r.locale === 'bn');
}

describe('the knowledge base in the widget', () => {
  it('a visitor on a Bengali page finds a Bengali article, reads it in the widget and says it solved the problem', {
    timeout: 120_000,
  }, async () => {
    const ctx = await newContext(browser, shopOrigin, { viewport: VIEWPORT });
    try {
      const page = await ctx.newPage();
      const frame = await openWidget(page);
      // a person is reachable from the start
      await frame.getByRole('button', { name: 'একটি বার্তা রেখে যান' }).waitFor();

      // search as you type, in Bengali
      await frame
        .getByRole('searchbox', { name: 'আমাদের সাহায্য নিবন্ধ খুঁজুন' })
        .pressSequentially('অর্ডার কবে আসবে', { delay: 40 });
      const hit = frame.getByTestId('kb-hit').filter({ hasText: TITLE });
      await hit.waitFor();
      // the snippet highlights the words as text, never as markup from the article
      expect(await hit.locator('mark').first().textContent()).toBe('অর্ডার');
      expect(await hit.locator('.hit-snippet').textContent()).toContain('তিন দিনের মধ্যে');
      // internal articles never reach a visitor; the English one is not in the visitor's language
      const titles = await frame.getByTestId('kb-hit').locator('.hit-title').allTextContents();
      expect(titles).not.toContain('অর্ডার কবে আসবে — শুধু কর্মীদের জন্য');
      expect(titles[0]).toBe(TITLE);
      // the contact buttons are still there beside the results
      await frame.getByRole('button', { name: 'একটি বার্তা রেখে যান' }).waitFor();

      // open it inside the widget
      await hit.click();
      const view = frame.getByTestId('kb-article');
      await view.getByRole('heading', { name: TITLE }).waitFor();
      await view.getByText('আপনার অর্ডার সাধারণত তিন দিনের মধ্যে পৌঁছে যায়।').waitFor();
      const link = view.getByRole('link', { name: 'অর্ডার ট্র্যাক করুন' });
      expect(await link.getAttribute('target')).toBe('_blank');
      expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
      expect(await view.locator('script, [onerror]').count()).toBe(0);
      expect(await frame.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      const full = view.getByRole('link', { name: 'সাহায্য কেন্দ্রে পুরো নিবন্ধটি খুলুন' });
      expect(await full.getAttribute('href')).toMatch(new RegExp(`^/help/bn/articles/${articles.delivery}/`));
      // people stay reachable under the article
      await view.getByRole('button', { name: 'একটি বার্তা রেখে যান' }).waitFor();

      // "was this helpful?" → yes, this solved it
      await view.getByText('এটি কি কাজে লেগেছে?').waitFor();
      await view.getByRole('button', { name: 'হ্যাঁ, সমাধান হয়েছে' }).click();
      await view.getByText('খুশি হলাম যে কাজে লেগেছে!').waitFor();

      // the deflection is counted in the knowledge-base report
      await expect
        .poll(widgetDeflection, { timeout: 15_000 })
        .toMatchObject({ sessions: 1, articleOpened: 1, articleSolved: 1, contactSubmitted: 0, deflectionRate: 1 });
      const stored = await api<{ translations: Array<{ locale: string; helpfulCount: number }> }>(
        'GET',
        `/kb/articles/${articles.delivery}`,
      );
      expect(stored.translations.find((tr) => tr.locale === 'bn')?.helpfulCount).toBe(1);

      // back to the search, where the visitor left it
      await frame.getByRole('button', { name: 'পিছনে' }).click();
      await frame.getByTestId('kb-hit').filter({ hasText: TITLE }).waitFor();
      expect(await frame.getByRole('searchbox', { name: 'আমাদের সাহায্য নিবন্ধ খুঁজুন' }).inputValue()).toBe('অর্ডার কবে আসবে');
    } finally {
      await ctx.close();
    }
  });

  it('a visitor writing a message is offered the article, reads it and still sends the message', {
    timeout: 120_000,
  }, async () => {
    const ctx = await newContext(browser, shopOrigin, { viewport: VIEWPORT });
    try {
      const page = await ctx.newPage();
      const frame = await openWidget(page);
      await frame.getByRole('button', { name: 'একটি বার্তা রেখে যান' }).click();
      await frame.getByLabel('আপনার নাম').fill('মীরা');
      await frame.getByLabel('ইমেল').fill('meera@example.com');
      const body = frame.getByLabel('বার্তা', { exact: true });
      await body.pressSequentially('আমার অর্ডার কবে আসবে জানাবেন?', { delay: 20 });

      // suggestions appear under the form; the send button stays
      const suggestions = frame.getByTestId('kb-suggestions');
      await suggestions.getByText('এই নিবন্ধগুলিতে আপনার প্রশ্নের উত্তর থাকতে পারে').waitFor();
      const send = frame.getByRole('button', { name: 'বার্তা পাঠান' });
      expect(await send.isVisible()).toBe(true);
      await suggestions.getByTestId('kb-hit').filter({ hasText: TITLE }).click();
      await frame.getByTestId('kb-article').getByRole('heading', { name: TITLE }).waitFor();
      expect(await send.isVisible()).toBe(false);

      // back to the message: nothing typed is lost; the visitor sends it anyway
      await frame.getByRole('button', { name: 'পিছনে' }).click();
      expect(await body.inputValue()).toBe('আমার অর্ডার কবে আসবে জানাবেন?');
      await send.click();
      await frame.getByText(/ধন্যবাদ/).first().waitFor();

      await expect
        .poll(widgetDeflection, { timeout: 15_000 })
        .toMatchObject({ sessions: 2, articleOpened: 2, articleSolved: 1, contactSubmitted: 1, deflectionRate: 0.5 });
    } finally {
      await ctx.close();
    }

    // the knowledge-base page of the agent app shows the widget's self-service
    const staff = await newContext(browser, server.baseUrl, { viewport: VIEWPORT });
    try {
      const page = await staff.newPage();
      const login = await page
        .context()
        .request.post('/api/v1/auth/login', { data: { email: ADMIN.email, password: ADMIN.password } });
      expect(login.status()).toBe(200);
      await page.goto('/kb');
      const row = page.getByTestId('kb-deflection').getByRole('row', { name: /Help widget/ });
      await row.waitFor();
      expect(await row.locator('td').allTextContents()).toEqual(['Help widget', 'Bengali', '2', '2', '1', '1', '50%']);
    } finally {
      await staff.close();
    }
  });
});
