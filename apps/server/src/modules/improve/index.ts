import type { FastifyInstance } from 'fastify';
import { improveRoutes } from './improve.routes.ts';
import { practiceRoutes } from './practice.routes.ts';
import { recognitionRoutes } from './recognition.routes.ts';
import './recognition.hook.ts';

/**
 * Improve (issue 9): action plans from hot buttons with before/after volumes and one-click customer notices,
 * playbooks per complaint (generated drafts, shown on tickets, printable handbook), kudos, and recognition points
 * for quality (a ticket hook keeps the ledger). See docs/improve.md.
 */
export async function improveModule(app: FastifyInstance): Promise<void> {
  await app.register(improveRoutes);
  await app.register(recognitionRoutes);
  await app.register(practiceRoutes);
}
