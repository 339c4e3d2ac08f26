import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerApi } from './support/api.ts';
import { launchBrowser, newContext } from './support/browser.ts';
import { createAdminWithToken, type SevaServer, startServer } from './support/server.ts';

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
  token = await createAdminWithToken(server, ADMIN, 'tickets:read,tickets:write,admin');
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
    // the ticket page shows the review and opens the form again
    await page.goto(`/tickets/${tk.number}`);
    await page.getByTestId('ticket-quality').getByText('Check the firmware version first next time').waitFor();
    await page.getByTestId('ticket-quality-review').click();
    await page.waitForURL(new RegExp(`/quality/review/${tk.number}$`));
    await page.getByTestId('review-form').waitFor();
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
    // and on the ticket itself, without a way to review it
    await agentPage.goto(`/tickets/${tk.number}`);
    const onTicket = agentPage.getByTestId('ticket-quality');
    await onTicket.getByText('Check the firmware version first next time').waitFor();
    await onTicket.getByText(`Reviewed by ${ADMIN.name} · Email quality`).waitFor();
    expect(await onTicket.getByTestId('ticket-quality-review').count()).toBe(0);
    // the review form is not theirs to use
    await agentPage.goto(`/quality/review/${tk.number}`);
    await agentPage.getByText('Only supervisors and admins review conversations.').waitFor();
    await agent.close();
  });
});

async function surveyUrlOf(ticketId: string, kind = 'csat'): Promise<string> {
  const events = await api<{ items: Array<{ type: string; payload: { surveyId?: string; kind?: string } }> }>(
    'GET',
    `/tickets/${ticketId}/events`,
  );
  const requested = events.items.find((e) => e.type === 'survey.requested' && e.payload.kind === kind);
  expect(requested, `a ${kind} survey for ${ticketId}`).toBeTruthy();
  const { url } = await api<{ url: string }>('GET', `/surveys/${requested?.payload.surveyId}/link`);
  return new URL(url, server.baseUrl).pathname;
}

async function solvedTicket(body: Record<string, unknown>): Promise<{ id: string; number: number }> {
  const tk = await api<{ id: string; number: number }>('POST', '/tickets', body);
  await api('POST', `/tickets/${tk.id}/messages`, { body: 'Sorted, thank you for waiting.', status: 'solved' });
  return tk;
}

describe('insights settings', () => {
  it('an admin chooses the surveys per channel and their words; the customer is asked in those words', {
    timeout: 120_000,
  }, async () => {
    const admin = await signIn(ADMIN);
    const page = await admin.newPage();
    await page.goto('/insights');
    await page.getByTestId('insights-settings-link').click();
    await page.getByRole('heading', { name: 'Insights settings' }).waitFor();

    // surveys: CES on, no CSAT for chat, a Bengali CSAT question of our own
    const ces = page.getByRole('switch', { name: 'CES (customer effort) after a ticket is solved' });
    await ces.focus();
    await page.keyboard.press('Space');
    expect(await ces.isChecked()).toBe(true);
    await page.getByTestId('survey-channel-chat-csat').uncheck();
    await page.getByTestId('survey-channel-email-ces').uncheck();
    const question = 'আমাদের সাপোর্ট টিম আপনাকে কেমন সাহায্য করেছে?';
    await page.getByTestId('survey-question-csat-bn').fill(question);
    await page.getByTestId('survey-delay').fill('30');
    await page.getByTestId('survey-save').click();
    await page.getByText('Settings saved').waitFor();
    await page.reload();
    await page.getByTestId('survey-question-csat-bn').waitFor();
    expect(await page.getByTestId('survey-question-csat-bn').inputValue()).toBe(question);
    expect(await page.getByTestId('survey-delay').inputValue()).toBe('30');
    expect(await page.getByTestId('survey-channel-chat-csat').isChecked()).toBe(false);
    expect(await page.getByTestId('survey-channel-chat-ces').isChecked()).toBe(true);
    expect(await page.getByTestId('survey-channel-email-csat').isChecked()).toBe(true);

    // a chat ticket gets CES only; a Bengali email ticket gets CSAT in the desk's words
    const chat = await solvedTicket({
      subject: 'Chat about a bill',
      channel: 'chat',
      customer: { email: 'chat1@example.com' },
      message: { body: 'Hi' },
    });
    const chatKinds = (
      await api<{ items: Array<{ type: string; payload: { kind?: string } }> }>('GET', `/tickets/${chat.id}/events`)
    ).items
      .filter((e) => e.type === 'survey.requested')
      .map((e) => e.payload.kind);
    expect(chatKinds).toEqual(['ces']);
    const bn = await solvedTicket({
      subject: 'বিল ভুল এসেছে',
      channel: 'email',
      language: 'bn',
      customer: { email: 'mitra@example.com', name: 'Mitra' },
      message: { body: 'বিল ভুল' },
    });
    const customer = await newContext(browser, server.baseUrl);
    const surveyPage = await customer.newPage();
    await surveyPage.goto(await surveyUrlOf(bn.id));
    await surveyPage.getByText(question).waitFor();
    await customer.close();

    // spike alerts: a higher factor and a chosen recipient
    await page.getByRole('tab', { name: 'Spike alerts' }).click();
    await page.getByTestId('spike-factor').fill('4');
    await page.getByTestId('spike-recipients').click();
    await page.getByRole('option', { name: AGENT.name }).click();
    await page.keyboard.press('Escape');
    await page.getByTestId('alerts-save').click();
    await page.getByText('Settings saved').first().waitFor();

    // costs: an hourly cost per role in rupees
    await page.getByRole('tab', { name: 'Costs and staffing' }).click();
    await page.getByTestId('cost-agent').fill('450');
    await page.getByTestId('cost-currency').fill('INR');
    await page.getByTestId('costs-save').click();
    await expect
      .poll(
        async () =>
          await api<{
            spikeFactor: number;
            alertRecipientIds: string[];
            hourlyCostByRole: Record<string, number>;
            currency: string;
          }>('GET', '/insights/settings'),
      )
      .toMatchObject({
        spikeFactor: 4,
        alertRecipientIds: [agentId],
        hourlyCostByRole: { agent: 450 },
        currency: 'INR',
      });

    // email reports live here too
    await page.getByRole('tab', { name: 'Email reports' }).click();
    await page.getByTestId('report-subscriptions').waitFor();

    // the cost report now speaks rupees
    await page.getByText('Back to Insights').click();
    await page.getByRole('tab', { name: 'Cost' }).click();
    await page.getByTestId('cost-table').getByText('₹', { exact: false }).first().waitFor();
    await admin.close();

    // an agent cannot open the settings at all (no reports:read), and the API refuses a change
    const agent = await signIn(AGENT);
    const res = await agent.request.patch('/api/v1/surveys/settings', { data: { csatEnabled: false } });
    expect([401, 403]).toContain(res.status());
    await agent.close();
  });
});

describe('staffing shifts', () => {
  it('a supervisor puts people on weekly shifts and the staffing plan counts them', { timeout: 90_000 }, async () => {
    const admin = await signIn(ADMIN);
    const page = await admin.newPage();
    await page.goto('/insights');
    await page.getByRole('tab', { name: 'Busy hours' }).click();
    const shifts = page.getByTestId('shifts');
    await shifts.getByText('No shifts yet: the plan counts nobody as scheduled.').waitFor();
    await page.getByText('Agent-hours scheduled: 0').waitFor();
    await page.getByTestId('shift-person').click();
    await page.getByRole('option', { name: AGENT.name }).click();
    await page.getByTestId('shift-day').click();
    await page.getByRole('option', { name: 'Tue' }).click();
    await page.getByTestId('shift-start').click();
    await page.getByRole('option', { name: '9', exact: true }).click();
    await page.getByTestId('shift-end').click();
    await page.getByRole('option', { name: '13', exact: true }).click();
    await page.getByTestId('shift-add').click();
    const row = shifts.getByTestId('shift-row');
    await row.getByText(AGENT.name).waitFor();
    await row.getByText('Tue').waitFor();
    await row.getByText('9:00–13:00').waitFor();
    await row.getByText('Any channel').waitFor();
    await page.getByText('Agent-hours scheduled: 4').waitFor();
    await row.getByTestId('shift-remove').click();
    await shifts.getByText('No shifts yet: the plan counts nobody as scheduled.').waitFor();
    await page.getByText('Agent-hours scheduled: 0').waitFor();
    await admin.close();
  });
});

describe('follow-ups after bad ratings', () => {
  it('a customer rates a ticket badly; the team lead sees the follow-up, notes the call and closes it', {
    timeout: 90_000,
  }, async () => {
    await api('PATCH', '/surveys/settings', {
      offChannels: { csat: [], ces: [], nps: [] },
      cesEnabled: false,
      delayMinutes: 0,
    });
    const team = await api<{ id: string }>('POST', '/teams', {
      name: 'Billing',
      leadId: agentId,
      memberIds: [agentId],
    });
    const tk = await solvedTicket({
      subject: 'Refund never arrived',
      channel: 'email',
      teamId: team.id,
      customer: { email: 'sunil@example.com', name: 'Sunil' },
      message: { body: 'Where is my refund?' },
    });

    // the customer answers the survey: one click on "Very bad", then a comment
    const customer = await newContext(browser, server.baseUrl);
    const cp = await customer.newPage();
    await cp.goto(await surveyUrlOf(tk.id));
    await cp.getByRole('link', { name: '1 · Very bad' }).click();
    await cp.getByText('Thank you! Your rating has been recorded.').waitFor();
    await cp.getByRole('textbox').fill('Still no refund after two weeks');
    await cp.getByRole('button', { name: 'Send' }).click();
    await cp.getByText('Thank you for your comment.').waitFor();
    await customer.close();

    // the team lead (an agent) finds it under "Bad ratings"
    const lead = await signIn(AGENT);
    const page = await lead.newPage();
    await page.goto('/');
    await page.getByTestId('nav-rating-followups').click();
    await page.getByRole('heading', { name: 'Follow-ups after bad ratings' }).waitFor();
    const card = page.getByTestId('rating-followup');
    await card.getByText(`#${tk.number} Refund never arrived`).waitFor();
    await card.getByText('Still no refund after two weeks').waitFor();
    await card.getByTestId('rating-followup-rating').getByText('Rating: 1 · Very bad').waitFor();
    await card.getByText(`Owner: ${AGENT.name}`, { exact: false }).waitFor();
    await card.getByTestId('rating-followup-note').fill('Called Sunil, refund re-sent');
    await card.getByTestId('rating-followup-done').click();
    await page.getByText('No follow-ups here.').waitFor();
    await page.getByText('Done', { exact: true }).click();
    await page.getByTestId('rating-followup').getByText(`#${tk.number} Refund never arrived`).waitFor();
    expect(await page.getByTestId('rating-followup-note').inputValue()).toBe('Called Sunil, refund re-sent');
    await lead.close();
  });
});

describe('notification centre', () => {
  it('the bell tells a person about a mention, their review and a bad rating; reading clears it', {
    timeout: 90_000,
  }, async () => {
    const agent = await signIn(AGENT);
    const page = await agent.newPage();
    await page.goto('/');
    // earlier journeys gave Bala a quality review and a bad-rating follow-up
    const count = page.getByTestId('notification-count');
    await expect.poll(async () => (await count.textContent())?.trim(), { timeout: 20_000, interval: 500 }).toBe('2');

    // a mention arrives while the page is open: the bell counts it at once (pushed, not the minute's poll)
    const tk = await api<{ id: string; number: number }>('POST', '/tickets', {
      subject: 'Modem lights blinking red',
      channel: 'email',
      customer: { email: 'priya@example.com', name: 'Priya' },
      message: { body: 'All lights are red.' },
    });
    await api('POST', `/tickets/${tk.id}/messages`, {
      body: `@${AGENT.name} could you take this one?`,
      internal: true,
    });
    await expect.poll(async () => (await count.textContent())?.trim(), { timeout: 15_000, interval: 250 }).toBe('3');
    await page.getByTestId('notification-bell').click();
    const list = page.getByTestId('notification-list');
    await list.getByText(`${ADMIN.name} mentioned you on #${tk.number} Modem lights blinking red`).waitFor();
    await list.getByText(/New quality review of #\d+ Router keeps restarting: 62\.5 \/ 100/).waitFor();
    await list.getByText(/Bad rating \(1\) on #\d+ Refund never arrived: please follow up/).waitFor();
    expect(await list.locator('[data-unread="true"]').count()).toBe(3);

    // one click opens the ticket and marks it read
    await list.getByText(`${ADMIN.name} mentioned you on #${tk.number} Modem lights blinking red`).click();
    await page.waitForURL(new RegExp(`/tickets/${tk.number}$`));
    await expect.poll(async () => (await count.textContent())?.trim()).toBe('2');
    await page.getByTestId('notification-bell').click();
    await list.getByTestId('notification-read-all').click();
    await expect.poll(() => list.locator('[data-unread="true"]').count()).toBe(0);
    // read state is kept on the server
    await page.reload();
    await page.getByTestId('notification-bell').waitFor();
    const after = await agent.request.get('/api/v1/notifications');
    expect((await after.json()).unread).toBe(0);
    await agent.close();
  });
});
