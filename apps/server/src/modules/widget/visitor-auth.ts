import { VISITOR_TOKEN_HEADER } from '@seva/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.ts';
import { isAllowedOrigin } from '../../platform/realtime/index.ts';
import { visitorUnauthorised } from './widget.errors.ts';
import { findVisitorByToken, type VisitorRow, type WidgetRow } from './widget.repository.ts';

/** The visitor behind the `x-seva-visitor` header (SHA-256 → chat_visitors.token_hash), else 401. */
export async function requireVisitor(
  app: FastifyInstance,
  req: FastifyRequest,
): Promise<{ visitor: VisitorRow; widget: WidgetRow }> {
  const raw = req.headers[VISITOR_TOKEN_HEADER];
  if (typeof raw !== 'string' || raw === '') throw visitorUnauthorised();
  const found = await findVisitorByToken(app.deps.db, raw);
  if (!found) throw visitorUnauthorised();
  return found;
}

/**
 * The widget frame is served by Seva, so every visitor request (HTTP and the socket upgrade) comes from Seva's own
 * origin; a browser request from any other origin is refused (host pages never talk to /widget/v1 directly).
 */
export function isSevaOrigin(app: FastifyInstance, req: FastifyRequest): boolean {
  const forwarded = req.headers['x-forwarded-host'];
  return isAllowedOrigin({
    origin: req.headers.origin,
    host: req.headers.host,
    forwardedHost: typeof forwarded === 'string' ? forwarded.split(',')[0]?.trim() : undefined,
    publicUrl: app.deps.config.publicUrl,
  });
}

export function registerOriginGuard(app: FastifyInstance): void {
  app.addHook('onRequest', async (req) => {
    if (!isSevaOrigin(app, req))
      throw new AppError('FORBIDDEN', 'The widget API answers only the widget frame served by Seva');
  });
}
