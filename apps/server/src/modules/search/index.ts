import type { FastifyInstance } from 'fastify';
import { searchRoutes } from './search.routes.ts';

/** The search module: tickets (subjects, messages, internal notes) and customers, in English, Bengali and Hindi. */
export async function searchModule(app: FastifyInstance): Promise<void> {
  await app.register(searchRoutes);
}

export { buildSnippet, escapeHtml } from './snippet.ts';
