import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { channelContacts, channels, customers } from '../../platform/db/schema/index.ts';
import { recordEvent } from '../../platform/events.ts';
import type { JobContext } from '../../platform/jobs/jobs.ts';
import { refreshCustomerSearchText } from '../customers/index.ts';
import type { SecretBox } from '../email/secret-box.ts';
import type { SendInput } from './adapters/adapter.ts';
import { adapterFor } from './adapters/index.ts';
import { openCredentials } from './channel-credentials.ts';
import { placeholderCustomerName } from './resolve-channel-contact.ts';

export interface FetchChannelProfileDeps {
  db: Db;
  box: SecretBox;
  net: SendInput['net'];
  now: () => Date;
  log: (msg: string, extra: Record<string, unknown>) => void;
}

/**
 * Names a new Messenger/Instagram contact from the provider's User Profile API, once: the name is kept on the contact
 * (a contact with a name is never looked up again), and a customer that still has the placeholder name made for it
 * ("messenger <psid>") takes the name too. Runs after the webhook's commit, so a failed lookup never touches the
 * message: transient failures are retried a few times, then the contact simply stays unnamed.
 */
export async function fetchChannelProfile(
  deps: FetchChannelProfileDeps,
  input: { contactId: string },
  job: JobContext,
): Promise<void> {
  const [row] = await deps.db
    .select({ contact: channelContacts, channel: channels })
    .from(channelContacts)
    .innerJoin(channels, eq(channels.id, channelContacts.channelId))
    .where(eq(channelContacts.id, input.contactId));
  if (row?.contact.displayName !== '') return;
  const adapter = adapterFor(row.channel.kind);
  if (!adapter.fetchProfile) return;
  const result = await adapter.fetchProfile(row.contact.externalId, {
    channel: row.channel,
    creds: openCredentials(deps.box, row.channel),
    net: deps.net,
  });
  if (!result.ok) {
    const retry = !result.permanent && job.retryCount < job.retryLimit;
    deps.log('channels: profile lookup failed', { contactId: input.contactId, error: result.error, retry });
    if (retry) throw new Error(`profile lookup failed: ${result.error}`);
    return;
  }
  const name = result.name;
  if (!name) return;
  await deps.db.transaction(async (tx) => {
    const [named] = await tx
      .update(channelContacts)
      .set({ displayName: name })
      .where(and(eq(channelContacts.id, row.contact.id), eq(channelContacts.displayName, '')))
      .returning({ customerId: channelContacts.customerId });
    if (!named) return;
    const placeholder = placeholderCustomerName(row.channel.kind, row.contact.externalId);
    const [renamed] = await tx
      .update(customers)
      .set({ name, updatedAt: deps.now() })
      .where(and(eq(customers.id, named.customerId), eq(customers.name, placeholder)))
      .returning({ id: customers.id });
    if (renamed) await refreshCustomerSearchText(tx, renamed.id);
    await recordEvent(tx, {
      type: 'customer.channel_profile_fetched',
      actor: { kind: 'system' },
      customerId: named.customerId,
      payload: { contactId: row.contact.id, channelId: row.channel.id, name, customerRenamed: Boolean(renamed) },
      at: deps.now(),
    });
  });
}
