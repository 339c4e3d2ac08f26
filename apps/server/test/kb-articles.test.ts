import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';

let t: TestApp;
let admin: TestStaff;
let agent: TestStaff;
let collaborator: TestStaff;

beforeAll(async () => {
  t = await createTestApp();
  admin = await createStaff(t, 'admin');
  agent = await createStaff(t, 'agent');
  collaborator = await createStaff(t, 'collaborator');
});
afterAll(async () => {
  await t?.close();
});

async function post(url: string, headers: Record<string, string>, payload: unknown) {
  return t.app.inject({ method: 'POST', url, headers, payload: payload as Record<string, unknown> });
}

describe('knowledge-base articles', () => {
  it('creates a published public article from the script contract and converts Markdown', async () => {
    const res = await post('/api/v1/kb/articles', admin.bearer, {
      title: 'Track your order',
      body: '# Where is my parcel\n\nOpen **My orders**.\n\n| a | b |\n|---|---|\n| 1 | 2 |',
      format: 'markdown',
      locale: 'en',
      status: 'published',
      visibility: 'public',
    });
    expect(res.statusCode).toBe(201);
    const article = res.json();
    expect(article.visibility).toBe('public');
    const [tr] = article.translations;
    expect(tr.locale).toBe('en');
    expect(tr.status).toBe('published');
    expect(tr.version).toBe(1);
    expect(tr.bodyHtml).toContain('<strong>My orders</strong>');
    expect(tr.bodyHtml).toContain('<table>');
    expect(tr.publishedAt).not.toBeNull();
    expect(tr.summary).toContain('Where is my parcel');
  });

  it('treats the body as HTML by default and sanitises it with the allow-list', async () => {
    const res = await post('/api/v1/kb/articles', admin.bearer, {
      title: 'Video guide',
      body:
        '<p onclick="alert(1)">Hi<script>alert(1)</script></p><a href="javascript:alert(1)">x</a>' +
        '<iframe src="https://www.youtube-nocookie.com/embed/abc"></iframe><iframe src="https://evil.example.com/x"></iframe>' +
        '<img src="http://insecure.example.com/a.png"><img src="https://cdn.example.com/a.png" onerror="alert(1)"><pre><code class="language-js">x</code></pre>',
      locale: 'en',
      status: 'draft',
      visibility: 'public',
    });
    expect(res.statusCode).toBe(201);
    const html: string = res.json().translations[0].bodyHtml;
    expect(html).not.toMatch(/script|onclick|onerror|javascript:|evil\.example/);
    expect(html).toContain('src="https://www.youtube-nocookie.com/embed/abc"');
    expect(html).toContain('src="https://cdn.example.com/a.png"');
    expect(html).not.toContain('insecure.example.com');
    expect(html).toContain('<code class="language-js">');
    expect(res.json().translations[0].sourceFormat).toBe('html');
  });

  it('lets an agent draft but refuses to let an agent publish or change a published translation', async () => {
    const draft = await post('/api/v1/kb/articles', agent.bearer, {
      title: 'Draft',
      body: 'text',
      locale: 'en',
      status: 'in_review',
      visibility: 'public',
    });
    expect(draft.statusCode).toBe(201);
    const publish = await post('/api/v1/kb/articles', agent.bearer, {
      title: 'Live',
      body: 'text',
      locale: 'en',
      status: 'published',
      visibility: 'public',
    });
    expect(publish.statusCode).toBe(403);
    const id = draft.json().id;
    const promote = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/kb/articles/${id}/translations/en`,
      headers: agent.bearer,
      payload: { title: 'Draft', body: 'text', status: 'published' },
    });
    expect(promote.statusCode).toBe(403);
    const byEditor = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/kb/articles/${id}/translations/en`,
      headers: admin.bearer,
      payload: { title: 'Draft', body: 'text', status: 'published' },
    });
    expect(byEditor.statusCode).toBe(200);
    const agentEdit = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/kb/articles/${id}/translations/en`,
      headers: agent.bearer,
      payload: { title: 'Changed', body: 'text' },
    });
    expect(agentEdit.statusCode).toBe(403);
  });

  it('refuses anonymous callers and answers 404 for unknown articles', async () => {
    const anon = await t.app.inject({
      method: 'POST',
      url: '/api/v1/kb/articles',
      payload: { title: 'x', body: 'y', locale: 'en' },
    });
    expect(anon.statusCode).toBe(401);
    const missing = await t.app.inject({
      method: 'GET',
      url: '/api/v1/kb/articles/00000000-0000-4000-8000-000000000000',
      headers: collaborator.bearer,
    });
    expect(missing.statusCode).toBe(404);
  });

  it('names the field when the locale is not supported', async () => {
    const res = await post('/api/v1/kb/articles', admin.bearer, { title: 'x', body: 'y', locale: 'fr' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toContain('locale');
  });

  it('links bn and hi translations to one article, each with its own status', async () => {
    const created = await post('/api/v1/kb/articles', admin.bearer, {
      title: 'Refunds',
      body: 'Refunds take 5 days.',
      locale: 'en',
      status: 'published',
      visibility: 'public',
    });
    const id = created.json().id;
    const bn = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/kb/articles/${id}/translations/bn`,
      headers: admin.session,
      payload: { title: 'রিফান্ড', body: 'রিফান্ড পেতে ৫ দিন লাগে।', format: 'markdown', status: 'published' },
    });
    expect(bn.statusCode).toBe(200);
    const hi = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/kb/articles/${id}/translations/hi`,
      headers: agent.session,
      payload: { title: 'रिफ़ंड', body: 'रिफ़ंड में 5 दिन लगते हैं।', format: 'markdown' },
    });
    expect(hi.statusCode).toBe(200);
    const article = hi.json();
    const byLocale = Object.fromEntries(
      article.translations.map((x: { locale: string; status: string }) => [x.locale, x.status]),
    );
    expect(byLocale).toEqual({ bn: 'published', en: 'published', hi: 'draft' });
  });

  it('stores every save as a version and restores an old one as a new version', async () => {
    const created = await post('/api/v1/kb/articles', admin.bearer, {
      title: 'Passwords v1',
      body: 'First text',
      locale: 'en',
      status: 'draft',
      visibility: 'internal',
    });
    const id = created.json().id;
    const save = (title: string, body: string, baseVersion?: number) =>
      t.app.inject({
        method: 'PUT',
        url: `/api/v1/kb/articles/${id}/translations/en`,
        headers: agent.bearer,
        payload: { title, body, baseVersion },
      });
    expect((await save('Passwords v2', 'Second text', 1)).statusCode).toBe(200);
    expect((await save('Passwords v3', 'Third text', 2)).statusCode).toBe(200);
    const stale = await save('Passwords stale', 'Lost', 2);
    expect(stale.statusCode).toBe(409);

    const versions = await t.app.inject({
      method: 'GET',
      url: `/api/v1/kb/articles/${id}/translations/en/versions`,
      headers: agent.bearer,
    });
    expect(versions.json().items.map((v: { version: number }) => v.version)).toEqual([3, 2, 1]);

    const restored = await t.app.inject({
      method: 'POST',
      url: `/api/v1/kb/articles/${id}/translations/en/versions/1/restore`,
      headers: agent.bearer,
    });
    expect(restored.statusCode).toBe(200);
    const tr = restored.json().translations[0];
    expect(tr.version).toBe(4);
    expect(tr.title).toBe('Passwords v1');
    expect(tr.bodyHtml).toContain('First text');
    const after = await t.app.inject({
      method: 'GET',
      url: `/api/v1/kb/articles/${id}/translations/en/versions`,
      headers: agent.bearer,
    });
    expect(after.json().items[0]).toMatchObject({ version: 4, restoredFrom: 1 });

    const { rows } = await t.deps.db.execute<{ type: string }>(
      sql`SELECT type FROM events WHERE payload->>'articleId' = ${id} ORDER BY id`,
    );
    expect(rows.map((r) => r.type)).toEqual([
      'kb_article.created',
      'kb_translation.saved',
      'kb_translation.saved',
      'kb_translation.restored',
    ]);
  });

  it('lists articles by status and locale with a cursor', async () => {
    const page1 = await t.app.inject({ method: 'GET', url: '/api/v1/kb/articles?limit=2', headers: agent.bearer });
    expect(page1.statusCode).toBe(200);
    expect(page1.json().items).toHaveLength(2);
    const page2 = await t.app.inject({
      method: 'GET',
      url: `/api/v1/kb/articles?limit=2&cursor=${page1.json().nextCursor}`,
      headers: agent.bearer,
    });
    const ids1 = page1.json().items.map((i: { id: string }) => i.id);
    for (const item of page2.json().items) expect(ids1).not.toContain(item.id);
    const drafts = await t.app.inject({
      method: 'GET',
      url: '/api/v1/kb/articles?status=draft&locale=hi',
      headers: agent.bearer,
    });
    expect(drafts.json().items).toHaveLength(1);
  });

  it('keeps categories and sections, and only editors may change them', async () => {
    const denied = await post('/api/v1/kb/categories', agent.bearer, { name: 'Orders' });
    expect(denied.statusCode).toBe(403);
    const cat = await post('/api/v1/kb/categories', admin.bearer, {
      name: 'Orders',
      translations: { hi: { name: 'ऑर्डर' } },
    });
    expect(cat.statusCode).toBe(201);
    expect(cat.json().slug).toBe('orders');
    const dup = await post('/api/v1/kb/categories', admin.bearer, { name: 'Orders' });
    expect(dup.statusCode).toBe(409);
    const section = await post('/api/v1/kb/sections', admin.bearer, { name: 'Delivery', categoryId: cat.json().id });
    expect(section.statusCode).toBe(201);
    const list = await t.app.inject({
      method: 'GET',
      url: `/api/v1/kb/sections?categoryId=${cat.json().id}`,
      headers: agent.bearer,
    });
    expect(list.json().items.map((s: { slug: string }) => s.slug)).toEqual(['delivery']);
  });
});
