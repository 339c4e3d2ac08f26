import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerApi } from './support/api.ts';
import { launchBrowser, newContext } from './support/browser.ts';
import { type SevaServer, startServer } from './support/server.ts';

/**
 * The screens around the Insights reports, used as people use them: a supervisor reviews a sampled conversation
 * against a scorecard and the agent reads the review; (further journeys below) settings, shifts and follow-ups.
 */
let server: SevaServer;
let browser: Browser;
let token: string;
const ADMIN = { name: 'Asha Admin', email: 'asha@example.com', password: 'a sturdy passphrase' };
const AGENT = { name: 'Bala Agent', email: 'bala@example.com', password: 'another sturdy phrase' };
const api = bearerApi(
  () => server.baseUrl,
  () => token,
);
let agentId: string;

async function signIn(who: { email: string; password: string }): Promise<BrowserContext> {
  const ctx = await newContext(browser, server.baseUrl);
  const res = await ctx.request.post('/api/v1/auth/login', { data: { email: who.email, password: who.password } });
  expect(res.status()).toBe(200);
  return ctx;
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const created = await server.runCli([
    'admin',
    'create',
    '--email',
    ADMIN.email,
    '--password',
    ADMIN.password,
    '--name',
    ADMIN.name,
  ]);
  expect(created.code, created.stderr).toBe(0);
  const tok = await server.runCli([
    'token',
    'create',
    '--email',
    ADMIN.email,
    '--name',
    'e2e',
    '--scopes',
    'tickets:read,tickets:write,admin',
  ]);
  expect(tok.code, tok.stderr).toBe(0);
  token = tok.stdout.trim().split('\n').pop() as string;
  const invite = await api<{ inviteUrl: string }>('POST', '/staff/invitations', {
    email: AGENT.email,
    name: AGENT.name,
    role: 'agent',
  });
  const accepted = await fetch(`${server.baseUrl}/api/v1/auth/invitations/accept`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: invite.inviteUrl.split('/').pop(), password: AGENT.password }),
  });
  expect(accepted.status).toBe(200);
  const staff = await api<{ items: Array<{ id: string; email: string }> }>('GET', '/staff');
  agentId = staff.items.find((s) => s.email === AGENT.email)?.id as string;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('quality reviews', () => {
  it('a supervisor builds a scorecard, reviews a sampled conversation, filters the list; the agent reads the review', {
    timeout: 120_000,
  }, async () => {
    const tk = await api<{ id: string; number: number }>('POST', '/tickets', {
      subject: 'Router keeps restarting',
      channel: 'email',
      customer: { email: 'rina@example.com', name: 'Rina Das' },
      message: { body: 'My router restarts every ten minutes.' },
      assigneeId: agentId,
    });
    await api('POST', `/tickets/${tk.id}/messages`, {
      body: 'Please update the firmware from the admin page.',
      status: 'solved',
    });

    const admin = await signIn(ADMIN);
    const page = await admin.newPage();
    await page.goto('/');
    await page.getByTestId('nav-quality').click();
    await page.getByRole('heading', { name: 'Quality reviews' }).waitFor();

    // a scorecard with two weighted criteria
    await page.getByRole('tab', { name: 'Scorecards' }).click();
    await page.getByText('No scorecards yet: create one below.').waitFor();
    await page.getByTestId('scorecard-name').fill('Email quality');
    await page.getByTestId('criterion-label').nth(0).fill('Greets the customer');
    await page.getByTestId('criterion-add').click();
    await page.getByTestId('criterion-label').nth(1).fill('Correct answer');
    await page.getByTestId('criterion-weight').nth(1).fill('3');
    await page.getByTestId('scorecard-save').click();
    await page.getByTestId('scorecard').getByText('Email quality').waitFor();
    await page
      .getByTestId('scorecard')
      .getByText('Greets the customer (weight 1) · Correct answer (weight 3)')
      .waitFor();

    // the sample offers the agent's solved ticket; the review form shows the conversation and the scorecard
    await page.getByRole('tab', { name: 'To review' }).click();
    const sample = page.getByTestId('sample-agent').filter({ hasText: AGENT.name });
    await sample.getByText(`#${tk.number} Router keeps restarting`).waitFor();
    await sample.getByTestId('sample-review').click();
    await page.waitForURL(new RegExp(`/quality/review/${tk.number}$`));
    await page.getByRole('heading', { name: `Review of ticket #${tk.number}` }).waitFor();
    await page.getByTestId('review-conversation').getByText('My router restarts every ten minutes.').waitFor();
    await page
      .getByTestId('review-conversation')
      .getByText('Please update the firmware from the admin page.')
      .waitFor();
    expect(await page.getByTestId('review-agent').inputValue()).toBe(AGENT.name);
    await page.getByText('Score every criterion').waitFor();
    const criteria = page.getByTestId('review-criterion');
    await criteria.nth(0).getByText('4 · fully met').click();
    await criteria.nth(1).getByText('2', { exact: true }).click();
    // (1 × 4/4 + 3 × 2/4) / 4 = 62.5
    await page.getByTestId('review-preview').getByText('Score: 62.5 / 100').waitFor();
    await page.getByTestId('review-comment').fill('Check the firmware version first next time');
    await page.getByTestId('review-save').click();
    await page.getByText('Review saved: 62.5 / 100').waitFor();
    const earlier = page.getByTestId('quality-review-row');
    await expect.poll(() => earlier.count()).toBe(1);
    await earlier.getByText('Check the firmware version first next time').waitFor();

    // the list: filtered by agent and reviewer, with the average
    await page.getByText('All reviews').click();
    await page.getByTestId('quality-count').getByText('1', { exact: true }).waitFor();
    await page.getByTestId('quality-average').getByText('62.5', { exact: true }).waitFor();
    await page.getByTestId('quality-by-agent').getByText(AGENT.name).waitFor();
    await page.getByTestId('filter-reviewer').click();
    await page.getByRole('option', { name: ADMIN.name }).click();
    await page.getByTestId('quality-review-row').getByText(`#${tk.number} Router keeps restarting`).waitFor();
    await page.getByTestId('filter-agent').click();
    await page.getByRole('option', { name: ADMIN.name }).click();
    await page.getByText('No reviews in this period.').waitFor();
    await page.getByTestId('quality-average').getByText('—', { exact: true }).waitFor();
    await admin.close();

    // the agent sees their own review
    const agent = await signIn(AGENT);
    const agentPage = await agent.newPage();
    await agentPage.goto('/');
    await agentPage.getByTestId('nav-quality').getByText('My reviews').click();
    await agentPage.getByRole('heading', { name: 'My quality reviews' }).waitFor();
    const row = agentPage.getByTestId('quality-review-row');
    await row.getByText('Check the firmware version first next time').waitFor();
    await row.getByText(ADMIN.name).waitFor();
    await row.getByTestId('quality-review-score').getByText('62.5').waitFor();
    expect(await agentPage.getByRole('tab', { name: 'Scorecards' }).count()).toBe(0);
    // the review form is not theirs to use
    await agentPage.goto(`/quality/review/${tk.number}`);
    await agentPage.getByText('Only supervisors and admins review conversations.').waitFor();
    await agent.close();
  });
});
