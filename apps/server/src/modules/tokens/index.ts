import type { FastifyInstance } from 'fastify';

/** The tokens module: routes are registered here. */
export async function tokensModule(app: FastifyInstance): Promise<void> {
  void app;
}
