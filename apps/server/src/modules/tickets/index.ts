import type { FastifyInstance } from 'fastify';

/** The tickets module: routes are registered here. */
export async function ticketsModule(app: FastifyInstance): Promise<void> {
  void app;
}
