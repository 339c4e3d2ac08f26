import type { WhatsappInteractiveBody } from '@seva/contracts';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import {
  attachments,
  channelContacts,
  type channelDeliveries,
  channels,
  customers,
  messages,
  staffUsers,
  tickets,
} from '../../platform/db/schema/index.ts';
import type { SecretBox } from '../email/secret-box.ts';
import type { ChannelRow, SendInput } from './adapters/adapter.ts';
import type { TemplateContext } from './adapters/whatsapp-template.ts';
import { openCredentials, sealCredentials } from './channel-credentials.ts';
import { mediaLink, newMediaKey } from './media-links.ts';

export interface ComposeDeps {
  db: Db;
  box: SecretBox;
  now: () => Date;
  /** the public base URL (for signed media links), if configured */
  publicUrl: string | undefined;
}

/** What the adapter needs to send one delivery, besides the channel, recipient and network options. */
export type ComposedMessage = Pick<
  SendInput,
  'creds' | 'text' | 'media' | 'payload' | 'lastInboundAt' | 'context' | 'interactive'
>;

/**
 * Reads what one delivery says: the reply's text (or the delivery's own text for auto-replies and test messages),
 * its attachments as signed links (or their names appended, without SEVA_PUBLIC_URL), the template context, a
 * WhatsApp interactive body, the API channel's payload and the contact's last inbound message. The first attachment
 * through a channel gives the channel its media key (stored with its credentials).
 */
export async function composeChannelMessage(
  deps: ComposeDeps,
  d: typeof channelDeliveries.$inferSelect,
  channel: ChannelRow,
): Promise<ComposedMessage> {
  let text = d.text ?? '';
  let payload: Record<string, unknown> = {};
  let creds = openCredentials(deps.box, channel);
  const media: SendInput['media'] = [];
  let context: TemplateContext | undefined;
  let interactive: WhatsappInteractiveBody | undefined;
  const [contact] = await deps.db
    .select()
    .from(channelContacts)
    .where(and(eq(channelContacts.channelId, channel.id), eq(channelContacts.externalId, d.recipient)));
  const lastInboundAt = contact?.lastInboundAt ?? null;
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
  return {
    creds,
    text,
    media,
    payload,
    lastInboundAt,
    ...(context ? { context: { ...context, reply: text } } : {}),
    interactive,
  };
}
