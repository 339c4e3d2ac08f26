import type { FastifyInstance } from 'fastify';
import { qualityRoutes } from './quality.routes.ts';

/** Quality reviews: scorecards with weighted criteria, supervisor reviews, random samples per agent. */
export async function qualityModule(app: FastifyInstance): Promise<void> {
  await app.register(qualityRoutes);
}
