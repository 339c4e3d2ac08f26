import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchTerms } from '../src/platform/text/normalise.ts';
import { isStopword } from '../src/platform/text/stopwords.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { insertCustomer, insertTicket } from './search-fixtures.ts';

/**
 * Search over real Bengali and Hindi text: passages from TyDi QA (bn, Apache-2.0, Google) and XQuAD (hi,
 * CC BY-SA 4.0, DeepMind) in ../shared/data are indexed as tickets and each question's key words must find its
 * passage. Without that folder the same checks run on a few built-in passages.
 */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const sharedData = path.resolve(repoRoot, '../shared/data');

interface Passage {
  lang: 'bn' | 'hi';
  title: string;
  context: string;
  question: string;
}

const BUILT_IN: Passage[] = [
  {
    lang: 'bn',
    title: 'রবীন্দ্রনাথ ঠাকুর',
    context:
      'রবীন্দ্রনাথ ঠাকুর ১৯১৩ সালে গীতাঞ্জলি কাব্যগ্রন্থের ইংরেজি অনুবাদের জন্য সাহিত্যে নোবেল পুরস্কার লাভ করেন। তিনি শান্তিনিকেতনে বিশ্বভারতী বিশ্ববিদ্যালয় প্রতিষ্ঠা করেন।',
    question: 'রবীন্দ্রনাথ ঠাকুর কোন কাব্যগ্রন্থের জন্য নোবেল পুরস্কার পান?',
  },
  {
    lang: 'bn',
    title: 'পদ্মা সেতু',
    context: 'পদ্মা সেতু বাংলাদেশের পদ্মা নদীর উপর নির্মিত একটি বহুমুখী সড়ক ও রেল সেতু। এটি ২০২২ সালে যান চলাচলের জন্য খুলে দেওয়া হয়।',
    question: 'পদ্মা সেতু কোন নদীর উপর নির্মিত?',
  },
  {
    lang: 'hi',
    title: 'ताज महल',
    context:
      'ताज महल आगरा में यमुना नदी के किनारे स्थित एक मकबरा है। इसे मुग़ल बादशाह शाहजहाँ ने अपनी पत्नी मुमताज़ महल की याद में बनवाया था।',
    question: 'ताज महल किस नदी के किनारे स्थित है?',
  },
  {
    lang: 'hi',
    title: 'गंगा',
    context: 'गंगा नदी गंगोत्री हिमनद से निकलती है और बंगाल की खाड़ी में गिरती है। यह भारत की सबसे पवित्र नदी मानी जाती है।',
    question: 'गंगा नदी कहाँ से निकलती है?',
  },
];

function readJsonl(file: string, limit: number): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    out.push(JSON.parse(line) as Record<string, unknown>);
    if (out.length >= limit) break;
  }
  return out;
}

function loadPassages(): { passages: Passage[]; fromCorpus: boolean } {
  const bnFile = path.join(sharedData, 'bn/tydiqa_goldp_bn.jsonl');
  const hiFile = path.join(sharedData, 'hi/xquad_hi.jsonl');
  if (!fs.existsSync(bnFile) || !fs.existsSync(hiFile)) {
    console.warn('shared data not found: skipping corpus checks');
    return { passages: BUILT_IN, fromCorpus: false };
  }
  const passages: Passage[] = [];
  const seen = new Set<string>();
  for (const [lang, file, n] of [
    ['bn', bnFile, 40],
    ['hi', hiFile, 400],
  ] as const) {
    for (const row of readJsonl(file, n)) {
      const context = String(row.context ?? '');
      // XQuAD asks several questions per paragraph: index each paragraph once
      if (seen.has(context)) continue;
      seen.add(context);
      passages.push({
        lang,
        title: String(row.article ?? '').replaceAll('_', ' '),
        context,
        question: String(row.question ?? ''),
      });
      if (passages.filter((p) => p.lang === lang).length >= 30) break;
    }
  }
  return { passages, fromCorpus: true };
}

/** Up to three of the longest question words that the passage itself contains (what a searching agent would type). */
function keyWords(p: Passage): string[] {
  const passageWords = new Set(searchTerms(p.context));
  const candidates = [...new Set(searchTerms(p.question))].filter(
    (w) => !isStopword(w) && [...w].length >= 3 && passageWords.has(w) && !/^\d+$/.test(w),
  );
  return candidates.sort((a, b) => [...b].length - [...a].length).slice(0, 3);
}

let t: TestApp;
let agent: TestStaff;
let loaded: { passages: Passage[]; fromCorpus: boolean };
const ticketOf = new Map<Passage, string>();

beforeAll(async () => {
  t = await createTestApp();
  agent = await createStaff(t, 'agent');
  loaded = loadPassages();
  const customer = await insertCustomer(t, 'Corpus Reader', 'corpus@example.com');
  for (const p of loaded.passages) {
    const ticket = await insertTicket(t, { subject: p.title, customerId: customer, messages: [{ body: p.context }] });
    ticketOf.set(p, ticket.id);
  }
}, 120_000);
afterAll(async () => {
  await t?.close();
});

async function searchTickets(q: string): Promise<Array<{ id: string; snippet: string }>> {
  const res = await t.app.inject({
    method: 'GET',
    url: `/api/v1/search?type=tickets&limit=200&q=${encodeURIComponent(q)}`,
    headers: agent.bearer,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().tickets;
}

describe('search over Bengali and Hindi passages', () => {
  it('has Bengali and Hindi passages to work on', () => {
    expect(loaded.passages.filter((p) => p.lang === 'bn').length).toBeGreaterThanOrEqual(2);
    expect(loaded.passages.filter((p) => p.lang === 'hi').length).toBeGreaterThanOrEqual(2);
  });

  for (const lang of ['bn', 'hi'] as const) {
    it(`finds each ${lang} passage from its question's key words, nearly always in the top five`, async () => {
      let asked = 0;
      let found = 0;
      let topFive = 0;
      const misses: string[] = [];
      for (const p of loaded.passages.filter((x) => x.lang === lang)) {
        const words = keyWords(p);
        if (words.length === 0) continue;
        asked += 1;
        const hits = await searchTickets(words.join(' '));
        const rank = hits.findIndex((h) => h.id === ticketOf.get(p));
        if (rank >= 0) found += 1;
        else misses.push(words.join(' '));
        if (rank >= 0 && rank < 5) topFive += 1;
        if (rank >= 0) expect(hits[rank]?.snippet).toContain('<mark>');
      }
      expect(asked).toBeGreaterThanOrEqual(2);
      // every key word is in the passage, so every passage must be found
      expect(misses).toEqual([]);
      expect(found).toBe(asked);
      expect(topFive / asked).toBeGreaterThanOrEqual(0.9);
    });
  }

  it('finds a passage from a single key word with its last letter dropped (partial word)', async () => {
    let checked = 0;
    for (const p of loaded.passages) {
      const word = keyWords(p).find((w) => [...w].length >= 5);
      if (!word) continue;
      const partial = [...word].slice(0, -1).join('');
      const hits = await searchTickets(partial);
      expect(
        hits.map((h) => h.id),
        `${p.lang}: ${partial}`,
      ).toContain(ticketOf.get(p));
      checked += 1;
      if (checked >= 10) break;
    }
    expect(checked).toBeGreaterThanOrEqual(2);
  });

  it('finds Hindi passages whatever the nukta spelling of the query', async () => {
    const withNukta = loaded.passages
      .filter((p) => p.lang === 'hi' && /[\u093C\u0958-\u095F]/.test(p.context))
      .slice(0, 5);
    expect(withNukta.length).toBeGreaterThanOrEqual(1);
    for (const p of withNukta) {
      const word = p.context.match(/[\u0900-\u097F]*[\u093C\u0958-\u095F][\u0900-\u097F]*/u)?.[0] ?? '';
      const stripped = word.normalize('NFD').replace(/\u093C/g, '');
      for (const q of [word, stripped]) {
        expect(
          (await searchTickets(q)).map((h) => h.id),
          q,
        ).toContain(ticketOf.get(p));
      }
    }
  });
});
