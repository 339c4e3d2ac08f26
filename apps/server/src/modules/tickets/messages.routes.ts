import {
  CreateMessageBody,
  Message,
  MessageList,
  MessageParams,
  RejectMessageBody,
  TicketIdParams,
} from '@seva/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireActor } from '../../platform/auth/authenticate.ts';
import { approveMessage, listTicketMessages, postMessage, rejectMessage } from './messages.service.ts';

const tags = ['messages'];

export async function messagesRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps = app.deps;

  r.get(
    '/tickets/:id/messages',
    {
      config: { policy: 'tickets:read' },
      schema: {
        tags,
        summary: 'The conversation of a ticket, in order',
        params: TicketIdParams,
        response: { 200: MessageList },
      },
    },
    async (req) => ({ items: await listTicketMessages(deps, { actor: requireActor(req), ref: req.params.id }) }),
  );

  // tickets:reply for public replies and tickets:note for internal notes are checked by the service.
  r.post(
    '/tickets/:id/messages',
    {
      config: { policy: 'tickets:read' },
      schema: {
        tags,
        summary: 'Reply or add an internal note',
        params: TicketIdParams,
        body: CreateMessageBody,
        response: { 201: Message },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await postMessage(deps, { actor: requireActor(req), ref: req.params.id, body: req.body })),
  );

  r.post(
    '/tickets/:id/messages/:messageId/approve',
    {
      config: { policy: 'messages:approve' },
      schema: {
        tags,
        summary: 'Let a reply waiting for approval go out',
        params: MessageParams,
        response: { 200: Message },
      },
    },
    async (req) =>
      approveMessage(deps, { actor: requireActor(req), ref: req.params.id, messageId: req.params.messageId }),
  );

  r.post(
    '/tickets/:id/messages/:messageId/reject',
    {
      config: { policy: 'messages:approve' },
      schema: {
        tags,
        summary: 'Stop a reply waiting for approval',
        params: MessageParams,
        body: RejectMessageBody,
        response: { 200: Message },
      },
    },
    async (req) =>
      rejectMessage(deps, {
        actor: requireActor(req),
        ref: req.params.id,
        messageId: req.params.messageId,
        reason: req.body?.reason,
      }),
  );
}
