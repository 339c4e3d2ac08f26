import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerApi } from './support/api.ts';
import { launchBrowser, newContext } from './support/browser.ts';
import { createAdminWithToken, type SevaServer, startServer } from './support/server.ts';

/**
 * "Keep reps informed": an editor reminds the agents who have not acknowledged an announcement; the agent, working
 * in the app, gets a live notification, follows it to the announcement and acknowledges it.
 */
let server: SevaServer;
let browser: Browser;
let token: string;
const ADMIN = { name: 'Asha Admin', email: 'asha@example.com', password: 'a sturdy passphrase' };
const api = bearerApi(
  () => server.baseUrl,
  () => token,
);

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  token = await createAdminWithToken(server, ADMIN, 'tickets:read,tickets:write,admin');
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('announcement reminders', () => {
  it('an agent who has not read an announcement is reminded live, opens it from the notification and acknowledges it', {
    timeout: 120_000,
  }, async () => {
    const invite = await api<{ inviteUrl: string }>('POST', '/staff/invitations', {
      email: 'bina@example.com',
      name: 'Bina Agent',
      role: 'agent',
    });
    const accepted = await fetch(`${server.baseUrl}/api/v1/auth/invitations/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: invite.inviteUrl.split('/').pop(), password: 'refunds are my trade' }),
    });
    expect(accepted.status).toBe(200);
    const title = 'Refunds now take 30 days';
    const a = await api<{ id: string }>('POST', '/kb/announcements', {
      title,
      body: 'From **Monday** the refund window is 30 days.',
      status: 'published',
      audienceRoles: ['agent'],
    });

    const ctx = await newContext(browser, server.baseUrl);
    try {
      const login = await ctx.request.post('/api/v1/auth/login', {
        data: { email: 'bina@example.com', password: 'refunds are my trade' },
      });
      expect(login.status()).toBe(200);
      const page = await ctx.newPage();
      await page.goto('/search');
      await page.getByRole('link', { name: 'Knowledge base' }).waitFor();

      const reminded = await api<{ reminded: number }>('POST', `/kb/announcements/${a.id}/remind`);
      expect(reminded.reminded).toBe(1);

      const note = page
        .getByTestId('realtime-notification')
        .filter({ hasText: 'Reminder: please read this announcement' });
      await note.waitFor({ timeout: 20_000 });
      expect(await note.textContent()).toContain(title);
      await note.click();
      await page.waitForURL((u) => u.pathname === '/kb' && u.hash === `#announcement-${a.id}`);
      const card = page.locator(`#announcement-${a.id}`);
      await card.getByText('From Monday the refund window is 30 days.').waitFor();
      await card.getByRole('button', { name: 'I have read this' }).click();
      await card.waitFor({ state: 'detached' });
      const receipts = await api<{ pending: unknown[]; acknowledged: Array<{ name: string }> }>(
        'GET',
        `/kb/announcements/${a.id}/receipts`,
      );
      expect(receipts.pending).toEqual([]);
      expect(receipts.acknowledged.map((r) => r.name)).toEqual(['Bina Agent']);
    } finally {
      await ctx.close();
    }
  });
});
