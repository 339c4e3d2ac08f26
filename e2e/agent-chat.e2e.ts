import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startSink, textOf } from '../apps/server/test/fakes/smtp-sink.ts';
import { bearerApi } from './support/api.ts';
import { launchBrowser, newContext } from './support/browser.ts';
import { type SevaServer, startServer } from './support/server.ts';

/**
 * The agent's side of live chat in a real browser against a real server: the admin creates a widget and copies its
 * snippet; online, they are offered a visitor's chat (started through the visitor API, typing over the visitor's
 * socket), accept it, see the visitor type, reply (the visitor receives it live), see "Seen", and end the chat.
 * Then a "call me back" request appears in the callback queue and the call is logged.
 */
let server: SevaServer;
let browser: Browser;
let token: string;
let sink: Awaited<ReturnType<typeof startSink>>;
/**
 * Closes the live notifications on screen ("new message" toasts). One that covers a button the test clicks never goes
 * away by itself: Mantine pauses its auto-close while the pointer is over it, and Playwright's retries keep the
 * pointer there. The visitor's last message raises one a moment after it shows in the thread, so wait for it briefly.
 */
async function closeNotifications(page: Page): Promise<void> {
  const toasts = page.getByTestId('realtime-notification');
  await toasts.first().waitFor({ timeout: 2_000 }).catch(() => {});
  // one at a time: the stack moves as each one leaves, and a leaving one cannot be clicked
  await expect
    .poll(
      async () => {
        await toasts.last().locator('.mantine-Notification-closeButton').click({ timeout: 1_000 }).catch(() => {});
        return toasts.count();
      },
      { timeout: 10_000 },
    )
    .toBe(0);
}

const saved: Record<string, string | undefined> = {};
const ADMIN = { name: 'Asha Admin', email: 'asha@example.com', password: 'a sturdy passphrase' };
const api = bearerApi(() => server.baseUrl, () => token);

beforeAll(async () => {
  sink = await startSink();
  for (const k of ['SEVA_ROLES', 'SEVA_SMTP_RELAY_URL']) saved[k] = process.env[k];
  process.env.SEVA_ROLES = 'api,realtime,worker';
  // transcripts go out through a real SMTP sink
  process.env.SEVA_SMTP_RELAY_URL = `smtp://127.0.0.1:${sink.port}`;
  server = await startServer();
  browser = await launchBrowser();
  const created = await server.runCli(['admin', 'create', '--email', ADMIN.email, '--password', ADMIN.password, '--name', ADMIN.name]);
  expect(created.code, created.stderr).toBe(0);
  const tok = await server.runCli(['token', 'create', '--email', ADMIN.email, '--name', 'e2e', '--scopes', 'tickets:read,tickets:write,admin']);
  expect(tok.code, tok.stderr).toBe(0);
  token = tok.stdout.trim().split('\n').pop() as string;
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

/** A visitor's HTTP call to /widget/v1 (as the widget frame would make it, from Seva's own origin). */
async function visitorCall<T>(method: string, path: string, visitorToken: string | null, body?: unknown): Promise<T> {
  const res = await fetch(`${server.baseUrl}/widget/v1${path}`, {
    method,
    headers: { origin: server.baseUrl, ...(visitorToken ? { 'x-seva-visitor': visitorToken } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

interface VisitorSocket {
  frames: Array<Record<string, unknown>>;
  send(frame: Record<string, unknown>): void;
  waitFor(pred: (f: Record<string, unknown>) => boolean, ms?: number): Promise<Record<string, unknown>>;
  close(): void;
}

function openVisitorSocket(key: string, visitorToken: string): Promise<VisitorSocket> {
  const url = `${server.baseUrl.replace('http', 'ws')}/widget/v1/socket?key=${encodeURIComponent(key)}&token=${encodeURIComponent(visitorToken)}`;
  const ws = new WebSocket(url, { headers: { origin: server.baseUrl } });
  const frames: Array<Record<string, unknown>> = [];
  const waiters: Array<{ pred: (f: Record<string, unknown>) => boolean; resolve: (f: Record<string, unknown>) => void }> = [];
  ws.on('message', (raw) => {
    const f = JSON.parse(String(raw)) as Record<string, unknown>;
    frames.push(f);
    for (const w of [...waiters]) {
      if (w.pred(f)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(f);
      }
    }
  });
  const socket: VisitorSocket = {
    frames,
    send: (frame) => ws.send(JSON.stringify(frame)),
    waitFor: (pred, ms = 15_000) => {
      const found = frames.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching frame within ${ms} ms; got ${JSON.stringify(frames.slice(-10))}`)), ms);
        waiters.push({ pred, resolve: (f) => (clearTimeout(timer), resolve(f)) });
      });
    },
    close: () => ws.close(),
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(socket));
    ws.once('error', reject);
  });
}

async function signIn(page: Page): Promise<void> {
  expect((await page.context().request.post('/api/v1/auth/login', { data: { email: ADMIN.email, password: ADMIN.password } })).status()).toBe(200);
}

describe('agent chat journey', () => {
  it('creates a widget, is offered a chat, accepts, sees the visitor type, replies, is seen, and ends it', { timeout: 180_000 }, async () => {
    const ctx = await newContext(browser, server.baseUrl, { permissions: ['clipboard-read', 'clipboard-write'] });
    let visitor: VisitorSocket | undefined;
    try {
      const page = await ctx.newPage();
      await signIn(page);

      // Admin → Widgets: create one and copy its snippet
      await page.goto('/admin?tab=widgets');
      await page.getByTestId('widget-create').click();
      const form = page.getByTestId('widget-form');
      await form.getByTestId('widget-name').fill('Shop help');
      await form.getByTestId('widget-greeting-en').fill('Hello! How can we help?');
      await form.getByTestId('widget-greeting-bn').fill('নমস্কার! কীভাবে সাহায্য করতে পারি?');
      await form.getByTestId('widget-origins').fill('shop.example/cart');
      await form.getByTestId('widget-save').click();
      // a path is not an origin: refused next to the field, nothing saved
      await form.getByText('Not an origin (scheme and host, no path): shop.example/cart').waitFor();
      await form.getByTestId('widget-origins').fill(`https://shop.example\n${server.baseUrl}`);
      await form.getByTestId('prechat-add').click();
      await form.getByTestId('prechat-key').fill('order_number');
      await form.getByTestId('prechat-label-en').fill('Order number');
      await form.getByTestId('widget-save').click();
      await form.waitFor({ state: 'detached' });
      const card = page.locator('[data-testid="widget-card"][data-widget-name="Shop help"]');
      const snippet = (await card.getByTestId('widget-snippet').textContent()) ?? '';
      expect(snippet).toContain('/widget.js');
      await card.getByTestId('widget-copy').click();
      await card.getByTestId('widget-copy').getByText('Copied').waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(snippet);
      const widgets = await api<{ items: Array<{ name: string; publicKey: string; allowedOrigins: string[]; preChatFields: Array<{ key: string }> }> }>('GET', '/widgets');
      const widget = widgets.items.find((w) => w.name === 'Shop help');
      expect(widget?.allowedOrigins).toEqual(['https://shop.example', server.baseUrl]);
      expect(widget?.preChatFields.map((f) => f.key)).toEqual(['order_number']);
      expect(snippet).toContain(widget?.publicKey);
      // the identity secret is shown once; replacing it asks first
      await card.getByTestId('widget-secret').click();
      const secret = (await page.getByTestId('widget-secret-value').textContent())?.trim() ?? '';
      expect(secret.length).toBeGreaterThanOrEqual(32);
      await page.getByTestId('widget-secret-done').click();
      await page.getByTestId('widget-secret-value').waitFor({ state: 'detached' });
      await card.getByTestId('widget-secret').getByText('New identity secret').waitFor();
      expect(await page.getByText(secret).count()).toBe(0);
      await card.getByTestId('widget-secret').click();
      await page.getByText('Signatures made with the old secret stop working at once.').waitFor();
      await page.getByTestId('confirm-cancel').click();
      const demo = await card.getByTestId('widget-demo').getAttribute('href');
      expect(demo).toBe(`/widget-demo?key=${widget?.publicKey}`);

      // online: chats may be offered to me
      await page.getByTestId('availability-menu').click();
      await page.getByTestId('availability-online').click();
      await expect.poll(() => page.getByTestId('availability-menu').getAttribute('data-status')).toBe('online');

      // a visitor starts a chat
      const key = widget?.publicKey as string;
      const v = await visitorCall<{ visitorToken: string }>('POST', '/visitors', null, {
        key,
        locale: 'bn-BD',
        page: { url: 'https://shop.example/cart', title: 'Your cart', referrer: 'https://search.example/?q=shoes' },
      });
      const started = await visitorCall<{ conversation: { id: string; number: number } }>('POST', '/conversations', v.visitorToken, {
        clientId: `c-${randomUUID()}`,
        body: 'আমার অর্ডার কোথায়? <img src=x onerror="window.__pwned=1">',
        preChat: { order_number: 'A-1042' },
        page: { url: 'https://shop.example/cart', title: 'Your cart' },
      });
      const conversationId = started.conversation.id;

      // the offer: card with a countdown; accept → the chat's ticket page
      const offer = page.getByTestId('chat-offer');
      await offer.waitFor({ timeout: 20_000 });
      const first = Number(await offer.getByTestId('chat-offer-countdown').textContent());
      expect(first).toBeGreaterThan(0);
      await expect.poll(async () => Number(await offer.getByTestId('chat-offer-countdown').textContent()), { timeout: 5_000 }).toBeLessThan(first);
      await offer.getByTestId('chat-offer-accept').click();
      await page.waitForURL(`**/tickets/${started.conversation.number}`);
      const panel = page.getByTestId('chat-panel');
      await expect.poll(() => panel.getAttribute('data-chat-status')).toBe('active');
      await panel.getByText('https://shop.example/cart').first().waitFor();
      await panel.getByTestId('chat-prechat').getByText('A-1042').waitFor();
      // the visitor's words are text, never markup
      await page.getByTestId('message-text').filter({ hasText: 'আমার অর্ডার কোথায়? <img src=x onerror="window.__pwned=1">' }).waitFor();
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();

      // the visitor opens the widget socket and types
      visitor = await openVisitorSocket(key, v.visitorToken);
      visitor.send({ type: 'subscribe', conversationId, afterSeq: 0 });
      await visitor.waitFor((f) => f.type === 'subscribed');
      await expect.poll(() => panel.getByTestId('visitor-presence').getAttribute('data-online'), { timeout: 15_000 }).toBe('true');
      visitor.send({ type: 'typing', conversationId, isTyping: true });
      await page.getByTestId('visitor-typing').waitFor();
      visitor.send({ type: 'typing', conversationId, isTyping: false });
      await page.getByTestId('visitor-typing').waitFor({ state: 'detached' });

      // the agent types (the visitor sees "typing") and replies; the visitor gets the reply live
      await page.getByTestId('composer-editor').click();
      await page.keyboard.type('Your parcel left our store this morning.');
      await visitor.waitFor((f) => f.type === 'typing' && f.isTyping === true);
      await page.getByTestId('send-reply').click();
      const reply = await visitor.waitFor((f) => f.type === 'message' && (f.message as { authorType: string }).authorType === 'staff');
      const replyMessage = reply.message as { seq: number; bodyText: string };
      expect(replyMessage.bodyText).toContain('Your parcel left our store this morning.');
      // the agent read the visitor's message (read receipt to the visitor)
      await visitor.waitFor((f) => f.type === 'read' && (f.seq as number) >= 1);

      // the visitor reads the reply: "Seen"
      visitor.send({ type: 'read', conversationId, seq: replyMessage.seq });
      await page.getByTestId('chat-seen').waitFor({ timeout: 15_000 });

      // the visitor answers over the socket: the agent sees it live, and it is marked read for the visitor
      visitor.send({ type: 'message', conversationId, clientId: `c-${randomUUID()}`, body: 'Thank you! 🙏' });
      const ack = await visitor.waitFor((f) => f.type === 'ack');
      await page.getByTestId('message-text').filter({ hasText: 'Thank you! 🙏' }).waitFor();
      await visitor.waitFor((f) => f.type === 'read' && (f.seq as number) >= (ack.seq as number));

      // the transcript by email (the visitor gave no address, so the agent types one)
      await closeNotifications(page);
      await panel.getByTestId('chat-transcript-open').click();
      await page.getByTestId('chat-transcript-email').fill('rina@example.net');
      await page.getByTestId('chat-transcript-send').click();
      await page.getByText('Transcript sent to rina@example.net').waitFor();
      await expect
        .poll(() => sink.mails.some((m) => m.to.includes('rina@example.net') && textOf(m.raw).includes('Your parcel left our store this morning.')), { timeout: 15_000 })
        .toBe(true);

      // the visitor moves to another page: the panel follows
      visitor.send({ type: 'page', page: { url: 'https://shop.example/orders/A-1042', title: 'Order A-1042' } });
      await panel.getByText('https://shop.example/orders/A-1042').waitFor();

      // end the chat and solve it
      await panel.getByTestId('chat-end-open').click();
      await page.getByTestId('chat-end-solve').click();
      await page.getByTestId('chat-end-submit').click();
      await expect.poll(() => panel.getAttribute('data-chat-status')).toBe('ended');
      await visitor.waitFor((f) => f.type === 'status' && f.chatStatus === 'ended');
      const ticket = await api<{ status: string; channel: string }>('GET', `/tickets/${started.conversation.number}`);
      expect(ticket).toMatchObject({ channel: 'chat', status: 'solved' });

      // away: a new chat waits in the queue, shown live on the Chats page and counted in the navigation
      await page.getByTestId('availability-menu').click();
      await page.getByTestId('availability-away').click();
      await expect.poll(() => page.getByTestId('availability-menu').getAttribute('data-status')).toBe('away');
      await page.getByTestId('nav-chats').click();
      await page.getByText('Nobody is waiting.').waitFor();
      await page.getByTestId('chat-not-online').waitFor();
      const second = await visitorCall<{ conversation: { id: string; number: number } }>('POST', '/conversations', v.visitorToken, {
        clientId: `c-${randomUUID()}`,
        body: 'One more question about delivery',
      });
      const queued = page.locator(`[data-testid="chat-queue-row"][data-ticket-number="${second.conversation.number}"]`);
      await queued.waitFor({ timeout: 20_000 });
      await expect.poll(() => page.getByTestId('chat-nav-count').textContent()).toBe('1');
      await expect(page.getByTestId('chat-offer').count()).resolves.toBe(0);
      // back online, the waiting chat is offered to me; I take it from the queue instead of the card
      await page.getByTestId('availability-menu').click();
      await page.getByTestId('availability-online').click();
      await page.getByTestId('chat-offer').waitFor({ timeout: 20_000 });
      await page.getByTestId('chat-not-online').waitFor({ state: 'detached' });
      await queued.getByTestId('chat-queue-accept').click();
      await page.waitForURL(`**/tickets/${second.conversation.number}`);
      await expect.poll(() => page.getByTestId('chat-panel').getAttribute('data-chat-status')).toBe('active');
      await page.getByTestId('chat-offer').waitFor({ state: 'detached' });
      // the earlier chat is listed among the visitor's conversations
      await page.getByTestId('chat-earlier').getByText(`#${started.conversation.number}`, { exact: false }).waitFor();
      // without the visitor's email the chat cannot continue by email: only solving is offered
      await page.getByTestId('chat-end-open').click();
      await page.getByText("Keeping it open needs the visitor's email address.").waitFor();
      expect(await page.getByRole('radio', { name: 'Keep it open as a ticket (continues by email)' }).isDisabled()).toBe(true);
      expect(await page.getByRole('radio', { name: 'Solve it' }).isChecked()).toBe(true);
      await page.getByRole('button', { name: 'Cancel' }).click();
    } finally {
      visitor?.close();
      await ctx.close();
    }
  });

  it('shows a "call me back" request in the callback queue and logs the call', { timeout: 120_000 }, async () => {
    const { publicKey: key } = await api<{ publicKey: string }>('POST', '/widgets', { name: 'Phone line', options: { kb: false, chat: false, message: true, callback: true } });
    const v = await visitorCall<{ visitorToken: string }>('POST', '/visitors', null, { key, locale: 'hi-IN' });
    const preferredAt = new Date(Date.now() + 3 * 3600_000);
    preferredAt.setUTCMinutes(0, 0, 0);
    const created = await visitorCall<{ ticketNumber: number }>('POST', '/callbacks', v.visitorToken, {
      name: 'Meera Iyer',
      phone: '+91 98765 43210',
      preferredAt: preferredAt.toISOString(),
      timezone: 'Asia/Kolkata',
      note: 'About my refund',
    });

    const ctx = await newContext(browser, server.baseUrl, { timezoneId: 'Europe/London' });
    try {
      const page = await ctx.newPage();
      await signIn(page);
      await page.goto('/');
      await expect.poll(() => page.getByTestId('callbacks-nav-count').textContent()).toBe('1');
      await page.getByTestId('nav-callbacks').click();
      const row = page.locator(`[data-testid="callback-row"][data-ticket-number="${created.ticketNumber}"]`);
      await row.waitFor();
      await row.getByTestId('callback-phone').getByText('+919876543210').waitFor();
      await row.getByText('About my refund').waitFor();
      // the preferred time in the agent's zone and in the customer's (India is 5:30 ahead of UTC)
      const indiaTime = new Intl.DateTimeFormat('en-GB', { timeStyle: 'short', timeZone: 'Asia/Kolkata' }).format(preferredAt);
      await row.getByTestId('callback-customer-time').getByText(indiaTime, { exact: false }).waitFor();

      await row.getByTestId('callback-claim').click();
      await row.getByText('Claimed by Asha Admin').waitFor();

      // scheduled for a time agreed with the customer
      await row.getByTestId('callback-schedule').click();
      await page.getByTestId('callback-schedule-at').fill('2030-01-15T10:30');
      await page.getByTestId('callback-schedule-save').click();
      await expect.poll(() => row.getAttribute('data-status')).toBe('scheduled');
      await row.getByText('Scheduled: 15 Jan 2030, 10:30 (your time)').waitFor();

      // first try from the queue: nobody answers, the request stays open with one attempt
      await row.getByTestId('callback-log').click();
      const form = page.getByTestId('log-call-form');
      await form.getByTestId('log-call-duration').fill('0:75');
      await form.getByTestId('log-call-save').click();
      await form.getByText('Write the duration as minutes:seconds, e.g. 4:05').waitFor();
      await form.getByTestId('log-call-duration').fill('0:40');
      await form.getByTestId('log-call-outcome').click();
      await page.getByRole('option', { name: 'No answer' }).click();
      await form.getByTestId('log-call-notes').fill('Rang out.');
      await form.getByTestId('log-call-save').click();
      await form.waitFor({ state: 'detached' });
      await row.getByText('1 attempt').waitFor();

      // then from the phone ticket's page, which knows the open request: answered, the request is done
      await page.goto(`/tickets/${created.ticketNumber}`);
      const log = page.getByTestId('ticket-calls');
      await log.getByTestId('ticket-callback').getByText('+919876543210', { exact: false }).waitFor();
      await log.getByTestId('call-log-entry').getByText('No answer').waitFor();
      await log.getByTestId('log-call-open').click();
      await form.getByTestId('log-call-duration').fill('4:05');
      await form.getByTestId('log-call-notes').fill('Refund confirmed, she is happy.');
      await form.getByTestId('log-call-save').click();
      await form.waitFor({ state: 'detached' });
      await log.getByTestId('call-log-entry').getByText('4:05').waitFor();
      await log.getByTestId('ticket-callback').waitFor({ state: 'detached' });
      await page.getByTestId('callbacks-nav-count').waitFor({ state: 'detached' });

      const ticket = await api<{ id: string; channel: string }>('GET', `/tickets/${created.ticketNumber}`);
      expect(ticket.channel).toBe('phone');
      const calls = await api<{ items: Array<{ outcome: string; durationSeconds: number; notes: string; direction: string; callbackId: string | null }> }>('GET', `/tickets/${ticket.id}/calls`);
      expect(calls.items).toHaveLength(2);
      expect(calls.items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ outcome: 'no_answer', durationSeconds: 40, notes: 'Rang out.', direction: 'outbound' }),
          expect.objectContaining({ outcome: 'answered', durationSeconds: 245, notes: 'Refund confirmed, she is happy.', direction: 'outbound' }),
        ]),
      );
      expect(calls.items.every((c) => c.callbackId !== null)).toBe(true);
      const done = await api<{ items: Array<{ ticketNumber: number; status: string; attempts: number }> }>('GET', '/callbacks?status=done');
      expect(done.items.find((c) => c.ticketNumber === created.ticketNumber)).toMatchObject({ status: 'completed', attempts: 1 });
      await page.getByTestId('nav-callbacks').click();
      await page.getByText('No callbacks waiting.').waitFor();
    } finally {
      await ctx.close();
    }
  });
});
