import { bigint, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { customers } from './customers.ts';
import { teams } from './staff.ts';
import { messages, tickets } from './tickets.ts';

/** Auto-reply text per language: `{ en: '…', bn: '…' }`. */
export type ChannelAutoReplies = Record<string, string>;

/** Opening hours in a time zone; `day` 0 = Sunday … 6 = Saturday, times "HH:MM" (close may be "24:00"). */
export interface ChannelBusinessHours {
  timezone: string;
  days: Array<{ day: number; open: string; close: string }>;
}

/**
 * A messaging channel: the generic API channel or a provider account (Twilio number, WhatsApp Business number,
 * Facebook page, Instagram account, Telegram bot). See docs/channels.md.
 */
export const channels = pgTable(
  'channels',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** api | sms | whatsapp | messenger | instagram | telegram (also the ticket channel) */
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    /** active | paused | error */
    status: text('status').notNull().default('active'),
    teamId: uuid('team_id').references(() => teams.id, { onDelete: 'set null' }),
    /** default language of new conversations (null: detected) */
    language: text('language'),
    autoReplies: jsonb('auto_replies').$type<ChannelAutoReplies>().notNull().default({}),
    /** null: always open */
    businessHours: jsonb('business_hours').$type<ChannelBusinessHours | null>(),
    /** auto-reply per language for conversations that start outside business hours */
    awayReplies: jsonb('away_replies').$type<ChannelAutoReplies>().notNull().default({}),
    /** cost of one outbound message in micro-units of `currency` (for the cost-per-channel report) */
    costPerMessageMicros: bigint('cost_per_message_micros', { mode: 'number' }).notNull().default(0),
    currency: text('currency').notNull().default('USD'),
    /** the API channel's callback URL (called through the SSRF-safe client) */
    callbackUrl: text('callback_url'),
    /** non-secret provider settings: account SID, phone number, phone number id, page id, API base URL … */
    settings: jsonb('settings').$type<Record<string, string>>().notNull().default({}),
    /** AES-256-GCM sealed JSON of the credentials (signing secret, tokens); never returned by the API */
    credentialsEnc: text('credentials_enc'),
    lastError: text('last_error'),
    lastErrorAt: timestamp('last_error_at', { withTimezone: true }),
    lastInboundAt: timestamp('last_inbound_at', { withTimezone: true }),
    lastOutboundAt: timestamp('last_outbound_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('channels_kind_idx').on(t.kind)],
);

/** One person as a channel knows them (app user id, phone number, page-scoped id, Telegram chat id). */
export const channelContacts = pgTable(
  'channel_contacts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    channelId: uuid('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    externalId: text('external_id').notNull(),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id, { onDelete: 'cascade' }),
    displayName: text('display_name').notNull().default(''),
    /** the customer's last message here: opens WhatsApp's 24-hour customer-service window */
    lastInboundAt: timestamp('last_inbound_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('channel_contacts_channel_external_key').on(t.channelId, t.externalId),
    index('channel_contacts_customer_idx').on(t.customerId),
  ],
);

/** Which channel (and contact) a ticket talks through; replies go back the same way. */
export const channelConversations = pgTable(
  'channel_conversations',
  {
    ticketId: uuid('ticket_id')
      .primaryKey()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    channelId: uuid('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => channelContacts.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('channel_conversations_contact_idx').on(t.contactId, t.createdAt)],
);

/** Every inbound provider message, once: idempotent on (channel, the sender's message id). */
export const channelInboundMessages = pgTable(
  'channel_inbound_messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    channelId: uuid('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    externalMessageId: text('external_message_id').notNull(),
    ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
    messageId: uuid('message_id').references(() => messages.id, { onDelete: 'set null' }),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('channel_inbound_channel_external_key').on(t.channelId, t.externalMessageId)],
);

/** One outbound delivery (agent reply, auto-reply, test message) and its provider status. */
export const channelDeliveries = pgTable(
  'channel_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    idempotencyKey: text('idempotency_key').notNull(),
    channelId: uuid('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    /** reply | auto_reply | test */
    kind: text('kind').notNull(),
    ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
    messageId: uuid('message_id').references(() => messages.id, { onDelete: 'set null' }),
    recipient: text('recipient').notNull(),
    /** for test messages and auto-replies (replies read the message) */
    text: text('text'),
    /** queued | sent | delivered | read | failed */
    status: text('status').notNull().default('queued'),
    providerMessageId: text('provider_message_id'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    /**
     * The lease of the attempt that is sending this delivery now (null: nobody is). An attempt claims a queued
     * delivery only while this is null or past, so two jobs for one delivery never both send; a crashed attempt's
     * lease runs out and the next job sends it. See deliver-channel-message.job.ts.
     */
    sendingUntil: timestamp('sending_until', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('channel_deliveries_idempotency_key').on(t.idempotencyKey),
    index('channel_deliveries_channel_idx').on(t.channelId, t.createdAt),
    index('channel_deliveries_provider_idx').on(t.channelId, t.providerMessageId),
  ],
);
