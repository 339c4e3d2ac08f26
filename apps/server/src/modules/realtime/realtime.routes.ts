import { RealtimeQuery } from '@seva/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { requireActor } from '../../platform/auth/authenticate.ts';
import { sha256Hex } from '../../platform/auth/tokens.ts';
import { AppError } from '../../platform/errors.ts';
import { isAllowedOrigin, type RealtimeCredential, type RealtimeHub } from '../../platform/realtime/index.ts';

/** GET /realtime — a WebSocket that announces events on tickets the staff member may see (see docs/api.md). */
export function registerRealtimeRoutes(app: FastifyInstance, hub: RealtimeHub): void {
  app.route({
    method: 'GET',
    url: '/realtime',
    config: { policy: 'authenticated', queryToken: true },
    schema: { querystring: RealtimeQuery, hide: true },
    onRequest: async (req) => {
      const forwarded = req.headers['x-forwarded-host'];
      const allowed = isAllowedOrigin({
        origin: req.headers.origin,
        host: req.headers.host,
        forwardedHost: typeof forwarded === 'string' ? forwarded.split(',')[0]?.trim() : undefined,
        publicUrl: app.deps.config.publicUrl,
      });
      if (!allowed) throw new AppError('FORBIDDEN', 'This origin may not open a realtime connection');
    },
    handler: async () => {
      throw new AppError('BAD_REQUEST', 'Connect with a WebSocket (Upgrade: websocket)');
    },
    wsHandler: (socket: WebSocket, req: FastifyRequest) => {
      const actor = requireActor(req);
      const credential = credentialOf(req);
      if (!credential) {
        socket.close(1008, 'unauthenticated');
        return;
      }
      const { since } = req.query as RealtimeQuery;
      hub.attach(socket, actor, credential, since === undefined ? {} : { since });
    },
  });
}

function credentialOf(req: FastifyRequest): RealtimeCredential | null {
  if (req.actor?.via === 'session' && req.sessionIdHash) return { kind: 'session', idHash: req.sessionIdHash };
  if (req.actor?.via === 'token') {
    const header = req.headers.authorization;
    const raw =
      typeof header === 'string' && header.startsWith('Bearer ')
        ? header.slice(7).trim()
        : (req.query as RealtimeQuery).token;
    if (raw) return { kind: 'token', tokenHash: sha256Hex(raw) };
  }
  return null;
}
