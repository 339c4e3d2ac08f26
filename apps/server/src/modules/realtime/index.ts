import type { FastifyInstance } from 'fastify';

/** The realtime module: routes are registered here. */
export async function realtimeModule(app: FastifyInstance): Promise<void> {
  void app;
}
