import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';

let t: TestApp;
let admin: TestStaff;
let agent1: TestStaff;
let agent2: TestStaff;
let collaborator: TestStaff;
let articleId = '';

beforeAll(async () => {
  t = await createTestApp();
  admin = await createStaff(t, 'admin', { name: 'Asha Admin' });
  agent1 = await createStaff(t, 'agent', { name: 'Bina Agent' });
  agent2 = await createStaff(t, 'agent', { name: 'Chand Agent' });
  collaborator = await createStaff(t, 'collaborator', { name: 'Dev Collab' });
  const a = await t.app.inject({
    method: 'POST',
    url: '/api/v1/kb/articles',
    headers: admin.bearer,
    payload: {
      title: 'Refund policy',
      body: 'Thirty days.',
      locale: 'en',
      status: 'published',
      visibility: 'internal',
    },
  });
  articleId = a.json().id;
});
afterAll(async () => {
  await t?.close();
});

describe('internal announcements', () => {
  let id = '';

  it('lets editors publish an announcement for agents, linked to the article it changes', async () => {
    const denied = await t.app.inject({
      method: 'POST',
      url: '/api/v1/kb/announcements',
      headers: agent1.bearer,
      payload: { title: 'x', body: 'y' },
    });
    expect(denied.statusCode).toBe(403);
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/kb/announcements',
      headers: admin.bearer,
      payload: { title: 'x', body: 'y', articleIds: ['00000000-0000-4000-8000-000000000000'] },
    });
    expect(bad.statusCode).toBe(400);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/kb/announcements',
      headers: admin.bearer,
      payload: {
        title: 'Refunds now take 30 days',
        body: 'From **Monday** the refund window is 30 days.',
        severity: 'important',
        status: 'published',
        audienceRoles: ['agent'],
        articleIds: [articleId],
      },
    });
    expect(res.statusCode).toBe(201);
    id = res.json().id;
    expect(res.json().bodyHtml).toContain('<strong>Monday</strong>');
    expect(res.json().articleIds).toEqual([articleId]);
  });

  it('shows it as unread to agents and not at all to collaborators', async () => {
    const unread = await t.app.inject({
      method: 'GET',
      url: '/api/v1/kb/announcements?unread=1',
      headers: agent1.bearer,
    });
    expect(unread.json().items.map((i: { id: string }) => i.id)).toEqual([id]);
    const collab = await t.app.inject({ method: 'GET', url: '/api/v1/kb/announcements', headers: collaborator.bearer });
    expect(collab.json().items).toEqual([]);
    const collabAck = await t.app.inject({
      method: 'POST',
      url: `/api/v1/kb/announcements/${id}/acknowledge`,
      headers: collaborator.bearer,
    });
    expect(collabAck.statusCode).toBe(404);
  });

  it('records one read receipt per person and lists who has not read it', async () => {
    const ack = await t.app.inject({
      method: 'POST',
      url: `/api/v1/kb/announcements/${id}/acknowledge`,
      headers: agent1.session,
    });
    expect(ack.statusCode).toBe(200);
    expect(ack.json().acknowledgedAt).not.toBeNull();
    await t.app.inject({ method: 'POST', url: `/api/v1/kb/announcements/${id}/acknowledge`, headers: agent1.bearer });
    const receipts = await t.app.inject({
      method: 'GET',
      url: `/api/v1/kb/announcements/${id}/receipts`,
      headers: admin.bearer,
    });
    expect(receipts.json().acknowledged.map((a: { name: string }) => a.name)).toEqual(['Bina Agent']);
    expect(receipts.json().pending.map((p: { name: string }) => p.name)).toEqual(['Chand Agent']);
    const unread = await t.app.inject({
      method: 'GET',
      url: '/api/v1/kb/announcements?unread=1',
      headers: agent1.bearer,
    });
    expect(unread.json().items).toEqual([]);
  });

  it('reminds only the people who have not acknowledged', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/kb/announcements/${id}/remind`,
      headers: admin.bearer,
    });
    expect(res.json()).toEqual({ reminded: 1 });
    const { rows } = await t.deps.db.execute<{ payload: { userIds: string[] } }>(
      sql`SELECT payload FROM events WHERE type = 'kb_announcement.reminded' ORDER BY id DESC LIMIT 1`,
    );
    expect(rows[0]?.payload.userIds).toEqual([agent2.id]);
  });

  it('asks everyone to read it again when the text changes', async () => {
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/kb/announcements/${id}`,
      headers: admin.bearer,
      payload: { body: 'From Monday the refund window is 45 days.' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().acknowledgedCount).toBe(0);
    const unread = await t.app.inject({
      method: 'GET',
      url: '/api/v1/kb/announcements?unread=1',
      headers: agent1.bearer,
    });
    expect(unread.json().items).toHaveLength(1);
  });
});
