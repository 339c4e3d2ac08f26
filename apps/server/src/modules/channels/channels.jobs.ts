import { z } from 'zod';
import { defineJob } from '../../platform/jobs/jobs.ts';

/** Send one outbound delivery (agent reply, auto-reply, test message) through its channel. */
export const deliverChannelMessageJob = defineJob({
  name: 'channels.deliver',
  version: 1,
  payload: z.object({ deliveryId: z.uuid() }),
  // 1 s, 2 s, 4 s … doubled each time: the last of 8 retries is about four minutes after the first try
  retryLimit: 8,
  retryDelaySeconds: 1,
  // above the longest send (165 s, see DELIVERY_LEASE_MS) so pg-boss does not fail a slow attempt that is still
  // sending (its own retry would then find the delivery leased and send nothing, and a transient failure after that
  // would leave the delivery to the 15-minute sweep), and below the 10-minute lease. Sent with every job, so it
  // applies to jobs sent from now on.
  expireInSeconds: 240,
});

/** Download the media of one inbound message from the provider and attach it. */
export const fetchChannelMediaJob = defineJob({
  name: 'channels.fetch-media',
  version: 1,
  payload: z.object({ messageId: z.uuid(), channelId: z.uuid() }),
  retryLimit: 5,
  retryDelaySeconds: 2,
  expireInSeconds: 120,
});

/** Look up a new contact's name with the provider's profile API (Messenger/Instagram), once per contact. */
export const fetchChannelProfileJob = defineJob({
  name: 'channels.fetch-profile',
  version: 1,
  payload: z.object({ contactId: z.uuid() }),
  // 2 s, 4 s, 8 s; after that the contact simply keeps no name (the message was stored long before)
  retryLimit: 3,
  retryDelaySeconds: 2,
  expireInSeconds: 60,
});

export const CHANNEL_JOBS = [deliverChannelMessageJob, fetchChannelMediaJob, fetchChannelProfileJob];
