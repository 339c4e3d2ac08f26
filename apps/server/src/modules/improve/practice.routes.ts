import {
  AttemptTurnBody,
  GenerateScenariosBody,
  ImproveIdParams,
  ListScenariosQuery,
  PracticeAttempt,
  PracticeProgress,
  PracticeQueue,
  PracticeScenarioList,
  ReviewAttemptBody,
  StartAttemptBody,
} from '@seva/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../platform/auth/authenticate.ts';
import {
  addTurn,
  generateScenarios,
  getAttempt,
  listScenarios,
  progress,
  reviewAttempt,
  reviewQueue,
  startAttempt,
  submitAttempt,
} from './practice.service.ts';

export async function practiceRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps = app.deps;
  const tags = ['practice'];

  r.post(
    '/practice/scenarios/generate',
    { config: { policy: 'improve:manage' }, schema: { tags, body: GenerateScenariosBody, response: { 200: z.object({ created: z.number().int() }) } } },
    async (req) => generateScenarios(deps, { actor: requireActor(req), ...req.body }),
  );
  r.get(
    '/practice/scenarios',
    { config: { policy: 'staff:read' }, schema: { tags, querystring: ListScenariosQuery, response: { 200: PracticeScenarioList } } },
    async (req) => listScenarios(deps, req.query),
  );
  r.post(
    '/practice/attempts',
    { config: { policy: 'staff:read' }, schema: { tags, body: StartAttemptBody, response: { 201: PracticeAttempt } } },
    async (req, reply) => reply.status(201).send(await startAttempt(deps, { actor: requireActor(req), ...req.body })),
  );
  r.get(
    '/practice/attempts/:id',
    { config: { policy: 'staff:read' }, schema: { tags, params: ImproveIdParams, response: { 200: PracticeAttempt } } },
    async (req) => getAttempt(deps, { actor: requireActor(req), id: req.params.id }),
  );
  r.post(
    '/practice/attempts/:id/turns',
    { config: { policy: 'staff:read' }, schema: { tags, params: ImproveIdParams, body: AttemptTurnBody, response: { 200: PracticeAttempt } } },
    async (req) => addTurn(deps, { actor: requireActor(req), id: req.params.id, text: req.body.text }),
  );
  r.post(
    '/practice/attempts/:id/submit',
    { config: { policy: 'staff:read' }, schema: { tags, params: ImproveIdParams, response: { 200: PracticeAttempt } } },
    async (req) => submitAttempt(deps, { actor: requireActor(req), id: req.params.id }),
  );
  r.post(
    '/practice/attempts/:id/review',
    { config: { policy: 'quality:review' }, schema: { tags, params: ImproveIdParams, body: ReviewAttemptBody, response: { 200: PracticeAttempt } } },
    async (req) => reviewAttempt(deps, { actor: requireActor(req), id: req.params.id, ...req.body }),
  );
  r.get(
    '/practice/review-queue',
    { config: { policy: 'quality:review' }, schema: { tags, response: { 200: PracticeQueue } } },
    async () => reviewQueue(deps),
  );
  r.get(
    '/practice/progress',
    { config: { policy: 'staff:read' }, schema: { tags, querystring: z.object({ traineeId: z.uuid().optional() }), response: { 200: PracticeProgress } } },
    async (req) => progress(deps, { actor: requireActor(req), traineeId: req.query.traineeId }),
  );
}
