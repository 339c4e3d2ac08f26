import { ChatDetail, ChatList, ChatListQuery, ChatTranscriptBody, EndChatBody } from '@seva/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../platform/auth/authenticate.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { sendChatTranscript } from '../widget/index.ts';
import { listChats, loadChatDetail } from './chats.repository.ts';
import { acceptChat, declineChat, endChat, markChatRead } from './chats.service.ts';

const tags = ['chat'];
const Params = z.object({ ticketId: z.uuid() });
const ReadBody = z.object({ seq: z.number().int().min(0) }).strict();

/** The chat queue and chat actions for agents (packages/contracts/src/chat.ts). */
export async function chatsRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { deps } = app;
  const detail = async (actor: ReturnType<typeof requireActor>, ticketId: string) => {
    const d = await loadChatDetail(deps.db, { actor, ticketId, now: deps.clock.now() });
    if (!d) throw notFound('Chat');
    return d;
  };

  r.get('/chats', { config: { policy: 'tickets:read' }, schema: { tags, summary: 'Waiting and active chats (queue, mine or all)', querystring: ChatListQuery, response: { 200: ChatList } } }, async (req) => ({
    items: await listChats(deps.db, { actor: requireActor(req), scope: req.query.scope, now: deps.clock.now() }),
  }));
  r.get('/chats/:ticketId', { config: { policy: 'tickets:read' }, schema: { tags, summary: 'A chat with its visitor and earlier conversations', params: Params, response: { 200: ChatDetail } } }, async (req) =>
    detail(requireActor(req), req.params.ticketId),
  );
  r.post('/chats/:ticketId/accept', { config: { policy: 'tickets:reply' }, schema: { tags, summary: 'Take a waiting chat (409 when someone else was faster)', params: Params, response: { 200: ChatDetail } } }, async (req) => {
    const actor = requireActor(req);
    await acceptChat(deps, { actor, ticketId: req.params.ticketId });
    return detail(actor, req.params.ticketId);
  });
  r.post('/chats/:ticketId/decline', { config: { policy: 'tickets:reply' }, schema: { tags, summary: 'Let an offered chat pass to the next person', params: Params } }, async (req, reply) => {
    await declineChat(deps, { actor: requireActor(req), ticketId: req.params.ticketId });
    return reply.status(204).send();
  });
  r.post('/chats/:ticketId/end', { config: { policy: 'tickets:reply' }, schema: { tags, summary: 'End the chat (solve the ticket, or keep it open to continue by email)', params: Params, body: EndChatBody.nullish(), response: { 200: ChatDetail } } }, async (req) => {
    const actor = requireActor(req);
    await endChat(deps, { actor, ticketId: req.params.ticketId, keepOpen: req.body?.keepOpen ?? false });
    return detail(actor, req.params.ticketId);
  });
  r.post('/chats/:ticketId/read', { config: { policy: 'tickets:read' }, schema: { tags, summary: 'The agent side has read the chat up to seq', params: Params, body: ReadBody, response: { 200: z.object({ agentReadSeq: z.number().int() }) } } }, async (req) =>
    markChatRead(deps, { actor: requireActor(req), ticketId: req.params.ticketId, seq: req.body.seq }),
  );
  r.post('/chats/:ticketId/transcript', { config: { policy: 'tickets:reply' }, schema: { tags, summary: 'Email the transcript to the visitor (or to email)', params: Params, body: ChatTranscriptBody.nullish() } }, async (req, reply) => {
    const chat = await detail(requireActor(req), req.params.ticketId);
    const email = req.body?.email ?? chat.visitor.email;
    if (!email) throw new AppError('VALIDATION_FAILED', 'The visitor left no email address: give one', { errors: [{ path: 'email', message: 'required: the visitor has no email address' }] });
    await sendChatTranscript({ db: deps.db, config: deps.config }, { ticketId: chat.ticketId, email, now: deps.clock.now() });
    return reply.status(204).send();
  });
}
