import { z } from 'zod';
import { defineJob } from '../../platform/jobs/jobs.ts';

/**
 * Send one queued `outbound_emails` row of the knowledge base (an announcement reminder to a staff member, a help
 * centre sign-in link to a customer). Runs on the email module's job queue; worker processes work it.
 */
export const sendKbEmailJob = defineJob({
  name: 'kb.send-email',
  version: 1,
  payload: z.object({ outboundEmailId: z.uuid() }),
  retryLimit: 6,
  retryDelaySeconds: 2,
  expireInSeconds: 120,
});
