import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';

/**
 * Bengali and Hindi spelling variants must find the same article: precomposed vs decomposed nukta, ZWJ/ZWNJ inside
 * conjuncts, candrabindu vs anusvara, inflected forms, and romanised queries.
 */
let t: TestApp;
let admin: TestStaff;
const ids: Record<string, string> = {};

async function publish(key: string, locale: string, title: string, body: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/kb/articles',
    headers: admin.bearer,
    payload: { title, body, locale, status: 'published', visibility: 'public', format: 'markdown' },
  });
  expect(res.statusCode).toBe(201);
  ids[key] = res.json().id;
}

async function top(q: string, locale: string): Promise<string | undefined> {
  const res = await t.app.inject({
    method: 'GET',
    url: `/help/search.json?q=${encodeURIComponent(q)}&locale=${locale}`,
  });
  expect(res.statusCode).toBe(200);
  return res.json().items[0]?.id;
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await createStaff(t, 'admin');
  // precomposed nukta letters (U+095B ज़, U+095E फ़) in the article
  await publish('nukta', 'hi', '\u095Bरूरी \u095Eॉर्म', 'खाता खोलने के लिए यह \u095Eॉर्म भरना \u095Bरूरी है।');
  await publish('candrabindu', 'hi', 'हँसी और पहुँच', 'डिलीवरी कहाँ तक पहुँची, यहाँ देखें।');
  // ZWJ inside the Bengali conjunct র‍্যা
  await publish('zwj', 'bn', 'র\u200D্যাপিং পেপার', 'উপহারের জন্য র\u200D্যাপিং পেপার বেছে নিন।');
  await publish('bnInflect', 'bn', 'অর্ডার বাতিল', 'অর্ডারের টাকা ফেরত পেতে অর্ডারটি বাতিল করুন।');
  await publish('hiInflect', 'hi', 'लड़कों के कपड़े', 'बच्चों और लड़कों के लिए कपड़े।');
  await publish('hiOrder', 'hi', 'ऑर्डर कब आएगा', 'आपका ऑर्डर कब आएगा, ट्रैकिंग पेज पर देखें।');
  await publish('bnOrder', 'bn', 'অর্ডার কবে আসবে', 'আপনার অর্ডার কবে আসবে তা ট্র্যাকিং পাতায় দেখুন।');
});
afterAll(async () => {
  await t?.close();
});

describe('search across Bengali and Hindi spelling variants', () => {
  it('finds precomposed-nukta text from a decomposed-nukta query and from a query without nukta', async () => {
    expect(await top('\u091C\u093Cरूरी \u092B\u093Cॉर्म', 'hi')).toBe(ids.nukta);
    expect(await top('जरूरी फॉर्म', 'hi')).toBe(ids.nukta);
  });

  it('treats candrabindu and anusvara alike', async () => {
    expect(await top('पहुंच', 'hi')).toBe(ids.candrabindu);
  });

  it('ignores ZWJ and ZWNJ inside conjuncts, both in the article and in the query', async () => {
    expect(await top('র্যাপিং', 'bn')).toBe(ids.zwj);
    expect(await top('র\u200C্যাপিং', 'bn')).toBe(ids.zwj);
  });

  it('matches inflected forms through prefixes and light stems', async () => {
    expect(await top('অর্ডারগুলো বাতিল', 'bn')).toBe(ids.bnInflect);
    expect(await top('लड़के कपड़े', 'hi')).toBe(ids.hiInflect);
  });

  it('finds Hindi and Bengali articles from romanised queries', async () => {
    expect(await top('order kab aayega', 'hi')).toBe(ids.hiOrder);
    expect(await top('mera order kab ayega', 'hi')).toBe(ids.hiOrder);
    expect(await top('order kobe asbe', 'bn')).toBe(ids.bnOrder);
  });

  it('searches all languages when no locale is given', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/help/search.json?q=${encodeURIComponent('অর্ডার')}` });
    const locales = new Set(res.json().items.map((i: { locale: string }) => i.locale));
    expect(locales).toEqual(new Set(['bn']));
  });
});
