import type { FastifyReply, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Deps } from '../../platform/deps.ts';
import { findRealtimeHub } from '../../platform/realtime/index.ts';

export interface AppMetrics {
  registry: Registry;
  observeResponse(req: FastifyRequest, reply: FastifyReply): void;
}

/**
 * Prometheus metrics for one app instance, on its own Registry (several apps in one process must not clash):
 * process defaults, HTTP request durations by route pattern, WebSocket connections, the realtime listener and the
 * database pool.
 */
export function createAppMetrics(deps: Deps): AppMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ app: 'seva' });
  collectDefaultMetrics({ register: registry });

  const httpDuration = new Histogram({
    name: 'seva_http_request_duration_seconds',
    help: 'HTTP request duration by route pattern, method and status code',
    labelNames: ['route', 'method', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  new Gauge({
    name: 'seva_websocket_connections',
    help: 'Open realtime WebSocket connections by staff role',
    labelNames: ['role'] as const,
    registers: [registry],
    collect() {
      this.reset();
      const hub = findRealtimeHub(deps);
      if (!hub) return;
      for (const [role, count] of Object.entries(hub.stats().byRole)) this.set({ role }, count);
    },
  });

  new Gauge({
    name: 'seva_realtime_listener_up',
    help: '1 when the realtime hub is listening on PostgreSQL, 0 while it reconnects (absent without the realtime role)',
    registers: [registry],
    collect() {
      this.reset();
      const hub = findRealtimeHub(deps);
      if (hub) this.set(hub.listenerState === 'listening' ? 1 : 0);
    },
  });

  new Gauge({
    name: 'seva_db_pool_connections',
    help: 'Database pool connections by state',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const pool = deps.database.pool;
      this.set({ state: 'total' }, pool.totalCount);
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'waiting' }, pool.waitingCount);
    },
  });

  return {
    registry,
    observeResponse(req, reply) {
      // the route pattern, never the raw URL, so ids and query strings do not explode the label set
      const route = req.routeOptions.url ?? 'unmatched';
      httpDuration.observe(
        { route, method: req.method, status_code: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    },
  };
}
