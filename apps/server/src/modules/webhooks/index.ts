import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { createSecretBox, loadCredentialsKey, type SecretBox } from '../email/secret-box.ts';
import { deliverDueWebhooks } from './deliver-webhooks.ts';
import { fanOutWebhookEvents } from './fan-out-events.ts';
import { webhooksRoutes } from './webhooks.routes.ts';

const TICK_MS = 1000;

/** The desk's credentials box, opened on first use (the key may come from SEVA_SECRET or the data directory). */
export function webhookSecretBox(deps: Deps): SecretBox {
  let box: SecretBox | null = null;
  const get = () => {
    box ??= createSecretBox(loadCredentialsKey({ secret: deps.config.secret, dataDir: deps.config.dataDir }));
    return box;
  };
  return { seal: (p) => get().seal(p), open: (s) => get().open(s) };
}

/**
 * Outgoing webhooks: admin API under /api/v1 and, in processes with the `worker` role, the fan-out from the event
 * log and the sender (one tick a second). See docs/webhooks.md.
 */
export async function webhooksModule(app: FastifyInstance): Promise<void> {
  const deps = app.deps;
  const box = webhookSecretBox(deps);
  const allowLoopbackPorts = deps.config.unsafeAllowLoopbackPorts;
  await app.register(webhooksRoutes, { ctx: { box, allowLoopbackPorts } });

  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  app.addHook('onReady', async () => {
    if (!deps.config.roles.includes('worker')) return;
    const now = () => deps.clock.now();
    timer = setInterval(() => {
      if (running) return;
      running = (async () => {
        await fanOutWebhookEvents(deps.db, now());
        await deliverDueWebhooks({ db: deps.db, box, now, net: { allowLoopbackPorts, timeoutMs: 10_000 } });
      })()
        .catch((err: unknown) => app.log.error({ err }, 'webhooks: tick failed'))
        .finally(() => {
          running = null;
        });
    }, TICK_MS);
  });
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
    if (running) await running;
  });
}

export { deliverDueWebhooks } from './deliver-webhooks.ts';
export { fanOutWebhookEvents } from './fan-out-events.ts';
export { queueDelivery } from './webhooks.service.ts';
