import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext } from './support/browser.ts';
import { createAdminWithToken, type SevaServer, startServer } from './support/server.ts';

/**
 * A supervisor opens Insights: the volume chart, the breakdowns and the times are drawn from today's tickets, a
 * screenshot of the chart has real pixels in it, a bar drills down to the tickets behind it, and the date-range
 * picker moves every number; the customers-at-risk list is refreshed on request.
 */
let server: SevaServer;
let browser: Browser;
let token: string;
let shots: string;
const ADMIN = { name: 'Asha Admin', email: 'asha@example.com', password: 'a sturdy passphrase' };

async function api<T>(method: string, p: string, body?: unknown): Promise<T> {
  const res = await fetch(`${server.baseUrl}/api/v1${p}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${p} → ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  // SEVA_E2E_SHOTS=dir keeps the screenshots for a look; otherwise they go to a temporary folder
  shots = process.env.SEVA_E2E_SHOTS ?? (await mkdtemp(path.join(os.tmpdir(), 'seva-insights-shots-')));
  token = await createAdminWithToken(server, ADMIN, 'tickets:read,tickets:write,admin');
  const billing = (await api<{ id: string }>('POST', '/categories', { name: 'Billing' })).id;
  const outage = (await api<{ id: string }>('POST', '/categories', { name: 'Internet outage' })).id;
  const rows: Array<[string, string, string, string]> = [
    ['Charged twice', 'email', 'en', billing],
    ['বিল ভুল এসেছে', 'email', 'bn', billing],
    ['इंटरनेट बंद है', 'chat', 'hi', outage],
    ['No internet since morning', 'chat', 'en', outage],
    ['ইন্টারনেট নেই', 'web', 'bn', outage],
  ];
  let i = 0;
  for (const [subject, channel, language, categoryId] of rows) {
    i += 1;
    const tk = await api<{ id: string }>('POST', '/tickets', {
      subject,
      channel,
      language,
      categoryId,
      customer: { email: `c${i}@example.com` },
      message: { body: subject },
    });
    if (i <= 3)
      await api('POST', `/tickets/${tk.id}/messages`, {
        body: 'We are on it',
        ...(i <= 2 ? { status: 'solved' } : {}),
      });
  }
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (shots && !process.env.SEVA_E2E_SHOTS) await rm(shots, { recursive: true, force: true });
});

describe('insights dashboard', () => {
  it('draws the charts from real tickets, drills down to them and follows the date range', async () => {
    const context = await newContext(browser, server.baseUrl);
    expect(
      (
        await context.request.post('/api/v1/auth/login', { data: { email: ADMIN.email, password: ADMIN.password } })
      ).status(),
    ).toBe(200);
    const page = await context.newPage();
    await page.goto('/');
    await page.getByTestId('nav-insights').click();
    await page.getByRole('heading', { name: 'Insights' }).waitFor();

    await page.getByTestId('kpi-created').getByText('5', { exact: true }).waitFor();
    await page.getByTestId('kpi-solved').getByText('2', { exact: true }).waitFor();
    await page.getByTestId('kpi-backlog').getByText('3', { exact: true }).waitFor();
    const chart = page.getByTestId('volume-chart');
    await chart.waitFor();
    expect(await chart.locator('g[data-bar="5"]').count()).toBe(1);
    await page.getByTestId('bars-categories').getByText('Internet outage', { exact: true }).waitFor();
    await page.getByTestId('bars-languages').getByText('Bengali', { exact: true }).waitFor();

    // the screenshot has real pixels: many colours, not a blank box
    const png = await chart.screenshot();
    await writeFile(path.join(shots, 'insights-volume.png'), png);
    const fullPage = await page.screenshot({ fullPage: true });
    await writeFile(path.join(shots, 'insights-dashboard.png'), fullPage);
    expect(png.length).toBeGreaterThan(2_000);
    const colours = await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.width;
      canvas.height = img.height;
      const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
      ctx.drawImage(img, 0, 0);
      const data = ctx.getImageData(0, 0, img.width, img.height).data;
      const seen = new Set<string>();
      let inked = 0;
      for (let p = 0; p < data.length; p += 4) {
        const [r, g, bl] = [data[p] as number, data[p + 1] as number, data[p + 2] as number];
        seen.add(`${r >> 4},${g >> 4},${bl >> 4}`);
        if (r + g + bl < 600) inked += 1;
      }
      return { distinct: seen.size, inkedShare: inked / (data.length / 4) };
    }, png.toString('base64'));
    expect(colours.distinct).toBeGreaterThan(4);
    expect(colours.inkedShare).toBeGreaterThan(0.01);

    // drill down from a bar to the tickets behind it
    await page.getByTestId('bars-categories').getByText('Internet outage', { exact: true }).click();
    const drawer = page.getByRole('dialog');
    await drawer.getByText('3 tickets').waitFor();
    await expect.poll(() => drawer.getByTestId('drill-ticket').count()).toBe(3);
    await drawer.getByText('इंटरनेट बंद है', { exact: false }).click();
    await page.waitForURL(/\/tickets\/\d+/);

    // a range with nothing in it
    await page.goBack();
    await page.getByTestId('range-from').fill('2020-01-01');
    await page.getByTestId('range-to').fill('2020-01-31');
    await page.getByTestId('kpi-created').getByText('0', { exact: true }).waitFor();

    // the other tabs render
    await page.getByRole('tab', { name: 'Busy hours & staffing' }).click();
    await page.getByTestId('heatmap').waitFor();
    await page.getByRole('tab', { name: 'Hot buttons' }).click();
    await page.getByTestId('hot-buttons').waitFor();
    // SLA achievement (the headline figure and its tab)
    await page.getByRole('tab', { name: 'Overview' }).click();
    await page.getByTestId('kpi-sla').getByText('SLA achievement').waitFor();
    await page.getByRole('tab', { name: 'SLA' }).click();
    await page.getByTestId('sla-panel').waitFor();
    // a weekly email report: subscribe, see it listed, stop it
    await page.getByRole('tab', { name: 'Email reports' }).click();
    await page.getByTestId('report-subscriptions').getByText('You have no email reports yet.').waitFor();
    await page.getByTestId('report-subscribe').click();
    await page
      .getByTestId('report-row')
      .getByText(/Every Monday at 07:00/)
      .waitFor();
    await page.getByTestId('report-stop').click();
    await page.getByTestId('report-subscriptions').getByText('You have no email reports yet.').waitFor();

    // customers at risk come from a snapshot a worker computes every five minutes; "Refresh now" computes them at
    // once: an unhappy customer's three angry tickets of the last minute show up
    for (let n = 1; n <= 3; n += 1)
      await api('POST', '/tickets', {
        subject: `Still broken (${n})`,
        channel: 'email',
        customer: { email: 'nadia@example.com', name: 'Nadia Noor' },
        message: { body: 'This is terrible, I am very frustrated and angry' },
      });
    await page.getByRole('tab', { name: 'Customers at risk' }).click();
    await page
      .getByTestId('risk-as-of')
      .getByText(/^Updated /)
      .waitFor();
    await page.getByTestId('risk-refresh').click();
    await page.getByTestId('customers-at-risk').getByText('Nadia Noor').waitFor();
    await context.close();
  });
});
