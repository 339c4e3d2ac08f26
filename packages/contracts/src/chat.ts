import { z } from 'zod';
import { ChatStatus, PreChatField, WidgetOptions } from './widget.ts';

/**
 * The staff side of live chat, widgets and callbacks, under /api/v1. Chats are tickets of channel `chat`; this is
 * the live state around them. Realtime: the staff socket (/api/v1/realtime) carries the usual ticket events plus
 * `chat.offered` (payload `{ userId, timeoutSeconds }`), `chat.accepted`, `chat.ended`, and the ephemeral signal
 * `{ type: 'chat.typing', ticketId, from: 'visitor' | 'staff', name, isTyping }`. Staff send
 * `{ type: 'chat.typing', ticketId, isTyping }` and `{ type: 'chat.read', ticketId, seq }` on that socket.
 */
const perLanguage = z.record(z.string().min(2).max(10), z.string().max(2000));
const hexColour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #1c7ed6');
const origin = z
  .string()
  .trim()
  .regex(/^https?:\/\/[^/\s?#]+$/, 'an origin like https://shop.example (scheme and host, no path)');

// ---- widgets (admin) ----------------------------------------------------------------------------------------------

export const Widget = z.object({
  id: z.uuid(),
  publicKey: z.string(),
  name: z.string(),
  status: z.enum(['active', 'disabled']),
  primaryColor: z.string(),
  position: z.enum(['right', 'left']),
  defaultLanguage: z.string(),
  greetings: perLanguage,
  allowedOrigins: z.array(z.string()),
  options: WidgetOptions,
  preChatFields: z.array(PreChatField),
  teamId: z.uuid().nullable(),
  /** business hours: an SLA calendar (null: always open) */
  calendarId: z.uuid().nullable(),
  offerTimeoutSeconds: z.number().int(),
  requireIdentity: z.boolean(),
  hasIdentitySecret: z.boolean(),
  /** the one line to paste into the site */
  snippet: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Widget = z.infer<typeof Widget>;
export const WidgetList = z.object({ items: z.array(Widget) });

export const WidgetBody = z
  .object({
    name: z.string().trim().min(1).max(200),
    status: z.enum(['active', 'disabled']).optional(),
    primaryColor: hexColour.optional(),
    position: z.enum(['right', 'left']).optional(),
    defaultLanguage: z.enum(['en', 'bn', 'hi']).optional(),
    greetings: perLanguage.optional(),
    allowedOrigins: z.array(origin).max(50).optional(),
    options: WidgetOptions.optional(),
    preChatFields: z.array(PreChatField).max(20).optional(),
    teamId: z.uuid().nullable().optional(),
    calendarId: z.uuid().nullable().optional(),
    offerTimeoutSeconds: z.number().int().min(10).max(3600).optional(),
    requireIdentity: z.boolean().optional(),
  })
  .strict();
export type WidgetBody = z.infer<typeof WidgetBody>;
export const WidgetPatch = WidgetBody.partial().strict();
export type WidgetPatch = z.infer<typeof WidgetPatch>;

/** POST /widgets/:id/identity-secret — a new HMAC secret, shown once. */
export const WidgetIdentitySecret = z.object({ secret: z.string() });

// ---- chats (agents) -----------------------------------------------------------------------------------------------

export const ChatVisitorInfo = z.object({
  visitorId: z.uuid(),
  name: z.string(),
  email: z.string().nullable(),
  isVerified: z.boolean(),
  externalUserId: z.string().nullable(),
  locale: z.string().nullable(),
  /** the page the visitor is on now (updated live) */
  currentPageUrl: z.string().nullable(),
  currentPageTitle: z.string().nullable(),
  referrer: z.string().nullable(),
  userAgent: z.string().nullable(),
  lastSeenAt: z.string(),
  /** connected to the widget socket right now */
  isOnline: z.boolean(),
});
export type ChatVisitorInfo = z.infer<typeof ChatVisitorInfo>;

export const ChatSummary = z.object({
  ticketId: z.uuid(),
  ticketNumber: z.number().int(),
  subject: z.string(),
  status: ChatStatus,
  widgetId: z.uuid(),
  widgetName: z.string(),
  customerId: z.uuid(),
  customerName: z.string(),
  offeredToId: z.uuid().nullable(),
  offeredAt: z.string().nullable(),
  acceptedById: z.uuid().nullable(),
  acceptedByName: z.string().nullable(),
  acceptedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  locale: z.string().nullable(),
  pageUrl: z.string().nullable(),
  /** messages the agent side has not read */
  unread: z.number().int(),
  waitingSeconds: z.number().int(),
  createdAt: z.string(),
});
export type ChatSummary = z.infer<typeof ChatSummary>;

/** GET /chats?scope=queue|mine|all — waiting and active chats. */
export const ChatListQuery = z.object({ scope: z.enum(['queue', 'mine', 'all']).default('all') });
export const ChatList = z.object({ items: z.array(ChatSummary) });

/** GET /chats/:ticketId — the chat panel on the ticket page. */
export const ChatDetail = ChatSummary.extend({
  visitor: ChatVisitorInfo,
  preChat: z.record(z.string(), z.string()),
  referrer: z.string().nullable(),
  pageTitle: z.string().nullable(),
  visitorReadSeq: z.number().int(),
  agentReadSeq: z.number().int(),
  /** the customer's earlier conversations (any channel), newest first */
  earlier: z.array(z.object({ ticketId: z.uuid(), number: z.number().int(), subject: z.string(), channel: z.string(), status: z.string(), createdAt: z.string() })),
});
export type ChatDetail = z.infer<typeof ChatDetail>;

/** POST /chats/:ticketId/end — `keepOpen`: the ticket stays open and continues by email (needs the visitor's email). */
export const EndChatBody = z.object({ keepOpen: z.boolean().optional() }).strict();
/** POST /chats/:ticketId/transcript — email the transcript to the visitor (or to `email`). */
export const ChatTranscriptBody = z.object({ email: z.email().max(320).optional() }).strict();

// ---- callbacks and call logs --------------------------------------------------------------------------------------

export const CallbackStatus = z.enum(['requested', 'scheduled', 'completed', 'unreachable', 'cancelled']);
export type CallbackStatus = z.infer<typeof CallbackStatus>;

export const Callback = z.object({
  id: z.uuid(),
  ticketId: z.uuid(),
  ticketNumber: z.number().int(),
  customerId: z.uuid(),
  customerName: z.string(),
  phone: z.string(),
  preferredAt: z.string().nullable(),
  timezone: z.string().nullable(),
  note: z.string(),
  status: CallbackStatus,
  scheduledFor: z.string().nullable(),
  attempts: z.number().int(),
  claimedById: z.uuid().nullable(),
  claimedByName: z.string().nullable(),
  createdAt: z.string(),
});
export type Callback = z.infer<typeof Callback>;
/** GET /callbacks?status=open|done|all — open = requested + scheduled, ordered by preferred time. */
export const CallbackListQuery = z.object({ status: z.enum(['open', 'done', 'all']).default('open') });
export const CallbackList = z.object({ items: z.array(Callback) });
export const CallbackPatch = z
  .object({
    status: CallbackStatus.optional(),
    scheduledFor: z.iso.datetime({ offset: true }).nullable().optional(),
    /** true: I take it; false: release it */
    claim: z.boolean().optional(),
  })
  .strict();
export type CallbackPatch = z.infer<typeof CallbackPatch>;

export const CallOutcome = z.enum(['answered', 'no_answer', 'busy', 'voicemail', 'wrong_number']);
export type CallOutcome = z.infer<typeof CallOutcome>;

/** POST /tickets/:ticketId/calls — log a call (adds an internal note; a callback's status follows the outcome). */
export const CallLogBody = z
  .object({
    direction: z.enum(['inbound', 'outbound']),
    outcome: CallOutcome,
    startedAt: z.iso.datetime({ offset: true }).optional(),
    durationSeconds: z.number().int().min(0).max(86_400),
    notes: z.string().trim().max(10_000).optional(),
    phone: z.string().trim().max(40).optional(),
    callbackId: z.uuid().optional(),
  })
  .strict();
export type CallLogBody = z.infer<typeof CallLogBody>;

export const CallLog = z.object({
  id: z.uuid(),
  ticketId: z.uuid(),
  callbackId: z.uuid().nullable(),
  staffId: z.uuid().nullable(),
  staffName: z.string().nullable(),
  direction: z.enum(['inbound', 'outbound']),
  outcome: CallOutcome,
  phone: z.string().nullable(),
  startedAt: z.string(),
  durationSeconds: z.number().int(),
  notes: z.string(),
  createdAt: z.string(),
});
export type CallLog = z.infer<typeof CallLog>;
export const CallLogList = z.object({ items: z.array(CallLog) });
