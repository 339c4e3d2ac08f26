import type { FastifyInstance } from 'fastify';
import { channelHooksRoutes, channelMediaRoutes } from './channel-hooks.routes.ts';
import { deliverChannelMessageJob, fetchChannelMediaJob, fetchChannelProfileJob } from './channels.jobs.ts';
import { channelsRoutes, ticketChannelRoutes } from './channels.routes.ts';
import { channelsRuntime } from './channels-runtime.ts';
import { deliverChannelMessage } from './deliver-channel-message.job.ts';
import { enqueueChannelReplies } from './enqueue-channel-replies.ts';
import { fetchChannelMedia } from './fetch-channel-media.job.ts';
import { fetchChannelProfile } from './fetch-channel-profile.job.ts';
import { requeueStrandedDeliveries } from './requeue-stranded-deliveries.ts';

/** how often the worker looks for agent replies to deliver (the event log is the outbox) */
const OUTBOUND_POLL_MS = 500;
const SWEEP_MS = 60_000;

/**
 * Messaging channels: admin API (under /api/v1) and — in processes with the `worker` role — the reply reader,
 * the delivery sender and the media fetcher. See docs/channels.md.
 */
export async function channelsModule(app: FastifyInstance): Promise<void> {
  const deps = app.deps;
  const runtime = channelsRuntime(deps, (err) => app.log.error({ err }, 'channel jobs'));
  await app.register(channelsRoutes, { runtime });
  await app.register(ticketChannelRoutes);

  const isWorker = deps.config.roles.includes('worker');
  let timer: NodeJS.Timeout | null = null;
  let sweeper: NodeJS.Timeout | null = null;
  let polling = false;

  app.addHook('onReady', async () => {
    await runtime.jobs.start();
    if (!isWorker) return;
    const now = () => deps.clock.now();
    const deliverDeps = { db: deps.db, box: runtime.box, now, net: runtime.net, publicUrl: deps.config.publicUrl };
    for (let i = 0; i < 2; i += 1) {
      await runtime.jobs.work(
        deliverChannelMessageJob,
        async ({ deliveryId }, ctx) => deliverChannelMessage(deliverDeps, deliveryId, ctx),
        {
          pollingIntervalSeconds: 0.5,
        },
      );
    }
    await runtime.jobs.work(
      fetchChannelMediaJob,
      async (payload, ctx) =>
        fetchChannelMedia({ db: deps.db, box: runtime.box, net: runtime.net, config: deps.config, now }, payload, ctx),
      { pollingIntervalSeconds: 0.5 },
    );
    const profileDeps = {
      db: deps.db,
      box: runtime.box,
      net: runtime.net,
      now,
      log: (msg: string, extra: Record<string, unknown>) => app.log.warn(extra, msg),
    };
    await runtime.jobs.work(
      fetchChannelProfileJob,
      async (payload, ctx) => fetchChannelProfile(profileDeps, payload, ctx),
      {
        pollingIntervalSeconds: 0.5,
      },
    );
    timer = setInterval(() => {
      if (polling) return;
      polling = true;
      enqueueChannelReplies({ pool: deps.database.pool, jobs: runtime.jobs, now })
        .catch((err: unknown) => app.log.error({ err }, 'channels: reading replies to deliver failed'))
        .finally(() => {
          polling = false;
        });
    }, OUTBOUND_POLL_MS);
    sweeper = setInterval(() => {
      requeueStrandedDeliveries({ db: deps.db, jobs: runtime.jobs, now }).catch((err: unknown) =>
        app.log.error({ err }, 'channels: sweep failed'),
      );
    }, SWEEP_MS);
  });

  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
    if (sweeper) clearInterval(sweeper);
    while (polling) await new Promise((r) => setTimeout(r, 20));
    await runtime.jobs.stop();
  });
}

/** The signed provider/app webhooks, registered outside /api/v1 (they authenticate by signature). */
export async function channelHooksModule(app: FastifyInstance): Promise<void> {
  const runtime = channelsRuntime(app.deps, (err) => app.log.error({ err }, 'channel jobs'));
  await app.register(channelHooksRoutes, { runtime });
  await app.register(channelMediaRoutes, { runtime });
}

export { sevaSignature as signChannelBody } from './adapters/signatures.ts';
export { allowChannelLoopbackPortsForTests } from './channels-runtime.ts';
