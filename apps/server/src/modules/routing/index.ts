import type { FastifyInstance } from 'fastify';
import { registerTicketHook } from '../../platform/ticket-hooks.ts';
import { routingRoutes } from './routing.routes.ts';
import { handleMentions } from './mentions.ts';
import { handleRoutingHook } from './routing-hook.ts';
import { sweepFollowups } from './teamwork.service.ts';

registerTicketHook({ name: 'routing', order: 100, handle: handleRoutingHook });
registerTicketHook({ name: 'mentions', order: 110, handle: handleMentions });

/** Routing and teamwork: rules and assignment (ticket hook, order 100), transfers and follow-ups, under /api/v1. See docs/routing.md. */
export async function routingModule(app: FastifyInstance): Promise<void> {
  const deps = app.deps;
  await app.register(routingRoutes);
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  app.addHook('onReady', async () => {
    if (!deps.config.roles.includes('worker')) return;
    timer = setInterval(() => {
      if (running) return;
      running = sweepFollowups(deps.db, deps.clock.now())
        .catch((err: unknown) => app.log.error({ err }, 'routing: follow-up sweep failed'))
        .finally(() => {
          running = null;
        });
    }, deps.config.followupSweepSeconds * 1000);
  });
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
    if (running) await running;
  });
}

export { sweepFollowups } from './teamwork.service.ts';
