import type { FastifyInstance } from 'fastify';
import { AppError } from '../../platform/errors.ts';
import { findRealtimeHub } from '../../platform/realtime/index.ts';
import type { AppMetrics } from './metrics.ts';
import { mayReadMetrics } from './metrics-access.ts';

const HEALTH_DB_TIMEOUT_MS = 2000;

/** GET /health and GET /metrics, at the root (not under /api/v1): for load balancers and Prometheus. */
export function registerSystemRoutes(app: FastifyInstance, metrics: AppMetrics): void {
  app.get('/health', async (_req, reply) => {
    const database = (await databaseAnswers(app)) ? 'ok' : 'down';
    const hub = findRealtimeHub(app.deps);
    const realtime = hub ? (hub.listenerState === 'listening' ? 'ok' : 'down') : 'off';
    reply.header('cache-control', 'no-store');
    return reply
      .status(database === 'ok' ? 200 : 503)
      .send({ status: database === 'ok' ? 'ok' : 'error', database, realtime });
  });

  app.get('/metrics', async (req, reply) => {
    if (!mayReadMetrics(req, app.deps.config.metricsToken)) {
      throw new AppError(
        'FORBIDDEN',
        'Metrics are readable from this host, or with Authorization: Bearer <SEVA_METRICS_TOKEN>',
      );
    }
    const body = await metrics.registry.metrics();
    return reply.header('cache-control', 'no-store').type(metrics.registry.contentType).send(body);
  });
}

async function databaseAnswers(app: FastifyInstance): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('database health check timed out')), HEALTH_DB_TIMEOUT_MS);
    });
    await Promise.race([app.deps.database.pool.query('SELECT 1'), timeout]);
    return true;
  } catch (err) {
    app.log.warn({ err }, 'health check: the database does not answer');
    return false;
  } finally {
    if (timer) clearTimeout(timer);
  }
}
