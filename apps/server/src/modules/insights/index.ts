import type { FastifyInstance } from 'fastify';
import type { Mail } from 'nodemailer';
import { createRelayTransport } from '../email/send-email.job.ts';
import { composeSurveyEmail, enqueueSurveyEmails } from '../surveys/send-survey-emails.ts';
import { deliverNoticeEmail } from './deliver-notice-email.ts';
import { registerInsightsHook } from './insights.hook.ts';
import {
  compactRollupsJob,
  refreshRiskSnapshotsJob,
  sendDueReportsJob,
  sendSpikeAlertEmailJob,
  sendSurveyEmailJob,
} from './insights.jobs.ts';
import { insightsRoutes } from './insights.routes.ts';
import { insightsRuntime } from './insights-runtime.ts';
import { reportRoutes } from './report-subscriptions.routes.ts';
import { RISK_SNAPSHOT_CRON, refreshRiskSnapshots } from './risk-snapshots.ts';
import { compactRollupShards } from './rollup-shards.ts';
import { REPORT_CRON, sendDueReports } from './send-due-reports.ts';

/** at minute 7 of every hour */
const COMPACT_CRON = '7 * * * *';

import { composeSpikeAlertEmail, enqueueSpikeAlertEmails } from './spike-alert-email.ts';

registerInsightsHook();

/** how often a worker reads the event log for survey requests and spike alerts to mail */
const OUTBOX_POLL_MS = 500;

/**
 * Insights: dashboards, drill-down and CSV export, hot buttons and spike alerts, busy hours, the staffing plan,
 * cost per channel and scheduled email reports. Reports read the hourly rollups and per-ticket facts the ticket
 * hook (order 400) keeps up to date. In worker processes it also mails survey requests, spike alerts and the
 * scheduled reports (its own pg-boss queue, with the report cron). See docs/insights.md.
 */
export async function insightsModule(app: FastifyInstance): Promise<void> {
  await app.register(insightsRoutes);
  const deps = app.deps;
  const isWorker = deps.config.roles.includes('worker');
  const runtime = insightsRuntime(deps, (err) => app.log.error({ err }, 'insights jobs'));
  await app.register(reportRoutes, { runtime });

  let transport: Mail | null = null;
  const relay = () => {
    transport ??= createRelayTransport(deps.config.smtpRelayUrl);
    return transport;
  };
  const now = () => deps.clock.now();
  let timer: NodeJS.Timeout | null = null;
  let polling = false;

  app.addHook('onReady', async () => {
    // only workers hold the queue open; other processes start it on their first "send now"
    if (!isWorker) return;
    await runtime.jobs.start();
    await runtime.jobs.work(
      sendSurveyEmailJob,
      async ({ outboundEmailId }, ctx) => {
        await deliverNoticeEmail(
          { db: deps.db, now, transport: relay },
          { outboundEmailId, ctx, compose: (tx, row) => composeSurveyEmail({ config: deps.config, now }, tx, row) },
        );
      },
      { pollingIntervalSeconds: 0.5 },
    );
    await runtime.jobs.work(
      sendSpikeAlertEmailJob,
      async ({ outboundEmailId }, ctx) => {
        await deliverNoticeEmail(
          { db: deps.db, now, transport: relay },
          { outboundEmailId, ctx, compose: (tx, row) => composeSpikeAlertEmail({ config: deps.config }, tx, row) },
        );
      },
      { pollingIntervalSeconds: 0.5 },
    );
    await runtime.jobs.work(
      sendDueReportsJob,
      async ({ subscriptionId }) => {
        await sendDueReports({ deps, transport: relay(), ...(subscriptionId ? { only: subscriptionId } : {}) });
      },
      { pollingIntervalSeconds: 1 },
    );
    await runtime.jobs.schedule(sendDueReportsJob, REPORT_CRON, {});
    await runtime.jobs.work(
      compactRollupsJob,
      async () => {
        // hours that ended more than an hour ago get few writes any more (late changes land in a shard again and
        // are folded the next time)
        await compactRollupShards(deps.db, new Date(now().getTime() - 2 * 3_600_000));
      },
      { pollingIntervalSeconds: 30 },
    );
    await runtime.jobs.schedule(compactRollupsJob, COMPACT_CRON, {});
    await runtime.jobs.work(refreshRiskSnapshotsJob, async () => refreshRiskSnapshots(deps), {
      pollingIntervalSeconds: 5,
    });
    await runtime.jobs.schedule(refreshRiskSnapshotsJob, RISK_SNAPSHOT_CRON, {});
    // the first snapshots without waiting for the schedule (one job however many workers start together); start-up
    // does not wait for it: until they exist the lists are computed on the request
    runtime.jobs
      .send(refreshRiskSnapshotsJob, {}, { singletonKey: 'start' })
      .catch((err: unknown) =>
        app.log.error({ err }, 'insights: queueing the first customers-at-risk snapshots failed'),
      );
    timer = setInterval(() => {
      if (polling) return;
      polling = true;
      const ctx = { pool: deps.database.pool, jobs: runtime.jobs };
      Promise.all([enqueueSurveyEmails(ctx), enqueueSpikeAlertEmails(ctx)])
        .catch((err: unknown) => app.log.error({ err }, 'insights: reading survey requests and alerts to mail failed'))
        .finally(() => {
          polling = false;
        });
    }, OUTBOX_POLL_MS);
  });

  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
    while (polling) await new Promise((r) => setTimeout(r, 20));
    await runtime.jobs.stop();
    transport?.close();
  });
}

export { insightsRuntime } from './insights-runtime.ts';
export { getInsightsSettings } from './insights-settings.ts';
export { rebuildInsights, syncTicketFacts } from './maintain-ticket-facts.ts';
export { sendDueReports } from './send-due-reports.ts';
