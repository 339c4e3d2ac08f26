import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  builtInSamples,
  evaluateDataset,
  indexQaDocuments,
  loadQaJsonl,
  type QaDataset,
} from '../src/modules/kb/kb-evaluate.ts';
import { createTestDatabase, type TestDatabase } from './harness.ts';

/**
 * Search quality on real Q&A data (XQuAD Hindi, TyDi QA Bengali): every unique context is an article, every
 * question a query. Without the shared data folder the small built-in en/bn/hi sample is used instead.
 */
const dataDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/data');
const hiFile = path.join(dataDir, 'hi/xquad_hi.jsonl');
const bnFile = path.join(dataDir, 'bn/tydiqa_goldp_bn.jsonl');
const haveData = existsSync(hiFile) && existsSync(bnFile);

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  if (!haveData)
    console.warn(`kb search quality: ${dataDir} not found, asserting on the small built-in en/bn/hi sample instead`);
});
afterAll(async () => {
  await db?.drop();
});

// The built-in sample (English, Bengali, Hindi and romanised queries) always runs as well: it is cheap.
const datasets: QaDataset[] = haveData
  ? [loadQaJsonl(hiFile, 'hi', 'xquad_hi'), loadQaJsonl(bnFile, 'bn', 'tydiqa_goldp_bn'), ...builtInSamples()]
  : builtInSamples();

describe('knowledge-base search quality', () => {
  for (const set of datasets) {
    it(`reaches recall@5 of at least 0.8 on ${set.name}`, { timeout: 180_000 }, async () => {
      await db.database.pool.query('TRUNCATE kb_articles CASCADE');
      const ids = await indexQaDocuments(db.database.db, set);
      const result = await evaluateDataset(db.database.db, set, ids);
      console.info(JSON.stringify(result));
      expect(result.recallAt5).toBeGreaterThanOrEqual(0.8);
      expect(result.recallAt1).toBeGreaterThanOrEqual(set.name.startsWith('built-in') ? 0.75 : 0.7);
      expect(result.mrr).toBeGreaterThanOrEqual(0.75);
    });
  }
});
