import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api, insertCategory, insertTeam, openTicket } from './tickets-helpers.ts';

let t: TestApp;
let lead: TestStaff;
let agent: TestStaff;
let refunds: string;
let delivery: string;

beforeAll(async () => {
  t = await createTestApp();
  lead = await createStaff(t, 'supervisor');
  agent = await createStaff(t, 'agent');
  refunds = await insertCategory(t, 'Refunds');
  delivery = await insertCategory(t, 'Late delivery');
});
afterAll(async () => {
  await t?.close();
});

async function solvedWithReply(categoryId: string, language: string, reply: string) {
  const tk = await openTicket(t, agent, { categoryId, language });
  const r = await api(t, agent, 'POST', `/tickets/${tk.id}/messages`, { body: reply, status: 'solved' });
  expect(r.statusCode, r.body).toBe(201);
  return tk;
}

describe('playbooks', () => {
  it('drafts playbooks for the most contacted categories from replies that solved without a reopen', async () => {
    await solvedWithReply(refunds, 'bn', 'আপনার টাকা ৩ কার্যদিবসের মধ্যে ফেরত যাবে।');
    await solvedWithReply(refunds, 'bn', 'রিফান্ড শুরু হয়েছে, ব্যাংক স্টেটমেন্টে দেখতে পাবেন।');
    const reopened = await solvedWithReply(refunds, 'bn', 'এই উত্তরটি কাজ করেনি।');
    await api(t, agent, 'PATCH', `/tickets/${reopened.id}`, { status: 'open' });
    await solvedWithReply(delivery, 'en', 'Your parcel is with the courier.');

    const res = await api(t, lead, 'POST', '/playbooks/generate', { locale: 'bn', top: 5 });
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items;
    expect(items[0]).toMatchObject({ category: { id: refunds }, locale: 'bn', status: 'draft', generated: true });
    expect(items[0].title).toContain('Refunds');
    expect(items[0].steps.length).toBeGreaterThanOrEqual(4);
    const excerpts = items[0].examples.map((e: { excerpt: string }) => e.excerpt);
    expect(excerpts).toHaveLength(2);
    expect(excerpts).not.toContain('এই উত্তরটি কাজ করেনি।');
    // delivery tickets are English: no Bengali examples for it
    const deliveryDraft = items.find((p: { category: { id: string } }) => p.category.id === delivery);
    expect(deliveryDraft?.examples ?? []).toEqual([]);
    expect((await api(t, agent, 'POST', '/playbooks/generate', { locale: 'bn' })).statusCode).toBe(403);
  });

  it('never overwrites a playbook a person edited, and shows the published one on tickets in their language', async () => {
    const team = await insertTeam(t, 'Billing');
    const saved = await api(t, lead, 'PUT', '/playbooks', {
      categoryId: refunds,
      locale: 'bn',
      teamId: team,
      title: 'রিফান্ড: আমাদের পদ্ধতি',
      steps: ['অর্ডার নম্বর যাচাই করুন', 'রিফান্ড শুরু করুন এবং সময়সীমা জানান'],
      status: 'published',
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ generated: false, status: 'published', updatedBy: { id: lead.id } });
    await api(t, lead, 'PUT', '/playbooks', { categoryId: refunds, locale: 'en', title: 'Refunds: our way', steps: ['Check the order'], status: 'published' });

    const regenerated = (await api(t, lead, 'POST', '/playbooks/generate', { locale: 'bn' })).json().items;
    expect(regenerated.find((p: { category: { id: string } }) => p.category.id === refunds).title).toBe('রিফান্ড: আমাদের পদ্ধতি');

    const bnTicket = await openTicket(t, agent, { categoryId: refunds, language: 'bn' });
    const hiTicket = await openTicket(t, agent, { categoryId: refunds, language: 'hi' });
    const none = await openTicket(t, agent, { categoryId: delivery });
    expect((await api(t, agent, 'GET', `/tickets/${bnTicket.number}/playbook`)).json().playbook.title).toBe('রিফান্ড: আমাদের পদ্ধতি');
    // no Hindi playbook: English comes first
    expect((await api(t, agent, 'GET', `/tickets/${hiTicket.id}/playbook`)).json().playbook.title).toBe('Refunds: our way');
    // the delivery playbook is only a draft
    expect((await api(t, agent, 'GET', `/tickets/${none.id}/playbook`)).json()).toEqual({ playbook: null });
  });

  it('prints a handbook per team and language with everything escaped', async () => {
    await api(t, lead, 'PUT', '/playbooks', {
      categoryId: delivery,
      locale: 'en',
      title: 'Late delivery <script>alert(1)</script>',
      steps: ['Say sorry & check the courier'],
      status: 'published',
    });
    const res = await api(t, agent, 'GET', '/playbooks/handbook?locale=en');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.body).toContain('Most common complaints and how we solve them');
    expect(res.body).toContain('Late delivery &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(res.body).toContain('Say sorry &amp; check the courier');
    expect(res.body).not.toContain('<script>');
    const bn = await api(t, agent, 'GET', '/playbooks/handbook?locale=bn');
    expect(bn.body).toContain('সবচেয়ে বেশি অভিযোগ');
    expect(bn.body).toContain('রিফান্ড: আমাদের পদ্ধতি');
    const ev = await t.deps.db.execute(sql`SELECT count(*)::int AS n FROM events WHERE type = 'playbook.saved'`);
    expect((ev.rows[0] as { n: number }).n).toBe(3);
  });
});
