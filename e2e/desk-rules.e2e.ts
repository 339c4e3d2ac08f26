import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerApi } from './support/api.ts';
import { launchBrowser, newContext } from './support/browser.ts';
import { type SevaServer, startServer } from './support/server.ts';

/**
 * The admin sets up the desk's promises in a real browser: a Dhaka business-hours calendar with Bangladesh's public
 * holidays, an SLA policy, triggers (one on a customer attribute) and a webhook — and a new ticket then carries the
 * policy's clock and the triggers' tags.
 */
let server: SevaServer;
let browser: Browser;
let token: string;
const ADMIN = { name: 'Asha Admin', email: 'asha@example.com', password: 'a sturdy passphrase' };
const api = bearerApi(() => server.baseUrl, () => token);

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const created = await server.runCli(['admin', 'create', '--email', ADMIN.email, '--password', ADMIN.password, '--name', ADMIN.name]);
  expect(created.code, created.stderr).toBe(0);
  const tok = await server.runCli(['token', 'create', '--email', ADMIN.email, '--name', 'e2e', '--scopes', 'tickets:read,tickets:write,customers:read,customers:write,admin']);
  expect(tok.code, tok.stderr).toBe(0);
  token = tok.stdout.trim().split('\n').pop() as string;
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('desk rules in the admin', () => {
  it('sets up business hours with imported holidays, an SLA policy, a trigger and a webhook', { timeout: 120_000 }, async () => {
    const context = await newContext(browser, server.baseUrl);
    try {
      expect((await context.request.post('/api/v1/auth/login', { data: { email: ADMIN.email, password: ADMIN.password } })).status()).toBe(200);
      const page = await context.newPage();
      await page.goto('/admin?tab=sla');
      await page.getByTestId('sla-admin').waitFor();

      // a calendar: Sunday to Thursday 09:00–17:00 in Dhaka is the ready week
      await page.getByTestId('calendar-create').click();
      await page.getByTestId('calendar-name').fill('Dhaka office');
      await page.getByTestId('calendar-save').click();
      const card = page.getByTestId('calendar-Dhaka office');
      await card.waitFor();
      expect(await card.textContent()).toContain('40 h a week');

      // Bangladesh's public holidays for 2026
      await card.getByTestId('calendar-holidays').click();
      await page.getByLabel('Year').fill('2026');
      await page.getByTestId('holiday-import').click();
      await page.getByTestId('holiday-table').getByText('Independence Day').waitFor();
      await page.keyboard.press('Escape');

      // a policy with the default targets (4 h first response, 2 days resolution, business hours)
      await page.getByTestId('policy-create').click();
      await page.getByTestId('policy-name').fill('Standard');
      await page.getByTestId('policy-save').click();
      await page.getByTestId('policy-Standard').waitFor();

      // a trigger: tag every new ticket "triaged"
      await page.goto('/admin?tab=rules');
      await page.getByTestId('rule-create').click();
      await page.getByTestId('rule-name').fill('Tag new tickets');
      await page.getByTestId('rule-add-action').click();
      await page.getByRole('option', { name: 'Add tags' }).click();
      const tags = page.getByTestId('rule-action-tags');
      await tags.fill('triaged');
      await tags.press('Enter');
      await page.getByTestId('rule-save').click();
      await page.getByTestId('rule-Tag new tickets').waitFor();

      // a trigger on a customer attribute: customers with an account manager are tagged "managed"
      await page.getByTestId('rule-create').click();
      await page.getByTestId('rule-name').fill('Managed accounts');
      await page.getByRole('button', { name: 'Add condition' }).first().click();
      const condition = page.getByTestId('rule-condition');
      await condition.getByLabel('Field').click();
      await page.getByRole('option', { name: 'Customer attribute', exact: true }).click();
      await condition.getByLabel('Test').click();
      await page.getByRole('option', { name: 'is set', exact: true }).click();
      await page.getByTestId('rule-add-action').click();
      await page.getByRole('option', { name: 'Add tags' }).click();
      await page.getByTestId('rule-action-tags').fill('managed');
      await page.getByTestId('rule-action-tags').press('Enter');
      await page.getByTestId('rule-save').click();
      expect(await page.getByTestId('rule-form').getByRole('alert').textContent()).toContain('Name the customer attribute');
      await condition.getByTestId('rule-condition-key').fill('account_manager');
      await page.getByTestId('rule-save').click();
      await page.getByTestId('rule-Managed accounts').waitFor();
      const rules = await api<{ items: Array<{ name: string; conditions: unknown }> }>('GET', '/automations?kind=trigger');
      expect(rules.items.find((r) => r.name === 'Managed accounts')?.conditions).toEqual({
        all: [{ field: 'customer_attribute', key: 'account_manager', op: 'present' }],
        any: [],
      });

      // a webhook shows its secret once
      await page.goto('/admin?tab=webhooks');
      await page.getByTestId('webhook-create').click();
      await page.getByTestId('webhook-name').fill('CRM');
      await page.getByTestId('webhook-url').fill('https://crm.example.com/hooks/seva');
      await page.getByTestId('webhook-save').click();
      expect(await page.getByTestId('webhook-secret').textContent()).toMatch(/whsec_/);
      await page.getByTestId('webhook-CRM').waitFor();

      // a ticket created now carries the policy's clock and the trigger's tag
      const ticket = await api<{ id: string; tags: string[]; slaDueAt: string | null }>('POST', '/tickets', {
        subject: 'ইন্টারনেট নেই',
        customer: { email: 'rina@example.com' },
        message: { body: 'ইন্টারনেট নেই' },
      });
      expect(ticket.tags).toEqual(['triaged']);
      const managed = await api<{ id: string }>('POST', '/customers', { name: 'Mina Managed', emails: ['mina@example.com'] });
      await api('PATCH', `/customers/${managed.id}`, { attributes: { account_manager: 'Asha' } });
      const fromManaged = await api<{ tags: string[] }>('POST', '/tickets', {
        subject: 'Contract renewal',
        customer: { id: managed.id },
        message: { body: 'When does our contract renew?' },
      });
      expect(fromManaged.tags.sort()).toEqual(['managed', 'triaged']);
      expect(ticket.slaDueAt).toBeTruthy();
      const sla = await api<{ policy: { name: string } | null }>('GET', `/tickets/${ticket.id}/sla`);
      expect(sla.policy?.name).toBe('Standard');
    } finally {
      await context.close();
    }
  });

  it('answers a Bengali customer with a macro picked by typing /, applying its changes', { timeout: 120_000 }, async () => {
    const macro = await api<{ id: string }>('POST', '/macros', {
      name: 'Refund timing',
      shortcut: 'refund',
      shared: true,
      bodies: { en: 'Hi {{customer.first_name}}, refunds take five days.', bn: 'নমস্কার {{customer.first_name}}, টাকা ফেরত আসতে পাঁচ দিন লাগে।' },
      actions: { status: 'pending', addTags: ['refund'] },
    });
    expect(macro.id).toBeTruthy();
    const ticket = await api<{ id: string; number: number }>('POST', '/tickets', {
      subject: 'টাকা কবে ফেরত পাব?',
      language: 'bn',
      customer: { email: 'mita@example.com', name: 'মিতা সেন' },
      message: { body: 'টাকা কবে ফেরত পাব?' },
    });
    const context = await newContext(browser, server.baseUrl);
    try {
      expect((await context.request.post('/api/v1/auth/login', { data: { email: ADMIN.email, password: ADMIN.password } })).status()).toBe(200);
      const page = await context.newPage();
      await page.goto(`/tickets/${ticket.number}`);
      const editor = page.getByTestId('composer-editor');
      await editor.click();
      await page.keyboard.type('/');
      await page.getByTestId('macro-search').fill('refund');
      await page.getByTestId('macro-option').first().waitFor();
      await page.keyboard.press('Enter');
      await page.getByTestId('active-macro').waitFor();
      await page.waitForFunction(() => document.querySelector('[data-testid="composer-editor"]')?.textContent?.includes('পাঁচ দিন'));
      expect(await editor.textContent()).toBe('নমস্কার মিতা, টাকা ফেরত আসতে পাঁচ দিন লাগে।');
      await page.getByTestId('send-reply').click();
      await page.getByTestId('timeline').getByText('নমস্কার মিতা, টাকা ফেরত আসতে পাঁচ দিন লাগে।').waitFor();
      await page.getByTestId('status-badge').filter({ hasText: /pending/i }).first().waitFor();
      // the trigger set up in the admin ran on this ticket too, and the ticket says so
      await page.getByTestId('ticket-rule-runs').getByText('Tag new tickets').waitFor();
      const fresh = await api<{ status: string; tags: string[] }>('GET', `/tickets/${ticket.id}`);
      expect(fresh).toMatchObject({ status: 'pending', tags: expect.arrayContaining(['refund']) });
      const listed = await api<{ items: Array<{ usageCount: number }> }>('GET', '/macros?q=refund');
      expect(listed.items[0]?.usageCount).toBe(1);
    } finally {
      await context.close();
    }
  });
});
