import { z } from 'zod';
import { defineJob } from '../../platform/jobs/jobs.ts';

/** Send one outbound email (agent reply or acknowledgement) through the relay. */
export const sendEmailJob = defineJob({
  name: 'email.send',
  version: 1,
  payload: z.object({ outboundEmailId: z.uuid() }),
  retryLimit: 6,
  retryDelaySeconds: 5,
  // longer than an attempt's lease on its mail (10 minutes, OUTBOUND_LEASE_MS in claim-outbound-email.ts, where the
  // two numbers are explained): a live attempt keeps its job, and a crashed one's job expires after its lease has run
  // out, so pg-boss's retry sends the mail. Sent with every job, so it applies to jobs sent from now on.
  expireInSeconds: 720,
});

export const EMAIL_JOBS = [sendEmailJob];

/** attempts before an inbound email is quarantined (it never blocks the others; inbound-queue.ts) */
export const MAX_INBOUND_ATTEMPTS = 5;
