import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api } from './tickets-helpers.ts';
import { insertWidget, newVisitor, type TestWidget, visitorRequest } from './widget-helpers.ts';

/**
 * The knowledge base inside the help widget (/widget/v1/kb): search-as-you-type in the visitor's language (romanised
 * Hindi too) with escaped snippets, articles opened in the widget, "was this helpful?" and deflection — only ever
 * published public articles, only for Seva's own frame.
 */
let t: TestApp;
let admin: TestStaff;
let widget: TestWidget;
let token: string;
const ids: Record<string, string> = {};

async function article(key: string, payload: Record<string, unknown>): Promise<void> {
  const res = await api(t, admin, 'POST', '/kb/articles', {
    format: 'html',
    status: 'published',
    visibility: 'public',
    ...payload,
  });
  expect(res.statusCode, res.body).toBe(201);
  ids[key] = res.json().id;
}

const search = (q: string, lang: string, tok: string | null = token, key = widget.key) =>
  visitorRequest(t.app, tok, 'GET', `/kb/search?key=${key}&q=${encodeURIComponent(q)}&lang=${lang}`);

beforeAll(async () => {
  t = await createTestApp();
  admin = await createStaff(t, 'admin');
  widget = await insertWidget(t);
  token = (await newVisitor(t.app, widget.key)).visitorToken;
  await article('bn', {
    locale: 'bn',
    title: 'আমার অর্ডার কবে আসবে?',
    body: '<p>আপনার অর্ডার সাধারণত তিন দিনের মধ্যে পৌঁছে যায়। ডেলিভারির খবর &lt;script&gt;alert(1)&lt;/script&gt; এসএমএসে আসে।</p><script>window.hacked = 1</script><img src="x" onerror="window.hacked = 2">',
  });
  await article('hi', { locale: 'hi', title: 'मेरा ऑर्डर कब आएगा?', body: '<p>ऑर्डर आमतौर पर तीन दिन में पहुंच जाता है।</p>' });
  await article('en', {
    locale: 'en',
    title: 'Change your delivery address',
    body: '<p>Open My orders and pick a new address.</p>',
  });
  await article('internal', {
    locale: 'bn',
    visibility: 'internal',
    title: 'অর্ডার কবে আসবে — কর্মীদের জন্য',
    body: '<p>অর্ডার দেরি হলে গুদামে ফোন করুন।</p>',
  });
  await article('customers', {
    locale: 'bn',
    visibility: 'customers',
    title: 'অর্ডার কবে আসবে — গ্রাহকদের জন্য',
    body: '<p>সাইন ইন করা গ্রাহকদের অর্ডার।</p>',
  });
  await article('draft', { locale: 'bn', status: 'draft', title: 'অর্ডার কবে আসবে — খসড়া', body: '<p>অর্ডার খসড়া।</p>' });
});
afterAll(async () => {
  await t?.close();
});

const hidden = ['internal', 'customers', 'draft'] as const;

describe('widget knowledge-base search', () => {
  it('finds the Bengali article for a Bengali question, with an escaped, highlighted snippet', async () => {
    const res = await search('অর্ডার কবে আসবে', 'bn');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.items[0]).toMatchObject({ id: ids.bn, language: 'bn', title: 'আমার অর্ডার কবে আসবে?' });
    expect(body.items[0].url).toMatch(new RegExp(`^/help/bn/articles/${ids.bn}/`));
    const snippet: string = body.items[0].snippet;
    expect(snippet).toContain('<mark>অর্ডার</mark>');
    expect(snippet).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(snippet.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
    expect(typeof body.searchId).toBe('number');
  });

  it('never returns internal, signed-in-only or draft articles to a visitor', async () => {
    for (const lang of ['bn', 'en']) {
      const res = await search('অর্ডার কবে আসবে', lang);
      const found = res.json().items.map((h: { id: string }) => h.id);
      for (const key of hidden) expect(found, key).not.toContain(ids[key]);
    }
    for (const key of hidden) {
      const res = await visitorRequest(t.app, token, 'GET', `/kb/articles/${ids[key]}?lang=bn`);
      expect(res.statusCode, key).toBe(404);
      expect(res.body).not.toContain('অর্ডার');
    }
  });

  it('finds the Hindi article for romanised Hindi typed by a visitor whose widget is in English', async () => {
    const res = await search('order kab aayega', 'en');
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Array<{ id: string; language: string }>;
    expect(items.map((h) => h.id)).toContain(ids.hi);
    expect(items.find((h) => h.id === ids.hi)?.language).toBe('hi');
  });

  it('logs one row per question a visitor types, not one per keystroke', async () => {
    const v = await newVisitor(t.app, widget.key);
    for (const q of ['ডেলি', 'ডেলিভারি', 'ডেলিভারি খবর']) await search(q, 'bn', v.visitorToken);
    const again = await search('ডেলিভারি খবর কখন', 'bn', v.visitorToken);
    await search('ঠিকানা বদল', 'bn', v.visitorToken);
    const { rows } = await t.deps.db.execute<{ id: number; query: string }>(
      sql`SELECT id, query FROM kb_search_queries WHERE source = 'widget' AND (query LIKE 'ডেলি%' OR query = 'ঠিকানা বদল') ORDER BY id`,
    );
    expect(rows.map((r) => r.query)).toEqual(['ডেলিভারি খবর কখন', 'ঠিকানা বদল']);
    expect(rows[0]?.id).toBe(again.json().searchId);
  });

  it('answers an empty query with nothing and a widget without the knowledge base with 404', async () => {
    expect((await search('', 'bn')).json()).toEqual({ items: [], searchId: null });
    const off = await insertWidget(t, { options: { kb: false } });
    expect((await search('অর্ডার', 'bn', null, off.key)).statusCode).toBe(404);
    const offVisitor = await newVisitor(t.app, off.key);
    expect((await visitorRequest(t.app, offVisitor.visitorToken, 'GET', `/kb/articles/${ids.bn}`)).statusCode).toBe(
      404,
    );
  });
});

describe('an article opened in the widget', () => {
  it('is the sanitised public text with a link to the help-centre page, and counts the click', async () => {
    const found = await search('অর্ডার কবে', 'bn');
    const searchId = found.json().searchId as number;
    const res = await visitorRequest(t.app, token, 'GET', `/kb/articles/${ids.bn}?lang=bn&searchId=${searchId}`);
    expect(res.statusCode, res.body).toBe(200);
    const a = res.json();
    expect(a).toMatchObject({ id: ids.bn, language: 'bn', title: 'আমার অর্ডার কবে আসবে?', alternates: [] });
    expect(a.url).toMatch(new RegExp(`^/help/bn/articles/${ids.bn}/`));
    expect(a.bodyHtml).toContain('তিন দিনের মধ্যে');
    expect(a.bodyHtml).toContain('&lt;script&gt;');
    expect(a.bodyHtml).not.toMatch(/<script|onerror|hacked = 2/);
    const { rows } = await t.deps.db.execute<{ clicked_article_id: string | null }>(
      sql`SELECT clicked_article_id FROM kb_search_queries WHERE id = ${searchId}`,
    );
    expect(rows[0]?.clicked_article_id).toBe(ids.bn);
  });

  it('falls back to a language the article has', async () => {
    const res = await visitorRequest(t.app, token, 'GET', `/kb/articles/${ids.hi}?lang=en`);
    expect(res.statusCode).toBe(200);
    expect(res.json().language).toBe('hi');
  });

  it('needs a visitor', async () => {
    expect((await visitorRequest(t.app, null, 'GET', `/kb/articles/${ids.bn}`)).statusCode).toBe(401);
  });
});

describe('"was this helpful?" and deflection from the widget', () => {
  it('counts one vote per visitor and day; "this solved it" is measured as deflection in the KB report', async () => {
    const v = await newVisitor(t.app, widget.key);
    const session = 'widgetSession01';
    const report = (payload: Record<string, unknown>) =>
      visitorRequest(t.app, v.visitorToken, 'POST', '/kb/deflection', {
        sessionId: session,
        language: 'bn',
        ...payload,
      });
    expect(
      (await report({ event: 'suggestions_shown', query: 'অর্ডার কবে', articleIds: [ids.bn, ids.internal] })).statusCode,
    ).toBe(204);
    expect((await report({ event: 'article_opened', articleId: ids.bn })).statusCode).toBe(204);
    const vote = (helpful: boolean) =>
      visitorRequest(t.app, v.visitorToken, 'POST', `/kb/articles/${ids.bn}/feedback`, {
        language: 'bn',
        helpful,
        sessionId: session,
      });
    const first = await vote(true);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ recorded: true });
    expect((await vote(true)).json()).toEqual({ recorded: false });
    // another session that went on to open a chat
    const other = (payload: Record<string, unknown>) =>
      visitorRequest(t.app, v.visitorToken, 'POST', '/kb/deflection', {
        sessionId: 'widgetSession02',
        language: 'bn',
        ...payload,
      });
    await other({ event: 'suggestions_shown', articleIds: [ids.bn] });
    await other({ event: 'contact_submitted' });

    const { rows } = await t.deps.db.execute<{ helpful_count: number }>(
      sql`SELECT helpful_count FROM kb_article_translations WHERE article_id = ${ids.bn} AND locale = 'bn'`,
    );
    expect(rows[0]?.helpful_count).toBe(1);
    const shown = await t.deps.db.execute<{ payload: { articleIds: string[]; channel: string } }>(
      sql`SELECT payload FROM events WHERE type = 'kb_deflection.suggestions_shown' AND payload->>'sessionId' = ${session}`,
    );
    expect(shown.rows[0]?.payload).toMatchObject({ channel: 'widget', articleIds: [ids.bn] });

    const res = await api(t, admin, 'GET', '/kb/reports/deflection');
    expect(
      res.json().items.find((r: { channel: string; locale: string }) => r.channel === 'widget' && r.locale === 'bn'),
    ).toEqual({
      locale: 'bn',
      channel: 'widget',
      sessions: 2,
      articleOpened: 1,
      articleSolved: 1,
      contactSubmitted: 1,
      contactAbandoned: 1,
      deflectionRate: 0.5,
    });
  });

  it('refuses bad reports, votes on hidden articles and visitors without a token', async () => {
    const bad = await visitorRequest(t.app, token, 'POST', '/kb/deflection', { event: 'hacked', sessionId: 'x' });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    const anon = await visitorRequest(t.app, null, 'POST', '/kb/deflection', {
      event: 'suggestions_shown',
      sessionId: 'widgetSession03',
    });
    expect(anon.statusCode).toBe(401);
    const hiddenVote = await visitorRequest(t.app, token, 'POST', `/kb/articles/${ids.internal}/feedback`, {
      language: 'bn',
      helpful: true,
    });
    expect(hiddenVote.statusCode).toBe(404);
  });
});

describe('only the widget frame', () => {
  it('refuses every knowledge-base route to a page on another origin', async () => {
    const evil = { origin: 'https://evil.example' };
    const calls = [
      visitorRequest(t.app, token, 'GET', `/kb/search?key=${widget.key}&q=order&lang=en`, undefined, evil),
      visitorRequest(t.app, token, 'GET', `/kb/articles/${ids.bn}`, undefined, evil),
      visitorRequest(t.app, token, 'POST', `/kb/articles/${ids.bn}/feedback`, { language: 'bn', helpful: true }, evil),
      visitorRequest(
        t.app,
        token,
        'POST',
        '/kb/deflection',
        { event: 'suggestions_shown', sessionId: 'widgetSession04' },
        evil,
      ),
    ];
    for (const res of await Promise.all(calls)) {
      expect(res.statusCode).toBe(403);
      expect(res.body).not.toContain('অর্ডার');
    }
  });
});
