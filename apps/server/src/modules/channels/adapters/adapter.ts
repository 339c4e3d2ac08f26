import type { ChannelCredentials, ChannelKind, WhatsappInteractiveBody } from '@seva/contracts';
import type { channels } from '../../../platform/db/schema/index.ts';
import {
  SafeFetchError,
  type SafeFetchOptions,
  type SafeFetchResponse,
  safeFetch,
} from '../../../platform/net/safe-fetch.ts';
import type { TemplateContext } from './whatsapp-template.ts';

export type ChannelRow = typeof channels.$inferSelect;

/** Decrypted credentials; `secret` is the API channel's signing secret. */
export type PlainCredentials = ChannelCredentials & { secret?: string; mediaKey?: string };

/** An agent's attachment, reachable by the provider through a signed, time-limited link. */
export interface OutboundMedia {
  url: string;
  contentType: string;
  filename: string;
}

export interface InboundContact {
  externalId: string;
  name?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
  /** the sender vouches for email/phone (API channel `user.verified`; a phone number on SMS/WhatsApp) */
  verified?: boolean | undefined;
  locale?: string | undefined;
}

export interface InboundMedia {
  kind: 'image' | 'audio' | 'video' | 'document' | 'sticker' | 'file';
  contentType?: string | undefined;
  filename?: string | undefined;
  /** a URL to fetch (Twilio MediaUrlN, Messenger attachment payload.url) */
  url?: string | undefined;
  /** a provider media id to resolve (WhatsApp media id, Telegram file_id) */
  providerMediaId?: string | undefined;
  /** content sent inline (API channel) */
  data?: Buffer | undefined;
}

export interface InboundMessageEvent {
  type: 'message';
  externalMessageId: string;
  contact: InboundContact;
  text: string;
  media: InboundMedia[];
  subject?: string | undefined;
  /** provider details kept on the message (`meta.channel.provider`) */
  provider?: Record<string, unknown>;
}

export interface InboundReceiptEvent {
  type: 'receipt';
  status: 'sent' | 'delivered' | 'read' | 'failed';
  /** the provider's id of our outbound message */
  providerMessageId?: string | undefined;
  /** Messenger: everything sent to `recipient` up to `at` is delivered/read */
  watermark?: { recipient: string; at: Date } | undefined;
  error?: string | undefined;
}

export type InboundEvent = InboundMessageEvent | InboundReceiptEvent;

export interface HookRequest {
  rawBody: Buffer;
  headers: Record<string, string | string[] | undefined>;
  /** the full URL the provider called (for Twilio's signature) */
  url: string;
  /** form fields (Twilio) */
  form?: Record<string, string>;
}

export interface SendInput {
  channel: ChannelRow;
  creds: PlainCredentials;
  recipient: string;
  text: string;
  /** the contact's last inbound message (customer-service windows) */
  lastInboundAt: Date | null;
  now: Date;
  net: Pick<SafeFetchOptions, 'allowLoopbackPorts' | 'timeoutMs'>;
  /** extra fields for the API channel's callback payload */
  payload?: Record<string, unknown>;
  deliveryId: string;
  /** where providers post status callbacks for this channel (Twilio) */
  statusCallbackUrl?: string | undefined;
  /** attachments with links (empty when SEVA_PUBLIC_URL is not set) */
  media: OutboundMedia[];
  /** who and what the message is about (WhatsApp template parameters and language) */
  context?: TemplateContext;
  /** a WhatsApp interactive message (reply buttons or a list) instead of text */
  interactive?: WhatsappInteractiveBody | undefined;
}

export type SendResult =
  | { ok: true; providerMessageId: string | null; status: 'sent' | 'delivered' }
  | {
      ok: false;
      /** permanent: retrying cannot help (bad number, outside the window, 4xx) */
      permanent: boolean;
      error: string;
      /** the channel itself is misconfigured (bad credentials): shown on the channel */
      channelError?: boolean;
    };

export interface FetchedMedia {
  data: Buffer;
  contentType: string;
  filename: string;
}

export interface ChannelAdapter {
  kind: ChannelKind;
  /** true when the request carries a valid signature / secret for this channel */
  verify(req: HookRequest, channel: ChannelRow, creds: PlainCredentials, nowMs: number): boolean;
  parse(req: HookRequest, channel: ChannelRow): InboundEvent[];
  send(input: SendInput): Promise<SendResult>;
  fetchMedia?(
    media: InboundMedia,
    ctx: { channel: ChannelRow; creds: PlainCredentials; net: SendInput['net']; maxBytes: number },
  ): Promise<FetchedMedia>;
  /** the sender's name from the provider's profile API (Messenger/Instagram); null when it has none */
  fetchProfile?(
    externalId: string,
    ctx: { channel: ChannelRow; creds: PlainCredentials; net: SendInput['net'] },
  ): Promise<ProfileResult>;
}

export type ProfileResult = { ok: true; name: string | null } | { ok: false; permanent: boolean; error: string };

/** Calls a provider and sorts failures into transient (retry) and permanent ones. */
export async function callProvider(
  url: string,
  opts: SafeFetchOptions,
  describe: (res: SafeFetchResponse) => string,
): Promise<{ ok: true; res: SafeFetchResponse } | Extract<SendResult, { ok: false }>> {
  let res: SafeFetchResponse;
  try {
    res = await safeFetch(url, { maxResponseBytes: 256 * 1024, ...opts });
  } catch (err) {
    if (err instanceof SafeFetchError) {
      const permanent =
        err.code === 'BLOCKED_ADDRESS' || err.code === 'INVALID_URL' || err.code === 'TOO_MANY_REDIRECTS';
      return { ok: false, permanent, error: `${err.code}: ${err.message}`, channelError: permanent };
    }
    return { ok: false, permanent: false, error: (err as Error).message };
  }
  if (res.status >= 200 && res.status < 300) return { ok: true, res };
  const error = `HTTP ${res.status}: ${describe(res)}`.slice(0, 1000);
  const transient = res.status === 408 || res.status === 429 || res.status >= 500;
  return { ok: false, permanent: !transient, error, channelError: res.status === 401 || res.status === 403 };
}

export function safeJson(res: SafeFetchResponse): Record<string, unknown> {
  try {
    const v = res.json();
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function header(h: HookRequest['headers'], name: string): string | undefined {
  const v = h[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

export function filenameFor(media: InboundMedia, contentType: string, fallback: string): string {
  if (media.filename) return media.filename;
  const ext =
    contentType
      .split('/')[1]
      ?.split(';')[0]
      ?.replace(/[^a-z0-9]/gi, '') ?? 'bin';
  return `${fallback}.${ext || 'bin'}`;
}
