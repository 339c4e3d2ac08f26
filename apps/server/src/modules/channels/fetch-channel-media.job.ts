import { Readable } from 'node:stream';
import { eq, sql } from 'drizzle-orm';
import type { Config } from '../../config.ts';
import type { Db } from '../../platform/db/client.ts';
import { attachments, channels, messages } from '../../platform/db/schema/index.ts';
import { recordEvent } from '../../platform/events.ts';
import type { JobContext } from '../../platform/jobs/jobs.ts';
import { normaliseContentType, sanitiseFilename, storeAttachmentStream } from '../attachments/index.ts';
import type { SecretBox } from '../email/secret-box.ts';
import type { InboundMedia, SendInput } from './adapters/adapter.ts';
import { adapterFor } from './adapters/index.ts';
import { openCredentials } from './channel-credentials.ts';

type PendingMedia = InboundMedia & { status: 'pending' | 'stored' | 'failed'; attachmentId?: string; error?: string };

/**
 * Downloads the media of one inbound message from its provider (through the SSRF-safe client, size-capped) and
 * attaches it. Each item is marked stored/failed in `meta.channel.media`; a retry only fetches what is pending.
 */
export async function fetchChannelMedia(
  deps: { db: Db; box: SecretBox; net: SendInput['net']; config: Pick<Config, 'dataDir' | 'maxAttachmentBytes'>; now: () => Date },
  input: { messageId: string; channelId: string },
  job: JobContext,
): Promise<void> {
  const [m] = await deps.db.select().from(messages).where(eq(messages.id, input.messageId));
  const [channel] = await deps.db.select().from(channels).where(eq(channels.id, input.channelId));
  if (!m || !channel) return;
  const adapter = adapterFor(channel.kind);
  const meta = (m.meta.channel ?? {}) as { media?: PendingMedia[] };
  const media = [...(meta.media ?? [])];
  const creds = openCredentials(deps.box, channel);
  let failures = 0;
  for (const [i, item] of media.entries()) {
    if (item.status !== 'pending' || !adapter.fetchMedia) continue;
    try {
      const file = await adapter.fetchMedia(item, { channel, creds, net: deps.net, maxBytes: deps.config.maxAttachmentBytes });
      const stored = await storeAttachmentStream(deps.config.dataDir, Readable.from([file.data]), { maxBytes: deps.config.maxAttachmentBytes });
      const [a] = await deps.db
        .insert(attachments)
        .values({
          sha256: stored.sha256,
          sizeBytes: stored.sizeBytes,
          contentType: normaliseContentType(file.contentType),
          filename: sanitiseFilename(file.filename),
          messageId: m.id,
          createdAt: deps.now(),
        })
        .returning({ id: attachments.id });
      media[i] = { ...item, status: 'stored', attachmentId: a?.id ?? '' };
    } catch (err) {
      failures += 1;
      const last = job.retryCount >= job.retryLimit;
      media[i] = { ...item, status: last ? 'failed' : 'pending', error: (err as Error).message.slice(0, 500) };
    }
  }
  await deps.db.transaction(async (tx) => {
    await tx
      .update(messages)
      .set({ meta: sql`jsonb_set(${messages.meta}, '{channel,media}', ${JSON.stringify(media)}::jsonb, true)` })
      .where(eq(messages.id, m.id));
    await recordEvent(tx, {
      type: 'message.attachments_changed',
      actor: { kind: 'system' },
      ticketId: m.ticketId,
      payload: { messageId: m.id, stored: media.filter((x) => x.status === 'stored').length },
      at: deps.now(),
    });
  });
  if (failures > 0 && job.retryCount < job.retryLimit) throw new Error(`${failures} media item(s) could not be fetched yet`);
}
