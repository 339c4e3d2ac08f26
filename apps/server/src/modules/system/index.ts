import type { FastifyInstance } from 'fastify';

/** The system module: routes are registered here. */
export async function systemModule(app: FastifyInstance): Promise<void> {
  void app;
}
