import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { categoryBenchmark, sentimentBenchmark } from '../src/modules/classifier/evaluate-datasets.ts';
import { predictNaiveBayes, trainNaiveBayes } from '../src/modules/classifier/naive-bayes.ts';
import { sentimentOf } from '../src/modules/classifier/sentiment.ts';

/**
 * The category suggester and the Bengali sentiment model on the shared real datasets (5 held-out folds; numbers
 * in docs/insights.md). Without ../shared/data a small built-in en/bn/hi sample is checked instead.
 */
const dataDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/data');
const haveData = ['en/bitext_customer_service.csv', 'en/banking77_train.csv', 'multi/sib200_topics_en_bn_hi.csv', 'bn/bengali_drama_sentiment.csv'].every((f) =>
  existsSync(path.join(dataDir, f)),
);
if (!haveData) console.warn(`classifier datasets: ${dataDir} not found, asserting on the small built-in en/bn/hi sample instead`);

describe('classifier quality on real data', () => {
  it('beats the majority class by far on every dataset and language (the built-in sample without the shared data)', () => {
    if (!haveData) {
    const sample = [
      ['refund my payment', 'billing'], ['invoice is wrong', 'billing'], ['charged twice', 'billing'], ['bill too high', 'billing'],
      ['বিল ভুল', 'billing'], ['টাকা কেটেছে', 'billing'], ['बिल गलत', 'billing'], ['पैसे कटे', 'billing'],
      ['parcel not arrived', 'delivery'], ['where is my order', 'delivery'], ['courier late', 'delivery'], ['package lost', 'delivery'],
      ['পার্সেল আসেনি', 'delivery'], ['ডেলিভারি দেরি', 'delivery'], ['पार्सल नहीं आया', 'delivery'], ['डिलीवरी देर', 'delivery'],
    ].map(([text, label]) => ({ text: text as string, label: label as string }));
    const model = trainNaiveBayes(sample);
    const unseen: Array<[string, string]> = [
      ['refund please', 'billing'], ['order not arrived', 'delivery'], ['পার্সেল কোথায়', 'delivery'], ['बिल ज़्यादा', 'billing'], ['पार्सल कहाँ है', 'delivery'],
    ];
    for (const [text, label] of unseen) expect(predictNaiveBayes(model, text, 1)[0]?.label, text).toBe(label);
      return;
    }
    const rows = categoryBenchmark(dataDir);
    const acc = (dataset: string, language: string) => rows.find((r) => r.dataset.startsWith(dataset) && r.language === language)?.accuracy ?? 0;
    expect(acc('bitext_customer_service (category)', 'en')).toBeGreaterThan(0.97);
    expect(acc('banking77_train', 'en')).toBeGreaterThan(0.84);
    for (const lang of ['en', 'bn', 'hi']) expect(acc('sib200_topics', lang)).toBeGreaterThan(0.6);
    for (const r of rows) expect(r.accuracy).toBeGreaterThan(r.baseline * 2);
  }, 120_000);

  it('detects negative Bengali comments on held-out folds (the bundled model without the shared data)', () => {
    if (!haveData) {
      expect(sentimentOf('সবথেকে ফালতু নাটক, একদম বাজে').label).toBe('negative');
      expect(sentimentOf('অসাধারণ নাটক, খুব ভালো লাগলো').label).toBe('positive');
      return;
    }
    const s = sentimentBenchmark(dataDir);
    expect(s.modelAccuracy).toBeGreaterThan(0.9);
    expect(s.modelNegativeRecall).toBeGreaterThan(0.85);
  }, 120_000);
});
