import { WIDGET_CLOSE, WidgetClientMessage } from '@seva/contracts';
import { eq } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { chatVisitors } from '../../platform/db/schema/index.ts';
import { AppError } from '../../platform/errors.ts';
import { publishChatSignal } from '../../platform/realtime/chat-signals.ts';
import { findVisibleConversation, openChatIds, scopeOf } from './conversations.repository.ts';
import { markVisitorRead, sendVisitorMessage } from './conversations.service.ts';
import { isSevaOrigin } from './visitor-auth.ts';
import { findVisitorByToken, type VisitorRow } from './widget.repository.ts';
import { MAX_SUBSCRIPTIONS, type VisitorConnection, type WidgetHub } from './widget-hub.ts';

const SocketQuery = z.object({ key: z.string().min(1).max(100), token: z.string().min(1).max(200) });
const MAX_FRAME_CHARS = 32 * 1024;
const TOUCH_EVERY_MS = 10_000;
const TYPING_REPEAT_MS = 2_000;

declare module 'fastify' {
  interface FastifyRequest {
    widgetVisitor?: VisitorRow | null;
  }
}

/** GET /widget/v1/socket?key=&token= — the visitor's WebSocket (protocol in packages/contracts/src/widget.ts). */
export function registerWidgetSocket(app: FastifyInstance, hub: WidgetHub): void {
  const deps = app.deps;
  app.route({
    method: 'GET',
    url: '/socket',
    config: { policy: 'public' },
    schema: { querystring: SocketQuery, hide: true },
    preHandler: async (req) => {
      const q = req.query as z.infer<typeof SocketQuery>;
      const found = await findVisitorByToken(deps.db, q.token);
      req.widgetVisitor = found && found.widget.publicKey === q.key ? found.visitor : null;
    },
    handler: async () => {
      throw new AppError('BAD_REQUEST', 'Connect with a WebSocket (Upgrade: websocket)');
    },
    wsHandler: (socket: WebSocket, req: FastifyRequest) => {
      if (!isSevaOrigin(app, req)) {
        socket.close(1008, 'origin not allowed');
        return;
      }
      const visitor = req.widgetVisitor;
      if (!visitor) {
        socket.close(WIDGET_CLOSE.unauthorised, 'unknown visitor');
        return;
      }
      const conn = hub.newConnection(socket, scopeOf(visitor), visitor.name || null);
      socket.on('pong', () => {
        conn.alive = true;
      });
      socket.on('message', (raw: Buffer) => {
        conn.alive = true;
        if (!conn.frames.take()) {
          if (!hub.refuse(conn))
            hub.send(conn, { type: 'error', code: 'RATE_LIMITED', message: 'Slow down: too many frames' });
          return;
        }
        conn.inbox = conn.inbox
          .then(() => handleFrame(app, hub, conn, raw.toString('utf8')))
          .catch((err: unknown) => {
            app.log.error({ err }, 'widget: a visitor frame failed');
            hub.send(conn, { type: 'error', code: 'INTERNAL', message: 'Something went wrong' });
          });
      });
      socket.on('close', () => hub.remove(conn));
      hub.add(conn);
    },
  });
}

async function handleFrame(app: FastifyInstance, hub: WidgetHub, conn: VisitorConnection, text: string): Promise<void> {
  const deps = app.deps;
  if (text.length > MAX_FRAME_CHARS) {
    hub.send(conn, { type: 'error', code: 'PAYLOAD_TOO_LARGE', message: 'The frame is too large' });
    return;
  }
  let parsed: WidgetClientMessage;
  try {
    const raw: unknown = JSON.parse(text);
    const r = WidgetClientMessage.safeParse(raw);
    if (!r.success) {
      const issue = r.error.issues[0];
      const { clientId, conversationId } = (raw ?? {}) as { clientId?: unknown; conversationId?: unknown };
      hub.send(conn, {
        type: 'error',
        code: 'VALIDATION_FAILED',
        message: `${issue?.path.join('.') || 'frame'}: ${issue?.message ?? 'invalid'}`,
        ...(typeof clientId === 'string' ? { clientId: clientId.slice(0, 100) } : {}),
        ...(typeof conversationId === 'string' ? { conversationId: conversationId.slice(0, 40) } : {}),
      });
      return;
    }
    parsed = r.data;
  } catch {
    hub.send(conn, { type: 'error', code: 'BAD_REQUEST', message: 'Frames are JSON' });
    return;
  }
  switch (parsed.type) {
    case 'ping': {
      hub.send(conn, { type: 'pong' });
      const now = Date.now();
      if (now - conn.lastTouchAt >= TOUCH_EVERY_MS) {
        conn.lastTouchAt = now;
        await hub.touch([conn.scope.id]);
      }
      return;
    }
    case 'subscribe': {
      const found = await findVisibleConversation(deps.db, conn.scope, parsed.conversationId);
      if (!found) {
        hub.send(conn, {
          type: 'error',
          code: 'NOT_FOUND',
          message: 'Conversation not found',
          conversationId: parsed.conversationId,
        });
        return;
      }
      if (!conn.subs.has(found.ticket.id) && conn.subs.size >= MAX_SUBSCRIPTIONS) {
        hub.send(conn, {
          type: 'error',
          code: 'RATE_LIMITED',
          message: 'Too many conversations on one connection',
          conversationId: parsed.conversationId,
        });
        return;
      }
      await hub.subscribe(conn, found.ticket.id, parsed.afterSeq);
      return;
    }
    case 'message': {
      if (!conn.bucket.take()) {
        if (!hub.refuse(conn)) {
          hub.send(conn, {
            type: 'error',
            code: 'RATE_LIMITED',
            message: 'Slow down: too many messages',
            clientId: parsed.clientId,
            conversationId: parsed.conversationId,
          });
        }
        return;
      }
      try {
        const sent = await sendVisitorMessage(deps, {
          scope: conn.scope,
          ticketId: parsed.conversationId,
          clientId: parsed.clientId,
          body: parsed.body,
          attachmentIds: parsed.attachmentIds,
        });
        hub.send(conn, {
          type: 'ack',
          conversationId: parsed.conversationId,
          clientId: parsed.clientId,
          seq: sent.seq,
          messageId: sent.messageId,
        });
        hub.pushNew(conn, parsed.conversationId, sent.seq);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        const detail = err.errors?.[0];
        hub.send(conn, {
          type: 'error',
          code: err.code,
          message: detail ? `${detail.path}: ${detail.message}` : err.message,
          clientId: parsed.clientId,
          conversationId: parsed.conversationId,
        });
      }
      return;
    }
    case 'typing': {
      if (!conn.subs.has(parsed.conversationId)) return;
      // the same state again within a moment says nothing new
      const prev = conn.typing.get(parsed.conversationId);
      const now = Date.now();
      if (prev && prev.isTyping === parsed.isTyping && now - prev.at < TYPING_REPEAT_MS) return;
      conn.typing.set(parsed.conversationId, { isTyping: parsed.isTyping, at: now });
      await publishChatSignal(deps.database.pool, {
        kind: 'typing',
        ticketId: parsed.conversationId,
        from: 'visitor',
        name: conn.name,
        isTyping: parsed.isTyping,
      });
      return;
    }
    case 'read': {
      try {
        await markVisitorRead(deps, { scope: conn.scope, ticketId: parsed.conversationId, seq: parsed.seq });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        hub.send(conn, { type: 'error', code: err.code, message: err.message, conversationId: parsed.conversationId });
      }
      return;
    }
    case 'page': {
      const now = deps.clock.now();
      await deps.db
        .update(chatVisitors)
        .set({
          lastPageUrl: parsed.page.url ?? null,
          lastPageTitle: parsed.page.title ?? null,
          ...(parsed.page.referrer !== undefined ? { referrer: parsed.page.referrer } : {}),
          lastSeenAt: now,
        })
        .where(eq(chatVisitors.id, conn.scope.id));
      const ticketIds = await openChatIds(deps.db, conn.scope.id);
      await publishChatSignal(deps.database.pool, {
        kind: 'page',
        visitorId: conn.scope.id,
        ticketIds,
        url: parsed.page.url ?? null,
        title: parsed.page.title ?? null,
      });
      return;
    }
  }
}
