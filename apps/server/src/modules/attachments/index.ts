import type { FastifyInstance } from 'fastify';

/** The attachments module: routes are registered here. */
export async function attachmentsModule(app: FastifyInstance): Promise<void> {
  void app;
}
