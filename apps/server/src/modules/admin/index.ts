import type { FastifyInstance } from 'fastify';

/** The admin module: routes are registered here. */
export async function adminModule(app: FastifyInstance): Promise<void> {
  void app;
}
