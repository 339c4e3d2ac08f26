import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isSampled } from '../src/modules/surveys/create-survey-requests.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { surveyRequests, teams } from '../src/platform/db/schema/index.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api, insertCategory, insertTeam, openTicket } from './tickets-helpers.ts';

const clock = new ManualClock(new Date('2026-04-01T09:00:00Z'));
let t: TestApp;
let lead: TestStaff;
let agent: TestStaff;
let admin: TestStaff;
let team: string;
let category: string;

async function solvedTicket(opts: { email: string; language?: string; channel?: string }) {
  const tk = await openTicket(t, agent, {
    email: opts.email,
    language: opts.language ?? 'en',
    channel: opts.channel ?? 'email',
    teamId: team,
    assigneeId: agent.id,
    categoryId: category,
  });
  const res = await api(t, agent, 'POST', `/tickets/${tk.id}/messages`, { body: 'Done', status: 'solved' });
  expect(res.statusCode, res.body).toBe(201);
  return tk.id as string;
}

async function surveysOf(ticketId: string) {
  return t.deps.db.select().from(surveyRequests).where(eq(surveyRequests.ticketId, ticketId));
}

async function linkOf(surveyId: string): Promise<string> {
  const res = await api(t, lead, 'GET', `/surveys/${surveyId}/link`);
  expect(res.statusCode, res.body).toBe(200);
  return new URL(res.json().url, 'http://x').pathname;
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  lead = await createStaff(t, 'supervisor', { name: 'Lina Lead' });
  agent = await createStaff(t, 'agent', { name: 'Amit Agent' });
  admin = await createStaff(t, 'admin');
  team = await insertTeam(t, 'Billing team', [agent.id]);
  await t.deps.db.update(teams).set({ leadId: lead.id }).where(eq(teams.id, team));
  category = await insertCategory(t, 'Billing');
});
afterAll(async () => {
  await t?.close();
});

describe('CSAT surveys', () => {
  let ticketId: string;
  let path: string;

  it('sends a survey in the customer language when a ticket is solved', async () => {
    ticketId = await solvedTicket({ email: 'rina@example.com', language: 'bn' });
    const [s] = await surveysOf(ticketId);
    expect(s).toMatchObject({
      kind: 'csat',
      status: 'pending',
      language: 'bn',
      channel: 'email',
      teamId: team,
      assigneeId: agent.id,
    });
    const { rows } = await t.deps.database.pool.query(
      `SELECT payload FROM events WHERE type = 'survey.requested' AND ticket_id = $1`,
      [ticketId],
    );
    expect(rows[0].payload).toMatchObject({ surveyId: s?.id, kind: 'csat', language: 'bn' });
    path = await linkOf(s?.id as string);
    const page = await t.app.inject({ method: 'GET', url: path });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.body).toContain('আমাদের সেবা কেমন ছিল?');
    expect(page.body).toContain('?rating=5');
  });

  it('refuses a link whose signature was tampered with', async () => {
    const forged = `${path.slice(0, -4)}AAAA`;
    expect((await t.app.inject({ method: 'GET', url: forged })).statusCode).toBe(404);
    const res = await t.app.inject({
      method: 'POST',
      url: '/survey/v1/answers',
      payload: { token: forged.split('/').pop(), rating: 5 },
    });
    expect(res.statusCode).toBe(404);
  });

  it('records a one-click rating once, then takes an optional comment once', async () => {
    const first = await t.app.inject({ method: 'GET', url: `${path}?rating=1` });
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('ধন্যবাদ');
    const again = await t.app.inject({ method: 'GET', url: `${path}?rating=5` });
    expect(again.statusCode).toBe(409);
    const viaApi = await t.app.inject({
      method: 'POST',
      url: '/survey/v1/answers',
      payload: { token: path.split('/').pop(), rating: 5 },
    });
    expect(viaApi.statusCode).toBe(409);
    const comment = await t.app.inject({
      method: 'POST',
      url: `${path}/comment`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'comment=Nobody+called+me+back',
    });
    expect(comment.statusCode).toBe(200);
    const second = await t.app.inject({
      method: 'POST',
      url: `${path}/comment`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'comment=again',
    });
    expect(second.statusCode).toBe(409);
    const [s] = await surveysOf(ticketId);
    expect(s).toMatchObject({ status: 'answered', rating: 1, comment: 'Nobody called me back' });
  });

  it('opens a follow-up for the team lead after a bad rating, visible to the lead only', async () => {
    const mine = (await api(t, lead, 'GET', '/surveys/followups?status=open')).json();
    expect(mine.items).toHaveLength(1);
    expect(mine.items[0]).toMatchObject({
      ticketId,
      ownerId: lead.id,
      ownerName: 'Lina Lead',
      rating: 1,
      comment: 'Nobody called me back',
      status: 'open',
    });
    expect(mine.items[0]).toMatchObject({ ticketNumber: expect.any(Number), ticketSubject: expect.any(String) });
    expect((await api(t, agent, 'GET', '/surveys/followups')).json().items).toEqual([]);
    const id = mine.items[0].id;
    expect((await api(t, agent, 'PATCH', `/surveys/followups/${id}`, { status: 'done' })).statusCode).toBe(404);
    const done = await api(t, lead, 'PATCH', `/surveys/followups/${id}`, { status: 'done', note: 'Called her back' });
    expect(done.json()).toMatchObject({ status: 'done', note: 'Called her back' });
  });

  it('asks the same customer at most once within the cap, and samples deterministically', async () => {
    const again = await solvedTicket({ email: 'rina@example.com', language: 'bn' });
    expect(await surveysOf(again)).toEqual([]);
    expect(isSampled('00000000-0000-4000-8000-000000000001', 1)).toBe(true);
    expect(isSampled('00000000-0000-4000-8000-000000000001', 0)).toBe(false);
    const ids = Array.from({ length: 2000 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    const share = ids.filter((id) => isSampled(id, 0.25)).length / ids.length;
    expect(share).toBeGreaterThan(0.22);
    expect(share).toBeLessThan(0.28);
    await api(t, admin, 'PATCH', '/surveys/settings', { sampleRate: 0 });
    const unsampled = await solvedTicket({ email: 'sam@example.com' });
    expect(await surveysOf(unsampled)).toEqual([]);
    await api(t, admin, 'PATCH', '/surveys/settings', { sampleRate: 1 });
  });

  it('reports the satisfaction rate against the target, the distribution and per team, person and channel', async () => {
    const good = await solvedTicket({ email: 'gita@example.com', language: 'hi', channel: 'chat' });
    const [s] = await surveysOf(good);
    const token = (await linkOf(s?.id as string)).split('/').pop();
    const ok = await t.app.inject({ method: 'POST', url: '/survey/v1/answers', payload: { token, rating: 5 } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ kind: 'csat', rating: 5, followUp: false });
    const r = (await api(t, lead, 'GET', '/surveys/results?kind=csat')).json();
    expect(r).toMatchObject({
      sent: 2,
      answered: 2,
      responseRate: 1,
      score: 0.5,
      mean: 3,
      target: 0.98,
      meetsTarget: false,
    });
    expect(r.distribution).toEqual([
      { rating: 1, count: 1 },
      { rating: 2, count: 0 },
      { rating: 3, count: 0 },
      { rating: 4, count: 0 },
      { rating: 5, count: 1 },
    ]);
    expect(r.byTeam).toEqual([{ key: team, label: 'Billing team', answered: 2, score: 0.5, mean: 3 }]);
    expect(r.byAssignee[0]).toMatchObject({ label: 'Amit Agent', answered: 2 });
    expect(r.byChannel.map((c: { key: string; score: number }) => [c.key, c.score])).toEqual([
      ['chat', 1],
      ['email', 0],
    ]);
    expect(r.comments).toHaveLength(1);
  });

  it('refuses an expired link', async () => {
    const tk = await solvedTicket({ email: 'old@example.com' });
    const [s] = await surveysOf(tk);
    const link = await linkOf(s?.id as string);
    clock.advance(15 * 86_400_000);
    expect((await t.app.inject({ method: 'GET', url: `${link}?rating=4` })).statusCode).toBe(410);
    const res = await t.app.inject({
      method: 'POST',
      url: '/survey/v1/answers',
      payload: { token: link.split('/').pop(), rating: 4 },
    });
    expect(res.statusCode).toBe(409);
  });
});

describe('survey settings per channel and wording per language', () => {
  it('are read by supervisors, changed by admins only, and refuse bad input', async () => {
    const got = (await api(t, lead, 'GET', '/surveys/settings')).json();
    expect(got).toMatchObject({
      offChannels: { csat: [], ces: [], nps: [] },
      questions: { csat: {}, ces: {}, nps: {} },
    });
    expect((await api(t, agent, 'GET', '/surveys/settings')).statusCode).toBe(403);
    expect(
      (await api(t, lead, 'PATCH', '/surveys/settings', { offChannels: { csat: ['chat'], ces: [], nps: [] } }))
        .statusCode,
    ).toBe(403);
    const bad = await api(t, admin, 'PATCH', '/surveys/settings', { offChannels: { csat: 'chat' } });
    expect(bad.statusCode).toBe(400);
    const long = await api(t, admin, 'PATCH', '/surveys/settings', {
      questions: { csat: { en: 'x'.repeat(301) }, ces: {}, nps: {} },
    });
    expect(long.statusCode).toBe(400);
    expect(
      (await api(t, admin, 'PATCH', '/surveys/settings', { questions: { csat: { fr: 'Comment?' }, ces: {}, nps: {} } }))
        .statusCode,
    ).toBe(400);
  });

  it('sends no survey of a kind for the channels switched off for it', async () => {
    const res = await api(t, admin, 'PATCH', '/surveys/settings', {
      cesEnabled: true,
      offChannels: { csat: ['chat'], ces: ['email'], nps: [] },
    });
    expect(res.statusCode, res.body).toBe(200);
    const chat = await solvedTicket({ email: 'chatty@example.com', channel: 'chat' });
    expect((await surveysOf(chat)).map((s) => s.kind)).toEqual(['ces']);
    const mail = await solvedTicket({ email: 'mailer@example.com', channel: 'email' });
    expect((await surveysOf(mail)).map((s) => s.kind)).toEqual(['csat']);
    await api(t, admin, 'PATCH', '/surveys/settings', {
      cesEnabled: false,
      offChannels: { csat: [], ces: [], nps: [] },
    });
  });

  it('asks the desk’s own question in the survey’s language, on the page and in the email, and the built-in one elsewhere', async () => {
    const custom = 'আমাদের সাপোর্ট টিম আপনাকে কেমন সাহায্য করেছে?';
    const res = await api(t, admin, 'PATCH', '/surveys/settings', {
      questions: { csat: { bn: custom, en: '  ' }, ces: {}, nps: {} },
    });
    expect(res.statusCode, res.body).toBe(200);
    const bn = await solvedTicket({ email: 'mitra@example.com', language: 'bn' });
    const [sbn] = await surveysOf(bn);
    const page = await t.app.inject({ method: 'GET', url: await linkOf(sbn?.id as string) });
    expect(page.body).toContain(custom);
    expect(page.body).not.toContain('আপনি যে সাহায্য পেয়েছেন তাকে কীভাবে মূল্যায়ন করবেন?');
    const en = await solvedTicket({ email: 'eddie@example.com', language: 'en' });
    const [sen] = await surveysOf(en);
    const enPage = await t.app.inject({ method: 'GET', url: await linkOf(sen?.id as string) });
    expect(enPage.body).toContain('How would you rate the help you received?');
    const { composeSurveyEmail } = await import('../src/modules/surveys/send-survey-emails.ts');
    const mail = await composeSurveyEmail({ config: t.deps.config, now: () => clock.now() }, t.deps.db, {
      idempotencyKey: `survey:${sbn?.id}`,
      mailboxId: null,
      recipient: 'mitra@example.com',
    } as Parameters<typeof composeSurveyEmail>[2]);
    expect('mail' in mail && mail.mail.text).toContain(custom);
    expect('mail' in mail && mail.mail.html).toContain(custom);
  });
});
