import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerApi } from './support/api.ts';
import { launchBrowser, newContext } from './support/browser.ts';
import { type SevaServer, startServer } from './support/server.ts';

/**
 * A transfer in two real browsers against a real server with the worker: Asha hands a ticket to the plumbing
 * specialist, who sees it arrive live; Asha finds it under "Following up" and is reminded when it falls due unsolved.
 */
let server: SevaServer;
let browser: Browser;
let token: string;
const saved: Record<string, string | undefined> = {};
const ADMIN = { name: 'Asha Admin', email: 'asha@example.com', password: 'a sturdy passphrase' };
const api = bearerApi(() => server.baseUrl, () => token);

beforeAll(async () => {
  for (const k of ['SEVA_ROLES', 'SEVA_FOLLOWUP_SWEEP_SECONDS']) saved[k] = process.env[k];
  process.env.SEVA_ROLES = 'api,realtime,worker';
  process.env.SEVA_FOLLOWUP_SWEEP_SECONDS = '1';
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
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('transfer journey', () => {
  it('hands a ticket to a specialist who gets it live; the owner follows it up and is reminded', { timeout: 120_000 }, async () => {
    const invite = await api<{ inviteUrl: string }>('POST', '/staff/invitations', { email: 'pablo@example.com', name: 'Pablo Plumber', role: 'agent' });
    const accepted = await fetch(`${server.baseUrl}/api/v1/auth/invitations/accept`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: invite.inviteUrl.split('/').pop(), password: 'plumbing is my trade' }),
    });
    expect(accepted.status).toBe(200);
    const staff = await api<{ items: Array<{ id: string; email: string }> }>('GET', '/staff');
    const asha = staff.items.find((s) => s.email === ADMIN.email);
    const pablo = staff.items.find((s) => s.email === 'pablo@example.com');
    expect(pablo).toBeTruthy();
    const ticket = await api<{ id: string; number: number }>('POST', '/tickets', {
      subject: 'Shelves are wet under the sink',
      customer: { email: 'rina@example.com', name: 'Rina Das' },
      message: { body: 'Water on the shelves again.' },
      assigneeId: asha?.id,
    });

    const ashaCtx = await newContext(browser, server.baseUrl);
    const pabloCtx = await newContext(browser, server.baseUrl);
    try {
      expect((await ashaCtx.request.post('/api/v1/auth/login', { data: { email: ADMIN.email, password: ADMIN.password } })).status()).toBe(200);
      const ashaPage = await ashaCtx.newPage();
      expect((await pabloCtx.request.post('/api/v1/auth/login', { data: { email: 'pablo@example.com', password: 'plumbing is my trade' } })).status()).toBe(200);
      const pabloPage = await pabloCtx.newPage();
      await pabloPage.goto('/?view=mine');
      await pabloPage.getByTestId('ticket-table').or(pabloPage.getByText('No tickets match this view')).first().waitFor();

      await ashaPage.goto(`/tickets/${ticket.number}`);
      await ashaPage.getByTestId('transfer-open').click();
      await ashaPage.getByTestId('transfer-person').click();
      await ashaPage.getByRole('option', { name: 'Pablo Plumber' }).click();
      await ashaPage.getByTestId('transfer-note').fill('Needs someone who can check the shelves');
      // due in a few seconds so the reminder comes during the test
      await ashaPage.getByLabel('Follow up by').fill(new Date(Date.now() + 8000 - new Date().getTimezoneOffset() * 60000).toISOString().slice(0, 19));
      await ashaPage.getByTestId('transfer-save').click();
      await ashaPage.getByTestId('transfer-form').waitFor({ state: 'detached' });

      const after = await api<{ assigneeId: string }>('GET', `/tickets/${ticket.id}`);
      expect(after.assigneeId).toBe(pablo?.id);
      const msgs = await api<{ items: Array<{ kind: string; bodyText: string }> }>('GET', `/tickets/${ticket.id}/messages`);
      expect(msgs.items.some((m) => m.kind === 'public' && m.bodyText.includes('Pablo Plumber'))).toBe(true);

      // the specialist's inbox shows it without a reload
      await pabloPage.locator(`[data-testid="ticket-row"][data-ticket-number="${ticket.number}"]`).waitFor({ timeout: 20_000 });

      // Asha follows it up, and is reminded when it falls due unsolved
      await ashaPage.getByTestId('nav-following-up').click();
      const row = ashaPage.locator(`[data-testid="followup-row"][data-ticket-number="${ticket.number}"]`);
      await row.waitFor();
      await ashaPage.getByTestId('realtime-notification').filter({ hasText: `Follow up #${ticket.number}` }).waitFor({ timeout: 40_000 });
      await row.locator('[data-overdue="true"]').waitFor({ timeout: 20_000 });
      await row.getByTestId('followup-contacted').click();
      await row.waitFor({ state: 'detached' });
    } finally {
      await ashaCtx.close();
      await pabloCtx.close();
    }
  });
});
