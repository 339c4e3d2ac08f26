import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';

let t: TestApp;
let admin: TestStaff;
let collaborator: TestStaff;
let refundId = '';
let internalId = '';

beforeAll(async () => {
  t = await createTestApp();
  admin = await createStaff(t, 'admin');
  collaborator = await createStaff(t, 'collaborator');
  const create = async (payload: Record<string, unknown>) =>
    (await t.app.inject({ method: 'POST', url: '/api/v1/kb/articles', headers: admin.bearer, payload })).json()
      .id as string;
  refundId = await create({
    title: 'Refunds',
    body: 'Refunds reach your card in five days.',
    locale: 'en',
    status: 'published',
    visibility: 'public',
  });
  await t.app.inject({
    method: 'PUT',
    url: `/api/v1/kb/articles/${refundId}/translations/hi`,
    headers: admin.bearer,
    payload: { title: 'रिफ़ंड', body: 'रिफ़ंड पाँच दिन में आपके कार्ड पर आता है।', status: 'published' },
  });
  internalId = await create({
    title: 'Refund override procedure',
    body: 'Staff only: approve refunds above limit.',
    locale: 'en',
    status: 'published',
    visibility: 'internal',
  });
});
afterAll(async () => {
  await t?.close();
});

async function ticket(subject: string, body: string, language: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/tickets',
    headers: admin.bearer,
    payload: {
      subject,
      customer: { email: `c${Math.random().toString(36).slice(2)}@example.com` },
      message: { body },
      language,
    },
  });
  expect(res.statusCode).toBe(201);
  return res.json().id as string;
}

describe('knowledge base for agents', () => {
  it("suggests articles for a ticket in the customer's language", async () => {
    const id = await ticket('रिफ़ंड कब मिलेगा', 'मेरा रिफ़ंड अभी तक कार्ड पर नहीं आया', 'hi');
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/kb/suggestions?ticketId=${id}`,
      headers: admin.bearer,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().locale).toBe('hi');
    expect(res.json().items[0]).toMatchObject({ id: refundId, locale: 'hi' });
  });

  it('answers 404 for a ticket the agent may not see', async () => {
    const id = await ticket('Refund please', 'Where is my refund?', 'en');
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/kb/suggestions?ticketId=${id}`,
      headers: collaborator.bearer,
    });
    expect(res.statusCode).toBe(404);
  });

  it('gives the translation in the requested language with a public link, falling back to English', async () => {
    const hi = await t.app.inject({
      method: 'GET',
      url: `/api/v1/kb/articles/${refundId}/for-reply?locale=hi`,
      headers: admin.bearer,
    });
    expect(hi.json()).toMatchObject({
      locale: 'hi',
      title: 'रिफ़ंड',
      url: expect.stringContaining(`/help/hi/articles/${refundId}/`),
    });
    const bn = await t.app.inject({
      method: 'GET',
      url: `/api/v1/kb/articles/${refundId}/for-reply?locale=bn`,
      headers: admin.bearer,
    });
    expect(bn.json().locale).toBe('en');
    const internal = await t.app.inject({
      method: 'GET',
      url: `/api/v1/kb/articles/${internalId}/for-reply?locale=en`,
      headers: admin.bearer,
    });
    expect(internal.json().url).toBeNull();
    expect(internal.json().text).toContain('approve refunds');
  });
});
