import type { FastifyInstance } from 'fastify';
import { collectNotifications } from './collect-notifications.ts';
import { notificationsRoutes } from './notifications.routes.ts';

/** how often a worker reads the event log for new notifications */
const POLL_MS = 1000;

/**
 * The notification centre (the bell in the agent app): worker processes turn mentions, SLA warnings and breaches,
 * rule notifications, spike alerts, bad-rating follow-ups and quality reviews from the event log into per-person
 * notifications; the API lists them and marks them read. See docs/insights.md ("Notification centre").
 */
export async function notificationsModule(app: FastifyInstance): Promise<void> {
  await app.register(notificationsRoutes);
  const deps = app.deps;
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  app.addHook('onReady', async () => {
    if (!deps.config.roles.includes('worker')) return;
    timer = setInterval(() => {
      if (running) return;
      running = true;
      collectNotifications(deps.database.pool, deps.clock.now())
        .catch((err: unknown) => app.log.error({ err }, 'notifications: reading the event log failed'))
        .finally(() => {
          running = false;
        });
    }, POLL_MS);
  });
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
    while (running) await new Promise((r) => setTimeout(r, 20));
  });
}

export { collectNotifications } from './collect-notifications.ts';
