import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';

let t: TestApp;
let admin: TestStaff;
let publicId = '';
let internalId = '';

beforeAll(async () => {
  t = await createTestApp();
  admin = await createStaff(t, 'admin');
  const make = async (visibility: string) =>
    (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/kb/articles',
        headers: admin.bearer,
        payload: {
          title: `Refund ${visibility}`,
          body: 'Refunds take five days.',
          locale: 'en',
          status: 'published',
          visibility,
        },
      })
    ).json().id as string;
  publicId = await make('public');
  internalId = await make('internal');
});
afterAll(async () => {
  await t?.close();
});

const send = (payload: Record<string, unknown>, ip = '192.0.2.1') =>
  t.app.inject({ method: 'POST', url: '/help/deflection', payload, remoteAddress: ip });

describe('deflection and content gaps', () => {
  it('reports the deflection rate per language and channel', async () => {
    // session A: shown, opened, never contacted → deflected
    expect(
      (
        await send({
          event: 'suggestions_shown',
          sessionId: 'sessionAAA1',
          channel: 'widget',
          locale: 'en',
          articleIds: [publicId],
        })
      ).statusCode,
    ).toBe(204);
    await send({
      event: 'article_opened',
      sessionId: 'sessionAAA1',
      channel: 'widget',
      locale: 'en',
      articleId: publicId,
    });
    // session B: shown, then submitted a ticket anyway
    await send({
      event: 'suggestions_shown',
      sessionId: 'sessionBBB1',
      channel: 'widget',
      locale: 'en',
      articleIds: [publicId],
    });
    await send({ event: 'contact_submitted', sessionId: 'sessionBBB1', channel: 'widget', locale: 'en' });
    // session C: bn web form, shown and abandoned
    await send({
      event: 'suggestions_shown',
      sessionId: 'sessionCCC1',
      channel: 'web_form',
      locale: 'bn',
      articleIds: [publicId],
    });
    await send({ event: 'contact_abandoned', sessionId: 'sessionCCC1', channel: 'web_form', locale: 'bn' });

    const res = await t.app.inject({ method: 'GET', url: '/api/v1/kb/reports/deflection', headers: admin.bearer });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([
      {
        locale: 'bn',
        channel: 'web_form',
        sessions: 1,
        articleOpened: 0,
        articleSolved: 0,
        contactSubmitted: 0,
        contactAbandoned: 1,
        deflectionRate: 1,
      },
      {
        locale: 'en',
        channel: 'widget',
        sessions: 2,
        articleOpened: 1,
        articleSolved: 0,
        contactSubmitted: 1,
        contactAbandoned: 0,
        deflectionRate: 0.5,
      },
    ]);
  });

  it('refuses malformed reports and never logs internal article ids', async () => {
    expect((await send({ event: 'hacked', sessionId: 'x', channel: 'widget' })).statusCode).toBe(400);
    await send({ event: 'article_opened', sessionId: 'sessionDDD1', channel: 'widget', articleId: internalId });
    const { rows } = await t.deps.db.execute<{ payload: Record<string, unknown> }>(
      sql`SELECT payload FROM events WHERE type = 'kb_deflection.article_opened' AND payload->>'sessionId' = 'sessionDDD1'`,
    );
    expect(rows[0]?.payload.articleId).toBeUndefined();
  });

  it('lists searches that found nothing as content gaps, per language', async () => {
    for (const q of ['warranty claim', 'Warranty  claim!', 'refund']) {
      await t.app.inject({
        method: 'GET',
        url: `/help/search.json?q=${encodeURIComponent(q)}&locale=en&source=widget`,
      });
    }
    await t.app.inject({ method: 'GET', url: `/help/search.json?q=${encodeURIComponent('ওয়ারেন্টি')}&locale=bn` });
    await t.app.inject({ method: 'GET', url: '/help/search.json?q=nothingatall&source=suggest' });
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/kb/reports/content-gaps', headers: admin.bearer });
    const items = res.json().items.map((i: { query: string; locale: string; count: number }) => [i.locale, i.count]);
    expect(items).toEqual([
      ['en', 2],
      ['bn', 1],
    ]);
  });
});
