import { sql } from 'drizzle-orm';
import { bigint, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * One person's notification (the bell in the agent app): made from an event in the log — a mention, an SLA
 * warning or breach, a rule's "notify", a spike alert, a bad-rating follow-up, a quality review — at most once per
 * person and event. `data` holds what the bell shows (ticket number and subject, names, figures), translated by the
 * web app from `kind`.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull(),
    eventId: bigint('event_id', { mode: 'number' }).notNull(),
    kind: text('kind').notNull(),
    ticketId: uuid('ticket_id'),
    data: jsonb('data').$type<Record<string, string | number | null>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('notifications_user_event_kind_idx').on(t.userId, t.eventId, t.kind),
    index('notifications_user_created_idx').on(t.userId, t.createdAt),
    index('notifications_user_unread_idx').on(t.userId).where(sql`read_at IS NULL`),
  ],
);
