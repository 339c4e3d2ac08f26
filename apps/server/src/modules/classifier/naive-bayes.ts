import { type FeatureOptions, textFeatures } from './text-features.ts';

/**
 * A multinomial naive Bayes text classifier over binary character n-gram and word features, written out in
 * full (no hosted model, no dependency). Small enough to train in seconds on tens of thousands of tickets and to
 * store as JSON.
 */
export interface NaiveBayesModel {
  version: 1;
  alpha: number;
  features: FeatureOptions;
  labels: string[];
  /** documents per label */
  docs: number[];
  /** feature occurrences per label (sum over the label's feature counts) */
  totals: number[];
  vocabulary: number;
  /** feature → [labelIndex, count, labelIndex, count, …] (sparse) */
  counts: Record<string, number[]>;
}

export interface Example {
  text: string;
  label: string;
}

export interface TrainOptions {
  alpha?: number;
  features?: FeatureOptions;
  /** drop features seen in fewer documents than this (keeps the stored model small) */
  minDocs?: number;
}

export function trainNaiveBayes(examples: Example[], opts: TrainOptions = {}): NaiveBayesModel {
  const features = opts.features ?? {};
  const labels = [...new Set(examples.map((e) => e.label))].sort();
  const index = new Map(labels.map((l, i) => [l, i]));
  const docs = labels.map(() => 0);
  const perFeature = new Map<string, Map<number, number>>();
  const df = new Map<string, number>();
  for (const e of examples) {
    const li = index.get(e.label) as number;
    docs[li] = (docs[li] ?? 0) + 1;
    for (const f of textFeatures(e.text, features)) {
      df.set(f, (df.get(f) ?? 0) + 1);
      let m = perFeature.get(f);
      if (!m) {
        m = new Map();
        perFeature.set(f, m);
      }
      m.set(li, (m.get(li) ?? 0) + 1);
    }
  }
  const minDocs = opts.minDocs ?? 1;
  const counts: Record<string, number[]> = {};
  const totals = labels.map(() => 0);
  for (const [f, m] of perFeature) {
    if ((df.get(f) ?? 0) < minDocs) continue;
    const flat: number[] = [];
    for (const [li, c] of m) {
      flat.push(li, c);
      totals[li] = (totals[li] ?? 0) + c;
    }
    counts[f] = flat;
  }
  return { version: 1, alpha: opts.alpha ?? 0.1, features, labels, docs, totals, vocabulary: Object.keys(counts).length, counts };
}

export interface Prediction {
  label: string;
  confidence: number;
}

/** Labels ranked by posterior probability (softmax of the log scores). */
export function predictNaiveBayes(model: NaiveBayesModel, text: string, top = 3): Prediction[] {
  const k = model.labels.length;
  if (k === 0) return [];
  const nDocs = model.docs.reduce((a, b) => a + b, 0);
  const a = model.alpha;
  const v = Math.max(1, model.vocabulary);
  const denom = model.totals.map((t) => Math.log(t + a * v));
  const scores = model.docs.map((d) => Math.log((d + 1) / (nDocs + k)));
  const present: number[] = model.labels.map(() => 0);
  let used = 0;
  const hits = new Map<number, number>();
  for (const f of textFeatures(text, model.features)) {
    const flat = model.counts[f];
    if (!flat) continue;
    used += 1;
    for (let i = 0; i < k; i += 1) present[i] = 0;
    for (let j = 0; j < flat.length; j += 2) present[flat[j] as number] = flat[j + 1] as number;
    for (let i = 0; i < k; i += 1) {
      scores[i] = (scores[i] as number) + Math.log((present[i] as number) + a) - (denom[i] as number);
      if ((present[i] as number) > 0) hits.set(i, (hits.get(i) ?? 0) + 1);
    }
  }
  const max = Math.max(...scores);
  const exps = scores.map((s) => Math.exp(s - max));
  const sum = exps.reduce((x, y) => x + y, 0);
  const ranked = exps
    .map((e, i) => ({ label: model.labels[i] as string, confidence: used === 0 ? 1 / k : e / sum }))
    .sort((x, y) => y.confidence - x.confidence || x.label.localeCompare(y.label));
  return ranked.slice(0, top);
}

/** Deterministic k-fold split by a hash of the index (the same folds on every run). */
export function foldOf(i: number, k: number): number {
  let h = (i + 1) * 2654435761;
  h = (h ^ (h >>> 16)) >>> 0;
  return h % k;
}

export interface Evaluation {
  accuracy: number;
  n: number;
  folds: number;
}

/** Accuracy over k held-out folds: train on k−1, predict the one left out, for every fold. */
export function crossValidate(examples: Example[], k = 5, opts: TrainOptions = {}): Evaluation {
  let correct = 0;
  let n = 0;
  for (let fold = 0; fold < k; fold += 1) {
    const train = examples.filter((_, i) => foldOf(i, k) !== fold);
    const test = examples.filter((_, i) => foldOf(i, k) === fold);
    if (train.length === 0 || test.length === 0) continue;
    const model = trainNaiveBayes(train, opts);
    for (const e of test) {
      n += 1;
      if (predictNaiveBayes(model, e.text, 1)[0]?.label === e.label) correct += 1;
    }
  }
  return { accuracy: n === 0 ? 0 : correct / n, n, folds: k };
}

export function accuracyOn(model: NaiveBayesModel, examples: Example[]): Evaluation {
  let correct = 0;
  for (const e of examples) if (predictNaiveBayes(model, e.text, 1)[0]?.label === e.label) correct += 1;
  return { accuracy: examples.length === 0 ? 0 : correct / examples.length, n: examples.length, folds: 0 };
}
