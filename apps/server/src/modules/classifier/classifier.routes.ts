import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../platform/auth/authenticate.ts';
import { notFound } from '../../platform/errors.ts';
import { findVisibleTicket } from '../tickets/index.ts';
import { activeCategoryModel, suggestCategories, ticketTrainingExamples, trainAndStoreCategoryModel } from './classifier.service.ts';
import { sentimentOf } from './sentiment.ts';
import { sql } from 'drizzle-orm';

const ModelInfo = z.object({
  modelId: z.number(),
  source: z.string(),
  trainedOn: z.number(),
  labels: z.number(),
  heldOutAccuracy: z.number().nullable(),
  trainedAt: z.string(),
});
const Sentiment = z.object({ label: z.enum(['negative', 'neutral', 'positive']), score: z.number(), method: z.string() });

export async function classifierRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps = app.deps;
  const tags = ['classifier'];

  r.get(
    '/tickets/:id/category-suggestions',
    {
      config: { policy: 'tickets:read' },
      schema: {
        tags,
        params: z.object({ id: z.string().min(1).max(64) }),
        response: {
          200: z.object({
            model: ModelInfo.nullable(),
            suggestions: z.array(z.object({ categoryId: z.string().nullable(), label: z.string(), confidence: z.number() })),
          }),
        },
      },
    },
    async (req) => {
      const ticket = await findVisibleTicket(deps.db, requireActor(req), req.params.id);
      if (!ticket) throw notFound('ticket');
      const { rows } = await deps.db.execute<{ body: string | null }>(
        sql`SELECT body_text AS body FROM messages WHERE ticket_id = ${ticket.id} AND kind = 'public' ORDER BY seq LIMIT 1`,
      );
      const { model, suggestions } = await suggestCategories(deps.db, `${ticket.subject}\n${(rows[0]?.body ?? '').slice(0, 2000)}`);
      return {
        model: model
          ? { modelId: model.id, source: model.source, trainedOn: model.trainedOn, labels: model.labels, heldOutAccuracy: model.heldOutAccuracy, trainedAt: model.createdAt.toISOString() }
          : null,
        suggestions,
      };
    },
  );

  r.post(
    '/classifier/train',
    { config: { policy: 'categories:manage' }, schema: { tags, response: { 200: ModelInfo.omit({ source: true, trainedAt: true }) } } },
    async (req) => {
      const examples = await ticketTrainingExamples(deps.db);
      return deps.db.transaction((tx) => trainAndStoreCategoryModel(tx, { examples, source: 'tickets', actor: requireActor(req), now: deps.clock.now() }));
    },
  );

  r.get('/classifier/model', { config: { policy: 'tickets:read' }, schema: { tags, response: { 200: z.object({ model: ModelInfo.nullable() }) } } }, async () => {
    const m = await activeCategoryModel(deps.db);
    return {
      model: m ? { modelId: m.id, source: m.source, trainedOn: m.trainedOn, labels: m.labels, heldOutAccuracy: m.heldOutAccuracy, trainedAt: m.createdAt.toISOString() } : null,
    };
  });

  r.post(
    '/classifier/sentiment',
    { config: { policy: 'tickets:read' }, schema: { tags, body: z.object({ text: z.string().max(20_000) }).strict(), response: { 200: Sentiment } } },
    async (req) => sentimentOf(req.body.text),
  );
}
