import type { FastifyInstance } from 'fastify';
import { registerTicketHook } from '../../platform/ticket-hooks.ts';
import { automationsRoutes } from './automations.routes.ts';
import { handleTriggerHook, runAutomations } from './run-rules.ts';

/** how often a worker runs the timed automations */
const AUTOMATIONS_EVERY_MS = 60_000;

registerTicketHook({ name: 'triggers', order: 300, handle: handleTriggerHook });

/**
 * Triggers (ticket hook, order 300, in the ticket's transaction) and timed automations (worker, each minute), with
 * the admin API and the execution log under /api/v1. See docs/automations.md.
 */
export async function automationsModule(app: FastifyInstance): Promise<void> {
  const deps = app.deps;
  await app.register(automationsRoutes);
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  app.addHook('onReady', async () => {
    if (!deps.config.roles.includes('worker')) return;
    timer = setInterval(() => {
      if (running) return;
      running = runAutomations(deps.db, deps.clock.now())
        .catch((err: unknown) => app.log.error({ err }, 'automations: run failed'))
        .finally(() => {
          running = null;
        });
    }, AUTOMATIONS_EVERY_MS);
  });
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
    if (running) await running;
  });
}

export { runAutomations } from './run-rules.ts';
