import type { FastifyInstance } from 'fastify';
import { improveRoutes } from './improve.routes.ts';
import { practiceRoutes } from './practice.routes.ts';
import { recognitionRoutes } from './recognition.routes.ts';
import './recognition.hook.ts';
import { createRelayTransport } from '../email/send-email.job.ts';
import { sendWeeklyDigests } from './send-weekly-digests.ts';

/** how often a worker checks whether this week's digests are due */
const DIGEST_CHECK_MS = 15 * 60_000;

/**
 * Improve (issue 9): action plans from hot buttons with before/after volumes and one-click customer notices,
 * playbooks per complaint (generated drafts, shown on tickets, printable handbook), kudos, and recognition points
 * for quality (a ticket hook keeps the ledger). See docs/improve.md.
 */
export async function improveModule(app: FastifyInstance): Promise<void> {
  await app.register(improveRoutes);
  await app.register(recognitionRoutes);
  await app.register(practiceRoutes);

  const deps = app.deps;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  app.addHook('onReady', async () => {
    if (!deps.config.roles.includes('worker')) return;
    const transport = createRelayTransport(deps.config.smtpRelayUrl);
    timer = setInterval(() => {
      if (running) return;
      running = sendWeeklyDigests({ db: deps.db, config: deps.config, now: deps.clock.now(), transport })
        .catch((err: unknown) => app.log.error({ err }, 'recognition: weekly digest failed'))
        .finally(() => {
          running = null;
        });
    }, DIGEST_CHECK_MS);
  });
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
    if (running) await running;
  });
}

export { sendWeeklyDigests } from './send-weekly-digests.ts';
