import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { createAppMetrics } from './metrics.ts';
import { registerSystemRoutes } from './system.routes.ts';

/**
 * The system module: GET /health and GET /metrics at the root. Not encapsulated, so its onResponse hook times
 * every route registered after it (app.ts registers it before the API).
 */
export const systemModule = fp(
  async (app: FastifyInstance) => {
    const metrics = createAppMetrics(app.deps);
    app.addHook('onResponse', async (req, reply) => {
      metrics.observeResponse(req, reply);
    });
    registerSystemRoutes(app, metrics);
  },
  { name: 'seva-system' },
);
