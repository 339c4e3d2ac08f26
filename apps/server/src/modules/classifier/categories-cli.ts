import { readFileSync } from 'node:fs';
import { CliError, requireFlag } from '../../cli/args.ts';
import type { Db } from '../../platform/db/client.ts';
import { activeCategoryModel, trainAndStoreCategoryModel } from './classifier.service.ts';
import { predictNaiveBayes } from './naive-bayes.ts';
import { examplesFromCsv } from './read-csv.ts';

export const CATEGORIES_USAGE =
  'usage: seva categories train --csv FILE --text COLUMN --label COLUMN\n       seva categories evaluate --csv FILE --text COLUMN --label COLUMN';

function readExamples(flags: Record<string, string | true>) {
  const file = requireFlag(flags, 'csv');
  const text = requireFlag(flags, 'text');
  const label = requireFlag(flags, 'label');
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch {
    throw new CliError(`cannot read ${file}`);
  }
  try {
    return examplesFromCsv(raw, text, label);
  } catch (err) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
}

/**
 * `seva categories train` bootstraps the suggester from a historical export; `seva categories evaluate` prints the
 * active model's accuracy on another file as JSON: {"accuracy": …, "n": …}.
 */
export async function runCategoriesCommand(sub: string | undefined, flags: Record<string, string | true>, db: Db, now: Date): Promise<string> {
  if (sub === 'train') {
    const examples = readExamples(flags);
    const r = await db.transaction((tx) => trainAndStoreCategoryModel(tx, { examples, source: 'csv', actor: { kind: 'system' }, now }));
    return JSON.stringify(r);
  }
  if (sub === 'evaluate') {
    const examples = readExamples(flags);
    const model = await activeCategoryModel(db);
    if (!model) throw new CliError('no trained model yet: run `seva categories train` first');
    let correct = 0;
    for (const e of examples) if (predictNaiveBayes(model.model, e.text, 1)[0]?.label === e.label) correct += 1;
    return JSON.stringify({ accuracy: examples.length === 0 ? 0 : Math.round((correct / examples.length) * 10_000) / 10_000, n: examples.length });
  }
  throw new CliError(CATEGORIES_USAGE);
}
