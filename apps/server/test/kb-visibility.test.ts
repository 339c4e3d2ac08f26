import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';

/**
 * The public help centre shows only published translations of public articles: internal, customers-only, draft,
 * in-review and archived text never reaches anonymous visitors by any path.
 */
let t: TestApp;
let admin: TestStaff;
const ids: Record<string, string> = {};
let sectionSlug = '';
let categorySlug = '';

const WORD = 'zanzibarquota';

beforeAll(async () => {
  t = await createTestApp();
  admin = await createStaff(t, 'admin');
  const cat = await t.app.inject({
    method: 'POST',
    url: '/api/v1/kb/categories',
    headers: admin.bearer,
    payload: { name: 'Secrets' },
  });
  categorySlug = cat.json().slug;
  const sec = await t.app.inject({
    method: 'POST',
    url: '/api/v1/kb/sections',
    headers: admin.bearer,
    payload: { name: 'Hidden things', categoryId: cat.json().id },
  });
  sectionSlug = sec.json().slug;
  const make = async (key: string, visibility: string, status: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/kb/articles',
      headers: admin.bearer,
      payload: {
        title: `${key} ${WORD}`,
        body: `The ${key} text about ${WORD}.`,
        locale: 'en',
        visibility,
        status,
        sectionId: sec.json().id,
      },
    });
    expect(res.statusCode).toBe(201);
    ids[key] = res.json().id;
  };
  await make('public', 'public', 'published');
  await make('internal', 'internal', 'published');
  await make('customers', 'customers', 'published');
  await make('draft', 'public', 'draft');
  await make('review', 'public', 'in_review');
  await make('archived', 'public', 'archived');
});
afterAll(async () => {
  await t?.close();
});

const hidden = ['internal', 'customers', 'draft', 'review', 'archived'] as const;

describe('help-centre visibility', () => {
  it('returns only the public published article from public search', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/help/search.json?q=${WORD}&locale=en` });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((i: { id: string }) => i.id)).toEqual([ids.public]);
  });

  it('leaves hidden articles out of search-as-you-type suggestions and the widget', async () => {
    for (const source of ['suggest', 'widget']) {
      const res = await t.app.inject({
        method: 'GET',
        url: `/help/search.json?q=${WORD.slice(0, 6)}&source=${source}`,
      });
      const found = res.json().items.map((i: { id: string }) => i.id);
      for (const h of hidden) expect(found).not.toContain(ids[h]);
    }
  });

  it('answers 404 for every hidden article page', async () => {
    for (const h of hidden) {
      const res = await t.app.inject({ method: 'GET', url: `/help/en/articles/${ids[h]}/x` });
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain(`${h} text`);
    }
    const ok = await t.app.inject({ method: 'GET', url: `/help/en/articles/${ids.public}` });
    expect(ok.statusCode).toBe(301);
  });

  it('keeps hidden articles out of the sitemap, home, category, section and search pages', async () => {
    const pages = [
      '/help/sitemap.xml',
      '/help/en',
      `/help/en/categories/${categorySlug}`,
      `/help/en/sections/${sectionSlug}`,
      `/help/en/search?q=${WORD}`,
    ];
    for (const url of pages) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      if (url !== '/help/en') expect(res.body, url).toContain(ids.public);
      else expect(res.body).toContain(`/help/en/sections/${sectionSlug}`);
      for (const h of hidden) expect(res.body, `${url} leaks ${h}`).not.toContain(ids[h] as string);
    }
  });

  it('lets staff search internal and customers-only articles', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/kb/search?q=${WORD}`, headers: admin.bearer });
    const found = res.json().items.map((i: { id: string }) => i.id);
    expect(found).toEqual(expect.arrayContaining([ids.public, ids.internal, ids.customers, ids.draft, ids.review]));
    expect(found).not.toContain(ids.archived);
  });

  it('hides an article from the public as soon as it becomes internal', async () => {
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/kb/articles/${ids.public}`,
      headers: admin.bearer,
      payload: { visibility: 'internal' },
    });
    expect(patch.statusCode).toBe(200);
    const res = await t.app.inject({ method: 'GET', url: `/help/search.json?q=${WORD}` });
    expect(res.json().items).toEqual([]);
    const page = await t.app.inject({ method: 'GET', url: '/help/sitemap.xml' });
    expect(page.body).not.toContain(ids.public);
  });
});
