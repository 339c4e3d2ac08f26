import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerApi } from './support/api.ts';
import { launchBrowser, newContext } from './support/browser.ts';
import { type SevaServer, startServer } from './support/server.ts';

/**
 * From a hot button to an action plan to a notification: a supervisor opens an action plan prefilled from a spike
 * (the link the insights hot button opens), links the tickets behind it, ships the fix and tells every waiting
 * customer in their own language with one action.
 */
let server: SevaServer;
let browser: Browser;
let token: string;
const ADMIN = { name: 'Asha Admin', email: 'asha@example.com', password: 'a sturdy passphrase' };

const api = bearerApi(() => server.baseUrl, () => token);

let categoryId: string;
const tickets: Array<{ id: string; number: number }> = [];

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const created = await server.runCli(['admin', 'create', '--email', ADMIN.email, '--password', ADMIN.password, '--name', ADMIN.name]);
  expect(created.code, created.stderr).toBe(0);
  const tok = await server.runCli(['token', 'create', '--email', ADMIN.email, '--name', 'e2e', '--scopes', 'tickets:read,tickets:write,admin']);
  expect(tok.code, tok.stderr).toBe(0);
  token = tok.stdout.trim().split('\n').pop() as string;
  categoryId = (await api<{ id: string }>('POST', '/categories', { name: 'Internet outage' })).id;
  for (const [subject, language, email] of [
    ['ইন্টারনেট সংযোগ নেই', 'bn', 'rina@example.com'],
    ['इंटरनेट बंद है', 'hi', 'amit@example.com'],
  ] as const) {
    tickets.push(
      await api('POST', '/tickets', { subject, language, categoryId, customer: { email }, message: { body: subject } }),
    );
  }
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('improve', () => {
  it('opens an action plan from a spike, ships the fix and tells waiting customers in their language', async () => {
    const context = await newContext(browser, server.baseUrl);
    expect((await context.request.post('/api/v1/auth/login', { data: { email: ADMIN.email, password: ADMIN.password } })).status()).toBe(200);
    const page = await context.newPage();
    // from the hot button itself: Insights → Hot buttons → "Open an action plan" on the category's row
    await page.goto('/insights');
    await page.getByRole('tab', { name: 'Hot buttons' }).click();
    const hotRow = page.getByTestId('hot-buttons').getByRole('row').filter({ hasText: 'Internet outage' });
    await hotRow.getByTestId('hot-plan').click();
    await page.getByTestId('plan-title').waitFor();
    expect(new URL(page.url()).searchParams.get('categoryId')).toBe(categoryId);

    await page.getByTestId('plan-title').fill('Evening outages in Dhaka North');
    expect(await page.getByTestId('plan-problem').inputValue()).toMatch(/^Internet outage: 2 contacts in the period/);
    await page.getByTestId('plan-owner').fill('Network operations');
    await page.getByPlaceholder('1042, 1043').first().fill(tickets.map((t) => t.number).join(', '));
    await page.getByTestId('plan-create').click();

    const drawer = page.getByTestId('action-plan-drawer');
    await drawer.waitFor();
    await drawer.getByText('Linked tickets (2 waiting of 2)').waitFor();
    await page.getByTestId('plan-fix').fill('Replaced the overloaded switch at the Gulshan POP');
    await page.getByTestId('plan-status').click();
    await page.getByRole('option', { name: 'Fix shipped' }).click();
    await page.getByTestId('plan-notify').click();
    await page.getByTestId('notify-en').fill('Good news: the outage is fixed.');
    await page.getByTestId('notify-bn').fill('সুখবর: সমস্যার সমাধান হয়েছে।');
    await page.getByTestId('notify-hi').fill('अच्छी खबर: समस्या ठीक हो गई है।');
    await page.getByTestId('notify-send').click();
    await page.getByText('2 customers told, 0 skipped.').waitFor();

    const last = async (id: string) => {
      const items = (await api<{ items: Array<{ bodyText: string; authorType: string }> }>('GET', `/tickets/${id}/messages`)).items;
      return items[items.length - 1];
    };
    expect(await last(tickets[0]?.id as string)).toMatchObject({ authorType: 'staff', bodyText: 'সুখবর: সমস্যার সমাধান হয়েছে।' });
    expect(await last(tickets[1]?.id as string)).toMatchObject({ authorType: 'staff', bodyText: 'अच्छी खबर: समस्या ठीक हो गई है।' });
    expect((await api<{ status: string }>('GET', `/tickets/${tickets[0]?.id}`)).status).toBe('solved');
    await context.close();
  });
});
