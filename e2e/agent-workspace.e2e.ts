import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext } from './support/browser.ts';
import { createAdminWithToken, type SevaServer, startServer } from './support/server.ts';

/**
 * The agent workspace in a real browser against a real server: the inbox with keyboard navigation, a ticket with a
 * reply and an internal note, live updates between two agents, search and the customer page — with hostile customer
 * content everywhere, `alert` hooked and a loopback listener counting any request the content manages to make.
 */
let server: SevaServer;
let browser: Browser;
let token: string;
let beacon: http.Server;
let beaconHits = 0;
let beaconUrl: string;
let previousRoles: string | undefined;

const ADMIN = { name: 'Asha Admin', email: 'asha@example.com', password: 'a sturdy passphrase' };
const AGENT = { name: 'Bikram Agent', email: 'bikram@example.com', password: 'another sturdy phrase' };

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${server.baseUrl}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A browser context signed in as `who`, counting dialogs (alert, confirm, prompt) raised by anything on the page. */
async function signedIn(who: {
  email: string;
  password: string;
}): Promise<{ context: BrowserContext; page: Page; dialogs: string[] }> {
  const context = await newContext(browser, server.baseUrl);
  const login = await context.request.post('/api/v1/auth/login', {
    data: { email: who.email, password: who.password },
  });
  expect(login.status()).toBe(200);
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  return { context, page, dialogs };
}

beforeAll(async () => {
  beacon = http.createServer((_req, res) => {
    beaconHits += 1;
    res.end('x');
  });
  await new Promise<void>((resolve) => beacon.listen(0, '127.0.0.1', resolve));
  beaconUrl = `http://127.0.0.1:${(beacon.address() as AddressInfo).port}`;

  // The agent workspace needs the API and the realtime hub; the background worker (mail) plays no part here.
  previousRoles = process.env.SEVA_ROLES;
  process.env.SEVA_ROLES = 'api,realtime';
  server = await startServer();
  browser = await launchBrowser();
  token = await createAdminWithToken(server, ADMIN, 'tickets:read,tickets:write,customers:read,customers:write,admin');

  const invite = await api<{ inviteUrl: string }>('POST', '/staff/invitations', {
    email: AGENT.email,
    name: AGENT.name,
    role: 'agent',
  });
  const inviteToken = invite.inviteUrl.split('/').pop() as string;
  const accepted = await fetch(`${server.baseUrl}/api/v1/auth/invitations/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: inviteToken, password: AGENT.password }),
  });
  expect(accepted.status).toBe(200);

  // Hostile content in every customer-controlled field.
  await api('POST', '/tickets', {
    subject: `<img src=x onerror=alert('subject')> Where is my order?`,
    customer: { email: 'mallory@example.com', name: `<script>alert('name')</script>Mallory` },
    message: {
      body: `<svg onload=alert('body')> please help`,
      html:
        `<p>Hello <b>team</b></p><img src="${beaconUrl}/pixel.gif"><img src=x onerror="alert('img')">` +
        `<script>alert('script')</script><a href="javascript:alert('link')">click</a>` +
        `<iframe src="${beaconUrl}/frame"></iframe><style>@import url('${beaconUrl}/css');</style>` +
        `<form action="${beaconUrl}/form"><button>go</button></form>`,
    },
    priority: 'urgent',
    tags: [`"><img src=x onerror=alert('tag')>`],
    channel: 'email',
  });
  await api('POST', '/tickets', {
    subject: 'আমার অর্ডার কোথায়?',
    customer: { email: 'rina@example.com', name: 'Rina Das' },
    message: { body: 'আমার অর্ডার এখনও আসেনি।' },
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (previousRoles === undefined) delete process.env.SEVA_ROLES;
  else process.env.SEVA_ROLES = previousRoles;
  await new Promise<void>((resolve) => beacon?.close(() => resolve()));
});

describe('agent workspace', () => {
  it('lists tickets, opens one from the keyboard, and never runs or loads customer content', async () => {
    const { context, page, dialogs } = await signedIn(ADMIN);
    try {
      await page.goto('/');
      await page.getByTestId('ticket-row').first().waitFor();
      expect(await page.getByTestId('ticket-row').count()).toBe(2);
      // The hostile subject is shown as text.
      expect(await page.getByText(`<img src=x onerror=alert('subject')> Where is my order?`).count()).toBe(1);

      // Newest first: j moves down (and stops at the end), k moves back up, Enter opens the highlighted ticket.
      await page.keyboard.press('j');
      await page.keyboard.press('j');
      await page.keyboard.press('k');
      expect(await page.locator('[data-testid="ticket-row"][data-active]').textContent()).toContain('আমার অর্ডার কোথায়?');
      await page.keyboard.press('j');
      await page.keyboard.press('Enter');
      await page.getByTestId('ticket-page').waitFor();
      expect(await page.getByTestId('ticket-subject').textContent()).toContain('Where is my order?');

      // Customer HTML is only inside a sandboxed frame, never on the app origin.
      const frame = page.getByTestId('message-html').first();
      await frame.waitFor();
      expect(await frame.getAttribute('sandbox')).toBe('');
      expect(await page.locator('main img[src*="pixel.gif"]').count()).toBe(0);
      await page.waitForTimeout(1500);
      expect(dialogs).toEqual([]);
      expect(beaconHits).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('sends a reply and a yellow internal note from the keyboard, and records both in the activity log', async () => {
    const { context, page, dialogs } = await signedIn(ADMIN);
    try {
      await page.goto('/');
      await page.getByText('আমার অর্ডার কোথায়?').click();
      await page.getByTestId('composer').waitFor();

      await page.keyboard.press('r');
      await page.keyboard.type('আমরা দেখছি — we are looking into it.');
      await page.keyboard.press('Control+Enter');
      await page.locator('[data-testid="message"][data-kind="public"]').nth(1).waitFor();

      await page.keyboard.press('Escape'); // leave the editor
      await page.keyboard.press('n');
      await expect.poll(() => page.getByTestId('composer').getAttribute('data-mode')).toBe('note');
      await page.keyboard.type('Courier says Tuesday.');
      await page.getByTestId('send-reply').click();
      const note = page.locator('[data-testid="message"][data-kind="internal"]');
      await note.waitFor();
      expect(await note.getByTestId('internal-label').textContent()).toBe('Internal note');

      // A public reply moves a new ticket to open.
      await expect
        .poll(() => page.getByTestId('ticket-header').getByTestId('status-badge').getAttribute('data-status'))
        .toBe('open');

      await page.getByTestId('tab-events').click();
      await page.getByTestId('event-log').waitFor();
      expect(await page.getByTestId('event').count()).toBeGreaterThanOrEqual(3);
      expect(dialogs).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('shows another agent’s change live, without a reload', async () => {
    const watcher = await signedIn(AGENT);
    const actor = await signedIn(ADMIN);
    try {
      await watcher.page.goto('/');
      await watcher.page.getByTestId('ticket-row').first().waitFor();
      await watcher.page.waitForTimeout(1000); // the socket is open
      const created = await api<{ number: number }>('POST', '/tickets', {
        subject: 'Live arrival',
        customer: { email: 'live@example.com' },
        message: { body: 'just arrived' },
      });
      await expect.poll(() => watcher.page.getByTestId('ticket-row').count(), { timeout: 10_000 }).toBe(3);

      await watcher.page.goto(`/tickets/${created.number}`);
      await watcher.page.getByTestId('composer').waitFor();
      const before = await watcher.page.getByTestId('message').count();
      await actor.page.goto(`/tickets/${created.number}`);
      await actor.page.getByTestId('mode-note').click();
      await actor.page.getByTestId('composer-editor').click();
      await actor.page.keyboard.type('Heads up: a live note');
      await actor.page.getByTestId('send-reply').click();
      await expect.poll(() => watcher.page.getByTestId('message').count(), { timeout: 10_000 }).toBe(before + 1);
    } finally {
      await watcher.context.close();
      await actor.context.close();
    }
  });

  it('finds tickets and customers in search with only <mark> highlighting, and opens the customer page', async () => {
    const { context, page, dialogs } = await signedIn(ADMIN);
    try {
      await page.goto('/search?q=Mallory');
      await page.getByTestId('search-customer').first().waitFor();
      await page.goto('/search?q=order');
      await page.getByTestId('search-ticket').first().waitFor();
      await page.getByTestId('search-snippet').first().waitFor();
      const snippets = await page
        .getByTestId('search-snippet')
        .evaluateAll((els) => els.flatMap((e) => [...e.querySelectorAll('*')].map((c) => c.tagName.toLowerCase())));
      expect(snippets.every((tag) => tag === 'mark')).toBe(true);

      await page.goto('/search?q=Mallory');
      await page.getByTestId('search-customer').first().locator('a').click();
      await page.getByTestId('customer-page').waitFor();
      expect(await page.getByTestId('customer-name').textContent()).toContain(`<script>alert('name')</script>Mallory`);
      await page.getByTestId('customer-ticket').first().waitFor();
      expect(await page.getByTestId('customer-ticket').count()).toBe(1);
      await page.waitForTimeout(500);
      expect(dialogs).toEqual([]);
      expect(beaconHits).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('creates a ticket from the new-ticket page and lands on it', async () => {
    const { context, page } = await signedIn(AGENT);
    try {
      await page.goto('/');
      await page.getByTestId('ticket-row').first().waitFor();
      await page.keyboard.press('c');
      await page.getByTestId('new-ticket-form').waitFor();
      await page.getByTestId('new-customer-email').fill('meena@example.com');
      await page.getByTestId('new-customer-name').fill('मीना शर्मा');
      await page.getByTestId('new-subject').fill('बिल में गलती');
      await page.getByTestId('new-body').fill('मेरे बिल में दो बार शुल्क लगा है।');
      await page.getByTestId('create-ticket').click();
      await page.getByTestId('ticket-page').waitFor();
      expect(await page.getByTestId('ticket-subject').textContent()).toBe('बिल में गलती');
      expect(await page.getByTestId('customer-link').textContent()).toBe('मीना शर्मा');
    } finally {
      await context.close();
    }
  });
});
