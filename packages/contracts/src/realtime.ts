import { z } from 'zod';

/**
 * Messages pushed on `GET /api/v1/realtime` (WebSocket). The server only announces *that* something happened;
 * the client refetches what it shows. Control messages use the `realtime.` prefix.
 */
export const REALTIME_PATH = '/api/v1/realtime';

/** Sent once the socket is subscribed (after any replay): `eventId` is the newest event the client has now seen. */
export const RealtimeReady = z.object({ type: z.literal('realtime.ready'), eventId: z.number().int().nullable() });
export type RealtimeReady = z.infer<typeof RealtimeReady>;

/** Too much was missed to replay: refetch everything on screen. */
export const RealtimeResync = z.object({ type: z.literal('realtime.resync') });
export type RealtimeResync = z.infer<typeof RealtimeResync>;

/** Answer to a client `{ "type": "ping" }` (browsers cannot send WebSocket pings themselves). */
export const RealtimePong = z.object({ type: z.literal('realtime.pong') });
export type RealtimePong = z.infer<typeof RealtimePong>;

/** Something happened on a ticket (or customer) this staff member may see. */
export const RealtimeEvent = z.object({
  /** the event type: ticket.created, ticket.updated, ticket.status_changed, ticket.assigned, message.added … */
  type: z.string(),
  ticketId: z.uuid().nullable(),
  customerId: z.uuid().nullable().optional(),
  /** the id of the row in the event log; pass the last one seen as `?since=` when reconnecting */
  eventId: z.number().int(),
  payload: z.record(z.string(), z.unknown()).optional(),
});
export type RealtimeEvent = z.infer<typeof RealtimeEvent>;

// ---- live chat (ephemeral signals, not in the event log, never replayed) -------------------------------------------

/** Someone is typing in a chat: the visitor, or another staff member (never echoed to the one typing). */
export const RealtimeChatTyping = z.object({
  type: z.literal('chat.typing'),
  ticketId: z.uuid(),
  from: z.enum(['visitor', 'staff']),
  name: z.string().nullable(),
  isTyping: z.boolean(),
});
export type RealtimeChatTyping = z.infer<typeof RealtimeChatTyping>;

/** The visitor moved to another page of the site. */
export const RealtimeChatPage = z.object({ type: z.literal('chat.page'), ticketId: z.uuid(), url: z.string().nullable(), title: z.string().nullable() });
export type RealtimeChatPage = z.infer<typeof RealtimeChatPage>;

/** The visitor's widget connected or went away. */
export const RealtimeChatPresence = z.object({ type: z.literal('chat.presence'), ticketId: z.uuid(), online: z.boolean() });
export type RealtimeChatPresence = z.infer<typeof RealtimeChatPresence>;

export type RealtimeChatSignal = RealtimeChatTyping | RealtimeChatPage | RealtimeChatPresence;

/** What staff send on the socket: typing in a chat, and read receipts (`chat.read`, like POST /chats/:id/read). */
export const StaffChatTyping = z.object({ type: z.literal('chat.typing'), ticketId: z.uuid(), isTyping: z.boolean() });
export const StaffChatRead = z.object({ type: z.literal('chat.read'), ticketId: z.uuid(), seq: z.number().int().min(0) });
export const RealtimeClientMessage = z.union([z.object({ type: z.literal('ping') }), StaffChatTyping, StaffChatRead]);
export type RealtimeClientMessage = z.infer<typeof RealtimeClientMessage>;

export type RealtimeServerMessage = RealtimeReady | RealtimeResync | RealtimePong | RealtimeEvent | RealtimeChatSignal;

/** Query of the upgrade request: `token` (API token, for clients without cookies) and `since` (resume point). */
export const RealtimeQuery = z.object({
  token: z.string().min(1).max(512).optional(),
  since: z.coerce.number().int().min(0).optional(),
});
export type RealtimeQuery = z.infer<typeof RealtimeQuery>;

/** Close codes the server uses besides the standard ones. */
export const REALTIME_CLOSE = {
  /** the session ended, the token was revoked or the account disabled: sign in again */
  credentialsRevoked: 4401,
  /** the server is shutting down: reconnect with backoff */
  goingAway: 1001,
} as const;
