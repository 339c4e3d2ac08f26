import { createHmac } from 'node:crypto';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerApi } from './support/api.ts';
import { launchBrowser, newContext } from './support/browser.ts';
import { type HostSite, startHostSite } from './support/host-site.ts';
import { createAdminWithToken, type SevaServer, startServer } from './support/server.ts';

/**
 * The help widget in a real browser, embedded by a customer's site on another origin whose CSS tries to restyle
 * everything: a visitor chats live with an agent signed in to Seva in a second browser context; with nobody online
 * the visitor leaves a message (an email ticket) and asks for a call back (a phone ticket); a site that is not
 * allowed gets no widget and cannot frame it.
 */
let server: SevaServer;
let browser: Browser;
let token: string;
let site: HostSite;
let stranger: HostSite;
let widgetKey: string;
let widgetId: string;
/** the user signed in on the host site's /account page (window.SevaWidget.identity), if any */
let signedIn: { userId: string; email: string; name: string; signature: string } | null = null;
const saved: Record<string, string | undefined> = {};
const ADMIN = { name: 'Asha Admin', email: 'asha@example.com', password: 'a sturdy passphrase' };
const api = bearerApi(
  () => server.baseUrl,
  () => token,
);
const VIEWPORT = { width: 1280, height: 800 };
/** a 1×1 PNG */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

beforeAll(async () => {
  saved.SEVA_ROLES = process.env.SEVA_ROLES;
  process.env.SEVA_ROLES = 'api,realtime,worker';
  server = await startServer();
  browser = await launchBrowser();
  token = await createAdminWithToken(server, ADMIN, 'tickets:read,tickets:write,admin');
  // the site's origin is only known once it listens; the widget key only once the widget exists
  const keyRef = { key: '' };
  site = await startHostSite({
    sevaBaseUrl: server.baseUrl,
    get widgetKey() {
      return keyRef.key;
    },
    signedInUser: () => signedIn,
  });
  stranger = await startHostSite({
    sevaBaseUrl: server.baseUrl,
    get widgetKey() {
      return keyRef.key;
    },
    extraBody: (origin) =>
      `<iframe id="direct" title="direct" src="${server.baseUrl}/widget/frame?key=${keyRef.key}&origin=${encodeURIComponent(origin)}"></iframe>`,
  });
  const widget = await api<{ id: string; publicKey: string }>('POST', '/widgets', {
    name: 'Tea shop help',
    primaryColor: '#0b7285',
    greetings: {
      en: 'Hello! Ask us anything about your tea.',
      bn: 'নমস্কার! চা নিয়ে যা খুশি জিজ্ঞেস করুন।',
      hi: 'नमस्ते! अपनी चाय के बारे में कुछ भी पूछें।',
    },
    allowedOrigins: [site.origin],
    options: { kb: true, chat: true, message: true, callback: true },
  });
  keyRef.key = widget.publicKey;
  widgetKey = widget.publicKey;
  widgetId = widget.id;
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await stranger?.close();
  await server?.stop();
  if (saved.SEVA_ROLES === undefined) delete process.env.SEVA_ROLES;
  else process.env.SEVA_ROLES = saved.SEVA_ROLES;
});

async function signIn(page: Page): Promise<void> {
  expect(
    (
      await page
        .context()
        .request.post('/api/v1/auth/login', { data: { email: ADMIN.email, password: ADMIN.password } })
    ).status(),
  ).toBe(200);
}

/** The launcher sits in a closed shadow root: find it where a person would, in the bottom-right corner. */
async function clickLauncher(page: Page, viewport = VIEWPORT): Promise<void> {
  await expect
    .poll(() => page.evaluate(() => document.querySelector('seva-widget') !== null), { timeout: 15_000 })
    .toBe(true);
  const x = viewport.width - 20 - 28;
  const y = viewport.height - 20 - 28;
  // nothing of the host page covers it, and the host's `display: none !important` did not hide it
  expect(
    await page.evaluate(
      ([px, py]) => document.elementFromPoint(px as number, py as number)?.tagName.toLowerCase(),
      [x, y],
    ),
  ).toBe('seva-widget');
  await page.mouse.click(x, y);
}

async function widgetFrame(page: Page): Promise<Frame> {
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
  return frame as Frame;
}

async function setAvailability(status: 'online' | 'offline'): Promise<void> {
  await api('PUT', '/routing/me/availability', { status });
}

describe('help widget journeys', () => {
  it('a visitor on another site chats live with an agent in a second browser context', {
    timeout: 180_000,
  }, async () => {
    const agentCtx = await newContext(browser, server.baseUrl);
    const visitorCtx = await newContext(browser, site.origin, { viewport: VIEWPORT });
    try {
      const agent = await agentCtx.newPage();
      await signIn(agent);
      await agent.goto('/');
      await agent.getByTestId('availability-menu').click();
      await agent.getByTestId('availability-online').click();
      await expect.poll(() => agent.getByTestId('availability-menu').getAttribute('data-status')).toBe('online');

      const visitor = await visitorCtx.newPage();
      await visitor.goto('/');
      await clickLauncher(visitor);
      const frame = await widgetFrame(visitor);
      await frame.getByText('Hello! Ask us anything about your tea.').waitFor();
      // the host's CSS reaches neither the panel nor the app inside it
      const box = await (await frame.frameElement()).boundingBox();
      expect(box?.width).toBe(380);
      expect(box?.height).toBeGreaterThan(400);
      const greetingStyle = await frame.getByText('Hello! Ask us anything about your tea.').evaluate((el) => {
        const s = getComputedStyle(el);
        return { color: s.color, fontSize: s.fontSize };
      });
      expect(greetingStyle.color).not.toBe('rgb(255, 0, 0)');
      expect(greetingStyle.fontSize).toBe('18px');

      await frame.getByRole('button', { name: 'Chat with us' }).click();
      const text = frame.getByLabel('Write a message…');
      await text.fill('Is the Darjeeling in stock? <img src=x onerror="window.__pwned=1">');
      await text.press('Enter');
      await frame.getByText('Is the Darjeeling in stock? <img src=x onerror="window.__pwned=1">').waitFor();
      await frame.getByText('Waiting for someone to join…').waitFor();

      // the agent is offered the chat, accepts it and sees the visitor's page
      const offer = agent.getByTestId('chat-offer');
      await offer.waitFor({ timeout: 20_000 });
      await offer.getByTestId('chat-offer-accept').click();
      const panel = agent.getByTestId('chat-panel');
      await expect.poll(() => panel.getAttribute('data-chat-status')).toBe('active');
      await panel.getByText(`${site.origin}/`).first().waitFor();
      await agent.getByText('Is the Darjeeling in stock? <img src=x onerror="window.__pwned=1">').first().waitFor();
      await frame.getByText('Asha Admin joined the chat').waitFor();

      // the agent types (the visitor sees it) and replies (the visitor gets it live)
      await agent.getByTestId('composer-editor').click();
      await agent.keyboard.type('Yes, we have 40 tins of it.');
      await frame.getByText('Asha Admin is typing…').waitFor();
      await agent.getByTestId('send-reply').click();
      await frame.getByText('Yes, we have 40 tins of it.').waitFor();
      // the agent has read the visitor's message
      await frame.getByText('Seen').waitFor();

      // the visitor answers with an emoji from the picker, the agent sees it live, and no markup ever ran
      await text.fill('Great, I will order two ');
      await frame.getByRole('button', { name: 'Insert emoji' }).click();
      await frame.getByRole('dialog', { name: 'Insert emoji' }).getByRole('button', { name: '🙂' }).click();
      await text.press('Enter');
      await agent.getByText('Great, I will order two 🙂').first().waitFor();
      expect(await frame.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(await agent.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

      // a photo of the tin: uploaded, shown inline to the visitor (from a blob: URL), listed for the agent
      await frame.locator('input[type="file"]').setInputFiles({ name: 'tin.png', mimeType: 'image/png', buffer: PNG });
      await frame.getByText('Attached: tin.png').waitFor();
      await frame.getByRole('button', { name: 'Send' }).click();
      const image = frame.locator('img.chat-image[alt="tin.png"]');
      await image.waitFor();
      expect(await image.getAttribute('src')).toMatch(/^blob:/);
      await agent.getByText('tin.png').first().waitFor();

      // a single-page site changes its URL: the agent sees the visitor's new page
      await visitor.evaluate(() => history.pushState({}, '', '/checkout'));
      await panel.getByText(`${site.origin}/checkout`).first().waitFor({ timeout: 15_000 });

      // another page of the site: the conversation is there at once, in order, nothing doubled
      await visitor.goto('/orders');
      await clickLauncher(visitor);
      const again = await widgetFrame(visitor);
      await again.getByText('Yes, we have 40 tins of it.').waitFor();
      const bubbles = await again.locator('.bubble .text').allTextContents();
      expect(bubbles).toEqual([
        'Is the Darjeeling in stock? <img src=x onerror="window.__pwned=1">',
        'Yes, we have 40 tins of it.',
        'Great, I will order two 🙂',
      ]);
      await again.locator('img.chat-image[alt="tin.png"]').waitFor();
      // the agent sees the page the visitor is on now
      await panel.getByText(`${site.origin}/orders`).first().waitFor({ timeout: 15_000 });

      // Escape closes the panel and gives focus back to the launcher
      await again.getByLabel('Write a message…').press('Escape');
      await expect.poll(async () => await (await again.frameElement()).isVisible()).toBe(false);

      // the agent ends the chat: the visitor sees it and may ask for the transcript (this desk has no mailbox, so
      // the widget says it cannot be emailed rather than pretending)
      await panel.getByTestId('chat-end-open').click();
      await agent.getByTestId('chat-end-solve').click();
      await agent.getByTestId('chat-end-submit').click();
      await clickLauncher(visitor);
      await again.getByText('The chat has ended').waitFor();
      await again.getByLabel('Your email').fill('rahul@example.com');
      await again.getByRole('button', { name: 'Email me the transcript' }).click();
      await again.getByText('Email is not set up here, so the transcript cannot be sent.').waitFor();
      await again.getByRole('button', { name: 'Start a new chat' }).waitFor();
    } finally {
      await visitorCtx.close();
      await agentCtx.close();
    }
  });

  it('reconnects after the network drops: nothing lost, doubled or reordered, no internal note shown', {
    timeout: 120_000,
  }, async () => {
    await setAvailability('online');
    const ctx = await newContext(browser, site.origin, { viewport: VIEWPORT });
    try {
      const page = await ctx.newPage();
      await page.goto('/');
      await clickLauncher(page);
      const frame = await widgetFrame(page);
      await frame.getByRole('button', { name: 'Chat with us' }).click();
      const text = frame.getByLabel('Write a message…');
      await text.fill('First, before the drop');
      await text.press('Enter');
      await frame.getByText('Waiting for someone to join…').waitFor();
      let chat: { ticketId: string; ticketNumber: number } | undefined;
      await expect
        .poll(
          async () => {
            const list = await api<{ items: Array<{ ticketId: string; ticketNumber: number; status: string }> }>(
              'GET',
              '/chats?scope=queue',
            );
            chat = list.items.find((c) => c.status === 'waiting');
            return !!chat;
          },
          { timeout: 15_000 },
        )
        .toBe(true);
      await api('POST', `/chats/${chat?.ticketId}/accept`);
      await frame.getByText('Asha Admin joined the chat').waitFor();

      // the network goes away: the widget says so, and what the visitor writes waits in the outbox
      await ctx.setOffline(true);
      await frame.getByText('Reconnecting…').waitFor();
      await text.fill('Second, written offline');
      await text.press('Enter');
      await frame.getByText('Sending…').waitFor();
      // meanwhile the agent replies and adds an internal note
      await api('POST', `/tickets/${chat?.ticketNumber}/messages`, { body: 'Reply while you were away' });
      await api('POST', `/tickets/${chat?.ticketNumber}/messages`, {
        body: 'Internal: check the stock first',
        internal: true,
      });

      await ctx.setOffline(false);
      await frame.getByText('Reply while you were away').waitFor({ timeout: 30_000 });
      await frame.getByText('Sending…').waitFor({ state: 'detached', timeout: 15_000 });
      expect(await frame.locator('.bubble .text').allTextContents()).toEqual([
        'First, before the drop',
        'Reply while you were away',
        'Second, written offline',
      ]);
      expect(await frame.getByText('Internal: check the stock first').count()).toBe(0);
      // stored exactly once
      const stored = await api<{ items: Array<{ bodyText?: string; body?: string }> }>(
        'GET',
        `/tickets/${chat?.ticketNumber}/messages`,
      );
      expect(JSON.stringify(stored).split('Second, written offline').length - 1).toBe(1);
    } finally {
      await ctx.close();
    }
  });

  it('with nobody online, the visitor leaves a message (an email ticket) and asks for a call back (a phone ticket)', {
    timeout: 120_000,
  }, async () => {
    await setAvailability('offline');
    const ctx = await newContext(browser, site.origin, {
      viewport: VIEWPORT,
      locale: 'hi-IN',
      timezoneId: 'Asia/Kolkata',
    });
    try {
      const page = await ctx.newPage();
      await page.goto('/');
      await clickLauncher(page);
      const frame = await widgetFrame(page);
      // in the browser's language, Hindi
      await frame.getByText('नमस्ते! अपनी चाय के बारे में कुछ भी पूछें।').waitFor();
      expect(await frame.getByRole('button', { name: 'हमसे चैट करें' }).count()).toBe(0);
      await frame.getByRole('button', { name: 'संदेश छोड़ें' }).click();
      await frame.getByRole('button', { name: 'संदेश भेजें' }).click();
      // nothing filled in: each field says what is missing
      expect(await frame.getByText('आवश्यक').count()).toBeGreaterThanOrEqual(2);
      await frame.getByLabel('आपका नाम').fill('Meera Iyer');
      await frame.getByLabel('ईमेल').fill('meera@example.com');
      await frame.getByLabel('संदेश', { exact: true }).fill('मेरा ऑर्डर अभी तक नहीं आया।');
      await frame.getByRole('button', { name: 'संदेश भेजें' }).click();
      const done = frame.getByText(/आपका संदेश टिकट #\d+ है/);
      await done.waitFor();
      const messageNumber = Number(/#(\d+)/.exec((await done.textContent()) ?? '')?.[1]);
      const ticket = await api<{ channel: string; status: string }>('GET', `/tickets/${messageNumber}`);
      expect(ticket.channel).toBe('email');

      // back to the start, then "call me back" with a time in the visitor's own zone
      await frame.getByRole('button', { name: 'वापस' }).click();
      await frame.getByRole('button', { name: 'मुझे वापस कॉल करें' }).click();
      // (Chromium still names India's zone Asia/Calcutta)
      await frame.getByText(/आपका समय क्षेत्र: Asia\/(Kolkata|Calcutta)/).waitFor();
      await frame.getByLabel('आपका नाम').fill('Meera Iyer');
      await frame.getByLabel('फ़ोन नंबर').fill('+91 98765 43210');
      await frame.getByLabel('पसंदीदा समय (वैकल्पिक)').fill('2030-03-04T15:30');
      await frame.getByRole('button', { name: 'कॉल का अनुरोध करें' }).click();
      const requested = frame.getByText(/अनुरोध #\d+/);
      await requested.waitFor();
      const callbackNumber = Number(/#(\d+)/.exec((await requested.textContent()) ?? '')?.[1]);
      const phoneTicket = await api<{ channel: string }>('GET', `/tickets/${callbackNumber}`);
      expect(phoneTicket.channel).toBe('phone');
      const queue = await api<{
        items: Array<{ ticketNumber: number; phone: string; preferredAt: string | null; timezone: string | null }>;
      }>('GET', '/callbacks?status=open');
      const cb = queue.items.find((c) => c.ticketNumber === callbackNumber);
      expect(cb).toMatchObject({
        phone: '+919876543210',
        timezone: expect.stringMatching(/^Asia\/(Kolkata|Calcutta)$/),
      });
      // 15:30 in Kolkata is 10:00 UTC
      expect(new Date(cb?.preferredAt ?? '').toISOString()).toBe('2030-03-04T10:00:00.000Z');
    } finally {
      await ctx.close();
    }
  });

  it('recognises a customer the site signs in (HMAC) on another device, and never shows it to an anonymous visitor', {
    timeout: 120_000,
  }, async () => {
    await setAvailability('online');
    const { secret } = await api<{ secret: string }>('POST', `/widgets/${widgetId}/identity-secret`);
    const email = 'rahul@example.com';
    signedIn = {
      userId: 'shop-user-42',
      email,
      name: 'Rahul Sen',
      signature: createHmac('sha256', secret).update(`shop-user-42\n${email}`).digest('hex'),
    };
    const laptop = await newContext(browser, site.origin, { viewport: VIEWPORT });
    const phone = await newContext(browser, site.origin, { viewport: VIEWPORT });
    const stranger = await newContext(browser, site.origin, { viewport: VIEWPORT });
    try {
      const first = await laptop.newPage();
      await first.goto('/account');
      await clickLauncher(first);
      const frame = await widgetFrame(first);
      await frame.getByRole('button', { name: 'Chat with us' }).click();
      await frame.getByLabel('Write a message…').fill('Where is order 42?');
      await frame.getByLabel('Write a message…').press('Enter');
      await frame.getByText('Waiting for someone to join…').waitFor();

      // the same signed-in customer on another device: their conversation is there
      const second = await phone.newPage();
      await second.goto('/account');
      await clickLauncher(second);
      const other = await widgetFrame(second);
      await other.getByText('Where is order 42?').waitFor();

      // an anonymous visitor of the same page sees none of it
      signedIn = null;
      const anonymous = await stranger.newPage();
      await anonymous.goto('/account');
      await clickLauncher(anonymous);
      const anon = await widgetFrame(anonymous);
      await anon.getByRole('button', { name: 'Chat with us' }).waitFor();
      expect(await anon.getByText('Where is order 42?').count()).toBe(0);
      expect(await anon.getByRole('button', { name: 'Continue your conversation' }).count()).toBe(0);
    } finally {
      signedIn = null;
      await laptop.close();
      await phone.close();
      await stranger.close();
    }
  });

  it('the demo page embeds the widget in the language asked for', { timeout: 60_000 }, async () => {
    const ctx = await newContext(browser, server.baseUrl, { viewport: VIEWPORT });
    try {
      const page = await ctx.newPage();
      await page.goto(`/widget-demo?key=${widgetKey}&lang=bn`);
      await page.getByRole('heading', { name: 'সেবা সাহায্য উইজেটের ডেমো' }).waitFor();
      expect(await page.getByTestId('demo-snippet').textContent()).toBe(
        `<script src="${server.baseUrl}/widget.js" data-seva-key="${widgetKey}" async></script>`,
      );
      await clickLauncher(page);
      const frame = await widgetFrame(page);
      await frame.getByText('নমস্কার! চা নিয়ে যা খুশি জিজ্ঞেস করুন।').waitFor();
      // the keyboard is in the panel at once, on its first action
      await expect
        .poll(() => frame.evaluate(() => document.activeElement?.textContent ?? ''), { timeout: 10_000 })
        .toBe('আমাদের সঙ্গে চ্যাট করুন');
      // the visitor may switch language in the widget
      await frame.getByLabel('ভাষা').selectOption('hi');
      await frame.getByText('नमस्ते! अपनी चाय के बारे में कुछ भी पूछें।').waitFor();
    } finally {
      await ctx.close();
    }
  });

  it('fills a phone screen and closes with its own button', { timeout: 60_000 }, async () => {
    const phoneViewport = { width: 390, height: 844 };
    const ctx = await newContext(browser, site.origin, { viewport: phoneViewport, isMobile: true, hasTouch: true });
    try {
      const page = await ctx.newPage();
      await page.goto('/');
      await clickLauncher(page, phoneViewport);
      const frame = await widgetFrame(page);
      await frame.getByText('Hello! Ask us anything about your tea.').waitFor();
      const box = await (await frame.frameElement()).boundingBox();
      expect(box).toMatchObject({ x: 0, y: 0, width: phoneViewport.width, height: phoneViewport.height });
      await frame.getByRole('button', { name: 'Close' }).click();
      await expect.poll(async () => await (await frame.frameElement()).isVisible()).toBe(false);
    } finally {
      await ctx.close();
    }
  });

  it('a site that is not allowed gets no launcher and cannot frame the widget', { timeout: 60_000 }, async () => {
    const ctx = await newContext(browser, stranger.origin, { viewport: VIEWPORT });
    try {
      const page = await ctx.newPage();
      // the launcher's config call is refused by CORS (a failed request) or answered without permission
      const launcherAnswer = Promise.race([
        page.waitForEvent('requestfailed', (r) => r.url().includes('/widget/launcher')),
        page.waitForEvent('requestfinished', (r) => r.url().includes('/widget/launcher')),
      ]);
      await page.goto('/');
      await launcherAnswer;
      await page.waitForTimeout(500);
      expect(await page.evaluate(() => document.querySelector('seva-widget'))).toBeNull();
      // the direct frame is refused by frame-ancestors: no widget app runs in it
      const direct = page.frames().find((f) => f !== page.mainFrame());
      expect(direct).toBeTruthy();
      const hasApp = await direct?.evaluate(() => document.getElementById('seva-widget') !== null).catch(() => false);
      expect(hasApp).toBe(false);
    } finally {
      await ctx.close();
    }
  });
});
