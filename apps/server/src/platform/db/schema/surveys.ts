import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * One survey sent to a customer about one ticket (CSAT after solve; CES and NPS optional). The link carries a
 * signed token; only its hash is stored, and answering consumes it.
 */
export const surveyRequests = pgTable(
  'survey_requests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** csat | ces | nps */
    kind: text('kind').notNull(),
    ticketId: uuid('ticket_id'),
    customerId: uuid('customer_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    language: text('language').notNull().default('en'),
    channel: text('channel'),
    teamId: uuid('team_id'),
    assigneeId: uuid('assignee_id'),
    categoryId: uuid('category_id'),
    /** pending | answered | expired */
    status: text('status').notNull().default('pending'),
    /** csat: 1 (bad) | 2 (good) scaled to 1..5; ces 1..7; nps 0..10 */
    rating: integer('rating'),
    comment: text('comment'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    answeredAt: timestamp('answered_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('survey_requests_token_key').on(t.tokenHash),
    index('survey_requests_customer_idx').on(t.customerId, t.createdAt),
    index('survey_requests_answered_idx').on(t.kind, t.answeredAt),
    index('survey_requests_ticket_idx').on(t.ticketId),
    index('survey_requests_kind_created_idx').on(t.kind, t.createdAt),
  ],
);

/** A follow-up task for a team lead after a bad rating. */
export const surveyFollowups = pgTable(
  'survey_followups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    surveyId: uuid('survey_id')
      .notNull()
      .references(() => surveyRequests.id, { onDelete: 'cascade' }),
    ticketId: uuid('ticket_id'),
    ownerId: uuid('owner_id'),
    /** open | done */
    status: text('status').notNull().default('open'),
    note: text('note'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    doneAt: timestamp('done_at', { withTimezone: true }),
  },
  (t) => [index('survey_followups_owner_idx').on(t.ownerId, t.status)],
);
