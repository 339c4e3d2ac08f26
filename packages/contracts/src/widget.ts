import { z } from 'zod';

/**
 * The visitor side of the help widget: `/widget/v1` (HTTP) and `/widget/v1/socket` (WebSocket). Visitors
 * authenticate with the visitor token returned by `POST /widget/v1/visitors`, sent as the `x-seva-visitor` header
 * (HTTP) or `?token=` (WebSocket). The widget itself imports these as *types only* (no zod in the bundle).
 */
export const WIDGET_API_PREFIX = '/widget/v1';
export const WIDGET_SOCKET_PATH = '/widget/v1/socket';
export const VISITOR_TOKEN_HEADER = 'x-seva-visitor';

export const WidgetLanguage = z.enum(['en', 'bn', 'hi']);
export type WidgetLanguage = z.infer<typeof WidgetLanguage>;

const perLanguage = z.record(z.string().min(2).max(10), z.string().max(2000));

export const WidgetOptions = z.object({ kb: z.boolean(), chat: z.boolean(), message: z.boolean(), callback: z.boolean() });
export type WidgetOptions = z.infer<typeof WidgetOptions>;

export const PreChatField = z
  .object({
    key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'lower-case letters, digits and _'),
    kind: z.enum(['text', 'email', 'phone', 'select', 'textarea']),
    label: perLanguage,
    required: z.boolean(),
    options: z.array(z.object({ value: z.string().min(1).max(100), label: perLanguage })).max(50).optional(),
  })
  .strict();
export type PreChatField = z.infer<typeof PreChatField>;

/** GET /widget/v1/config?key= — what the launcher needs for its first paint (public). */
export const WidgetPublicConfig = z.object({
  key: z.string(),
  name: z.string(),
  primaryColor: z.string(),
  position: z.enum(['right', 'left']),
  defaultLanguage: WidgetLanguage,
  greetings: perLanguage,
  options: WidgetOptions,
  preChatFields: z.array(PreChatField),
  /** within business hours now */
  isOpen: z.boolean(),
  /** someone who may take chats is online (and the desk is open): offer chat, else leave a message */
  agentsAvailable: z.boolean(),
  /** next opening time when closed (ISO), if known */
  opensAt: z.string().nullable(),
});
export type WidgetPublicConfig = z.infer<typeof WidgetPublicConfig>;

export const WidgetPage = z
  .object({
    url: z.string().max(2000).optional(),
    title: z.string().max(500).optional(),
    referrer: z.string().max(2000).optional(),
  })
  .strict();
export type WidgetPage = z.infer<typeof WidgetPage>;

/**
 * Identity verification: the site signs `userId` (and email) with the widget's identity secret:
 * `signature = hex(HMAC-SHA256(secret, userId))` — see docs/widget.md.
 */
export const WidgetIdentity = z
  .object({
    userId: z.string().trim().min(1).max(200),
    email: z.email().max(320).optional(),
    name: z.string().trim().max(200).optional(),
    signature: z.string().regex(/^[0-9a-f]{64}$/i, 'hex HMAC-SHA256'),
  })
  .strict();
export type WidgetIdentity = z.infer<typeof WidgetIdentity>;

/** POST /widget/v1/visitors — start or resume a visitor. */
export const WidgetVisitorBody = z
  .object({
    key: z.string().min(1).max(100),
    /** the token kept from an earlier visit (resumes that visitor) */
    visitorToken: z.string().min(20).max(200).optional(),
    locale: z.string().max(20).optional(),
    page: WidgetPage.optional(),
    identity: WidgetIdentity.optional(),
  })
  .strict();
export type WidgetVisitorBody = z.infer<typeof WidgetVisitorBody>;

export const WidgetVisitor = z.object({
  visitorToken: z.string(),
  visitorId: z.uuid(),
  isVerified: z.boolean(),
  name: z.string(),
  email: z.string().nullable(),
});
export type WidgetVisitor = z.infer<typeof WidgetVisitor>;

export const WidgetAttachment = z.object({
  id: z.uuid(),
  filename: z.string(),
  contentType: z.string(),
  sizeBytes: z.number().int(),
  /** download with the visitor token: GET /widget/v1/attachments/:id */
  url: z.string(),
});
export type WidgetAttachment = z.infer<typeof WidgetAttachment>;

/** A message as the visitor sees it: never internal notes, system entries or replies awaiting approval. */
export const WidgetMessage = z.object({
  id: z.uuid(),
  seq: z.number().int(),
  /** the id the visitor's client gave it (own messages only) */
  clientId: z.string().nullable(),
  authorType: z.enum(['customer', 'staff']),
  authorName: z.string().nullable(),
  bodyText: z.string(),
  attachments: z.array(WidgetAttachment),
  createdAt: z.string(),
});
export type WidgetMessage = z.infer<typeof WidgetMessage>;

export const ChatStatus = z.enum(['waiting', 'active', 'ended']);
export type ChatStatus = z.infer<typeof ChatStatus>;

export const WidgetConversation = z.object({
  id: z.uuid(),
  number: z.number().int(),
  subject: z.string(),
  chatStatus: ChatStatus,
  /** the agent who accepted, by display name */
  agentName: z.string().nullable(),
  /** highest seq the agent side has read (read receipts) */
  agentReadSeq: z.number().int(),
  lastSeq: z.number().int(),
  createdAt: z.string(),
});
export type WidgetConversation = z.infer<typeof WidgetConversation>;
export const WidgetConversationList = z.object({ items: z.array(WidgetConversation) });

/** POST /widget/v1/conversations — start a chat with its first message. */
export const StartConversationBody = z
  .object({
    clientId: z.string().min(8).max(100),
    body: z.string().trim().min(1).max(5000),
    attachmentIds: z.array(z.uuid()).max(5).optional(),
    preChat: z.record(z.string().max(40), z.string().max(2000)).optional(),
    page: WidgetPage.optional(),
    locale: z.string().max(20).optional(),
  })
  .strict();
export type StartConversationBody = z.infer<typeof StartConversationBody>;

export const StartConversationResult = z.object({ conversation: WidgetConversation, message: WidgetMessage });

/** POST /widget/v1/conversations/:id/messages (HTTP fallback of the socket's `message`). */
export const SendWidgetMessageBody = z
  .object({
    clientId: z.string().min(8).max(100),
    body: z.string().trim().max(5000),
    attachmentIds: z.array(z.uuid()).max(5).optional(),
  })
  .strict()
  .refine((b) => b.body !== '' || (b.attachmentIds?.length ?? 0) > 0, { message: 'write a message or attach a file', path: ['body'] });
export type SendWidgetMessageBody = z.infer<typeof SendWidgetMessageBody>;

export const WidgetMessageList = z.object({ items: z.array(WidgetMessage) });

/** POST /widget/v1/messages — "leave a message": becomes an email ticket; the answer goes to `email`. */
export const LeaveMessageBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    email: z.email().max(320),
    subject: z.string().trim().max(300).optional(),
    body: z.string().trim().min(1).max(10000),
    locale: z.string().max(20).optional(),
    page: WidgetPage.optional(),
  })
  .strict();
export type LeaveMessageBody = z.infer<typeof LeaveMessageBody>;

/** POST /widget/v1/callbacks — "call me back": a phone ticket in the callback queue. */
export const CallbackRequestBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    phone: z.string().trim().min(5).max(40),
    /** when to call (ISO with offset); absent: as soon as possible */
    preferredAt: z.iso.datetime({ offset: true }).optional(),
    timezone: z.string().max(64).optional(),
    note: z.string().trim().max(2000).optional(),
    locale: z.string().max(20).optional(),
    page: WidgetPage.optional(),
  })
  .strict();
export type CallbackRequestBody = z.infer<typeof CallbackRequestBody>;

export const WidgetTicketCreated = z.object({ ticketNumber: z.number().int() });

/** POST /widget/v1/conversations/:id/transcript — email the conversation to the visitor. */
export const TranscriptBody = z.object({ email: z.email().max(320).optional() }).strict();

/** GET /widget/v1/kb/search?key=&q=&lang= — public help-centre articles. */
export const WidgetArticleHit = z.object({ id: z.string(), title: z.string(), snippet: z.string(), url: z.string(), language: z.string() });
export const WidgetArticleHits = z.object({ items: z.array(WidgetArticleHit) });

// ---------------------------------------------------------------------------------------------------------------
// WebSocket protocol (JSON text frames). Delivery is exactly-once as people see it: the client gives every message
// a clientId and resends until it gets `ack`; the server stores a clientId once per conversation; every message has a
// per-conversation `seq`; on (re)connect the client `subscribe`s with the last seq it has and the server replays
// everything after it, in order, before live messages.

export const WidgetClientMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('subscribe'), conversationId: z.uuid(), afterSeq: z.number().int().min(0) }),
  z.object({
    type: z.literal('message'),
    conversationId: z.uuid(),
    clientId: z.string().min(8).max(100),
    body: z.string().max(5000),
    attachmentIds: z.array(z.uuid()).max(5).optional(),
  }),
  z.object({ type: z.literal('typing'), conversationId: z.uuid(), isTyping: z.boolean() }),
  z.object({ type: z.literal('read'), conversationId: z.uuid(), seq: z.number().int().min(0) }),
  z.object({ type: z.literal('page'), page: WidgetPage }),
  z.object({ type: z.literal('ping') }),
]);
export type WidgetClientMessage = z.infer<typeof WidgetClientMessage>;

export type WidgetServerMessage =
  | { type: 'ready' }
  /** a message in a subscribed conversation (replayed or live), in seq order, each seq once per socket */
  | { type: 'message'; conversationId: string; message: WidgetMessage }
  /** the visitor's message with this clientId is stored as `seq` (also sent for a resent duplicate) */
  | { type: 'ack'; conversationId: string; clientId: string; seq: number; messageId: string }
  /** replay done for this conversation: `lastSeq` is the newest message seq */
  | { type: 'subscribed'; conversationId: string; lastSeq: number; chatStatus: ChatStatus; agentName: string | null; agentReadSeq: number }
  | { type: 'typing'; conversationId: string; name: string | null; isTyping: boolean }
  /** the agent side has read up to `seq` */
  | { type: 'read'; conversationId: string; seq: number }
  | { type: 'status'; conversationId: string; chatStatus: ChatStatus; agentName: string | null }
  | { type: 'error'; code: string; message: string; clientId?: string; conversationId?: string }
  | { type: 'pong' };

/** Close codes of the widget socket. */
export const WIDGET_CLOSE = {
  /** unknown or expired visitor token: start a new visitor */
  unauthorised: 4401,
  /** too many messages: slow down and reconnect */
  rateLimited: 4429,
} as const;
