import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api, openTicket } from './tickets-helpers.ts';

/**
 * Announcements and macros: an announcement names the macros it changes (they must exist), and a macro can insert a
 * published announcement's title and text with `{{announcement:<id>}}` — only one the agent may read.
 */
let t: TestApp;
let supervisor: TestStaff;
let agent: TestStaff;

async function announce(body: Record<string, unknown>) {
  const res = await api(t, supervisor, 'POST', '/kb/announcements', body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; macroIds: string[] };
}

beforeAll(async () => {
  t = await createTestApp();
  supervisor = await createStaff(t, 'supervisor', { name: 'Sara Lead' });
  agent = await createStaff(t, 'agent', { name: 'Asha Rahman' });
});
afterAll(async () => {
  await t?.close();
});

describe('announcements linked to macros', () => {
  it('inserts a published announcement into a macro as text, never a draft or one meant for other roles', async () => {
    const published = await announce({
      title: 'New refund window',
      body: 'Refunds are now possible for **30 days** <script>alert(1)</script>',
      format: 'markdown',
      status: 'published',
    });
    const draft = await announce({ title: 'Not yet', body: 'Secret plan', status: 'draft' });
    const forAdmins = await announce({
      title: 'Admins only',
      body: 'Billing change',
      status: 'published',
      audienceRoles: ['admin'],
    });
    const res = await api(t, supervisor, 'POST', '/macros', {
      name: 'Refund window',
      shared: true,
      bodies: {
        en: `Hello {{customer.first_name}}!\n{{announcement:${published.id}}}\n{{announcement:${draft.id}}}{{announcement:${forAdmins.id}}}`,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const macroId = res.json().id as string;
    const ticket = await openTicket(t, agent, { name: 'Meera Das' });
    const preview = await api(t, agent, 'POST', `/tickets/${ticket.id}/macros/${macroId}/preview`, {});
    expect(preview.statusCode, preview.body).toBe(200);
    const p = preview.json();
    expect(p.body).toBe('Hello Meera!\nNew refund window\n\nRefunds are now possible for 30 days\n');
    expect(p.missing).toEqual([`announcement:${draft.id}`, `announcement:${forAdmins.id}`]);

    // the announcement names the macro it changes
    const linked = await api(t, supervisor, 'PATCH', `/kb/announcements/${published.id}`, { macroIds: [macroId] });
    expect(linked.statusCode, linked.body).toBe(200);
    expect(linked.json().macroIds).toEqual([macroId]);
  });

  it('refuses a link to a macro that does not exist and a malformed announcement placeholder', async () => {
    const missing = '00000000-0000-4000-8000-000000000001';
    const res = await api(t, supervisor, 'POST', '/kb/announcements', { title: 'x', body: 'y', macroIds: [missing] });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0]).toMatchObject({ path: 'body.macroIds' });
    const bad = await api(t, agent, 'POST', '/macros', { name: 'Bad', bodies: { en: 'See {{announcement:latest}}' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('announcement:latest');
  });
});
