import type { FastifyInstance } from 'fastify';
import { registerTicketHook } from '../../platform/ticket-hooks.ts';
import { handleSlaHook } from './sla-clocks.ts';
import { slaRoutes } from './sla.routes.ts';
import { sweepSlaClocks } from './sla-sweep.ts';

registerTicketHook({ name: 'sla', order: 200, handle: handleSlaHook });

/**
 * SLAs: calendars, policies and per-ticket clocks (kept by the ticket hook, order 200), the API under /api/v1, and in
 * processes with the `worker` role the sweep that records warnings and breaches and runs escalations. See docs/sla.md.
 */
export async function slaModule(app: FastifyInstance): Promise<void> {
  const deps = app.deps;
  await app.register(slaRoutes);
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  app.addHook('onReady', async () => {
    if (!deps.config.roles.includes('worker')) return;
    timer = setInterval(() => {
      if (running) return;
      running = sweepSlaClocks(deps.db, deps.clock.now())
        .catch((err: unknown) => app.log.error({ err }, 'sla: sweep failed'))
        .finally(() => {
          running = null;
        });
    }, deps.config.slaSweepSeconds * 1000);
  });
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
    if (running) await running;
  });
}

export { addBusinessMinutes, businessMinutesBetween, type Calendar } from './business-time.ts';
export { sweepSlaClocks } from './sla-sweep.ts';
