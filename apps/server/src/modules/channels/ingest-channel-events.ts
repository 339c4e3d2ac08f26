import { Readable } from 'node:stream';
import { and, desc, eq, sql } from 'drizzle-orm';
import type pg from 'pg';
import type { Config } from '../../config.ts';
import type { Db } from '../../platform/db/client.ts';
import {
  attachments,
  channelConversations,
  channelDeliveries,
  channelInboundMessages,
  channels,
  messages,
  tickets,
} from '../../platform/db/schema/index.ts';
import type { Jobs } from '../../platform/jobs/jobs.ts';
import { normaliseForSearch } from '../../platform/text/normalise.ts';
import { runTicketHooks } from '../../platform/ticket-hooks.ts';
import { sanitiseFilename, storeAttachmentStream } from '../attachments/index.ts';
import { withClientTransaction } from '../../platform/db/client-transaction.ts';
import { appendMessage, detectLanguage, recordCustomerMessage } from '../tickets/index.ts';
import { insertTicketRow } from '../tickets/insert-ticket-row.ts';
import type { ChannelRow, InboundEvent, InboundMessageEvent, InboundReceiptEvent } from './adapters/adapter.ts';
import { adapterFor } from './adapters/index.ts';
import { applyReceipt } from './apply-receipt.ts';
import { isWithinBusinessHours } from './business-hours.ts';
import { deliverChannelMessageJob, fetchChannelMediaJob, fetchChannelProfileJob } from './channels.jobs.ts';
import { resolveContact } from './resolve-channel-contact.ts';

const SYSTEM = { kind: 'system' } as const;

export interface IngestContext {
  pool: pg.Pool;
  jobs: Jobs;
  config: Pick<Config, 'dataDir' | 'maxAttachmentBytes'>;
  now: Date;
}

export interface IngestedMessage {
  externalMessageId: string;
  ticketId: string;
  ticketNumber: number;
  messageId: string;
  duplicate: boolean;
  createdTicket: boolean;
}

export interface IngestResult {
  messages: IngestedMessage[];
  receipts: number;
}

/**
 * Stores everything one webhook delivered in ONE transaction (messages, receipts, media jobs, auto-replies): the
 * provider gets its 2xx only after commit, and a second delivery of the same message stores nothing new
 * (idempotent on channel + the sender's message id).
 */
export async function ingestChannelEvents(
  ctx: IngestContext,
  channel: ChannelRow,
  events: InboundEvent[],
): Promise<IngestResult> {
  return withClientTransaction(ctx.pool, async ({ tx, client }) => {
    const out: IngestResult = { messages: [], receipts: 0 };
    for (const e of events) {
      if (e.type === 'message') out.messages.push(await ingestMessage(ctx, tx, client, channel, e));
      else if (await applyReceipt(tx, channel, e as InboundReceiptEvent, ctx.now)) out.receipts += 1;
    }
    if (out.messages.some((m) => !m.duplicate)) {
      await tx.update(channels).set({ lastInboundAt: ctx.now }).where(eq(channels.id, channel.id));
    }
    return out;
  });
}

async function openConversation(tx: Db, contactId: string) {
  const [conv] = await tx
    .select({ ticketId: channelConversations.ticketId })
    .from(channelConversations)
    .where(eq(channelConversations.contactId, contactId))
    .orderBy(desc(channelConversations.createdAt))
    .limit(1);
  if (!conv) return null;
  let ticketId = conv.ticketId;
  for (let i = 0; i < 5; i += 1) {
    const [t] = await tx.select().from(tickets).where(eq(tickets.id, ticketId)).for('update');
    if (!t) return null;
    if (t.mergedIntoId) {
      ticketId = t.mergedIntoId;
      continue;
    }
    return t.status === 'closed' ? null : t;
  }
  return null;
}

function subjectFor(e: InboundMessageEvent, channel: ChannelRow, name: string): string {
  if (e.subject?.trim()) return e.subject.trim().slice(0, 500);
  const firstLine = e.text.trim().split('\n')[0]?.trim() ?? '';
  if (firstLine) return firstLine.length > 80 ? `${firstLine.slice(0, 77)}…` : firstLine;
  return `${channel.name}: ${name}`.slice(0, 500);
}

async function ingestMessage(
  ctx: IngestContext,
  tx: Db,
  client: pg.PoolClient,
  channel: ChannelRow,
  e: InboundMessageEvent,
): Promise<IngestedMessage> {
  const now = ctx.now;
  const [claimed] = await tx
    .insert(channelInboundMessages)
    .values({ channelId: channel.id, externalMessageId: e.externalMessageId.slice(0, 500), receivedAt: now })
    .onConflictDoNothing()
    .returning({ id: channelInboundMessages.id });
  if (!claimed) {
    const [prev] = await tx
      .select({
        ticketId: channelInboundMessages.ticketId,
        messageId: channelInboundMessages.messageId,
        number: tickets.number,
      })
      .from(channelInboundMessages)
      .leftJoin(tickets, eq(tickets.id, channelInboundMessages.ticketId))
      .where(
        and(
          eq(channelInboundMessages.channelId, channel.id),
          eq(channelInboundMessages.externalMessageId, e.externalMessageId.slice(0, 500)),
        ),
      );
    return {
      externalMessageId: e.externalMessageId,
      ticketId: prev?.ticketId ?? '',
      ticketNumber: prev?.number ?? 0,
      messageId: prev?.messageId ?? '',
      duplicate: true,
      createdTicket: false,
    };
  }

  const { contactId, customer, newContact } = await resolveContact(tx, channel, e.contact, now);
  // a new contact the webhook did not name (Messenger, Instagram): its name is looked up once, after commit
  if (newContact && !e.contact.name?.trim() && adapterFor(channel.kind).fetchProfile) {
    await ctx.jobs.send(fetchChannelProfileJob, { contactId }, { client, singletonKey: contactId });
  }
  const pendingMedia = e.media.filter((m) => !m.data).map((m) => ({ ...m, status: 'pending' as const }));
  const meta = {
    channel: {
      id: channel.id,
      kind: channel.kind,
      externalMessageId: e.externalMessageId,
      contactId,
      ...(e.provider ? { provider: e.provider } : {}),
      ...(pendingMedia.length > 0 ? { media: pendingMedia } : {}),
    },
  };
  const body = e.text.trim() !== '' ? e.text : e.media.length > 0 ? `[${e.media.map((m) => m.kind).join(', ')}]` : '';

  const ticket = await openConversation(tx, contactId);
  // the conversation's ticket, open or new
  let target: { id: string; number: number; language: string | null };
  let created = false;
  let messageId: string;
  if (ticket) {
    target = ticket;
    const m = await recordCustomerMessage(tx, { ticket, channel: channel.kind, body, meta, actor: SYSTEM, now });
    messageId = m.id;
    await tx
      .insert(channelConversations)
      .values({ ticketId: ticket.id, channelId: channel.id, contactId, createdAt: now })
      .onConflictDoNothing();
  } else {
    const subject = subjectFor(e, channel, customer.name);
    const language =
      channel.language ??
      (e.contact.locale ? e.contact.locale.slice(0, 2).toLowerCase() : null) ??
      detectLanguage(`${subject}\n${e.text}`);
    // with its `ticket.created` event, and remembered for the hooks (insert-ticket-row.ts)
    const row = await insertTicketRow(
      tx,
      {
        subject,
        status: 'new',
        channel: channel.kind,
        language,
        teamId: channel.teamId,
        customerId: customer.id,
        organisationId: customer.organisationId,
        searchText: normaliseForSearch(`${subject} ${customer.name} ${e.contact.externalId}`),
        createdAt: now,
        updatedAt: now,
      },
      { actor: SYSTEM, payload: { channelId: channel.id } },
    );
    target = row;
    created = true;
    await tx
      .insert(channelConversations)
      .values({ ticketId: row.id, channelId: channel.id, contactId, createdAt: now });
    const m = await appendMessage(tx, {
      ticketId: row.id,
      kind: 'public',
      authorType: 'customer',
      authorCustomerId: customer.id,
      channel: channel.kind,
      body,
      status: 'received',
      meta,
      actor: SYSTEM,
      now,
    });
    messageId = m.id;
    await runTicketHooks(tx, { kind: 'created', ticketId: row.id, actor: SYSTEM, now, source: 'channel' });
  }

  // inline media (API channel) is stored now; provider media is fetched by a job after commit
  for (const m of e.media.filter((x) => x.data)) {
    const data = m.data as Buffer;
    if (data.length > ctx.config.maxAttachmentBytes) continue;
    const stored = await storeAttachmentStream(ctx.config.dataDir, Readable.from([data]), {
      maxBytes: ctx.config.maxAttachmentBytes,
    });
    await tx.insert(attachments).values({
      sha256: stored.sha256,
      sizeBytes: stored.sizeBytes,
      contentType: (m.contentType ?? 'application/octet-stream').slice(0, 200),
      filename: sanitiseFilename(m.filename),
      messageId,
      createdAt: now,
    });
  }
  if (pendingMedia.length > 0) {
    await ctx.jobs.send(
      fetchChannelMediaJob,
      { messageId, channelId: channel.id },
      { client, singletonKey: messageId },
    );
  }
  await tx
    .update(channelInboundMessages)
    .set({ ticketId: target.id, messageId })
    .where(eq(channelInboundMessages.id, claimed.id));

  if (created)
    await sendAutoReply(ctx, tx, client, channel, {
      ticketId: target.id,
      language: target.language,
      recipient: e.contact.externalId,
    });
  return {
    externalMessageId: e.externalMessageId,
    ticketId: target.id,
    ticketNumber: target.number,
    messageId,
    duplicate: false,
    createdTicket: created,
  };
}

/** The channel's auto-reply for a new conversation, in the ticket's language (else the channel's, else English). */
async function sendAutoReply(
  ctx: IngestContext,
  tx: Db,
  client: pg.PoolClient,
  channel: ChannelRow,
  t: { ticketId: string; language: string | null; recipient: string },
): Promise<void> {
  const away =
    !isWithinBusinessHours(channel.businessHours, ctx.now) &&
    Object.values(channel.awayReplies ?? {}).some((v) => v.trim() !== '');
  const replies = away ? channel.awayReplies : (channel.autoReplies ?? {});
  const text =
    (t.language && replies[t.language]) ||
    (channel.language && replies[channel.language]) ||
    replies.en ||
    Object.values(replies)[0];
  if (!text?.trim()) return;
  const m = await appendMessage(tx, {
    ticketId: t.ticketId,
    kind: 'public',
    authorType: 'system',
    channel: channel.kind,
    body: text,
    status: 'queued',
    meta: {
      channel: {
        id: channel.id,
        kind: channel.kind,
        autoReply: away ? 'away' : true,
        delivery: { status: 'queued', at: ctx.now.toISOString() },
      },
    },
    actor: SYSTEM,
    now: ctx.now,
  });
  const [d] = await tx
    .insert(channelDeliveries)
    .values({
      idempotencyKey: `auto:${t.ticketId}`,
      channelId: channel.id,
      kind: 'auto_reply',
      ticketId: t.ticketId,
      messageId: m.id,
      recipient: t.recipient,
      text,
      createdAt: ctx.now,
      updatedAt: ctx.now,
    })
    .onConflictDoNothing()
    .returning({ id: channelDeliveries.id });
  if (d) await ctx.jobs.send(deliverChannelMessageJob, { deliveryId: d.id }, { client, singletonKey: d.id });
  await tx
    .update(messages)
    .set({ meta: sql`jsonb_set(${messages.meta}, '{channel,deliveryId}', to_jsonb(${d?.id ?? null}::text), true)` })
    .where(eq(messages.id, m.id));
}
