import type { FastifyInstance } from 'fastify';
import { messagesRoutes } from './messages.routes.ts';
import { ticketsRoutes } from './tickets.routes.ts';

/** The tickets module: tickets, their messages, merges, splits and collaborators. */
export async function ticketsModule(app: FastifyInstance): Promise<void> {
  await app.register(ticketsRoutes);
  await app.register(messagesRoutes);
}

// The module's public API for other modules (channels, portal, search …).
export {
  type CustomerVisibleMessage,
  isCustomerVisible,
  toCustomerVisibleMessages,
} from './customer-visible-messages.ts';
export { detectLanguage } from './detect-language.ts';
export { insertTicketRow, type NewTicketRow } from './insert-ticket-row.ts';
export { postMessage } from './messages.service.ts';
export { htmlToText, sanitiseMessageHtml } from './sanitise-message-html.ts';
export { canTransition, statusAfterAgentReply, statusAfterCustomerReply } from './ticket-status.ts';
export { appendMessage, changeTicketStatus, messageBody, recordCustomerMessage } from './ticket-writes.ts';
export { findVisibleTicket, loadMessageDtos, loadTicketDto, ticketVisibleTo } from './tickets.repository.ts';
export { createTicket } from './tickets.service.ts';
