/**
 * Builds sentiment-bn.model.json from ../shared/data/bn/bengali_drama_sentiment.csv (Sazzed 2020, CC BY 4.0).
 *   npx tsx apps/server/src/modules/classifier/build-sentiment-model.ts [path/to/bengali_drama_sentiment.csv]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { trainNaiveBayes } from './naive-bayes.ts';
import { examplesFromCsv } from './read-csv.ts';

const file = process.argv[2] ?? fileURLToPath(new URL('../../../../../../shared/data/bn/bengali_drama_sentiment.csv', import.meta.url));
const examples = examplesFromCsv(readFileSync(file, 'utf8'), 'text', 'label');
const model = trainNaiveBayes(examples, { alpha: 0.5, minDocs: 10 });
const out = fileURLToPath(new URL('./sentiment-bn.model.json', import.meta.url));
writeFileSync(out, JSON.stringify(model));
process.stdout.write(`${JSON.stringify({ examples: examples.length, vocabulary: model.vocabulary, out })}\n`);
