import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { staffUsers, teams } from './staff.ts';
import { tickets } from './tickets.ts';

/** Expertise tags per person with a level (1 = some, 5 = expert). */
export const staffSkills = pgTable(
  'staff_skills',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => staffUsers.id, { onDelete: 'cascade' }),
    skill: text('skill').notNull(),
    level: integer('level').notNull().default(3),
  },
  (t) => [primaryKey({ columns: [t.userId, t.skill] }), index('staff_skills_skill_idx').on(t.skill)],
);

/** Languages a person answers in, with a level (1–5). */
export const staffLanguages = pgTable(
  'staff_languages',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => staffUsers.id, { onDelete: 'cascade' }),
    language: text('language').notNull(),
    level: integer('level').notNull().default(3),
  },
  (t) => [primaryKey({ columns: [t.userId, t.language] })],
);

/** Who can take work now, and how much. A person without a row is offline with the default capacity. */
export const staffAvailability = pgTable('staff_availability', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => staffUsers.id, { onDelete: 'cascade' }),
  /** online | away | offline */
  status: text('status').notNull().default('offline'),
  maxOpenTickets: integer('max_open_tickets').notNull().default(20),
  maxChats: integer('max_chats').notNull().default(3),
  /** false for people outside support (the CEO, engineers): routed work only during their duty shifts */
  routable: boolean('routable').notNull().default(true),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const staffTimeOff = pgTable(
  'staff_time_off',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => staffUsers.id, { onDelete: 'cascade' }),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    note: text('note').notNull().default(''),
  },
  (t) => [index('staff_time_off_user_idx').on(t.userId, t.startsAt)],
);

/**
 * A repeating duty shift: "every Monday–Friday 09:00–17:00 in Asia/Dhaka from 6 April until 30 June". Its occurrences
 * are written out as duty_shifts rows (series_id) when it is saved, so availability reads one table either way.
 */
export const dutyShiftSeries = pgTable(
  'duty_shift_series',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => staffUsers.id, { onDelete: 'cascade' }),
    teamId: uuid('team_id').references(() => teams.id, { onDelete: 'cascade' }),
    /** local weekdays, 0 = Sunday … 6 = Saturday */
    weekdays: integer('weekdays').array().notNull(),
    /** local wall times HH:MM; an end at or before the start is on the next day */
    startTime: text('start_time').notNull(),
    endTime: text('end_time').notNull(),
    /** IANA zone the wall times are in */
    timeZone: text('time_zone').notNull(),
    /** first and last local day (inclusive) */
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    until: date('until', { mode: 'string' }).notNull(),
    note: text('note').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('duty_shift_series_user_idx').on(t.userId)],
);

/** Support duty rota: people (often not in support) scheduled to take work in a team for a while. */
export const dutyShifts = pgTable(
  'duty_shifts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => staffUsers.id, { onDelete: 'cascade' }),
    teamId: uuid('team_id').references(() => teams.id, { onDelete: 'cascade' }),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
    note: text('note').notNull().default(''),
    /** the repeating shift this is an occurrence of (null: a one-off shift) */
    seriesId: uuid('series_id').references(() => dutyShiftSeries.id, { onDelete: 'set null' }),
  },
  (t) => [
    index('duty_shifts_time_idx').on(t.startsAt, t.endsAt),
    index('duty_shifts_user_idx').on(t.userId, t.startsAt),
    index('duty_shifts_series_idx').on(t.seriesId),
  ],
);

/** How a team hands out its tickets: manual | round_robin | least_loaded | skills. */
export const teamRouting = pgTable('team_routing', {
  teamId: uuid('team_id')
    .primaryKey()
    .references(() => teams.id, { onDelete: 'cascade' }),
  strategy: text('strategy').notNull().default('manual'),
  /** round robin: who got the last one */
  lastAssigneeId: uuid('last_assignee_id'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Routing rules, evaluated in order on new and reopened tickets (conditions as in automations). */
export const routingRules = pgTable(
  'routing_rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    position: integer('position').notNull().default(0),
    active: boolean('active').notNull().default(true),
    conditions: jsonb('conditions').$type<{ all: unknown[]; any: unknown[] }>().notNull().default({ all: [], any: [] }),
    /** { teamId?, skills?, priority?, addTags? } */
    actions: jsonb('actions').$type<{ teamId?: string; skills?: string[]; priority?: string; addTags?: string[] }>().notNull().default({}),
    /** with "keywords": words in the subject or first message (any of them) */
    keywords: text('keywords').array().notNull().default(sql`'{}'::text[]`),
    /** with mailboxes: only email tickets that came in through one of them (empty: any ticket) */
    mailboxIds: uuid('mailbox_ids').array().notNull().default(sql`'{}'::uuid[]`),
    /** with widgets: only chats (and widget messages) that came in through one of them (empty: any ticket) */
    widgetIds: uuid('widget_ids').array().notNull().default(sql`'{}'::uuid[]`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('routing_rules_position_idx').on(t.position)],
);

/** What a ticket needs from whoever answers it: skills and a language; set by routing rules. */
export const ticketRouting = pgTable('ticket_routing', {
  ticketId: uuid('ticket_id')
    .primaryKey()
    .references(() => tickets.id, { onDelete: 'cascade' }),
  requiredSkills: text('required_skills').array().notNull().default(sql`'{}'::text[]`),
  requiredLanguage: text('required_language'),
  ruleIds: uuid('rule_ids').array().notNull().default(sql`'{}'::uuid[]`),
  /** why the ticket is not assigned yet (nobody online, all at capacity …) */
  waitingReason: text('waiting_reason'),
  routedAt: timestamp('routed_at', { withTimezone: true }).notNull(),
});

/** Every assignment made by routing (and by hand through transfer), for the fairness report. */
export const assignmentLog = pgTable(
  'assignment_log',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').references(() => staffUsers.id, { onDelete: 'set null' }),
    teamId: uuid('team_id'),
    /** round_robin | least_loaded | skills | transfer | escalation */
    strategy: text('strategy').notNull(),
    reason: text('reason').notNull().default(''),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [index('assignment_log_at_idx').on(t.at), index('assignment_log_user_idx').on(t.userId, t.at)],
);

/** After a transfer, the person who handed the ticket on stays responsible for following up until it is solved. */
export const ticketFollowups = pgTable(
  'ticket_followups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => staffUsers.id, { onDelete: 'cascade' }),
    toUserId: uuid('to_user_id'),
    toTeamId: uuid('to_team_id'),
    note: text('note').notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    /** open | closed */
    state: text('state').notNull().default('open'),
    contactedCustomer: boolean('contacted_customer'),
    remindedAt: timestamp('reminded_at', { withTimezone: true }),
    /** the due time passed while it was still open */
    missedAt: timestamp('missed_at', { withTimezone: true }),
    closedAt: timestamp('closed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('ticket_followups_owner_idx').on(t.ownerId, t.state, t.dueAt),
    index('ticket_followups_due_idx').on(t.dueAt).where(sql`${t.state} = 'open' AND ${t.remindedAt} IS NULL`),
    index('ticket_followups_ticket_idx').on(t.ticketId),
  ],
);
