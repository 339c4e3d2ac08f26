import type { FastifyRequest } from 'fastify';
import { safeEqual } from '../../platform/auth/tokens.ts';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * /metrics is readable by a direct loopback connection (a scraper on the same host) or with
 * `Authorization: Bearer <SEVA_METRICS_TOKEN>`. The socket address is used, not `req.ip`, because `trustProxy`
 * lets clients claim any address in X-Forwarded-For; and a request that came through a proxy (forwarding headers
 * present) is never treated as local, since a proxy on the same host makes every visitor look like loopback.
 */
export function mayReadMetrics(req: FastifyRequest, metricsToken: string | undefined): boolean {
  const auth = req.headers.authorization;
  if (metricsToken && typeof auth === 'string' && auth.startsWith('Bearer ')) {
    return safeEqual(auth.slice(7).trim(), metricsToken);
  }
  const proxied = req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined;
  return !proxied && LOOPBACK.has(req.socket.remoteAddress ?? '');
}
