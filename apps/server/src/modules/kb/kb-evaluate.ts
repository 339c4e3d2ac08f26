import { readFileSync } from 'node:fs';
import type { KbLocale } from '@seva/contracts';
import type { Db } from '../../platform/db/client.ts';
import { createArticle } from './kb-articles.service.ts';
import { searchKb } from './kb-search.service.ts';

/**
 * Search-quality evaluation on real question/answer data: the unique contexts become published public articles
 * (title = the source article's name), every question is a query, and the hit is the article made from the
 * question's own context. Reports recall@1, recall@5 and MRR (over the top 10) per language.
 */
export interface QaItem {
  question: string;
  /** identifies the expected context */
  contextKey: string;
}

export interface QaDocument {
  contextKey: string;
  title: string;
  body: string;
}

export interface QaDataset {
  locale: KbLocale;
  name: string;
  documents: QaDocument[];
  questions: QaItem[];
}

export interface EvaluationResult {
  dataset: string;
  locale: KbLocale;
  documents: number;
  questions: number;
  recallAt1: number;
  recallAt5: number;
  mrr: number;
  millisPerQuery: number;
}

interface RawQa {
  article?: string;
  paragraph_index?: number;
  context?: string;
  question?: string;
}

/** Reads an XQuAD/TyDi-style JSONL file (one question per line with its context). */
export function loadQaJsonl(file: string, locale: KbLocale, name: string): QaDataset {
  const documents = new Map<string, QaDocument>();
  const questions: QaItem[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const row = JSON.parse(line) as RawQa;
    if (!row.context || !row.question) continue;
    const contextKey = `${row.article ?? ''}#${row.paragraph_index ?? row.context}`;
    if (!documents.has(contextKey)) {
      documents.set(contextKey, {
        contextKey,
        title: (row.article ?? '').replaceAll('_', ' ') || 'Article',
        body: row.context,
      });
    }
    questions.push({ question: row.question, contextKey });
  }
  return { locale, name, documents: [...documents.values()], questions };
}

const SYSTEM = { kind: 'system' } as const;

export async function indexQaDocuments(db: Db, dataset: QaDataset): Promise<Map<string, string>> {
  const idByKey = new Map<string, string>();
  for (const doc of dataset.documents) {
    const article = await db.transaction((tx) =>
      createArticle(tx, {
        actor: SYSTEM,
        body: {
          title: doc.title,
          body: doc.body,
          format: 'markdown',
          locale: dataset.locale,
          status: 'published',
          visibility: 'public',
          tags: [],
          position: 0,
        },
        now: new Date(),
      }),
    );
    idByKey.set(doc.contextKey, article.id);
  }
  return idByKey;
}

export async function evaluateDataset(
  db: Db,
  dataset: QaDataset,
  idByKey: Map<string, string>,
): Promise<EvaluationResult> {
  let hit1 = 0;
  let hit5 = 0;
  let rr = 0;
  const started = performance.now();
  for (const q of dataset.questions) {
    const expected = idByKey.get(q.contextKey);
    const { items } = await searchKb(db, {
      query: q.question,
      locale: dataset.locale,
      audience: 'public',
      limit: 10,
      logSource: null,
    });
    const rank = items.findIndex((i) => i.id === expected);
    if (rank === 0) hit1 += 1;
    if (rank >= 0 && rank < 5) hit5 += 1;
    if (rank >= 0) rr += 1 / (rank + 1);
  }
  const n = dataset.questions.length;
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return {
    dataset: dataset.name,
    locale: dataset.locale,
    documents: dataset.documents.length,
    questions: n,
    recallAt1: round(hit1 / n),
    recallAt5: round(hit5 / n),
    mrr: round(rr / n),
    millisPerQuery: round((performance.now() - started) / n),
  };
}

/** A small built-in sample (en/bn/hi) used when the shared data folder is absent. */
export function builtInSamples(): QaDataset[] {
  const make = (locale: KbLocale, docs: Array<[string, string, string[]]>): QaDataset => ({
    locale,
    name: `built-in-${locale}`,
    documents: docs.map(([title, body], i) => ({ contextKey: String(i), title, body })),
    questions: docs.flatMap(([, , qs], i) => qs.map((question) => ({ question, contextKey: String(i) }))),
  });
  return [
    make('en', [
      [
        'Track your order',
        'Open My orders and choose the order to see where your parcel is and when it will arrive.',
        ['where is my order', 'when will my parcel arrive'],
      ],
      [
        'Request a refund',
        'Refunds are paid to the original payment method within 5 to 7 working days after we receive the return.',
        ['how long does a refund take', 'refund to my card'],
      ],
      [
        'Reset your password',
        'Use Forgot password on the sign-in page; we email a link that works for one hour.',
        ['forgot my password', 'password reset link expired'],
      ],
      [
        'Change the delivery address',
        'You can change the delivery address until the order is shipped, from the order page.',
        ['change address after ordering', 'wrong delivery address'],
      ],
    ]),
    make('hi', [
      [
        'ऑर्डर ट्रैक करें',
        'मेरे ऑर्डर खोलें और ऑर्डर चुनें। वहाँ आपका पार्सल कहाँ है और कब आएगा, यह दिखता है।',
        ['मेरा ऑर्डर कब आएगा', 'पार्सल कहाँ है', 'order kab aayega'],
      ],
      [
        'रिफ़ंड का अनुरोध',
        'रिफ़ंड वापसी मिलने के 5 से 7 कार्यदिवस में मूल भुगतान माध्यम में भेजा जाता है।',
        ['रिफंड कितने दिन में मिलेगा', 'refund kab milega'],
      ],
      [
        'पासवर्ड रीसेट करें',
        'साइन-इन पेज पर पासवर्ड भूल गए चुनें; हम एक लिंक ईमेल करते हैं जो एक घंटे तक चलता है।',
        ['पासवर्ड भूल गया', 'password reset kaise kare'],
      ],
      [
        'डिलीवरी का पता बदलें',
        'ऑर्डर भेजे जाने तक आप ऑर्डर पेज से डिलीवरी का पता बदल सकते हैं।',
        ['पता कैसे बदलें', 'address badalna hai'],
      ],
    ]),
    make('bn', [
      [
        'অর্ডার ট্র্যাক করুন',
        'আমার অর্ডার খুলুন এবং অর্ডারটি বেছে নিন। আপনার পার্সেল কোথায় আছে এবং কবে আসবে তা দেখা যাবে।',
        ['আমার অর্ডার কোথায়', 'পার্সেল কবে আসবে', 'order kobe asbe'],
      ],
      [
        'রিফান্ডের অনুরোধ',
        'ফেরত পাওয়ার ৫ থেকে ৭ কার্যদিবসের মধ্যে রিফান্ড মূল পেমেন্ট মাধ্যমে পাঠানো হয়।',
        ['রিফান্ড কত দিনে পাব', 'refund kobe pabo'],
      ],
      [
        'পাসওয়ার্ড রিসেট করুন',
        'সাইন-ইন পাতায় পাসওয়ার্ড ভুলে গেছেন বেছে নিন; আমরা একটি লিংক ইমেল করি যা এক ঘণ্টা কাজ করে।',
        ['পাসওয়ার্ড ভুলে গেছি', 'password reset korbo kivabe'],
      ],
      [
        'ডেলিভারির ঠিকানা বদলান',
        'অর্ডার পাঠানোর আগে পর্যন্ত অর্ডার পাতা থেকে ডেলিভারির ঠিকানা বদলানো যায়।',
        ['ঠিকানা বদলাতে চাই', 'thikana change'],
      ],
    ]),
  ];
}
