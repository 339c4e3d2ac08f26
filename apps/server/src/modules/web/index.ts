import type { FastifyInstance } from 'fastify';

/** The web module: routes are registered here. */
export async function webModule(app: FastifyInstance): Promise<void> {
  void app;
}
