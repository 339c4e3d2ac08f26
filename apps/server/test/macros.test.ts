import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api, insertTeam, openTicket } from './tickets-helpers.ts';

let t: TestApp;
let admin: TestStaff;
let supervisor: TestStaff;
let agent: TestStaff;
let other: TestStaff;
let refundId: string;
let internalId: string;

async function macro(who: TestStaff, body: Record<string, unknown>) {
  const res = await api(t, who, 'POST', '/macros', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; editable: boolean };
}

beforeAll(async () => {
  t = await createTestApp({ env: { SEVA_PUBLIC_URL: 'https://desk.example.com' } });
  admin = await createStaff(t, 'admin');
  supervisor = await createStaff(t, 'supervisor', { name: 'Sara Lead' });
  agent = await createStaff(t, 'agent', { name: 'Asha Rahman' });
  other = await createStaff(t, 'agent', { name: 'Bikram' });
  const article = async (payload: Record<string, unknown>) => (await api(t, admin, 'POST', '/kb/articles', payload)).json().id as string;
  refundId = await article({ title: 'Refunds', body: 'Refunds reach your card in five days.', locale: 'en', status: 'published', visibility: 'public' });
  await api(t, admin, 'PUT', `/kb/articles/${refundId}/translations/bn`, { title: 'টাকা ফেরত', body: 'পাঁচ দিনের মধ্যে টাকা ফেরত আসে।', status: 'published' });
  internalId = await article({ title: 'Override', body: 'Staff only.', locale: 'en', status: 'published', visibility: 'internal' });
});

afterAll(async () => {
  await t?.close();
});

describe('macros', () => {
  it('keeps personal macros to their owner and shared ones to supervisors', async () => {
    const mine = await macro(agent, { name: 'My greeting', shortcut: 'hi', bodies: { en: 'Hello {{customer.first_name}}' } });
    expect(mine.editable).toBe(true);
    const shared = await macro(supervisor, { name: 'Refund policy', shortcut: 'refund', shared: true, bodies: { en: 'See {{article:' + refundId + '}}' } });
    expect((await api(t, agent, 'POST', '/macros', { name: 'Mine shared', shared: true, bodies: { en: 'x' } })).statusCode).toBe(403);

    const seenByOther = (await api(t, other, 'GET', '/macros')).json().items.map((m: { name: string }) => m.name);
    expect(seenByOther).toContain('Refund policy');
    expect(seenByOther).not.toContain('My greeting');
    expect((await api(t, other, 'PATCH', `/macros/${mine.id}`, { name: 'stolen' })).statusCode).toBe(404);
    expect((await api(t, agent, 'PATCH', `/macros/${shared.id}`, { name: 'mine now' })).statusCode).toBe(403);
    expect((await api(t, supervisor, 'PATCH', `/macros/${shared.id}`, { name: 'Refund policy' })).statusCode).toBe(200);

    // search by name or shortcut, "/refund" as typed in the composer
    const found = (await api(t, agent, 'GET', '/macros?q=%2Frefund')).json().items;
    expect(found[0]).toMatchObject({ name: 'Refund policy', shortcut: 'refund', shared: true, editable: false });
    expect((await api(t, agent, 'GET', '/macros?q=GREET')).json().items.map((m: { name: string }) => m.name)).toEqual(['My greeting']);
    // the same shortcut twice in one scope is refused; another person may use it for their own
    expect((await api(t, agent, 'POST', '/macros', { name: 'Again', shortcut: 'HI', bodies: { en: 'x' } })).statusCode).toBe(409);
    expect((await api(t, other, 'POST', '/macros', { name: 'Bikram hi', shortcut: 'hi', bodies: { en: 'x' } })).statusCode).toBe(201);
    // shortcuts in Bengali (with vowel signs) work too
    await macro(agent, { name: 'ফেরতের উত্তর', shortcut: 'ফেরত', bodies: { bn: 'টাকা ফেরত' } });
    expect((await api(t, agent, 'GET', `/macros?q=${encodeURIComponent('/ফেরত')}`)).json().items[0]).toMatchObject({ shortcut: 'ফেরত' });
  });

  it('renders in the customer\'s language with placeholders and a help-centre link', async () => {
    const m = await macro(supervisor, {
      name: 'Refund answer',
      shared: true,
      bodies: { en: 'Hi {{customer.first_name}}, see {{article:' + refundId + '}} — {{agent.first_name}}', bn: 'নমস্কার {{customer.first_name}}, টিকিট #{{ticket.number}}: {{article:' + refundId + '}} — {{agent.name}}' },
    });
    const ticket = await openTicket(t, agent, { subject: 'টাকা ফেরত', name: 'রিনা দাস', language: 'bn' });
    const p = (await api(t, agent, 'POST', `/tickets/${ticket.id}/macros/${m.id}/preview`, {})).json();
    expect(p).toMatchObject({ language: 'bn', fellBack: false, missing: [] });
    expect(p.body).toMatch(new RegExp(`^নমস্কার রিনা, টিকিট #${ticket.number}: https://desk\\.example\\.com/help/bn/articles/${refundId}/\\S+ — Asha Rahman$`));
    expect(p.body).toContain(`https://desk.example.com/help/bn/articles/${refundId}/`);

    const hindi = await openTicket(t, agent, { subject: 'रिफ़ंड', name: 'Amit Kumar', language: 'hi' });
    const q = (await api(t, agent, 'POST', `/tickets/${hindi.id}/macros/${m.id}/preview`, {})).json();
    expect(q).toMatchObject({ language: 'en', fellBack: true });
    expect(q.body).toBe(`Hi Amit, see https://desk.example.com/help/en/articles/${refundId}/refunds — Asha`);
    // an agent may still choose the language
    expect((await api(t, agent, 'POST', `/tickets/${hindi.id}/macros/${m.id}/preview`, { language: 'bn' })).json().language).toBe('bn');
  });

  it('never links an internal article, and says so', async () => {
    const m = await macro(agent, { name: 'Internal link', bodies: { en: 'Read {{article:' + internalId + '}}' } });
    const ticket = await openTicket(t, agent);
    const p = (await api(t, agent, 'POST', `/tickets/${ticket.id}/macros/${m.id}/preview`, {})).json();
    expect(p.body).toBe('Read ');
    expect(p.missing).toEqual([`article:${internalId}`]);
  });

  it('applies the reply and its field changes together and counts the use', async () => {
    const billing = await insertTeam(t, 'Billing');
    const m = await macro(agent, {
      name: 'Waiting for invoice',
      shortcut: 'inv',
      bodies: { en: 'Could you send the invoice number, {{customer.first_name}}?' },
      actions: { status: 'pending', priority: 'high', teamId: billing, addTags: ['invoice'] },
    });
    const ticket = await openTicket(t, agent, { name: 'Rina Das', tags: ['billing'] });
    const res = await api(t, agent, 'POST', `/tickets/${ticket.id}/macros/${m.id}/apply`, { body: 'Could you send the invoice number, Rina? Thanks!' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'pending', priority: 'high', teamId: billing, tags: ['billing', 'invoice'] });
    const msgs = (await api(t, agent, 'GET', `/tickets/${ticket.id}/messages`)).json().items;
    expect(msgs.at(-1)).toMatchObject({ kind: 'public', authorType: 'staff', bodyText: 'Could you send the invoice number, Rina? Thanks!' });
    const listed = (await api(t, agent, 'GET', '/macros?q=inv')).json().items[0];
    expect(listed).toMatchObject({ usageCount: 1 });
    expect(listed.lastUsedAt).toBeTruthy();
  });

  it('refuses macros that could not work', async () => {
    const bad = await api(t, agent, 'POST', '/macros', { name: 'Typo', bodies: { en: 'Hi {{customer.nmae}}' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0]).toMatchObject({ path: 'body.bodies.en' });
    expect((await api(t, agent, 'POST', '/macros', { name: 'Empty', bodies: {} })).statusCode).toBe(400);
    expect((await api(t, agent, 'POST', '/macros', { name: 'Bad shortcut', shortcut: 'two words', bodies: { en: 'x' } })).statusCode).toBe(400);
    expect((await api(t, agent, 'POST', '/macros', { name: 'Ghost', bodies: { en: 'x' }, actions: { teamId: '00000000-0000-4000-8000-000000000000' } })).statusCode).toBe(400);
  });
});
