import { z } from 'zod';
import { defineJob } from '../../platform/jobs/jobs.ts';

/**
 * Works out `tickets.scripts` for the tickets that existed before migration 0041 (refine-ticket-scripts.job.ts): a
 * slice of batches, then the job queues its sequel while work is left. The cursor is in the `settings` row, not in
 * the payload, so jobs sent by several workers take turns on one walk instead of each walking every ticket.
 */
export const refineTicketScriptsJob = defineJob({
  name: 'search.refine-ticket-scripts',
  version: 1,
  payload: z.object({}),
  retryLimit: 10,
  retryDelaySeconds: 30,
  expireInSeconds: 300,
});

export const SEARCH_JOBS = [refineTicketScriptsJob];
