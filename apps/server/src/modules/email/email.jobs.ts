import { z } from 'zod';
import { defineJob } from '../../platform/jobs/jobs.ts';

/** Parse one stored inbound email and turn it into a ticket or a message (or a bounce record). */
export const processInboundEmailJob = defineJob({
  name: 'email.process-inbound',
  version: 1,
  payload: z.object({ inboundEmailId: z.uuid() }),
  retryLimit: 4,
  retryDelaySeconds: 2,
  expireInSeconds: 120,
});

/** Send one outbound email (agent reply or acknowledgement) through the relay. */
export const sendEmailJob = defineJob({
  name: 'email.send',
  version: 1,
  payload: z.object({ outboundEmailId: z.uuid() }),
  retryLimit: 6,
  retryDelaySeconds: 5,
  expireInSeconds: 120,
});

export const EMAIL_JOBS = [processInboundEmailJob, sendEmailJob];

/** attempts before an inbound email is quarantined (it never blocks the others) */
export const MAX_INBOUND_ATTEMPTS = 5;
