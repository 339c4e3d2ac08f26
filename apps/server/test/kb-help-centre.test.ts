import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';

let t: TestApp;
let admin: TestStaff;
let articleId = '';
let otherId = '';
let sectionId = '';

beforeAll(async () => {
  t = await createTestApp({ env: { SEVA_PUBLIC_URL: 'https://desk.example.com' } });
  admin = await createStaff(t, 'admin');
  const cat = await t.app.inject({
    method: 'POST',
    url: '/api/v1/kb/categories',
    headers: admin.bearer,
    payload: { name: 'Orders', translations: { bn: { name: 'অর্ডার' }, hi: { name: 'ऑर्डर' } } },
  });
  const sec = await t.app.inject({
    method: 'POST',
    url: '/api/v1/kb/sections',
    headers: admin.bearer,
    payload: { name: 'Delivery', categoryId: cat.json().id },
  });
  sectionId = sec.json().id;
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/v1/kb/articles',
    headers: admin.bearer,
    payload: {
      title: 'Track <your> "order"',
      body: 'Open **My orders** to see when your parcel arrives.',
      format: 'markdown',
      locale: 'en',
      status: 'published',
      visibility: 'public',
      sectionId,
    },
  });
  articleId = created.json().id;
  await t.app.inject({
    method: 'PUT',
    url: `/api/v1/kb/articles/${articleId}/translations/bn`,
    headers: admin.bearer,
    payload: { title: 'অর্ডার ট্র্যাক করুন', body: 'আপনার পার্সেল কবে আসবে তা দেখুন।', format: 'markdown', status: 'published' },
  });
  await t.app.inject({
    method: 'PUT',
    url: `/api/v1/kb/articles/${articleId}/translations/hi`,
    headers: admin.bearer,
    payload: { title: 'ऑर्डर ट्रैक करें', body: 'आपका ऑर्डर कब आएगा, यहाँ देखें।', format: 'markdown', status: 'published' },
  });
  const other = await t.app.inject({
    method: 'POST',
    url: '/api/v1/kb/articles',
    headers: admin.bearer,
    payload: {
      title: 'Change the delivery address',
      body: 'Change it before shipping.',
      locale: 'en',
      status: 'published',
      visibility: 'public',
      sectionId,
    },
  });
  otherId = other.json().id;
});
afterAll(async () => {
  await t?.close();
});

describe('public help centre', () => {
  it('sends visitors to their language from Accept-Language', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/help',
      headers: { 'accept-language': 'bn-BD,bn;q=0.9,en;q=0.5' },
    });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/help/bn');
  });

  it('renders the home page with translated category names and strict security headers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/help/hi' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<html lang="hi">');
    expect(res.body).toContain('ऑर्डर');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.body).not.toMatch(/<script>(?!<\/script>)|<script(?![^>]*src=)[^>]*>|\sstyle=/);
  });

  it('renders an article with title, description, canonical URL, hreflang and escaped text', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/help/en/articles/${articleId}/track-your-order` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<title>Track &lt;your&gt; &quot;order&quot; – Help Centre</title>');
    expect(res.body).toContain('<meta name="description" content="Open My orders to see when your parcel arrives.">');
    expect(res.body).toContain(
      `<link rel="canonical" href="https://desk.example.com/help/en/articles/${articleId}/track-your-order">`,
    );
    expect(res.body).toContain(`hreflang="bn" href="https://desk.example.com/help/bn/articles/${articleId}/`);
    expect(res.body).toContain('hreflang="hi"');
    expect(res.body).toContain('<strong>My orders</strong>');
    expect(res.body).not.toContain('<your>');
    expect(res.body).toContain('Change the delivery address');
    expect(res.body).toContain('data-seva-contact');
  });

  it('redirects an old or missing slug to the canonical article URL', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/help/en/articles/${articleId}/old-title` });
    expect(res.statusCode).toBe(301);
    expect(res.headers.location).toBe(`/help/en/articles/${articleId}/track-your-order`);
  });

  it('counts "was this helpful?" once per visitor and day', async () => {
    const vote = () =>
      t.app.inject({
        method: 'POST',
        url: `/help/en/articles/${articleId}/feedback`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'helpful=yes',
        remoteAddress: '203.0.113.7',
      });
    const first = await vote();
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toContain('feedback=thanks');
    await vote();
    const article = await t.app.inject({
      method: 'GET',
      url: `/api/v1/kb/articles/${articleId}`,
      headers: admin.bearer,
    });
    const en = article.json().translations.find((x: { locale: string }) => x.locale === 'en');
    expect(en.helpfulCount).toBe(1);
    const cross = await t.app.inject({
      method: 'POST',
      url: `/help/en/articles/${articleId}/feedback`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' },
      payload: 'helpful=no',
    });
    expect(cross.statusCode).toBe(403);
  });

  it('rate-limits feedback per IP address', async () => {
    let last = 0;
    for (let i = 0; i < 12; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/help/en/articles/${otherId}/feedback`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'helpful=no',
        remoteAddress: '198.51.100.9',
      });
      last = res.statusCode;
    }
    expect(last).toBe(429);
  });

  it('logs help-centre searches and the article opened from the results', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/help/en/search?q=parcel' });
    expect(page.statusCode).toBe(200);
    const link = /href="(\/help\/en\/articles\/[^"]+\?sq=(\d+))"/.exec(page.body);
    expect(link).not.toBeNull();
    expect(page.body).toContain('<mark>parcel</mark>');
    await t.app.inject({ method: 'GET', url: (link?.[1] ?? '').replaceAll('&amp;', '&') });
    const { rows } = await t.deps.db.execute<{
      query: string;
      result_count: number;
      clicked_article_id: string | null;
      source: string;
    }>(
      sql`SELECT query, result_count, clicked_article_id, source FROM kb_search_queries WHERE id = ${Number(link?.[2])}`,
    );
    expect(rows[0]).toEqual({ query: 'parcel', result_count: 1, clicked_article_id: articleId, source: 'help' });
  });

  it('escapes a hostile query everywhere it is shown', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/help/en/search?q=${encodeURIComponent('"><script>alert(1)</script>')}`,
    });
    expect(res.body).not.toContain('<script>alert(1)');
    expect(res.body).toContain('&lt;script&gt;');
  });

  it('finds the Hindi translation from romanised Hindi and the Bengali one from Bengali', async () => {
    const hi = await t.app.inject({
      method: 'GET',
      url: `/help/search.json?q=${encodeURIComponent('order kab aayega')}&locale=hi`,
    });
    expect(hi.json().items[0]).toMatchObject({ id: articleId, locale: 'hi' });
    const bn = await t.app.inject({
      method: 'GET',
      url: `/help/search.json?q=${encodeURIComponent('পার্সেল কবে আসবে')}&locale=bn`,
    });
    expect(bn.json().items[0]).toMatchObject({
      id: articleId,
      locale: 'bn',
      url: expect.stringContaining('/help/bn/articles/'),
    });
  });

  it('tolerates typos and partial words', async () => {
    const typo = await t.app.inject({ method: 'GET', url: '/help/search.json?q=parcle&locale=en' });
    expect(typo.json().items[0]?.id).toBe(articleId);
    const prefix = await t.app.inject({ method: 'GET', url: '/help/search.json?q=deliv&locale=en' });
    expect(prefix.json().items[0]?.id).toBe(otherId);
  });

  it('serves a sitemap with alternates, the script and the brand colour', async () => {
    const map = await t.app.inject({ method: 'GET', url: '/help/sitemap.xml' });
    expect(map.headers['content-type']).toContain('application/xml');
    expect(map.body).toContain(`<loc>https://desk.example.com/help/hi/articles/${articleId}/`);
    expect(map.body).toContain('xhtml:link rel="alternate" hreflang="bn"');
    const js = await t.app.inject({ method: 'GET', url: '/help/assets/help.js' });
    expect(js.headers['content-type']).toContain('text/javascript');
    expect(js.body).not.toContain('innerHTML');
    const settings = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/kb/settings',
      headers: admin.bearer,
      payload: { primaryColour: '#aa3300', title: 'Acme Help', logoUrl: 'https://cdn.example.com/logo.png' },
    });
    expect(settings.statusCode).toBe(200);
    const bad = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/kb/settings',
      headers: admin.bearer,
      payload: { primaryColour: 'red;}body{x' },
    });
    expect(bad.statusCode).toBe(400);
    const theme = await t.app.inject({ method: 'GET', url: '/help/assets/theme.css' });
    expect(theme.body).toContain('--brand:#aa3300');
    const home = await t.app.inject({ method: 'GET', url: '/help/en' });
    expect(home.body).toContain('<title>Acme Help</title>');
    expect(home.body).toContain('src="https://cdn.example.com/logo.png"');
  });
});
