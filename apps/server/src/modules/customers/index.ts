import type { FastifyInstance } from 'fastify';

/** The customers module: routes are registered here. */
export async function customersModule(app: FastifyInstance): Promise<void> {
  void app;
}
