import { CHANNEL_KINDS, type ChannelKind, type TicketChannelInfo } from '@seva/contracts';

export type DeliveryStatus = 'queued' | 'sent' | 'delivered' | 'read' | 'failed';
const STATUSES: readonly string[] = ['queued', 'sent', 'delivered', 'read', 'failed'];

/** The delivery state a messaging channel wrote on a message (`meta.channel.delivery`), or null for other messages. */
export function channelDelivery(
  meta: Record<string, unknown> | null | undefined,
): { status: DeliveryStatus; error?: string } | null {
  const channel = meta?.channel;
  if (!channel || typeof channel !== 'object') return null;
  const delivery = (channel as { delivery?: unknown }).delivery;
  if (!delivery || typeof delivery !== 'object') return null;
  const { status, error } = delivery as { status?: unknown; error?: unknown };
  if (typeof status !== 'string' || !STATUSES.includes(status)) return null;
  return {
    status: status as DeliveryStatus,
    ...(status === 'failed' && typeof error === 'string' && error ? { error } : {}),
  };
}

/** Whether a ticket runs on a messaging channel (SMS, WhatsApp …), so the ticket page asks where it runs. */
export function isMessagingChannel(channel: string): channel is ChannelKind {
  return (CHANNEL_KINDS as readonly string[]).includes(channel);
}

export type ReplyWindow =
  /** the channel has no reply window (SMS, Telegram, the API channel) */
  | { state: 'none' }
  /** free-form replies are allowed until `endsAt` */
  | { state: 'open'; endsAt: Date }
  /** closed: replies go out as the configured template (WhatsApp) */
  | { state: 'template'; endsAt: Date }
  /** closed and no template: replies fail until the customer writes again */
  | { state: 'closed'; endsAt: Date };

/** The provider's reply window for a conversation (WhatsApp 24 hours, Messenger/Instagram 7 days) at `now`. */
export function replyWindow(channel: NonNullable<TicketChannelInfo['channel']>, now: Date): ReplyWindow {
  if (!channel.replyWindowEndsAt) return { state: 'none' };
  const endsAt = new Date(channel.replyWindowEndsAt);
  if (Number.isNaN(endsAt.getTime())) return { state: 'none' };
  if (endsAt.getTime() > now.getTime()) return { state: 'open', endsAt };
  return channel.templateConfigured ? { state: 'template', endsAt } : { state: 'closed', endsAt };
}
