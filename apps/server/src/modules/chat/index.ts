import type { FastifyInstance } from 'fastify';

/**
 * The staff side of live chat: widgets admin, the chat queue (offers, accept, escalation, end), callbacks and
 * call logs (see packages/contracts/src/chat.ts and docs/chat.md). Registered under /api/v1.
 */
export async function chatModule(_app: FastifyInstance): Promise<void> {}

export { type WidgetAvailability, widgetAvailability } from './widget-availability.ts';
