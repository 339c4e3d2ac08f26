import type { WhatsappInteractiveBody } from '@seva/contracts';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import {
  attachments,
  channelContacts,
  channelDeliveries,
  channels,
  customers,
  messages,
  staffUsers,
  tickets,
} from '../../platform/db/schema/index.ts';
import type { JobContext } from '../../platform/jobs/jobs.ts';
import type { SecretBox } from '../email/secret-box.ts';
import type { SendInput } from './adapters/adapter.ts';
import { adapterFor } from './adapters/index.ts';
import type { TemplateContext } from './adapters/whatsapp-template.ts';
import { openCredentials, sealCredentials } from './channel-credentials.ts';
import { markMessageDelivery } from './delivery-status.ts';
import { mediaLink, newMediaKey } from './media-links.ts';

export interface DeliverDeps {
  db: Db;
  box: SecretBox;
  now: () => Date;
  net: SendInput['net'];
  /** the public base URL (for provider status callbacks), if configured */
  publicUrl: string | undefined;
}

/**
 * Sends one delivery through its channel's adapter. Idempotent: a delivery that already left is not sent again.
 * Transient failures (network, 5xx, 429) throw so pg-boss retries with backoff; permanent ones (4xx, outside the
 * window) and the last retry mark the delivery and its message `failed` and show the error on the channel.
 * A paused channel leaves the delivery queued; resuming the channel queues it again.
 */
export async function deliverChannelMessage(deps: DeliverDeps, deliveryId: string, job: JobContext): Promise<void> {
  const [d] = await deps.db.select().from(channelDeliveries).where(eq(channelDeliveries.id, deliveryId));
  if (!d || d.status !== 'queued') return;
  const [channel] = await deps.db.select().from(channels).where(eq(channels.id, d.channelId));
  if (!channel || channel.status === 'paused') return;

  let text = d.text ?? '';
  let payload: Record<string, unknown> = {};
  let creds = openCredentials(deps.box, channel);
  const media: SendInput['media'] = [];
  let lastInboundAt: Date | null = null;
  let context: TemplateContext | undefined;
  let interactive: WhatsappInteractiveBody | undefined;
  const [contact] = await deps.db
    .select()
    .from(channelContacts)
    .where(and(eq(channelContacts.channelId, channel.id), eq(channelContacts.externalId, d.recipient)));
  lastInboundAt = contact?.lastInboundAt ?? null;
  if (d.messageId) {
    const [m] = await deps.db
      .select({
        id: messages.id,
        bodyText: messages.bodyText,
        bodyHtml: messages.bodyHtml,
        meta: messages.meta,
        createdAt: messages.createdAt,
        authorName: staffUsers.name,
        ticketId: messages.ticketId,
      })
      .from(messages)
      .leftJoin(staffUsers, eq(staffUsers.id, messages.authorStaffId))
      .where(eq(messages.id, d.messageId));
    if (m) {
      const files = await deps.db
        .select({
          id: attachments.id,
          filename: attachments.filename,
          contentType: attachments.contentType,
          sizeBytes: attachments.sizeBytes,
        })
        .from(attachments)
        .where(eq(attachments.messageId, m.id));
      const [t] = await deps.db
        .select({
          number: tickets.number,
          subject: tickets.subject,
          language: tickets.language,
          customerName: customers.name,
          locale: customers.locale,
        })
        .from(tickets)
        .innerJoin(customers, eq(customers.id, tickets.customerId))
        .where(eq(tickets.id, m.ticketId));
      if (d.kind === 'reply') {
        text = m.bodyText;
        interactive = (m.meta.channel as { interactive?: WhatsappInteractiveBody } | undefined)?.interactive;
      }
      context = {
        reply: text,
        customerName: t?.customerName ?? '',
        language: t?.language ?? t?.locale ?? null,
        ticketNumber: t?.number ?? null,
        ticketSubject: t?.subject ?? '',
        agentName: m.authorName ?? '',
      };
      if (files.length > 0 && deps.publicUrl) {
        if (!creds.mediaKey) {
          // first attachment through this channel: give it its own key for signed media links
          creds = { ...creds, mediaKey: newMediaKey() };
          await deps.db
            .update(channels)
            .set({ credentialsEnc: sealCredentials(deps.box, creds) })
            .where(eq(channels.id, channel.id));
        }
        const nowMs = deps.now().getTime();
        for (const f of files) {
          media.push({
            url: mediaLink(deps.publicUrl, creds.mediaKey as string, channel.id, f.id, nowMs),
            contentType: f.contentType,
            filename: f.filename,
          });
        }
      } else if (files.length > 0 && channel.kind !== 'api') {
        text = `${text}\n\n${files.map((f) => `📎 ${f.filename}`).join('\n')}`;
      }
      payload = {
        id: m.id,
        conversationId: m.ticketId,
        ticketNumber: t?.number ?? 0,
        user: { id: d.recipient },
        author: m.authorName ? { name: m.authorName } : null,
        html: m.bodyHtml,
        attachments: files.map((f, i) => ({ ...f, ...(media[i] ? { url: media[i].url } : {}) })),
        createdAt: m.createdAt.toISOString(),
      };
    }
  } else {
    payload = {
      id: d.id,
      conversationId: null,
      ticketNumber: 0,
      user: { id: d.recipient },
      author: null,
      html: null,
      attachments: [],
      createdAt: d.createdAt.toISOString(),
      test: true,
    };
  }

  const now = deps.now();
  await deps.db
    .update(channelDeliveries)
    .set({ attempts: d.attempts + 1, updatedAt: now })
    .where(eq(channelDeliveries.id, d.id));
  const adapter = adapterFor(channel.kind);
  const result = await adapter.send({
    channel,
    creds,
    recipient: d.recipient,
    media,
    text,
    lastInboundAt,
    now,
    net: deps.net,
    payload,
    deliveryId: d.id,
    ...(context ? { context: { ...context, reply: text } } : {}),
    interactive,
    statusCallbackUrl: deps.publicUrl
      ? `${deps.publicUrl.replace(/\/$/, '')}/hooks/channels/${channel.id}/status`
      : undefined,
  });

  if (result.ok) {
    await deps.db.transaction(async (tx) => {
      const [moved] = await tx
        .update(channelDeliveries)
        .set({ status: result.status, providerMessageId: result.providerMessageId, lastError: null, updatedAt: now })
        .where(and(eq(channelDeliveries.id, d.id), eq(channelDeliveries.status, 'queued')))
        .returning({ id: channelDeliveries.id });
      if (!moved) return;
      await tx.update(channels).set({ lastOutboundAt: now }).where(eq(channels.id, channel.id));
      await markMessageDelivery(tx, {
        messageId: d.messageId,
        ticketId: d.ticketId,
        state: result.status,
        providerMessageId: result.providerMessageId,
        now,
      });
    });
    return;
  }

  const last = result.permanent || job.retryCount >= job.retryLimit;
  await deps.db.transaction(async (tx) => {
    await tx
      .update(channelDeliveries)
      .set({ lastError: result.error.slice(0, 1000), updatedAt: now, ...(last ? { status: 'failed' } : {}) })
      .where(and(eq(channelDeliveries.id, d.id), eq(channelDeliveries.status, 'queued')));
    if (last || result.channelError) {
      await tx
        .update(channels)
        .set({
          lastError: result.error.slice(0, 1000),
          lastErrorAt: now,
          ...(result.channelError ? { status: 'error' } : {}),
        })
        .where(eq(channels.id, channel.id));
    }
    if (last)
      await markMessageDelivery(tx, {
        messageId: d.messageId,
        ticketId: d.ticketId,
        state: 'failed',
        error: result.error.slice(0, 1000),
        now,
      });
  });
  if (!last) throw new Error(`delivery ${d.id}: ${result.error}`);
}
