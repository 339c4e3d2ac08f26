import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { customers, organisations } from './customers.ts';
import { staffUsers, teams } from './staff.ts';

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

export const categories = pgTable('categories', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  /** { bn: '…', hi: '…' } display names per locale; `name` is the default */
  translations: jsonb('translations').$type<Record<string, string>>().notNull().default({}),
  position: integer('position').notNull().default(0),
  isActive: boolean('is_active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const customFields = pgTable('custom_fields', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** stable key used in the API: `custom_fields: { [key]: value }` */
  key: text('key').notNull().unique(),
  label: text('label').notNull(),
  translations: jsonb('translations').$type<Record<string, string>>().notNull().default({}),
  /** text | number | date | dropdown | checkbox */
  fieldType: text('field_type').notNull(),
  /** dropdown options: [{ value, label, translations }] */
  options: jsonb('options')
    .$type<Array<{ value: string; label: string; translations?: Record<string, string> }>>()
    .notNull()
    .default([]),
  isRequired: boolean('is_required').notNull().default(false),
  position: integer('position').notNull().default(0),
  isActive: boolean('is_active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const tickets = pgTable(
  'tickets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    number: bigint('number', { mode: 'number' }).notNull().generatedByDefaultAsIdentity({ startWith: 1000 }),
    subject: text('subject').notNull(),
    /** new | open | pending | on_hold | solved | closed — see ticket-status.ts */
    status: text('status').notNull().default('new'),
    /** low | normal | high | urgent */
    priority: text('priority').notNull().default('normal'),
    /** question | incident | problem | task */
    type: text('type').notNull().default('question'),
    problemId: uuid('problem_id').references((): AnyPgColumn => tickets.id, { onDelete: 'set null' }),
    categoryId: uuid('category_id').references(() => categories.id, { onDelete: 'set null' }),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    customFields: jsonb('custom_fields').$type<Record<string, unknown>>().notNull().default({}),
    language: text('language'),
    /** email | chat | web | api | phone | sms | whatsapp | messenger | instagram | telegram */
    channel: text('channel').notNull(),
    teamId: uuid('team_id').references(() => teams.id, { onDelete: 'set null' }),
    assigneeId: uuid('assignee_id').references(() => staffUsers.id, { onDelete: 'set null' }),
    customerId: uuid('customer_id')
      .notNull()
      .references(() => customers.id),
    organisationId: uuid('organisation_id').references(() => organisations.id, { onDelete: 'set null' }),
    mergedIntoId: uuid('merged_into_id').references((): AnyPgColumn => tickets.id),
    /** last message sequence number; messages get seq = ++last_seq */
    lastSeq: integer('last_seq').notNull().default(0),
    messageCount: integer('message_count').notNull().default(0),
    /** normalised subject (and customer identity) for search */
    searchText: text('search_text').notNull().default(''),
    searchVector: tsvector('search_vector').generatedAlwaysAs(sql`to_tsvector('simple', search_text)`),
    /**
     * writing systems of the subject and of every message the ticket has had, as bits (platform/text/scripts.ts):
     * only ever grows. Triggers (migration 0041) add the subject's when it is written and a message's when it is
     * written or moved to the ticket. Tickets older than 0041 start at 15 (every script, plus 8: not yet worked out)
     * until the search module's job works theirs out (modules/search/refine-ticket-scripts.job.ts).
     */
    scripts: smallint('scripts').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    firstResponseAt: timestamp('first_response_at', { withTimezone: true }),
    lastMessageAt: timestamp('last_message_at', { withTimezone: true }),
    lastCustomerMessageAt: timestamp('last_customer_message_at', { withTimezone: true }),
    solvedAt: timestamp('solved_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    /** the SLA policy applied (sla_policies.id; no foreign key to keep the schema files acyclic) */
    slaPolicyId: uuid('sla_policy_id'),
    /** the earliest due time among the ticket's running SLA clocks; null when none runs */
    slaDueAt: timestamp('sla_due_at', { withTimezone: true }),
    /** ok | at_risk | breached; null without a running clock */
    slaState: text('sla_state'),
  },
  (t) => [
    uniqueIndex('tickets_number_key').on(t.number),
    index('tickets_status_updated_idx').on(t.status, t.updatedAt, t.id),
    index('tickets_assignee_status_idx').on(t.assigneeId, t.status, t.updatedAt),
    index('tickets_team_status_idx').on(t.teamId, t.status, t.updatedAt),
    index('tickets_customer_idx').on(t.customerId, t.createdAt),
    index('tickets_updated_idx').on(t.updatedAt, t.id),
    index('tickets_created_idx').on(t.createdAt, t.id),
    index('tickets_category_idx').on(t.categoryId, t.createdAt),
    index('tickets_problem_idx').on(t.problemId),
    // the inbox's "SLA due first" order: tickets without a running clock last (see list-tickets.ts SLA_DUE_KEY)
    index('tickets_sla_due_idx').on(sql`coalesce(${t.slaDueAt}, '9999-12-31 00:00:00+00'::timestamptz)`, t.id),
    // the inbox's "most urgent first" order (list-tickets.ts PRIORITY_RANK; the expression must stay the same)
    index('tickets_priority_rank_idx').on(
      sql`(CASE ${t.priority} WHEN 'urgent' THEN 4 WHEN 'high' THEN 3 WHEN 'normal' THEN 2 ELSE 1 END)`,
      t.updatedAt,
      t.id,
    ),
    // GIN indexes take new entries into a pending list that every search reads in full: kept to 256 kB (the
    // default is 4 MB, ~8 ms per search term on a busy desk), docs/decisions/0009-gin-pending-list.md
    index('tickets_tags_idx').using('gin', t.tags).with({ gin_pending_list_limit: 256 }),
    index('tickets_search_vector_idx').using('gin', t.searchVector).with({ gin_pending_list_limit: 256 }),
  ],
);

/** Staff brought in on a ticket to help (collaborators see only these and their assigned tickets). */
export const ticketCollaborators = pgTable(
  'ticket_collaborators',
  {
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => staffUsers.id, { onDelete: 'cascade' }),
    addedById: uuid('added_by_id').references(() => staffUsers.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.userId] }), index('ticket_collaborators_user_idx').on(t.userId)],
);

/** Typed links between tickets: merged_into, split_from, follow_up_of. */
export const ticketLinks = pgTable(
  'ticket_links',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    linkedTicketId: uuid('linked_ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('ticket_links_ticket_idx').on(t.ticketId), index('ticket_links_linked_idx').on(t.linkedTicketId)],
);

export const messages = pgTable(
  'messages',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    /** per-ticket sequence number, gap-free, used for ordering and chat replay */
    seq: integer('seq').notNull(),
    /** public | internal | system */
    kind: text('kind').notNull(),
    /** customer | staff | system */
    authorType: text('author_type').notNull(),
    authorStaffId: uuid('author_staff_id').references(() => staffUsers.id, { onDelete: 'set null' }),
    authorCustomerId: uuid('author_customer_id').references(() => customers.id, { onDelete: 'set null' }),
    channel: text('channel').notNull(),
    bodyText: text('body_text').notNull().default(''),
    /** sanitised on the server before it is stored */
    bodyHtml: text('body_html'),
    /** sent | pending_approval | rejected | queued | failed | received */
    status: text('status').notNull().default('sent'),
    approvedById: uuid('approved_by_id').references(() => staffUsers.id, { onDelete: 'set null' }),
    /** channel details: email headers, threading reason, chat client id … */
    meta: jsonb('meta').$type<Record<string, unknown>>().notNull().default({}),
    /** seconds an agent spent on this message, for cost reports */
    handleSeconds: integer('handle_seconds'),
    movedFromTicketId: uuid('moved_from_ticket_id'),
    searchText: text('search_text').notNull().default(''),
    searchVector: tsvector('search_vector').generatedAlwaysAs(sql`to_tsvector('simple', search_text)`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('messages_ticket_seq_key').on(t.ticketId, t.seq),
    index('messages_created_idx').on(t.createdAt),
    /** the staffing plan and cost report read recorded handle times by time range; few messages have one */
    index('messages_handled_created_idx').on(t.createdAt).where(sql`handle_seconds > 0`),
    // a small GIN pending list, as on tickets (docs/decisions/0009-gin-pending-list.md)
    index('messages_search_vector_idx').using('gin', t.searchVector).with({ gin_pending_list_limit: 256 }),
    /** merging or dropping a customer finds their messages here, not by reading every message */
    index('messages_author_customer_idx').on(t.authorCustomerId).where(sql`author_customer_id IS NOT NULL`),
  ],
);

export const attachments = pgTable(
  'attachments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** content address: files live at <dataDir>/attachments/<sha[0:2]>/<sha[2:4]>/<sha> */
    sha256: text('sha256').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    contentType: text('content_type').notNull(),
    filename: text('filename').notNull(),
    messageId: uuid('message_id').references(() => messages.id, { onDelete: 'set null' }),
    uploadedById: uuid('uploaded_by_id').references(() => staffUsers.id, { onDelete: 'set null' }),
    /** uploaded by a widget visitor (chat_visitors.id; no foreign key to keep the schema files acyclic) */
    uploadedByVisitorId: uuid('uploaded_by_visitor_id'),
    isInline: boolean('is_inline').notNull().default(false),
    contentId: text('content_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('attachments_message_idx').on(t.messageId), index('attachments_sha_idx').on(t.sha256)],
);

/** Append-only log of everything that happened. Realtime, automations, webhooks and reports read it. */
export const events = pgTable(
  'events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** noun.past_tense: ticket.created, message.added, ticket.assigned … */
    type: text('type').notNull(),
    ticketId: uuid('ticket_id'),
    customerId: uuid('customer_id'),
    /** staff | customer | system | token */
    actorType: text('actor_type').notNull(),
    actorId: uuid('actor_id'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('events_ticket_idx').on(t.ticketId, t.id),
    index('events_type_created_idx').on(t.type, t.createdAt),
    index('events_created_idx').on(t.createdAt),
  ],
);
