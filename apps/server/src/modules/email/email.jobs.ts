import { z } from 'zod';
import { defineJob } from '../../platform/jobs/jobs.ts';

/** Send one outbound email (agent reply or acknowledgement) through the relay. */
export const sendEmailJob = defineJob({
  name: 'email.send',
  version: 1,
  payload: z.object({ outboundEmailId: z.uuid() }),
  retryLimit: 6,
  retryDelaySeconds: 5,
  expireInSeconds: 120,
});

export const EMAIL_JOBS = [sendEmailJob];

/** attempts before an inbound email is quarantined (it never blocks the others; inbound-queue.ts) */
export const MAX_INBOUND_ATTEMPTS = 5;
