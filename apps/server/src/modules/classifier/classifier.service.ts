import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import { classifierModels } from '../../platform/db/schema/index.ts';
import { validationFailed } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import { type Example, foldOf, type NaiveBayesModel, predictNaiveBayes, trainNaiveBayes, accuracyOn } from './naive-bayes.ts';

export const CATEGORY_ALPHA = 0.05;
/** the newest tickets a scheduled training reads */
export const MAX_TRAINING_TICKETS = 20_000;
const KEEP_MODELS = 3;

export interface StoredModel {
  id: number;
  source: string;
  trainedOn: number;
  labels: number;
  heldOutAccuracy: number | null;
  createdAt: Date;
  model: NaiveBayesModel;
}

export interface TrainResult {
  modelId: number;
  trainedOn: number;
  labels: number;
  heldOutAccuracy: number | null;
}

/**
 * Trains the category suggester, measures it on a held-out fifth first (when there is enough data), stores it as
 * the active model and keeps the last few for comparison.
 */
export async function trainAndStoreCategoryModel(
  db: DbOrTx,
  input: { examples: Example[]; source: 'tickets' | 'csv'; actor: Actor; now: Date },
): Promise<TrainResult> {
  const labels = new Set(input.examples.map((e) => e.label));
  if (input.examples.length < 2 || labels.size < 2) {
    throw validationFailed([{ path: 'examples', message: 'training needs at least two categories with examples' }]);
  }
  let heldOutAccuracy: number | null = null;
  if (input.examples.length >= 50) {
    const test = input.examples.filter((_, i) => foldOf(i, 5) === 0);
    const train = input.examples.filter((_, i) => foldOf(i, 5) !== 0);
    heldOutAccuracy = Math.round(accuracyOn(trainNaiveBayes(train, { alpha: CATEGORY_ALPHA }), test).accuracy * 10_000) / 10_000;
  }
  const model = trainNaiveBayes(input.examples, { alpha: CATEGORY_ALPHA, minDocs: input.examples.length > 2000 ? 2 : 1 });
  const [row] = await db
    .insert(classifierModels)
    .values({ kind: 'category', source: input.source, trainedOn: input.examples.length, labels: labels.size, heldOutAccuracy, model, createdAt: input.now })
    .returning({ id: classifierModels.id });
  if (!row) throw new Error('model insert returned nothing');
  await db
    .update(classifierModels)
    .set({ isActive: false })
    .where(and(eq(classifierModels.kind, 'category'), lt(classifierModels.id, row.id)));
  await db.execute(sql`DELETE FROM classifier_models WHERE kind = 'category' AND id NOT IN (
      SELECT id FROM classifier_models WHERE kind = 'category' ORDER BY id DESC LIMIT ${KEEP_MODELS})`);
  await recordEvent(db, {
    type: 'classifier.trained',
    actor: input.actor,
    payload: { modelId: row.id, kind: 'category', source: input.source, trainedOn: input.examples.length, labels: labels.size, heldOutAccuracy },
    at: input.now,
  });
  return { modelId: row.id, trainedOn: input.examples.length, labels: labels.size, heldOutAccuracy };
}

/** The desk's own categorised tickets (newest first): subject plus the first message, labelled by category id. */
export async function ticketTrainingExamples(db: DbOrTx, limit = MAX_TRAINING_TICKETS): Promise<Example[]> {
  const { rows } = await db.execute<{ category_id: string; subject: string; body: string | null }>(sql`
    SELECT t.category_id::text AS category_id, t.subject,
           (SELECT m.body_text FROM messages m WHERE m.ticket_id = t.id AND m.kind = 'public' ORDER BY m.seq LIMIT 1) AS body
      FROM tickets t
      JOIN categories c ON c.id = t.category_id AND c.is_active
     WHERE t.merged_into_id IS NULL
     ORDER BY t.created_at DESC
     LIMIT ${limit}`);
  return rows.map((r) => ({ text: `${r.subject}\n${(r.body ?? '').slice(0, 2000)}`, label: r.category_id }));
}

const cache = new Map<number, NaiveBayesModel>();

/** The active model of a kind (parsed once per process and model). */
export async function activeCategoryModel(db: DbOrTx): Promise<StoredModel | null> {
  const [meta] = await db
    .select({
      id: classifierModels.id,
      source: classifierModels.source,
      trainedOn: classifierModels.trainedOn,
      labels: classifierModels.labels,
      heldOutAccuracy: classifierModels.heldOutAccuracy,
      createdAt: classifierModels.createdAt,
    })
    .from(classifierModels)
    .where(and(eq(classifierModels.kind, 'category'), eq(classifierModels.isActive, true)))
    .orderBy(desc(classifierModels.id))
    .limit(1);
  if (!meta) return null;
  let model = cache.get(meta.id);
  if (!model) {
    const [row] = await db.select({ model: classifierModels.model }).from(classifierModels).where(eq(classifierModels.id, meta.id));
    if (!row) return null;
    model = row.model as NaiveBayesModel;
    cache.clear();
    cache.set(meta.id, model);
  }
  return { ...meta, model };
}

export interface CategorySuggestion {
  categoryId: string | null;
  label: string;
  confidence: number;
}

/** Ranked category suggestions for a text; labels from a CSV model are matched to categories by name. */
export async function suggestCategories(db: DbOrTx, text: string, top = 3): Promise<{ model: StoredModel | null; suggestions: CategorySuggestion[] }> {
  const model = await activeCategoryModel(db);
  if (!model) return { model: null, suggestions: [] };
  const preds = predictNaiveBayes(model.model, text, top);
  const { rows: cats } = await db.execute<{ id: string; name: string }>(sql`SELECT id::text, name FROM categories WHERE is_active`);
  const byId = new Map(cats.map((c) => [c.id, c.name]));
  const byName = new Map(cats.map((c) => [c.name.toLowerCase(), c.id]));
  const suggestions = preds.map((p) => {
    if (model.source === 'tickets') return { categoryId: byId.has(p.label) ? p.label : null, label: byId.get(p.label) ?? p.label, confidence: Math.round(p.confidence * 1000) / 1000 };
    const id = byName.get(p.label.toLowerCase()) ?? null;
    return { categoryId: id, label: p.label, confidence: Math.round(p.confidence * 1000) / 1000 };
  });
  return { model, suggestions };
}

/** Scheduled retraining: trains from tickets when the last model is older than `everyMs` (or there is none). */
export async function retrainIfDue(db: DbOrTx, input: { now: Date; everyMs: number }): Promise<TrainResult | null> {
  const [last] = await db
    .select({ createdAt: classifierModels.createdAt, source: classifierModels.source })
    .from(classifierModels)
    .where(and(eq(classifierModels.kind, 'category'), eq(classifierModels.isActive, true)))
    .orderBy(desc(classifierModels.id))
    .limit(1);
  if (last && input.now.getTime() - last.createdAt.getTime() < input.everyMs) return null;
  const examples = await ticketTrainingExamples(db);
  if (examples.length < 20 || new Set(examples.map((e) => e.label)).size < 2) return null;
  return trainAndStoreCategoryModel(db, { examples, source: 'tickets', actor: { kind: 'system' }, now: input.now });
}
