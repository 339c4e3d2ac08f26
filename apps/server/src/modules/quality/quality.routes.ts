import {
  CreateReviewBody,
  CreateScorecardBody,
  QualityReview,
  QualityReviewList,
  QualityReviewsQuery,
  QualitySample,
  QualitySampleQuery,
  QualityScorecard,
  QualityScorecardList,
  QualitySummary,
  UpdateScorecardBody,
} from '@seva/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../platform/auth/authenticate.ts';
import {
  createReview,
  createScorecard,
  listReviews,
  listScorecards,
  qualitySummary,
  sampleForReview,
  updateScorecard,
} from './quality.service.ts';

export async function qualityRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps = app.deps;
  const tags = ['quality'];

  r.get(
    '/quality/scorecards',
    { config: { policy: 'authenticated' }, schema: { tags, response: { 200: QualityScorecardList } } },
    async () => listScorecards(deps),
  );

  r.post(
    '/quality/scorecards',
    {
      config: { policy: 'quality:review' },
      schema: { tags, body: CreateScorecardBody, response: { 201: QualityScorecard } },
    },
    async (req, reply) =>
      reply.status(201).send(await createScorecard(deps, { actor: requireActor(req), body: req.body })),
  );

  r.patch(
    '/quality/scorecards/:id',
    {
      config: { policy: 'quality:review' },
      schema: {
        tags,
        params: z.object({ id: z.uuid() }),
        body: UpdateScorecardBody,
        response: { 200: QualityScorecard },
      },
    },
    async (req) => updateScorecard(deps, { actor: requireActor(req), id: req.params.id, body: req.body }),
  );

  r.post(
    '/quality/reviews',
    {
      config: { policy: 'quality:review' },
      schema: { tags, body: CreateReviewBody, response: { 201: QualityReview } },
    },
    async (req, reply) =>
      reply.status(201).send(await createReview(deps, { actor: requireActor(req), body: req.body })),
  );

  r.get(
    '/quality/reviews',
    {
      config: { policy: 'authenticated' },
      schema: { tags, querystring: QualityReviewsQuery, response: { 200: QualityReviewList } },
    },
    async (req) => listReviews(deps, { actor: requireActor(req), ...req.query }),
  );

  r.get(
    '/quality/sample',
    {
      config: { policy: 'quality:review' },
      schema: { tags, querystring: QualitySampleQuery, response: { 200: QualitySample } },
    },
    async (req) => sampleForReview(deps, req.query),
  );

  r.get(
    '/quality/summary',
    {
      config: { policy: 'quality:review' },
      schema: {
        tags,
        querystring: z.object({ days: z.coerce.number().int().min(1).max(365).default(30) }),
        response: { 200: QualitySummary },
      },
    },
    async (req) => qualitySummary(deps, req.query),
  );
}
