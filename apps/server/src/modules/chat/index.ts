import type { FastifyInstance } from 'fastify';
import { registerTicketHook } from '../../platform/ticket-hooks.ts';
import { handleChatOfferHook, handleChatOfferSendHook } from './chat-offer.hook.ts';
import { sweepChats } from './chat-sweep.ts';
import { callbacksRoutes } from './callbacks.routes.ts';
import { chatsRoutes } from './chats.routes.ts';
import { widgetsRoutes } from './widgets.routes.ts';

registerTicketHook({ name: 'chat-offer', order: 150, handle: handleChatOfferHook });
registerTicketHook({ name: 'chat-offer-send', order: 10_000, handle: handleChatOfferSendHook });

/**
 * The staff side of live chat: widgets admin, the chat queue (offers, accept, escalation, end), callbacks and
 * call logs (see packages/contracts/src/chat.ts and docs/chat.md). Registered under /api/v1. Processes with the
 * `worker` role run the chat sweep every SEVA_CHAT_SWEEP_SECONDS.
 */
export async function chatModule(app: FastifyInstance): Promise<void> {
  const deps = app.deps;
  await app.register(widgetsRoutes);
  await app.register(chatsRoutes);
  await app.register(callbacksRoutes);
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  app.addHook('onReady', async () => {
    if (!deps.config.roles.includes('worker')) return;
    timer = setInterval(() => {
      if (running) return;
      running = sweepChats(deps.db, deps.clock.now())
        .catch((err: unknown) => app.log.error({ err }, 'chat: sweep failed'))
        .finally(() => {
          running = null;
        });
    }, deps.config.chatSweepSeconds * 1000);
  });
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
    if (running) await running;
  });
}

export { type ChatSweepResult, sweepChats } from './chat-sweep.ts';
export { acceptChat, declineChat, endChat, markChatRead, requeueChatsOf } from './chats.service.ts';
export { offerChat } from './offer-chat.ts';
export { offerQueuedChats } from './offer-queued-chats.ts';
export { type WidgetAvailability, widgetAvailability } from './widget-availability.ts';
export { widgetSnippet } from './widgets.service.ts';
export { createStaffChatActions } from './staff-chat-actions.ts';
export { getCallback, listCallbacks, updateCallback } from './callbacks.service.ts';
export { listCalls, logCall, MAX_CALLBACK_ATTEMPTS } from './calls.service.ts';
