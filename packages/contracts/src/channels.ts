import { z } from 'zod';

/** Messaging channels: the generic API channel and provider adapters (see docs/channels.md). */

export const CHANNEL_KINDS = ['api', 'sms', 'whatsapp', 'messenger', 'instagram', 'telegram'] as const;
export const ChannelKind = z.enum(CHANNEL_KINDS);
export type ChannelKind = z.infer<typeof ChannelKind>;

export const CHANNEL_STATUSES = ['active', 'paused', 'error'] as const;
export const ChannelStatus = z.enum(CHANNEL_STATUSES);
export type ChannelStatus = z.infer<typeof ChannelStatus>;

export const DELIVERY_STATUSES = ['queued', 'sent', 'delivered', 'read', 'failed'] as const;
export const DeliveryStatus = z.enum(DELIVERY_STATUSES);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

/**
 * Non-secret provider settings. `apiBaseUrl` overrides the provider's API root (a regional endpoint or a test
 * double); it is called through the SSRF-safe client like every customer-supplied URL.
 */
export const ChannelProviderSettings = z
  .object({
    /** sms: the Twilio Account SID and the number messages are sent from (E.164) */
    accountSid: z.string().trim().max(64).optional(),
    phoneNumber: z.string().trim().max(32).optional(),
    /** whatsapp: the Cloud API phone number id; template used outside the 24-hour window */
    phoneNumberId: z.string().trim().max(64).optional(),
    templateName: z.string().trim().max(512).optional(),
    /** the template's default language code (e.g. en_US) */
    templateLanguage: z.string().trim().max(16).optional(),
    /**
     * the languages the template is approved in, as `<customer language>:<template code>` pairs: "en:en_US, bn:bn".
     * The customer's language (the ticket's, else the customer's locale) picks one; otherwise templateLanguage.
     */
    templateLanguages: z
      .string()
      .trim()
      .max(500)
      .regex(
        /^\s*[a-z]{2,3}\s*:\s*[A-Za-z_]{2,10}\s*(,\s*[a-z]{2,3}\s*:\s*[A-Za-z_]{2,10}\s*)*$/,
        'pairs like "en:en_US, bn:bn"',
      )
      .optional(),
    /**
     * the template's parameters, each a text with placeholders ({{reply}}, {{customer.name}}, {{ticket.number}},
     * {{ticket.subject}}, {{agent.name}}): one header text parameter; body parameters separated by "|" (default
     * "{{reply}}"); button parameters by "|" in button order, each `url:<text>` or `quick_reply:<payload>`
     */
    templateHeader: z.string().trim().max(200).optional(),
    templateBody: z.string().trim().max(2000).optional(),
    templateButtons: z
      .string()
      .trim()
      .max(1000)
      .regex(
        /^\s*(url|quick_reply)\s*:[^|]+(\|\s*(url|quick_reply)\s*:[^|]+)*$/,
        'buttons like "url:{{ticket.number}} | quick_reply:agent"',
      )
      .optional(),
    /** messenger: the page id; instagram: the Instagram account id */
    pageId: z.string().trim().max(64).optional(),
    /** telegram: the bot's username (display only) */
    botUsername: z.string().trim().max(64).optional(),
    /** Graph API version for WhatsApp/Messenger/Instagram (default v21.0) */
    graphVersion: z
      .string()
      .trim()
      .regex(/^v\d+\.\d+$/)
      .optional(),
    apiBaseUrl: z.url().max(500).optional(),
    /** the public URL Twilio calls (its signature covers the full URL) */
    webhookUrl: z.url().max(1000).optional(),
  })
  .strict();
export type ChannelProviderSettings = z.infer<typeof ChannelProviderSettings>;

/** Secrets: written, never read back. */
export const ChannelCredentials = z
  .object({
    /** sms: Twilio Auth Token (signs webhooks and authenticates sends) */
    authToken: z.string().min(1).max(500).optional(),
    /** whatsapp/messenger/instagram: the Meta app secret (X-Hub-Signature-256) */
    appSecret: z.string().min(1).max(500).optional(),
    /** whatsapp/messenger/instagram: the access token used to send */
    accessToken: z.string().min(1).max(2000).optional(),
    /** whatsapp/messenger/instagram: the verify token of the GET handshake */
    verifyToken: z.string().min(1).max(500).optional(),
    /** telegram: the bot token */
    botToken: z.string().min(1).max(500).optional(),
    /** telegram: the secret_token set with setWebhook (X-Telegram-Bot-Api-Secret-Token) */
    webhookSecret: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,256}$/)
      .optional(),
  })
  .strict();
export type ChannelCredentials = z.infer<typeof ChannelCredentials>;

export const ChannelAutoReplies = z.record(z.string().min(2).max(16), z.string().max(2000));

const HHMM = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'HH:MM');
/** Opening hours in an IANA time zone; day 0 = Sunday … 6 = Saturday. */
export const ChannelBusinessHours = z
  .object({
    timezone: z.string().min(1).max(64),
    days: z.array(z.object({ day: z.number().int().min(0).max(6), open: HHMM, close: HHMM }).strict()).max(21),
  })
  .strict();
export type ChannelBusinessHours = z.infer<typeof ChannelBusinessHours>;

const ChannelFields = {
  name: z.string().trim().min(1).max(200),
  teamId: z.uuid().nullable().optional(),
  language: z.string().trim().min(2).max(16).nullable().optional(),
  /** auto-reply per language, sent once when a new conversation starts; empty disables it */
  autoReplies: ChannelAutoReplies.optional(),
  /** null: always open */
  businessHours: ChannelBusinessHours.nullable().optional(),
  /** auto-reply per language for conversations that start outside business hours (else the auto-reply) */
  awayReplies: ChannelAutoReplies.optional(),
  /** cost of one outbound message, in `currency` (up to 6 decimals) */
  costPerMessage: z.number().min(0).max(1000).optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
  callbackUrl: z.url().max(1000).nullable().optional(),
  settings: ChannelProviderSettings.optional(),
  credentials: ChannelCredentials.optional(),
};

export const CreateChannelBody = z.object({ kind: ChannelKind, ...ChannelFields }).strict();
export type CreateChannelBody = z.infer<typeof CreateChannelBody>;

export const UpdateChannelBody = z
  .object({
    ...ChannelFields,
    name: ChannelFields.name.optional(),
    /** pause or resume ('error' is set by the server) */
    status: z.enum(['active', 'paused']).optional(),
  })
  .strict();
export type UpdateChannelBody = z.infer<typeof UpdateChannelBody>;

export const MessagingChannel = z.object({
  id: z.uuid(),
  kind: ChannelKind,
  name: z.string(),
  status: ChannelStatus,
  teamId: z.uuid().nullable(),
  language: z.string().nullable(),
  autoReplies: z.record(z.string(), z.string()),
  businessHours: ChannelBusinessHours.nullable(),
  awayReplies: z.record(z.string(), z.string()),
  costPerMessage: z.number(),
  currency: z.string(),
  callbackUrl: z.string().nullable(),
  settings: z.record(z.string(), z.string()),
  /** which credentials are set (never their values) */
  credentialsSet: z.array(z.string()),
  /** where the provider (or your app) sends inbound webhooks, relative to the Seva base URL */
  hookPath: z.string(),
  lastError: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
  lastInboundAt: z.string().nullable(),
  lastOutboundAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type MessagingChannel = z.infer<typeof MessagingChannel>;

export const MessagingChannelList = z.object({ items: z.array(MessagingChannel) });
export type MessagingChannelList = z.infer<typeof MessagingChannelList>;

export const ChannelIdParams = z.object({ id: z.uuid() });

export const ChannelSecret = z.object({ secret: z.string(), hookPath: z.string() });
export type ChannelSecret = z.infer<typeof ChannelSecret>;

export const ChannelTestMessageBody = z
  .object({
    /** app user id, phone number (E.164), page-scoped id or Telegram chat id */
    to: z.string().trim().min(1).max(200),
    text: z.string().trim().min(1).max(4000),
  })
  .strict();
export type ChannelTestMessageBody = z.infer<typeof ChannelTestMessageBody>;

export const ChannelDelivery = z.object({
  id: z.uuid(),
  channelId: z.uuid(),
  kind: z.string(),
  ticketId: z.uuid().nullable(),
  messageId: z.uuid().nullable(),
  recipient: z.string(),
  status: DeliveryStatus,
  providerMessageId: z.string().nullable(),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ChannelDelivery = z.infer<typeof ChannelDelivery>;

export const ChannelDeliveryList = z.object({ items: z.array(ChannelDelivery) });
export type ChannelDeliveryList = z.infer<typeof ChannelDeliveryList>;

// ---- the generic API channel's wire format (POST /hooks/channels/:id/messages and the callback) ----

export const ApiChannelAttachment = z
  .object({
    filename: z.string().trim().min(1).max(255),
    contentType: z.string().trim().min(3).max(200),
    /** base64 content (up to the attachment size limit) */
    data: z.string().max(30_000_000),
  })
  .strict();

export const ApiChannelInboundMessage = z
  .object({
    /** your message id: a second delivery with the same id stores nothing new */
    messageId: z.string().trim().min(1).max(200),
    user: z
      .object({
        /** your app's user id */
        id: z.string().trim().min(1).max(200),
        name: z.string().trim().max(200).optional(),
        email: z.string().trim().max(320).optional(),
        phone: z.string().trim().max(32).optional(),
        /** set only when your app has verified the email/phone: then the contact joins an existing customer */
        verified: z.boolean().optional(),
        locale: z.string().trim().max(16).optional(),
      })
      .strict(),
    text: z.string().max(100_000).optional(),
    attachments: z.array(ApiChannelAttachment).max(10).optional(),
    /** subject of a new conversation (default: the start of the text) */
    subject: z.string().trim().max(500).optional(),
  })
  .strict()
  .refine((m) => (m.text ?? '').trim() !== '' || (m.attachments ?? []).length > 0, {
    message: 'a message needs text or attachments',
    path: ['text'],
  });
export type ApiChannelInboundMessage = z.infer<typeof ApiChannelInboundMessage>;

export const ApiChannelInboundResult = z.object({
  ticketId: z.uuid(),
  ticketNumber: z.number().int(),
  messageId: z.uuid(),
  duplicate: z.boolean(),
});
export type ApiChannelInboundResult = z.infer<typeof ApiChannelInboundResult>;

export const ApiChannelReceipt = z
  .object({
    /** the `id` of the message Seva sent to your callback */
    messageId: z.uuid(),
    status: z.enum(['delivered', 'read', 'failed']),
    error: z.string().max(1000).optional(),
  })
  .strict();
export type ApiChannelReceipt = z.infer<typeof ApiChannelReceipt>;

/** What Seva POSTs to the callback URL for every public agent reply. */
export const ApiChannelOutboundMessage = z.object({
  type: z.literal('message'),
  /** Seva's message id: use it for receipts; the same id may arrive twice after a retry */
  id: z.uuid(),
  conversationId: z.uuid(),
  ticketNumber: z.number().int(),
  user: z.object({ id: z.string() }),
  author: z.object({ name: z.string() }).nullable(),
  text: z.string(),
  html: z.string().nullable(),
  attachments: z.array(
    z.object({ id: z.uuid(), filename: z.string(), contentType: z.string(), sizeBytes: z.number().int() }),
  ),
  createdAt: z.string(),
});
export type ApiChannelOutboundMessage = z.infer<typeof ApiChannelOutboundMessage>;

/** Conversations a customer had across channels (for the customer panel). */
export const CustomerChannelContact = z.object({
  /** the contact's id (for moving it to another customer) */
  id: z.uuid(),
  /** the customer the contact belongs to (a customer merged into the one asked about, or that one) */
  customerId: z.uuid(),
  channelId: z.uuid(),
  channelKind: ChannelKind,
  channelName: z.string(),
  externalId: z.string(),
  displayName: z.string(),
  lastInboundAt: z.string().nullable(),
});
export const CustomerChannelContactList = z.object({ items: z.array(CustomerChannelContact) });
export type CustomerChannelContactList = z.infer<typeof CustomerChannelContactList>;

/** Moves one channel contact (and its open conversations) to another customer. */
export const MergeChannelContactBody = z.object({ customerId: z.uuid() }).strict();
export type MergeChannelContactBody = z.infer<typeof MergeChannelContactBody>;
export const ChannelContactParams = z.object({ contactId: z.uuid() });
export const MergedChannelContact = z.object({
  contact: CustomerChannelContact,
  fromCustomerId: z.uuid(),
  toCustomerId: z.uuid(),
  /** open tickets of the contact that now belong to the target customer (their later messages go there) */
  movedTicketIds: z.array(z.uuid()),
});
export type MergedChannelContact = z.infer<typeof MergedChannelContact>;

/**
 * A WhatsApp interactive message sent from the ticket while the 24-hour window is open: up to three reply buttons,
 * or a list (a button that opens up to ten rows in sections). The customer's choice comes back as a message.
 */
const InteractiveId = z.string().trim().min(1).max(256);
const uniqueIds = (ids: string[]) => new Set(ids).size === ids.length;
export const WhatsappInteractiveBody = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('buttons'),
      body: z.string().trim().min(1).max(1024),
      buttons: z
        .array(z.object({ id: InteractiveId, title: z.string().trim().min(1).max(20) }).strict())
        .min(1)
        .max(3)
        .refine((b) => uniqueIds(b.map((x) => x.id)), 'button ids must differ'),
    })
    .strict(),
  z
    .object({
      type: z.literal('list'),
      body: z.string().trim().min(1).max(4096),
      button: z.string().trim().min(1).max(20),
      sections: z
        .array(
          z
            .object({
              title: z.string().trim().max(24).optional(),
              rows: z
                .array(
                  z
                    .object({
                      id: z.string().trim().min(1).max(200),
                      title: z.string().trim().min(1).max(24),
                      description: z.string().trim().max(72).optional(),
                    })
                    .strict(),
                )
                .min(1)
                .max(10),
            })
            .strict(),
        )
        .min(1)
        .max(10)
        .refine((ss) => ss.reduce((n, x) => n + x.rows.length, 0) <= 10, 'at most 10 rows in all')
        .refine((ss) => uniqueIds(ss.flatMap((x) => x.rows.map((r) => r.id))), 'row ids must differ')
        .refine(
          (ss) => ss.length === 1 || ss.every((x) => x.title),
          'every section needs a title when there are several',
        ),
    })
    .strict(),
]);
export type WhatsappInteractiveBody = z.infer<typeof WhatsappInteractiveBody>;
export const SentInteractiveMessage = z.object({ messageId: z.uuid() });

export const MoveToEmailBody = z.object({ email: z.string().trim().max(320).optional() }).strict();

/** The create answer: the API channel's signing secret appears here once (and from POST /channels/:id/secret). */
export const CreatedMessagingChannel = MessagingChannel.extend({ secret: z.string().nullable() });
export type CreatedMessagingChannel = z.infer<typeof CreatedMessagingChannel>;

export const ChannelCostReport = z.object({
  items: z.array(
    z.object({
      channelId: z.uuid(),
      name: z.string(),
      kind: z.string(),
      currency: z.string(),
      messagesSent: z.number().int(),
      costPerMessage: z.number(),
      totalCost: z.number(),
    }),
  ),
});
export type ChannelCostReport = z.infer<typeof ChannelCostReport>;

/** How a ticket talks: its messaging channel and contact, and whether the provider still allows a free-form reply. */
export const TicketChannelInfo = z.object({
  ticketId: z.uuid(),
  channel: z
    .object({
      id: z.uuid(),
      kind: ChannelKind,
      name: z.string(),
      status: ChannelStatus,
      contact: z.object({ externalId: z.string(), displayName: z.string(), lastInboundAt: z.string().nullable() }),
      /** WhatsApp/Messenger: when free-form replies stop being allowed (null: no window) */
      replyWindowEndsAt: z.string().nullable(),
      /** outside the window WhatsApp sends the configured template instead */
      templateConfigured: z.boolean(),
    })
    .nullable(),
  /** the customer's email addresses: the conversation can move to email */
  emails: z.array(z.string()),
});
export type TicketChannelInfo = z.infer<typeof TicketChannelInfo>;
