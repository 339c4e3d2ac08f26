import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { customers } from './customers.ts';
import { staffUsers, teams } from './staff.ts';
import { messages, tickets } from './tickets.ts';

/** Text per language: `{ en: '…', bn: '…', hi: '…' }`. */
export type PerLanguage = Record<string, string>;

/** Which launcher options a widget shows. */
export interface WidgetOptions {
  /** search the knowledge base */
  kb: boolean;
  /** chat with a person (offered only when open and someone is online) */
  chat: boolean;
  /** leave a message (always offered when chat is not) */
  message: boolean;
  /** ask for a call back */
  callback: boolean;
}

/** One field of the optional pre-chat form. `name` and `email` map onto the visitor. */
export interface PreChatField {
  key: string;
  kind: 'text' | 'email' | 'phone' | 'select' | 'textarea';
  label: PerLanguage;
  required: boolean;
  options?: Array<{ value: string; label: PerLanguage }>;
}

/**
 * A help widget a site embeds with one script tag (`<script src="…/widget.js" data-seva-key="…">`). Business hours
 * come from an SLA calendar assigned with calendar_assignments (target_kind 'widget').
 */
export const widgets = pgTable(
  'widgets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** public key in the snippet (not a secret: it only names the widget) */
    publicKey: text('public_key').notNull(),
    name: text('name').notNull(),
    /** active | disabled */
    status: text('status').notNull().default('active'),
    primaryColor: text('primary_color').notNull().default('#1c7ed6'),
    /** right | left */
    position: text('position').notNull().default('right'),
    /** shown when no language is chosen by the site or the browser */
    defaultLanguage: text('default_language').notNull().default('en'),
    greetings: jsonb('greetings').$type<PerLanguage>().notNull().default({}),
    /** origins allowed to embed the widget (`https://shop.example`); empty: none but Seva's own demo page */
    allowedOrigins: text('allowed_origins').array().notNull().default(sql`'{}'::text[]`),
    options: jsonb('options').$type<WidgetOptions>().notNull().default({ kb: true, chat: true, message: true, callback: true }),
    preChatFields: jsonb('pre_chat_fields').$type<PreChatField[]>().notNull().default([]),
    /** new chats go to this team (routing rules may still change it) */
    teamId: uuid('team_id').references(() => teams.id, { onDelete: 'set null' }),
    /** an offered chat nobody accepted moves on to the next available person after this many seconds */
    offerTimeoutSeconds: integer('offer_timeout_seconds').notNull().default(45),
    /** AES-256-GCM sealed HMAC secret for identity verification; never returned after creation */
    identitySecretEnc: text('identity_secret_enc'),
    /** true: only verified visitors may see earlier conversations of their customer record */
    requireIdentity: boolean('require_identity').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('widgets_public_key_key').on(t.publicKey)],
);

/**
 * A browser talking to a widget. The visitor token (kept in the browser) is stored only as a SHA-256 hash; a
 * visitor reads only conversations that belong to it, or — when verified by HMAC — to its customer record.
 */
export const chatVisitors = pgTable(
  'chat_visitors',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    widgetId: uuid('widget_id')
      .notNull()
      .references(() => widgets.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    /** set on the first conversation, leave-a-message or callback (or at once when verified) */
    customerId: uuid('customer_id').references(() => customers.id, { onDelete: 'set null' }),
    /** the site's own user id, when the site signed it */
    externalUserId: text('external_user_id'),
    isVerified: boolean('is_verified').notNull().default(false),
    name: text('name').notNull().default(''),
    email: text('email'),
    locale: text('locale'),
    lastPageUrl: text('last_page_url'),
    lastPageTitle: text('last_page_title'),
    referrer: text('referrer'),
    userAgent: text('user_agent'),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('chat_visitors_token_key').on(t.tokenHash),
    index('chat_visitors_customer_idx').on(t.customerId),
    index('chat_visitors_external_idx').on(t.widgetId, t.externalUserId),
  ],
);

/** One chat conversation; the conversation *is* a ticket (channel `chat`), this row holds the live-chat state. */
export const chatSessions = pgTable(
  'chat_sessions',
  {
    ticketId: uuid('ticket_id')
      .primaryKey()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    widgetId: uuid('widget_id')
      .notNull()
      .references(() => widgets.id, { onDelete: 'cascade' }),
    visitorId: uuid('visitor_id')
      .notNull()
      .references(() => chatVisitors.id, { onDelete: 'cascade' }),
    /** waiting (nobody accepted yet) | active (an agent accepted) | ended */
    status: text('status').notNull().default('waiting'),
    /** the person the chat is offered to now (null: nobody available, it waits in the queue) */
    offeredToId: uuid('offered_to_id').references(() => staffUsers.id, { onDelete: 'set null' }),
    offeredAt: timestamp('offered_at', { withTimezone: true }),
    /** people it was offered to and who let it pass, so escalation moves on */
    offeredIds: uuid('offered_ids').array().notNull().default(sql`'{}'::uuid[]`),
    acceptedById: uuid('accepted_by_id').references(() => staffUsers.id, { onDelete: 'set null' }),
    acceptedAt: timestamp('accepted_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    /** visitor | agent | system */
    endedBy: text('ended_by'),
    pageUrl: text('page_url'),
    pageTitle: text('page_title'),
    referrer: text('referrer'),
    locale: text('locale'),
    /** the answers to the pre-chat form */
    preChat: jsonb('pre_chat').$type<Record<string, string>>().notNull().default({}),
    /** highest message seq the visitor has seen / an agent has seen (read receipts) */
    visitorReadSeq: integer('visitor_read_seq').notNull().default(0),
    agentReadSeq: integer('agent_read_seq').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('chat_sessions_status_idx').on(t.status, t.offeredAt),
    index('chat_sessions_visitor_idx').on(t.visitorId, t.createdAt),
    index('chat_sessions_accepted_idx').on(t.acceptedById, t.status),
    index('chat_sessions_offered_idx').on(t.offeredToId, t.status),
  ],
);

/** Exactly-once chat messages: a client message id is stored once per conversation. */
export const chatClientMessages = pgTable(
  'chat_client_messages',
  {
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    clientId: text('client_id').notNull(),
    messageId: uuid('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    seq: integer('seq').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.clientId] })],
);

/** "Call me back": a request from the widget (or logged by an agent), shown in the callback queue. */
export const callbackRequests = pgTable(
  'callback_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** the ticket of channel `phone` that carries the request */
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    widgetId: uuid('widget_id').references(() => widgets.id, { onDelete: 'set null' }),
    visitorId: uuid('visitor_id').references(() => chatVisitors.id, { onDelete: 'set null' }),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    phone: text('phone').notNull(),
    /** when the customer would like the call (null: as soon as possible) */
    preferredAt: timestamp('preferred_at', { withTimezone: true }),
    /** the customer's time zone, to show the preferred time as they meant it */
    timezone: text('timezone'),
    note: text('note').notNull().default(''),
    /** requested | scheduled | completed | unreachable | cancelled */
    status: text('status').notNull().default('requested'),
    scheduledFor: timestamp('scheduled_for', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    claimedById: uuid('claimed_by_id').references(() => staffUsers.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('callback_requests_queue_idx').on(t.status, t.preferredAt), index('callback_requests_ticket_idx').on(t.ticketId)],
);

/** A phone call logged on a ticket (callback or not): outcome, duration and notes. */
export const callLogs = pgTable(
  'call_logs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    callbackId: uuid('callback_id').references(() => callbackRequests.id, { onDelete: 'set null' }),
    staffId: uuid('staff_id').references(() => staffUsers.id, { onDelete: 'set null' }),
    /** inbound | outbound */
    direction: text('direction').notNull(),
    /** answered | no_answer | busy | voicemail | wrong_number */
    outcome: text('outcome').notNull(),
    phone: text('phone'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    durationSeconds: integer('duration_seconds').notNull().default(0),
    notes: text('notes').notNull().default(''),
    /** the internal note on the ticket that records the call */
    messageId: uuid('message_id').references(() => messages.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('call_logs_ticket_idx').on(t.ticketId, t.startedAt)],
);
