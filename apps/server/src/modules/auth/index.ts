import type { FastifyInstance } from 'fastify';

/** The auth module: routes are registered here. */
export async function authModule(app: FastifyInstance): Promise<void> {
  void app;
}
