import type { FastifyInstance } from 'fastify';
import { macrosRoutes } from './macros.routes.ts';

/** Macros and canned replies under /api/v1. See docs/macros.md. */
export async function macrosModule(app: FastifyInstance): Promise<void> {
  await app.register(macrosRoutes);
}
