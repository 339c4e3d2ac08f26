import {
  SendWidgetMessageBody,
  StartConversationBody,
  StartConversationResult,
  TranscriptBody,
  WidgetConversation,
  WidgetConversationList,
  WidgetMessageList,
  WidgetPublicConfig,
  WidgetVisitor,
  WidgetVisitorBody,
} from '@seva/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import { endConversation, sendVisitorMessage, startConversation } from './conversations.service.ts';
import { findVisibleConversation, listVisibleConversations, scopeOf } from './conversations.repository.ts';
import { createRateLimiter, WIDGET_LIMITS } from './rate-limiter.ts';
import { sendChatTranscript } from './send-chat-transcript.ts';
import { requireVisitor } from './visitor-auth.ts';
import { startVisitor } from './visitors.service.ts';
import { conversationNotFound, tooMany, widgetNotFound } from './widget.errors.ts';
import { findActiveWidget } from './widget.repository.ts';
import { loadWidgetMessages } from './widget-messages.repository.ts';
import { toPublicConfig } from './widget-config.ts';

const PUBLIC = { policy: 'public' as const };
const tags = ['widget'];
const ConversationParams = z.object({ id: z.uuid() });
const messagesPerVisitor = createRateLimiter(WIDGET_LIMITS.messagesPerVisitor);
const transcriptsPerVisitor = createRateLimiter({ max: 5, windowMs: 60 * 60_000 });

/** Visitor HTTP API: config, visitors, conversations and their messages (see packages/contracts/src/widget.ts). */
export async function widgetRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps = app.deps;

  r.get(
    '/config',
    {
      config: PUBLIC,
      schema: {
        tags,
        querystring: z.object({ key: z.string().min(1).max(100) }),
        response: { 200: WidgetPublicConfig },
      },
    },
    async (req, reply) => {
      const widget = await findActiveWidget(deps.db, req.query.key);
      if (!widget) throw widgetNotFound();
      reply.header('cache-control', 'no-store');
      return toPublicConfig(deps, widget);
    },
  );

  r.post(
    '/visitors',
    { config: PUBLIC, schema: { tags, body: WidgetVisitorBody, response: { 200: WidgetVisitor } } },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return startVisitor(deps, { body: req.body, ip: req.ip, userAgent: req.headers['user-agent'] });
    },
  );

  r.get(
    '/conversations',
    { config: PUBLIC, schema: { tags, response: { 200: WidgetConversationList } } },
    async (req) => {
      const { visitor } = await requireVisitor(app, req);
      return { items: await listVisibleConversations(deps.db, scopeOf(visitor)) };
    },
  );

  r.post(
    '/conversations',
    { config: PUBLIC, schema: { tags, body: StartConversationBody, response: { 201: StartConversationResult } } },
    async (req, reply) => {
      const { visitor, widget } = await requireVisitor(app, req);
      const result = await startConversation(deps, { visitor, widget, body: req.body, ip: req.ip });
      return reply.status(201).send(result);
    },
  );

  r.get(
    '/conversations/:id/messages',
    {
      config: PUBLIC,
      schema: {
        tags,
        params: ConversationParams,
        querystring: z.object({ afterSeq: z.coerce.number().int().min(0).default(0) }),
        response: { 200: WidgetMessageList },
      },
    },
    async (req) => {
      const { visitor } = await requireVisitor(app, req);
      const found = await findVisibleConversation(deps.db, scopeOf(visitor), req.params.id);
      if (!found) throw conversationNotFound();
      return { items: await loadWidgetMessages(deps.db, { ticketId: found.ticket.id, afterSeq: req.query.afterSeq }) };
    },
  );

  r.post(
    '/conversations/:id/messages',
    {
      config: PUBLIC,
      schema: {
        tags,
        params: ConversationParams,
        body: SendWidgetMessageBody,
        response: { 200: StartConversationResult.shape.message, 201: StartConversationResult.shape.message },
      },
    },
    async (req, reply) => {
      const { visitor } = await requireVisitor(app, req);
      if (!messagesPerVisitor.take(visitor.id)) throw tooMany('messages');
      const sent = await sendVisitorMessage(deps, {
        scope: scopeOf(visitor),
        ticketId: req.params.id,
        clientId: req.body.clientId,
        body: req.body.body,
        attachmentIds: req.body.attachmentIds,
      });
      const [message] = await loadWidgetMessages(deps.db, { messageIds: [sent.messageId] });
      if (!message) throw new AppError('INTERNAL', 'the message vanished');
      return reply.status(sent.duplicate ? 200 : 201).send(message);
    },
  );

  r.post(
    '/conversations/:id/end',
    { config: PUBLIC, schema: { tags, params: ConversationParams, response: { 200: WidgetConversation } } },
    async (req) => {
      const { visitor } = await requireVisitor(app, req);
      return endConversation(deps, { scope: scopeOf(visitor), ticketId: req.params.id });
    },
  );

  r.post(
    '/conversations/:id/transcript',
    { config: PUBLIC, schema: { tags, params: ConversationParams, body: TranscriptBody } },
    async (req, reply) => {
      const { visitor } = await requireVisitor(app, req);
      const found = await findVisibleConversation(deps.db, scopeOf(visitor), req.params.id);
      if (!found) throw conversationNotFound();
      const email = req.body.email ?? visitor.email;
      if (!email) {
        throw new AppError('VALIDATION_FAILED', 'Some fields are not valid', {
          errors: [{ path: 'email', message: 'give the address to send the transcript to' }],
        });
      }
      if (!transcriptsPerVisitor.take(visitor.id)) throw tooMany('transcripts');
      await sendChatTranscript(deps, { ticketId: found.ticket.id, email, now: deps.clock.now() });
      return reply.status(202).send({ queued: true });
    },
  );
}
