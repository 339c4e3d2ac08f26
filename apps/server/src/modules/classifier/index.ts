import type { FastifyInstance } from 'fastify';
import { classifierRoutes } from './classifier.routes.ts';
import { retrainIfDue } from './classifier.service.ts';

const RETRAIN_EVERY_MS = 24 * 3_600_000;
const CHECK_EVERY_MS = 15 * 60_000;
/** one process of the desk trains at a time */
const LOCK_KEY = 0x5e7a_c1a5;

/**
 * The category suggester (naive Bayes over character n-grams, trained on the desk's own categorised tickets and
 * retrained daily by a worker process) and the message sentiment signal. See docs/insights.md.
 */
export async function classifierModule(app: FastifyInstance): Promise<void> {
  await app.register(classifierRoutes);
  const deps = app.deps;
  if (!deps.config.roles.includes('worker')) return;
  let timer: NodeJS.Timeout | null = null;
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    const client = await deps.database.pool.connect();
    try {
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [LOCK_KEY]);
      if (!rows[0]?.ok) return;
      try {
        await deps.db.transaction((tx) => retrainIfDue(tx, { now: deps.clock.now(), everyMs: RETRAIN_EVERY_MS }));
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]);
      }
    } catch (err) {
      app.log.error({ err }, 'classifier: scheduled training failed');
    } finally {
      client.release();
      running = false;
    }
  };
  app.addHook('onReady', async () => {
    timer = setInterval(() => void tick(), CHECK_EVERY_MS);
    timer.unref();
  });
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
    while (running) await new Promise((r) => setTimeout(r, 20));
  });
}

export { sentimentOf } from './sentiment.ts';
export { suggestCategories } from './classifier.service.ts';
