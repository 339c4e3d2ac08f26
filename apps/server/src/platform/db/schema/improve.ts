import { sql } from 'drizzle-orm';
import { date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { staffUsers, teams } from './staff.ts';
import { categories, tickets } from './tickets.ts';

/**
 * Improve (issue 9): action plans opened from hot buttons, playbooks per complaint, kudos.
 * An action plan targets what customers complain about (a category and/or a tag) and links the tickets behind it.
 */
export const actionPlans = pgTable(
  'action_plans',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    title: text('title').notNull(),
    problem: text('problem').notNull(),
    /** who must fix it: a department or function ("IT", "product development", "hiring") */
    ownerName: text('owner_name').notNull(),
    ownerStaffId: uuid('owner_staff_id').references(() => staffUsers.id, { onDelete: 'set null' }),
    categoryId: uuid('category_id').references(() => categories.id, { onDelete: 'set null' }),
    tag: text('tag'),
    /** where it came from: { kind: 'category'|'tag'|'spike', ... } as shown on the hot button */
    source: jsonb('source').$type<Record<string, unknown>>().notNull().default({}),
    /** open | in_progress | fix_shipped | done | dropped */
    status: text('status').notNull().default('open'),
    dueDate: date('due_date'),
    fix: text('fix').notNull().default(''),
    fixShippedAt: timestamp('fix_shipped_at', { withTimezone: true }),
    createdById: uuid('created_by_id').references(() => staffUsers.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('action_plans_status_idx').on(t.status, t.updatedAt), index('action_plans_category_idx').on(t.categoryId)],
);

export const actionPlanTickets = pgTable(
  'action_plan_tickets',
  {
    planId: uuid('plan_id')
      .notNull()
      .references(() => actionPlans.id, { onDelete: 'cascade' }),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
    /** when the customer of this ticket was told about the fix */
    notifiedAt: timestamp('notified_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.planId, t.ticketId] }), index('action_plan_tickets_ticket_idx').on(t.ticketId)],
);

/** The agreed way to resolve one common complaint (a category), per language. */
export const playbooks = pgTable(
  'playbooks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    categoryId: uuid('category_id')
      .notNull()
      .references(() => categories.id, { onDelete: 'cascade' }),
    teamId: uuid('team_id').references(() => teams.id, { onDelete: 'set null' }),
    locale: text('locale').notNull(),
    title: text('title').notNull(),
    summary: text('summary').notNull().default(''),
    steps: text('steps').array().notNull().default(sql`'{}'::text[]`),
    /** a macro to use (macros module); kept as a plain id so playbooks work without it */
    macroId: uuid('macro_id'),
    articleIds: uuid('article_ids').array().notNull().default(sql`'{}'::uuid[]`),
    /** replies that earned good outcomes, quoted as examples: [{ ticketId, messageId, excerpt }] */
    examples: jsonb('examples').$type<Array<{ ticketId: string; messageId: string; excerpt: string }>>().notNull().default([]),
    /** draft | published */
    status: text('status').notNull().default('draft'),
    generated: integer('generated').notNull().default(0),
    updatedById: uuid('updated_by_id').references(() => staffUsers.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('playbooks_category_locale_key').on(t.categoryId, t.locale)],
);

/** A manager's thank-you to a person for their work on a ticket. */
export const kudos = pgTable(
  'kudos',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    toStaffId: uuid('to_staff_id')
      .notNull()
      .references(() => staffUsers.id, { onDelete: 'cascade' }),
    fromStaffId: uuid('from_staff_id').references(() => staffUsers.id, { onDelete: 'set null' }),
    ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
    message: text('message').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('kudos_to_idx').on(t.toStaffId, t.createdAt)],
);

/**
 * Recognition points, one row per award. `key` makes every award happen at most once (e.g. `solve:<ticket>`), so
 * solving, reopening and solving a ticket again never earns its points twice — while every reopen costs points.
 */
export const recognitionAwards = pgTable(
  'recognition_awards',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    staffId: uuid('staff_id')
      .notNull()
      .references(() => staffUsers.id, { onDelete: 'cascade' }),
    ticketId: uuid('ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
    /** solved | first_contact_resolution | reopened | kudos | … */
    reason: text('reason').notNull(),
    points: integer('points').notNull(),
    key: text('key').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('recognition_awards_key').on(t.key), index('recognition_awards_staff_idx').on(t.staffId, t.createdAt), index('recognition_awards_created_idx').on(t.createdAt)],
);

/** Desk-wide switches for recognition (one row, id = 1). */
export const recognitionSettings = pgTable('recognition_settings', {
  id: integer('id').primaryKey().default(1),
  enabled: integer('enabled').notNull().default(1),
  /** everyone | managers — who may see other people's places on the leaderboard */
  leaderboardVisibility: text('leaderboard_visibility').notNull().default('everyone'),
  /** show only first names to peers */
  firstNamesOnly: integer('first_names_only').notNull().default(0),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Practice mode: sandbox scenarios drawn from real solved tickets with every personal detail masked. Nothing here
 * is a ticket — practice never reaches a real customer or a real report.
 */
export const practiceScenarios = pgTable(
  'practice_scenarios',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** where it came from (kept for de-duplication; never shown to trainees) */
    sourceTicketId: uuid('source_ticket_id').references(() => tickets.id, { onDelete: 'set null' }),
    categoryId: uuid('category_id').references(() => categories.id, { onDelete: 'set null' }),
    locale: text('locale').notNull(),
    subject: text('subject').notNull(),
    customerMessage: text('customer_message').notNull(),
    /** the reply that actually solved it, masked */
    referenceReply: text('reference_reply').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('practice_scenarios_source_key').on(t.sourceTicketId), index('practice_scenarios_category_idx').on(t.categoryId, t.locale)],
);

export const practiceAttempts = pgTable(
  'practice_attempts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    scenarioId: uuid('scenario_id')
      .notNull()
      .references(() => practiceScenarios.id, { onDelete: 'cascade' }),
    traineeId: uuid('trainee_id')
      .notNull()
      .references(() => staffUsers.id, { onDelete: 'cascade' }),
    /** role-play: a colleague who plays the customer */
    partnerId: uuid('partner_id').references(() => staffUsers.id, { onDelete: 'set null' }),
    /** [{ role: 'customer' | 'agent', text, byId, at }] */
    conversation: jsonb('conversation').$type<Array<{ role: 'customer' | 'agent'; text: string; byId: string; at: string }>>().notNull().default([]),
    /** in_progress | submitted | reviewed */
    status: text('status').notNull().default('in_progress'),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
    reviewerId: uuid('reviewer_id').references(() => staffUsers.id, { onDelete: 'set null' }),
    scorecardId: uuid('scorecard_id'),
    /** criterion key → 0..4 */
    scores: jsonb('scores').$type<Record<string, number>>(),
    score: integer('score'),
    feedback: text('feedback'),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('practice_attempts_trainee_idx').on(t.traineeId, t.createdAt), index('practice_attempts_status_idx').on(t.status, t.submittedAt)],
);

/** One weekly digest email per person and week (the week's Monday), sent once. */
export const digestSends = pgTable(
  'digest_sends',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => staffUsers.id, { onDelete: 'cascade' }),
    week: date('week', { mode: 'string' }).notNull(),
    /** sending | sent | skipped (nothing to tell) | failed */
    status: text('status').notNull().default('sending'),
    error: text('error'),
    sentAt: timestamp('sent_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.week] })],
);
