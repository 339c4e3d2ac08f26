/**
 * The classifier benchmark on the shared datasets (held-out folds), printed as Markdown for docs/insights.md:
 *   npx tsx apps/server/src/modules/classifier/evaluate-datasets.ts [dataDir]
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { crossValidate, type Example, foldOf, trainNaiveBayes, predictNaiveBayes } from './naive-bayes.ts';
import { csvRecords, examplesFromCsv } from './read-csv.ts';
import { lexiconSentiment } from './sentiment.ts';

export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../../../../../shared/data', import.meta.url));
export const CATEGORY_ALPHA = 0.05;

export interface BenchmarkRow {
  dataset: string;
  language: string;
  labels: number;
  n: number;
  accuracy: number;
  baseline: number;
}

function majority(ex: Example[]): number {
  const c = new Map<string, number>();
  for (const e of ex) c.set(e.label, (c.get(e.label) ?? 0) + 1);
  return Math.max(...c.values()) / ex.length;
}

function row(dataset: string, language: string, ex: Example[], k: number): BenchmarkRow {
  const r = crossValidate(ex, k, { alpha: CATEGORY_ALPHA });
  return { dataset, language, labels: new Set(ex.map((e) => e.label)).size, n: r.n, accuracy: r.accuracy, baseline: majority(ex) };
}

export function categoryBenchmark(dataDir: string, k = 5): BenchmarkRow[] {
  const out: BenchmarkRow[] = [];
  const read = (p: string) => readFileSync(`${dataDir}/${p}`, 'utf8');
  out.push(row('bitext_customer_service (category)', 'en', examplesFromCsv(read('en/bitext_customer_service.csv'), 'utterance', 'category'), k));
  out.push(row('bitext_customer_service (intent)', 'en', examplesFromCsv(read('en/bitext_customer_service.csv'), 'utterance', 'intent'), k));
  out.push(row('banking77_train', 'en', examplesFromCsv(read('en/banking77_train.csv'), 'text', 'category'), k));
  const sib = csvRecords(read('multi/sib200_topics_en_bn_hi.csv'));
  for (const lang of ['en', 'bn', 'hi']) {
    out.push(row('sib200_topics', lang, sib.filter((r) => r.lang === lang).map((r) => ({ text: r.text ?? '', label: r.category ?? '' })), k));
  }
  return out;
}

export interface SentimentBenchmark {
  n: number;
  modelAccuracy: number;
  modelNegativeRecall: number;
  lexiconAccuracy: number;
  baseline: number;
}

/** Bengali sentiment: the bundled model's recipe on held-out folds, the lexicon alone, and the majority class. */
export function sentimentBenchmark(dataDir: string, k = 5): SentimentBenchmark {
  const ex = examplesFromCsv(readFileSync(`${dataDir}/bn/bengali_drama_sentiment.csv`, 'utf8'), 'text', 'label');
  let correct = 0;
  let neg = 0;
  let negHit = 0;
  for (let fold = 0; fold < k; fold += 1) {
    const model = trainNaiveBayes(ex.filter((_, i) => foldOf(i, k) !== fold), { alpha: 0.5, minDocs: 10 });
    ex.forEach((e, i) => {
      if (foldOf(i, k) !== fold) return;
      const p = predictNaiveBayes(model, e.text, 1)[0]?.label;
      if (p === e.label) correct += 1;
      if (e.label === 'negative') {
        neg += 1;
        if (p === 'negative') negHit += 1;
      }
    });
  }
  const lex = ex.filter((e) => (lexiconSentiment(e.text).label === 'negative' ? 'negative' : 'positive') === e.label).length;
  return { n: ex.length, modelAccuracy: correct / ex.length, modelNegativeRecall: neg ? negHit / neg : 0, lexiconAccuracy: lex / ex.length, baseline: majority(ex) };
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = process.argv[2] ?? DEFAULT_DATA_DIR;
  if (!existsSync(dir)) {
    process.stderr.write(`data directory ${dir} not found\n`);
    process.exit(1);
  }
  const rows = categoryBenchmark(dir);
  process.stdout.write('| dataset | language | labels | n | accuracy (5-fold) | majority baseline |\n|---|---|---|---|---|---|\n');
  for (const r of rows) process.stdout.write(`| ${r.dataset} | ${r.language} | ${r.labels} | ${r.n} | ${pct(r.accuracy)} | ${pct(r.baseline)} |\n`);
  const s = sentimentBenchmark(dir);
  process.stdout.write(`\nSentiment (bengali_drama_sentiment, n=${s.n}): model ${pct(s.modelAccuracy)} (negative recall ${pct(s.modelNegativeRecall)}), lexicon only ${pct(s.lexiconAccuracy)}, majority ${pct(s.baseline)}\n`);
}
