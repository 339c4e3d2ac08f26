import type { FastifyInstance } from 'fastify';
import { messagesRoutes } from './messages.routes.ts';
import { ticketsRoutes } from './tickets.routes.ts';

/** The tickets module: tickets, their messages, merges, splits and collaborators. */
export async function ticketsModule(app: FastifyInstance): Promise<void> {
  await app.register(ticketsRoutes);
  await app.register(messagesRoutes);
}

// The module's public API for other modules (channels, portal, search …).
export { toCustomerVisibleMessages, isCustomerVisible, type CustomerVisibleMessage } from './customer-visible-messages.ts';
export { detectLanguage } from './detect-language.ts';
export { statusAfterCustomerReply, statusAfterAgentReply, canTransition } from './ticket-status.ts';
export { appendMessage, changeTicketStatus, messageBody } from './ticket-writes.ts';
export { createTicket } from './tickets.service.ts';
export { findVisibleTicket, ticketVisibleTo, loadMessageDtos, loadTicketDto } from './tickets.repository.ts';
export { sanitiseMessageHtml, htmlToText } from './sanitise-message-html.ts';
