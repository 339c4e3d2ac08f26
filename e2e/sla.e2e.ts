import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerApi } from './support/api.ts';
import { launchBrowser, newContext } from './support/browser.ts';
import { type SevaServer, startServer } from './support/server.ts';

/**
 * An SLA in a real browser against a real server with the worker: a one-minute first-response target shows as a live
 * countdown in the inbox and on the ticket, turns at risk at half time and breached at the due time, and the
 * breach escalates (priority raised, the assignee pinged) without anyone reloading the page.
 */
let server: SevaServer;
let browser: Browser;
let token: string;
const saved: Record<string, string | undefined> = {};
const ADMIN = { name: 'Asha Admin', email: 'asha@example.com', password: 'a sturdy passphrase' };

const api = bearerApi(() => server.baseUrl, () => token);

beforeAll(async () => {
  for (const k of ['SEVA_ROLES', 'SEVA_SLA_SWEEP_SECONDS']) saved[k] = process.env[k];
  process.env.SEVA_ROLES = 'api,realtime,worker';
  process.env.SEVA_SLA_SWEEP_SECONDS = '1';
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

describe('SLA countdown journey', () => {
  it('counts down live, turns at risk and then breached, and escalates the ticket', { timeout: 150_000 }, async () => {
    await api('POST', '/sla/policies', {
      name: 'One-minute promise',
      targets: { firstResponse: 1, resolution: 600 },
      businessHours: false,
      warnPercent: 50,
      escalations: [{ when: 'breach', metric: 'first_response', actions: [{ type: 'raise_priority' }, { type: 'notify_assignee' }] }],
    });
    const staff = await api<{ items: Array<{ id: string; email: string }> }>('GET', '/staff');
    const me = staff.items.find((s) => s.email === ADMIN.email);
    expect(me).toBeTruthy();
    const ticket = await api<{ id: string; number: number; slaDueAt: string }>('POST', '/tickets', {
      subject: 'Router keeps dropping',
      priority: 'high',
      customer: { email: 'rina@example.com', name: 'Rina' },
      message: { body: 'The internet drops every ten minutes.' },
      assigneeId: me?.id,
    });
    expect(ticket.slaDueAt).toBeTruthy();

    const context = await newContext(browser, server.baseUrl);
    try {
      expect((await context.request.post('/api/v1/auth/login', { data: { email: ADMIN.email, password: ADMIN.password } })).status()).toBe(200);
      const page = await context.newPage();
      await page.goto('/');
      const row = page.locator(`[data-testid="ticket-row"][data-ticket-number="${ticket.number}"]`);
      await row.waitFor();
      const listBadge = row.getByTestId('sla-countdown');
      expect(await listBadge.getAttribute('data-sla-tone')).toBe('ok');
      expect(await listBadge.textContent()).toMatch(/due in 1 m/);

      await row.getByTestId('ticket-link').click();
      await page.getByTestId('ticket-sla').waitFor();
      expect(await page.getByTestId('sla-policy').textContent()).toBe('One-minute promise');
      const clock = page.getByTestId('sla-clock-first_response').getByTestId('sla-countdown');
      expect(await clock.getAttribute('data-sla-tone')).toBe('ok');
      expect(await page.getByTestId('priority-badge').textContent()).toMatch(/high/i);

      // half time: the worker marks it at risk and the page follows over the WebSocket
      await page.locator('[data-testid="sla-clock-first_response"] [data-sla-tone="at_risk"]').waitFor({ timeout: 50_000 });
      // due time: breached, the priority is raised by the escalation and the assignee is pinged
      await page.locator('[data-testid="sla-clock-first_response"] [data-sla-tone="breached"]').waitFor({ timeout: 50_000 });
      await page.getByTestId('priority-badge').filter({ hasText: /urgent/i }).waitFor({ timeout: 20_000 });
      await page.getByTestId('realtime-notification').filter({ hasText: `SLA breached on #${ticket.number}` }).waitFor({ timeout: 20_000 });
      expect(await clock.textContent()).toMatch(/overdue/);

      // the reply meets the target (late), and the clock says so
      const reply = await api<{ id: string }>('POST', `/tickets/${ticket.id}/messages`, { body: 'Sorry for the wait, checking the line now.' });
      expect(reply.id).toBeTruthy();
      await page.locator('[data-testid="sla-clock-first_response"][data-state="met"]').waitFor({ timeout: 20_000 });
    } finally {
      await context.close();
    }
  });
});
