import { CreateInsightsReportBody, InsightsReportSubscription, InsightsReportSubscriptionList } from '@seva/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../platform/auth/authenticate.ts';
import { sendDueReportsJob } from './insights.jobs.ts';
import type { InsightsRuntime } from './insights-runtime.ts';
import {
  createReportSubscription,
  deleteReportSubscription,
  findOwnSubscription,
  listReportSubscriptions,
} from './report-subscriptions.service.ts';

/** Scheduled email reports: each person subscribes (and unsubscribes) for themselves. */
export async function reportRoutes(app: FastifyInstance, opts: { runtime: InsightsRuntime }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps = app.deps;
  const tags = ['insights'];
  const Params = z.object({ id: z.uuid() });
  let starting: Promise<void> | null = null;

  r.get(
    '/insights/reports',
    {
      config: { policy: 'reports:read' },
      schema: { tags, summary: 'My scheduled email reports', response: { 200: InsightsReportSubscriptionList } },
    },
    async (req) => listReportSubscriptions(deps, requireActor(req)),
  );

  r.post(
    '/insights/reports',
    {
      config: { policy: 'reports:read' },
      schema: {
        tags,
        summary: 'Subscribe to a daily or weekly dashboard report by email',
        body: CreateInsightsReportBody,
        response: { 201: InsightsReportSubscription },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await createReportSubscription(deps, { actor: requireActor(req), body: req.body })),
  );

  r.delete(
    '/insights/reports/:id',
    { config: { policy: 'reports:read' }, schema: { tags, summary: 'Stop a scheduled report', params: Params } },
    async (req, reply) => {
      await deleteReportSubscription(deps, { actor: requireActor(req), id: req.params.id });
      return reply.status(204).send();
    },
  );

  r.post(
    '/insights/reports/:id/send',
    {
      config: { policy: 'reports:read' },
      schema: {
        tags,
        summary: 'Send the latest period of a report now (a worker sends it, once per period)',
        params: Params,
        response: { 202: z.object({ queued: z.boolean() }) },
      },
    },
    async (req, reply) => {
      const sub = await findOwnSubscription(deps, requireActor(req), req.params.id);
      // a worker sends it (never inside the request); a process without the worker role starts the queue once
      starting ??= opts.runtime.jobs.start();
      await starting;
      await opts.runtime.jobs.send(sendDueReportsJob, { subscriptionId: sub.id });
      return reply.status(202).send({ queued: true });
    },
  );
}
