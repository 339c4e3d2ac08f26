import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerApi } from './support/api.ts';
import { launchBrowser, newContext } from './support/browser.ts';
import { createAdminWithToken, type SevaServer, startServer } from './support/server.ts';

/**
 * A transfer in two real browsers against a real server with the worker: Asha hands a ticket to the plumbing
 * specialist, who sees it arrive live; Asha finds it under "Following up" and is reminded when it falls due unsolved.
 * And Admin → Routing: a rule with conditions beyond keywords (channel, tags) that sets the team and priority of a
 * new ticket; a rule on a customer attribute; time off and a duty shift added, edited and cancelled.
 */
let server: SevaServer;
let browser: Browser;
let token: string;
const saved: Record<string, string | undefined> = {};
const ADMIN = { name: 'Asha Admin', email: 'asha@example.com', password: 'a sturdy passphrase' };
const api = bearerApi(
  () => server.baseUrl,
  () => token,
);

beforeAll(async () => {
  for (const k of ['SEVA_ROLES', 'SEVA_FOLLOWUP_SWEEP_SECONDS']) saved[k] = process.env[k];
  process.env.SEVA_ROLES = 'api,realtime,worker';
  process.env.SEVA_FOLLOWUP_SWEEP_SECONDS = '1';
  server = await startServer();
  browser = await launchBrowser();
  token = await createAdminWithToken(server, ADMIN, 'tickets:read,tickets:write,customers:read,customers:write,admin');
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
  it('hands a ticket to a specialist who gets it live; the owner follows it up and is reminded', {
    timeout: 120_000,
  }, async () => {
    const invite = await api<{ inviteUrl: string }>('POST', '/staff/invitations', {
      email: 'pablo@example.com',
      name: 'Pablo Plumber',
      role: 'agent',
    });
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
      expect(
        (
          await ashaCtx.request.post('/api/v1/auth/login', { data: { email: ADMIN.email, password: ADMIN.password } })
        ).status(),
      ).toBe(200);
      const ashaPage = await ashaCtx.newPage();
      expect(
        (
          await pabloCtx.request.post('/api/v1/auth/login', {
            data: { email: 'pablo@example.com', password: 'plumbing is my trade' },
          })
        ).status(),
      ).toBe(200);
      const pabloPage = await pabloCtx.newPage();
      await pabloPage.goto('/?view=mine');
      await pabloPage
        .getByTestId('ticket-table')
        .or(pabloPage.getByText('No tickets match this view'))
        .first()
        .waitFor();

      await ashaPage.goto(`/tickets/${ticket.number}`);
      await ashaPage.getByTestId('transfer-open').click();
      await ashaPage.getByTestId('transfer-person').click();
      await ashaPage.getByRole('option', { name: 'Pablo Plumber' }).click();
      await ashaPage.getByTestId('transfer-note').fill('Needs someone who can check the shelves');
      // due in a few seconds so the reminder comes during the test
      await ashaPage
        .getByLabel('Follow up by')
        .fill(new Date(Date.now() + 8000 - new Date().getTimezoneOffset() * 60000).toISOString().slice(0, 19));
      await ashaPage.getByTestId('transfer-save').click();
      await ashaPage.getByTestId('transfer-form').waitFor({ state: 'detached' });

      const after = await api<{ assigneeId: string }>('GET', `/tickets/${ticket.id}`);
      expect(after.assigneeId).toBe(pablo?.id);
      const msgs = await api<{ items: Array<{ kind: string; bodyText: string }> }>(
        'GET',
        `/tickets/${ticket.id}/messages`,
      );
      expect(msgs.items.some((m) => m.kind === 'public' && m.bodyText.includes('Pablo Plumber'))).toBe(true);

      // the specialist's inbox shows it without a reload
      await pabloPage
        .locator(`[data-testid="ticket-row"][data-ticket-number="${ticket.number}"]`)
        .waitFor({ timeout: 20_000 });

      // Asha follows it up, and is reminded when it falls due unsolved
      await ashaPage.getByTestId('nav-following-up').click();
      const row = ashaPage.locator(`[data-testid="followup-row"][data-ticket-number="${ticket.number}"]`);
      await row.waitFor();
      await ashaPage
        .getByTestId('realtime-notification')
        .filter({ hasText: `Follow up #${ticket.number}` })
        .waitFor({ timeout: 40_000 });
      await row.locator('[data-overdue="true"]').waitFor({ timeout: 20_000 });
      await row.getByTestId('followup-contacted').click();
      await row.waitFor({ state: 'detached' });
    } finally {
      await ashaCtx.close();
      await pabloCtx.close();
    }
  });
});

describe('routing admin journey', () => {
  it('saves rules on channel, tags and a customer attribute; adds, changes and cancels time off and duty shifts, one-off and repeating', {
    timeout: 120_000,
  }, async () => {
    const team = await api<{ id: string }>('POST', '/teams', { name: 'WhatsApp VIP desk' });
    const ctx = await newContext(browser, server.baseUrl);
    try {
      expect(
        (
          await ctx.request.post('/api/v1/auth/login', { data: { email: ADMIN.email, password: ADMIN.password } })
        ).status(),
      ).toBe(200);
      const page = await ctx.newPage();
      await page.goto('/admin?tab=routing');
      await page.getByTestId('routing-admin').waitFor();

      // 1. a rule: WhatsApp tickets tagged vip go to the VIP desk, urgent
      await page.getByTestId('routing-rule-create').click();
      const form = page.getByTestId('routing-rule-form');
      await form.getByTestId('routing-rule-name').fill('WhatsApp VIPs');
      await form.getByTestId('routing-conditions-all-add').click();
      await form.getByTestId('routing-conditions-all').getByTestId('routing-condition-value').click();
      await page.getByRole('option', { name: 'WhatsApp' }).click();
      await form.getByTestId('routing-conditions-any-add').click();
      const any = form.getByTestId('routing-conditions-any');
      await any.getByTestId('routing-condition-field').click();
      await page.getByRole('option', { name: 'Tags', exact: true }).click();
      await any.getByTestId('routing-condition-value').fill('vip');
      await page.keyboard.press('Enter');
      await form.getByTestId('routing-rule-team').click();
      await page.getByRole('option', { name: 'WhatsApp VIP desk' }).click();
      await form.getByTestId('routing-rule-priority').click();
      await page.getByRole('option', { name: 'Urgent' }).click();
      await form.getByTestId('routing-rule-save').click();
      await form.waitFor({ state: 'detached' });
      const card = page.getByTestId('routing-rule-WhatsApp VIPs');
      await card.waitFor();
      expect(await card.getByTestId('routing-rule-summary').textContent()).toContain('Channel · Tags');

      const rules = await api<{ items: Array<{ name: string; conditions: unknown; actions: unknown }> }>(
        'GET',
        '/routing/rules',
      );
      expect(rules.items.find((r) => r.name === 'WhatsApp VIPs')).toMatchObject({
        conditions: {
          all: [{ field: 'channel', op: 'in', value: ['whatsapp'] }],
          any: [{ field: 'tags', op: 'contains', value: ['vip'] }],
        },
        actions: { teamId: team.id, priority: 'urgent' },
      });
      const vip = await api<{ id: string }>('POST', '/tickets', {
        subject: 'Order stuck',
        customer: { email: 'vip@example.com', name: 'Vera Vip' },
        message: { body: 'My order is stuck.' },
        channel: 'whatsapp',
        tags: ['vip'],
      });
      expect(await api('GET', `/tickets/${vip.id}`)).toMatchObject({ teamId: team.id, priority: 'urgent' });
      const plain = await api<{ id: string }>('POST', '/tickets', {
        subject: 'Order stuck too',
        customer: { email: 'plain@example.com' },
        message: { body: 'Mine too.' },
        channel: 'whatsapp',
      });
      expect(await api<{ teamId: string | null }>('GET', `/tickets/${plain.id}`)).toMatchObject({ teamId: null });

      // the rule opens again with its conditions for editing
      await card.getByTestId('routing-rule-edit').click();
      await form.locator('[data-testid="routing-condition"][data-field="tags"]').waitFor();
      await page.keyboard.press('Escape');
      await form.waitFor({ state: 'detached' });

      // 1b. a rule on a customer attribute: customers on the enterprise plan go to the VIP desk
      await page.getByTestId('routing-rule-create').click();
      await form.getByTestId('routing-rule-name').fill('Enterprise plan');
      await form.getByTestId('routing-conditions-all-add').click();
      const all = form.getByTestId('routing-conditions-all');
      await all.getByTestId('routing-condition-field').click();
      await page.getByRole('option', { name: 'Customer attribute', exact: true }).click();
      await all.getByTestId('routing-condition-value').fill('Enterprise');
      await form.getByTestId('routing-rule-team').click();
      await page.getByRole('option', { name: 'WhatsApp VIP desk' }).click();
      // the attribute's key is missing, then malformed: the form says so before the server is asked
      await form.getByTestId('routing-rule-save').click();
      expect(await form.getByTestId('routing-rule-problem').textContent()).toContain('Name the customer attribute');
      await all.getByTestId('routing-condition-key').fill('the plan');
      await form.getByText('Letters or digits; then also _ or -').waitFor();
      await all.getByTestId('routing-condition-key').fill('plan');
      await form.getByTestId('routing-rule-save').click();
      await form.waitFor({ state: 'detached' });
      const planCard = page.getByTestId('routing-rule-Enterprise plan');
      expect(await planCard.getByTestId('routing-rule-summary').textContent()).toContain('Customer attribute “plan”');
      const planRule = (
        await api<{ items: Array<{ name: string; conditions: unknown }> }>('GET', '/routing/rules')
      ).items.find((r) => r.name === 'Enterprise plan');
      expect(planRule?.conditions).toEqual({
        all: [{ field: 'customer_attribute', key: 'plan', op: 'is', value: 'Enterprise' }],
        any: [],
      });
      const bigCorp = await api<{ id: string }>('POST', '/customers', {
        name: 'Big Corp',
        emails: ['it@bigcorp.example.com'],
      });
      await api('PATCH', `/customers/${bigCorp.id}`, { attributes: { plan: 'enterprise', seats: 400 } });
      const fromBigCorp = await api<{ id: string }>('POST', '/tickets', {
        subject: 'Invoices for March',
        customer: { id: bigCorp.id },
        message: { body: 'Where are our invoices?' },
      });
      expect(await api('GET', `/tickets/${fromBigCorp.id}`)).toMatchObject({ teamId: team.id });

      // 2. time off for Asha: listed, then cancelled
      const timeOff = page.getByTestId('time-off');
      await timeOff.getByTestId('time-off-add').click();
      const period = page.getByTestId('period-form');
      await period.getByTestId('period-person').click();
      await page.getByRole('option', { name: ADMIN.name }).click();
      await period.getByTestId('period-from').fill('2030-01-06T09:00');
      await period.getByTestId('period-to').fill('2030-01-10T18:00');
      await period.getByTestId('period-note').fill('Family wedding');
      await period.getByTestId('period-save').click();
      await period.waitFor({ state: 'detached' });
      const row = timeOff.locator(`[data-testid="time-off-row"][data-person="${ADMIN.name}"]`);
      await row.waitFor();
      expect(await row.textContent()).toContain('Family wedding');
      const listed = await api<{ items: Array<{ name: string; startsAt: string }> }>('GET', '/routing/time-off');
      expect(listed.items.find((x) => x.name === ADMIN.name)?.startsAt).toBe(new Date(2030, 0, 6, 9, 0).toISOString());
      // changed in place: two more days
      await row.getByTestId('time-off-edit').click();
      expect(await period.getByTestId('period-from').inputValue()).toBe('2030-01-06T09:00');
      await period.getByTestId('period-to').fill('2030-01-12T18:00');
      await period.getByTestId('period-note').fill('Family wedding, and rest');
      await period.getByTestId('period-save').click();
      await period.waitFor({ state: 'detached' });
      await row.filter({ hasText: 'Family wedding, and rest' }).waitFor();
      const changed = await api<{ items: Array<{ name: string; endsAt: string }> }>('GET', '/routing/time-off');
      expect(changed.items.find((x) => x.name === ADMIN.name)?.endsAt).toBe(new Date(2030, 0, 12, 18, 0).toISOString());
      // more time off over it is refused, and the form says with which
      await timeOff.getByTestId('time-off-add').click();
      await period.getByTestId('period-person').click();
      await page.getByRole('option', { name: ADMIN.name }).click();
      await period.getByTestId('period-from').fill('2030-01-11T09:00');
      await period.getByTestId('period-to').fill('2030-01-14T09:00');
      await period.getByTestId('period-save').click();
      expect(await period.getByTestId('period-problem').textContent()).toContain(
        'This overlaps another of their periods',
      );
      await page.keyboard.press('Escape');
      await period.waitFor({ state: 'detached' });
      await row.getByTestId('time-off-delete').click();
      await row.waitFor({ state: 'detached' });
      expect((await api<{ items: unknown[] }>('GET', '/routing/time-off')).items).toEqual([]);

      // 3. a duty shift for Asha in the VIP desk; an end before the start is refused in the form
      const shifts = page.getByTestId('duty-shifts');
      await shifts.getByTestId('shift-add').click();
      await period.getByTestId('period-person').click();
      await page.getByRole('option', { name: ADMIN.name }).click();
      await period.getByTestId('period-team').click();
      await page.getByRole('option', { name: 'WhatsApp VIP desk' }).click();
      await period.getByTestId('period-from').fill('2030-01-07T10:00');
      await period.getByTestId('period-to').fill('2030-01-07T09:00');
      await period.getByTestId('period-save').click();
      expect(await period.getByTestId('period-problem').textContent()).toBe('The end must come after the start.');
      await period.getByTestId('period-to').fill('2030-01-07T11:00');
      await period.getByTestId('period-save').click();
      await period.waitFor({ state: 'detached' });
      const shift = shifts.locator(`[data-testid="shift-row"][data-person="${ADMIN.name}"]`);
      await shift.waitFor();
      expect(await shift.textContent()).toContain('WhatsApp VIP desk');
      // changed: an hour longer, with a note
      await shift.getByTestId('shift-edit').click();
      await period.getByTestId('period-to').fill('2030-01-07T12:00');
      await period.getByTestId('period-note').fill('Launch day');
      await period.getByTestId('period-save').click();
      await period.waitFor({ state: 'detached' });
      await shift.filter({ hasText: 'Launch day' }).waitFor();
      const edited = await api<{ items: Array<{ name: string; teamId: string | null; endsAt: string }> }>(
        'GET',
        '/routing/shifts',
      );
      expect(edited.items.find((x) => x.name === ADMIN.name)).toMatchObject({
        teamId: team.id,
        endsAt: new Date(2030, 0, 7, 12, 0).toISOString(),
      });
      await shift.getByTestId('shift-delete').click();
      await shift.waitFor({ state: 'detached' });

      // 4. a repeating shift: every weekday 09:00–17:00 in Dhaka for two weeks, then Fridays off, then stopped
      await shifts.getByTestId('series-add').click();
      const seriesForm = page.getByTestId('series-form');
      await seriesForm.getByTestId('series-person').click();
      await page.getByRole('option', { name: ADMIN.name }).click();
      await seriesForm.getByTestId('series-team').click();
      await page.getByRole('option', { name: 'WhatsApp VIP desk' }).click();
      await seriesForm.getByTestId('series-zone').fill('Asia/Dhaka');
      await seriesForm.getByTestId('series-starts-on').fill('2030-01-07');
      await seriesForm.getByTestId('series-until').fill('2030-01-06');
      await seriesForm.getByTestId('series-save').click();
      expect(await seriesForm.getByTestId('series-problem').textContent()).toBe(
        'The last day must come on or after the first.',
      );
      await seriesForm.getByTestId('series-until').fill('2030-01-18');
      await seriesForm.getByTestId('series-save').click();
      await seriesForm.waitFor({ state: 'detached' });
      const seriesRow = shifts.locator(`[data-testid="series-row"][data-person="${ADMIN.name}"]`);
      expect(await seriesRow.getByTestId('series-summary').textContent()).toBe(
        'Mon–Fri · 09:00–17:00 (Asia/Dhaka) · until 2030-01-18',
      );
      const listSeries = () =>
        api<{ items: Array<{ weekdays: number[]; upcoming: number; nextStartsAt: string }> }>(
          'GET',
          '/routing/shift-series',
        );
      expect((await listSeries()).items).toEqual([
        expect.objectContaining({ weekdays: [1, 2, 3, 4, 5], upcoming: 10, nextStartsAt: '2030-01-07T03:00:00.000Z' }),
      ]);
      // its occurrences are not listed one by one among the one-off shifts
      expect(await shifts.getByTestId('shift-row').count()).toBe(0);
      await seriesRow.getByTestId('series-edit').click();
      await seriesForm.getByTestId('series-weekdays').getByText('Fri', { exact: true }).click();
      await seriesForm.getByTestId('series-save').click();
      await seriesForm.waitFor({ state: 'detached' });
      await seriesRow.filter({ hasText: 'Mon–Thu' }).waitFor();
      expect((await listSeries()).items).toEqual([expect.objectContaining({ weekdays: [1, 2, 3, 4], upcoming: 8 })]);
      await seriesRow.getByTestId('series-delete').click();
      await seriesRow.waitFor({ state: 'detached' });
      expect((await listSeries()).items).toEqual([]);
      expect((await api<{ items: unknown[] }>('GET', '/routing/shifts')).items).toEqual([]);
    } finally {
      await ctx.close();
    }
  });
});
