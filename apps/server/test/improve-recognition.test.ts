import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api, insertTeam, openTicket } from './tickets-helpers.ts';

let t: TestApp;
let admin: TestStaff;
let lead: TestStaff;
let asha: TestStaff;
let ravi: TestStaff;

beforeAll(async () => {
  t = await createTestApp();
  admin = await createStaff(t, 'admin');
  lead = await createStaff(t, 'supervisor', { name: 'Lata Lead' });
  asha = await createStaff(t, 'agent', { name: 'Asha Roy' });
  ravi = await createStaff(t, 'agent', { name: 'Ravi Kumar' });
  await insertTeam(t, 'Billing', [asha.id, ravi.id]);
});
afterAll(async () => {
  await t?.close();
});

async function solveWith(who: TestStaff, replies: number) {
  const tk = await openTicket(t, who, { assigneeId: who.id });
  for (let i = 0; i < replies; i += 1) {
    const r = await api(t, who, 'POST', `/tickets/${tk.id}/messages`, { body: `reply ${i}`, ...(i === replies - 1 ? { status: 'solved' } : {}) });
    expect(r.statusCode, r.body).toBe(201);
  }
  return tk;
}

const board = async (who: TestStaff, period = 'month') => (await api(t, who, 'GET', `/recognition/leaderboard?period=${period}`)).json();
const pointsOf = (b: { people: Array<{ staff: { id: string }; points: number }> }, s: TestStaff) =>
  b.people.find((p) => p.staff.id === s.id)?.points ?? 0;

describe('recognition', () => {
  it('rewards first-contact resolutions and takes points back on reopen, so cycling never pays', async () => {
    await solveWith(asha, 1); // +2 +3
    await solveWith(ravi, 3); // +2
    let b = await board(asha);
    expect(pointsOf(b, asha)).toBe(5);
    expect(pointsOf(b, ravi)).toBe(2);
    expect(b.people[0].staff.id).toBe(asha.id);

    // Ravi reopens and re-solves a ticket of his three times: each cycle costs him
    const tk = await solveWith(ravi, 1); // +5
    b = await board(ravi);
    const before = pointsOf(b, ravi);
    for (let i = 0; i < 3; i += 1) {
      expect((await api(t, ravi, 'PATCH', `/tickets/${tk.id}`, { status: 'open' })).statusCode).toBe(200);
      expect((await api(t, ravi, 'PATCH', `/tickets/${tk.id}`, { status: 'solved' })).statusCode).toBe(200);
    }
    b = await board(ravi);
    expect(pointsOf(b, ravi)).toBe(before - 3 - 3 * 3);
    expect(b.people.find((p: { staff: { id: string } }) => p.staff.id === ravi.id).reopened).toBe(3);
  });

  it('counts customers\' ratings and managers\' kudos, and shows good comments on the thank-you wall', async () => {
    const tk = await solveWith(asha, 2);
    const customer = tk.customer.id;
    await t.deps.db.execute(sql`INSERT INTO survey_requests (kind, ticket_id, customer_id, token_hash, assignee_id, status, rating, comment, expires_at, answered_at)
      VALUES ('csat', ${tk.id}, ${customer}, 'h1', ${asha.id}, 'answered', 5, 'আশা খুব সাহায্য করেছেন, ধন্যবাদ!', now() + interval '7 days', ${t.clock.now().toISOString()}::timestamptz)`);
    const before = pointsOf(await board(asha), asha);
    expect((await api(t, lead, 'POST', '/kudos', { toStaffId: asha.id, ticketId: tk.id, message: 'Great save' })).statusCode).toBe(201);
    expect(pointsOf(await board(asha), asha)).toBe(before + 1);
    const thanks = (await api(t, ravi, 'GET', '/recognition/thanks')).json().items;
    expect(thanks[0]).toMatchObject({ comment: 'আশা খুব সাহায্য করেছেন, ধন্যবাদ!', staff: { id: asha.id }, ticket: { id: tk.id } });
    const digest = (await api(t, asha, 'GET', '/recognition/digest')).json();
    expect(digest.goodRatings).toBe(1);
    expect(digest.kudos.map((k: { message: string }) => k.message)).toContain('Great save');
  });

  it('respects privacy: with "managers only" an agent sees just their own place, and first names only for peers', async () => {
    expect((await api(t, asha, 'PUT', '/recognition/settings', { leaderboardVisibility: 'managers' })).statusCode).toBe(403);
    const set = await api(t, admin, 'PUT', '/recognition/settings', { leaderboardVisibility: 'managers', firstNamesOnly: true });
    expect(set.json()).toEqual({ enabled: true, leaderboardVisibility: 'managers', firstNamesOnly: true });
    const mine = await board(ravi);
    expect(mine.people.map((p: { staff: { id: string } }) => p.staff.id)).toEqual([ravi.id]);
    expect(mine.people[0].staff.name).toBe('Ravi Kumar');
    const managers = await board(lead);
    expect(managers.people.length).toBeGreaterThanOrEqual(2);
    await api(t, admin, 'PUT', '/recognition/settings', { leaderboardVisibility: 'everyone' });
    const peers = await board(ravi);
    expect(peers.people.find((p: { staff: { id: string } }) => p.staff.id === asha.id).staff.name).toBe('Asha');
    const billing = peers.teams.find((x: { name: string }) => x.name === 'Billing');
    expect(billing.points).toBe(pointsOf(peers, asha) + pointsOf(peers, ravi));
  });

  it('credits the author of an article for each "helpful" vote, up to a cap', async () => {
    const before = pointsOf(await board(ravi), ravi);
    const now = t.clock.now().toISOString();
    const [article] = (
      await t.deps.db.execute(sql`INSERT INTO kb_articles (created_by_id) VALUES (${ravi.id}) RETURNING id`)
    ).rows as Array<{ id: string }>;
    const [tr] = (
      await t.deps.db.execute(sql`INSERT INTO kb_article_translations (article_id, locale, title, slug, body_html, status)
        VALUES (${article?.id}, 'bn', 'রিফান্ড কীভাবে পাবেন', 'refund', '<p>…</p>', 'published') RETURNING id`)
    ).rows as Array<{ id: string }>;
    await t.deps.db.execute(sql`INSERT INTO kb_article_versions (translation_id, version, title, body_html, source_format, body_source, status, created_by_id)
      VALUES (${tr?.id}, 1, 'রিফান্ড কীভাবে পাবেন', '<p>…</p>', 'html', '', 'published', ${ravi.id})`);
    for (let i = 0; i < 14; i += 1) {
      await t.deps.db.execute(sql`INSERT INTO kb_feedback (translation_id, is_helpful, ip_hash, day, created_at)
        VALUES (${tr?.id}, ${i % 7 !== 6}, ${`ip${i}`}, '2026-01-01', ${now}::timestamptz)`);
    }
    // 12 helpful votes, capped at 10 points
    expect(pointsOf(await board(ravi), ravi)).toBe(before + 10);
  });

  it('can be turned off by an admin', async () => {
    await api(t, admin, 'PUT', '/recognition/settings', { enabled: false });
    const res = await api(t, asha, 'GET', '/recognition/leaderboard');
    expect(res.statusCode).toBe(409);
    await api(t, admin, 'PUT', '/recognition/settings', { enabled: true });
    const month = t.clock.now().toISOString().slice(0, 7);
    const awards = (await api(t, asha, 'GET', `/recognition/awards?month=${month}`)).json();
    expect(awards.mostGoodRatings.staff.id).toBe(asha.id);
  });
});
