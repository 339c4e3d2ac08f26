import type { FastifyInstance } from 'fastify';

/** The staff module: routes are registered here. */
export async function staffModule(app: FastifyInstance): Promise<void> {
  void app;
}
