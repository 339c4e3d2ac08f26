import { z } from 'zod';
import { defineJob } from '../../platform/jobs/jobs.ts';

/** Email one survey request (a `survey.requested` event) to the customer. */
export const sendSurveyEmailJob = defineJob({
  name: 'surveys.send-email',
  version: 1,
  payload: z.object({ outboundEmailId: z.uuid() }),
  retryLimit: 6,
  retryDelaySeconds: 2,
  expireInSeconds: 120,
});

/** Email one spike alert to one chosen person. */
export const sendSpikeAlertEmailJob = defineJob({
  name: 'insights.send-spike-alert',
  version: 1,
  payload: z.object({ outboundEmailId: z.uuid() }),
  retryLimit: 6,
  retryDelaySeconds: 2,
  expireInSeconds: 120,
});

/** Sends every scheduled dashboard report that is due (run by a pg-boss cron schedule, and on demand). */
export const sendDueReportsJob = defineJob({
  name: 'insights.send-due-reports',
  version: 1,
  /** with a subscription: send that report's latest period now ("send now"), even if it was due before subscribing */
  payload: z.object({ subscriptionId: z.uuid().optional() }),
  retryLimit: 3,
  retryDelaySeconds: 30,
  expireInSeconds: 600,
});

/** Folds the rollup shards of past hours into one row per key (rollup-shards.ts); hourly by a pg-boss cron schedule. */
export const compactRollupsJob = defineJob({
  name: 'insights.compact-rollups',
  version: 1,
  payload: z.object({}),
  retryLimit: 3,
  retryDelaySeconds: 60,
  expireInSeconds: 600,
});

/** Computes the customers-at-risk snapshots of the periods the insights page offers (risk-snapshots.ts). */
export const refreshRiskSnapshotsJob = defineJob({
  name: 'insights.refresh-risk-snapshots',
  version: 1,
  payload: z.object({}),
  retryLimit: 2,
  retryDelaySeconds: 60,
  expireInSeconds: 600,
});

export const INSIGHTS_JOBS = [
  sendSurveyEmailJob,
  sendSpikeAlertEmailJob,
  sendDueReportsJob,
  compactRollupsJob,
  refreshRiskSnapshotsJob,
];
