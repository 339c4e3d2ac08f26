import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { teams } from './staff.ts';
import { messages, tickets } from './tickets.ts';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

/** Acknowledgement template per language: `{ en: { subject, body }, bn: {...} }`. */
export type AckTemplates = Record<string, { subject: string; body: string }>;

/** A support address (support@, billing@ …): how its mail arrives and how replies leave. */
export const mailboxes = pgTable(
  'mailboxes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** lower-case address; the SMTP listener accepts it and `local+token@domain` */
    address: text('address').notNull(),
    name: text('name').notNull(),
    /** outbound From display name (defaults to name) */
    fromName: text('from_name').notNull().default(''),
    signature: text('signature').notNull().default(''),
    /** new tickets from this mailbox go to this team; the team's replies leave from its default mailbox */
    teamId: uuid('team_id').references(() => teams.id, { onDelete: 'set null' }),
    isTeamDefault: boolean('is_team_default').notNull().default(false),
    /** active | disabled | error */
    status: text('status').notNull().default('active'),
    lastError: text('last_error'),
    lastErrorAt: timestamp('last_error_at', { withTimezone: true }),
    lastReceivedAt: timestamp('last_received_at', { withTimezone: true }),
    isSmtpEnabled: boolean('is_smtp_enabled').notNull().default(true),
    isImapEnabled: boolean('is_imap_enabled').notNull().default(false),
    imapHost: text('imap_host'),
    imapPort: integer('imap_port'),
    imapUser: text('imap_user'),
    /** AES-256-GCM, see modules/email/secret-box.ts; never returned by the API */
    imapPasswordEnc: text('imap_password_enc'),
    imapFolder: text('imap_folder').notNull().default('INBOX'),
    /** tls (implicit TLS, certificate verified) | starttls (required, verified) | plain (only when chosen explicitly) */
    imapSecurity: text('imap_security').notNull().default('tls'),
    /** the folder's UIDVALIDITY when the fetcher last synced it (null: never synced) */
    imapUidValidity: bigint('imap_uid_validity', { mode: 'number' }),
    /** highest UID stored and marked \Seen under imap_uid_validity */
    imapLastUid: bigint('imap_last_uid', { mode: 'number' }).notNull().default(0),
    /** when the fetcher last finished a pass over the folder */
    imapLastSyncAt: timestamp('imap_last_sync_at', { withTimezone: true }),
    isAckEnabled: boolean('is_ack_enabled').notNull().default(true),
    ackTemplates: jsonb('ack_templates').$type<AckTemplates>().notNull().default({}),
    /** addresses or @domains always accepted / always refused */
    allowList: text('allow_list').array().notNull().default(sql`'{}'::text[]`),
    blockList: text('block_list').array().notNull().default(sql`'{}'::text[]`),
    /** authserv-id of our inbound host whose Authentication-Results we trust (e.g. mx.example.com) */
    trustedAuthservId: text('trusted_authserv_id'),
    /** HMAC key for POST /hooks/email/:mailbox (encrypted like IMAP credentials) */
    hookSecretEnc: text('hook_secret_enc'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('mailboxes_address_key').on(sql`lower(${t.address})`), index('mailboxes_team_idx').on(t.teamId)],
);

/**
 * Every accepted raw message, committed before the SMTP listener answers 250 (or IMAP marks it seen).
 * Idempotent on mailbox + Message-ID + content hash (the raw bytes without trace headers).
 */
export const inboundEmails = pgTable(
  'inbound_emails',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    mailboxId: uuid('mailbox_id')
      .notNull()
      .references(() => mailboxes.id, { onDelete: 'cascade' }),
    /** smtp | imap | hook */
    source: text('source').notNull(),
    envelopeFrom: text('envelope_from').notNull().default(''),
    envelopeTo: text('envelope_to').array().notNull().default(sql`'{}'::text[]`),
    remoteAddress: text('remote_address'),
    /** the Message-ID header without <>, '' when missing */
    messageIdHeader: text('message_id_header').notNull().default(''),
    contentHash: text('content_hash').notNull(),
    sha256: text('sha256').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    raw: bytea('raw').notNull(),
    /** received | processed | quarantined | failed */
    status: text('status').notNull().default('received'),
    /** ticket_created | message_added | follow_up_created | duplicate | bounce | loop | blocked | no_sender */
    outcome: text('outcome'),
    ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
    messageId: uuid('message_id').references(() => messages.id, { onDelete: 'set null' }),
    attempts: integer('attempts').notNull().default(0),
    error: text('error'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
    processedAt: timestamp('processed_at', { withTimezone: true }),
    /**
     * while `received`: when a worker may take it next — now for a new mail, the end of a worker's lease while one
     * has it, the retry time after a failed attempt (the table is the ingest queue: inbound-queue.ts)
     */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('inbound_emails_dedupe_key').on(t.mailboxId, t.messageIdHeader, t.contentHash),
    index('inbound_emails_status_idx').on(t.status, t.receivedAt),
    index('inbound_emails_queue_idx').on(t.receivedAt).where(sql`status = 'received'`),
    index('inbound_emails_mailbox_idx').on(t.mailboxId, t.receivedAt),
  ],
);

/** The email side of a ticket: which mailbox it talks through, its reply token and its participants. */
export const emailThreads = pgTable(
  'email_threads',
  {
    ticketId: uuid('ticket_id')
      .primaryKey()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    mailboxId: uuid('mailbox_id').references(() => mailboxes.id, { onDelete: 'set null' }),
    /** support+<token>@domain threads replies onto this ticket */
    replyToken: text('reply_token').notNull(),
    /** lower-case addresses allowed to write into this ticket by email (customer, CCs) */
    participants: text('participants').array().notNull().default(sql`'{}'::text[]`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('email_threads_reply_token_key').on(t.replyToken)],
);

/** Message-IDs Seva has seen or written, for In-Reply-To/References threading. */
export const emailMessageIds = pgTable(
  'email_message_ids',
  {
    messageIdHeader: text('message_id_header').notNull(),
    messageId: uuid('message_id')
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    /** inbound | outbound */
    direction: text('direction').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.messageIdHeader, t.messageId] }),
    index('email_message_ids_ticket_idx').on(t.ticketId),
  ],
);

/** Outgoing mail (agent replies and acknowledgements): one row per send, keyed for idempotency. */
export const outboundEmails = pgTable(
  'outbound_emails',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** reply:<messageId> | ack:<inboundEmailId> */
    idempotencyKey: text('idempotency_key').notNull(),
    /** reply | ack */
    kind: text('kind').notNull(),
    ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'cascade' }),
    messageId: uuid('message_id').references(() => messages.id, { onDelete: 'set null' }),
    mailboxId: uuid('mailbox_id').references(() => mailboxes.id, { onDelete: 'set null' }),
    /** first To address, lower case (acknowledgement rate limit) */
    recipient: text('recipient').notNull(),
    messageIdHeader: text('message_id_header').notNull(),
    /** queued | sent | failed */
    status: text('status').notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    error: text('error'),
    /**
     * The lease of the attempt that is sending this mail now (null: nobody is). The send job claims a queued row only
     * while this is null or past, so two jobs for one mail never both send it; a crashed attempt's lease runs out and
     * the next job sends it. An attempt that gives the mail back sets it to that moment (a lease that has ended),
     * so for a queued mail it tells when it was last tried (the stranded sweep). See send-email.job.ts.
     */
    sendingUntil: timestamp('sending_until', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('outbound_emails_idempotency_key').on(t.idempotencyKey),
    index('outbound_emails_recipient_idx').on(t.kind, t.recipient, t.createdAt),
    index('outbound_emails_message_id_header_idx').on(t.messageIdHeader),
    // the stranded sweep (requeue-stranded-outbound.ts): queued mails, oldest first, among all the ones ever sent
    index('outbound_emails_queued_idx').on(t.createdAt).where(sql`${t.status} = 'queued'`),
  ],
);

/** Where each event-log reader got to (the outbound mail reader polls `events` from here). */
export const eventCursors = pgTable('event_cursors', {
  name: text('name').primaryKey(),
  lastEventId: bigint('last_event_id', { mode: 'number' }).notNull().default(0),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
