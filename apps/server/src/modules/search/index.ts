import type { FastifyInstance } from 'fastify';

/** The search module: routes are registered here. */
export async function searchModule(app: FastifyInstance): Promise<void> {
  void app;
}
