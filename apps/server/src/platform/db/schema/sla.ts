import { sql } from 'drizzle-orm';
import { boolean, date, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { staffUsers } from './staff.ts';
import { tickets } from './tickets.ts';

/** Weekly working hours: weekday (0 = Sunday … 6 = Saturday) → shifts as [start, end) minutes after local midnight. */
export type WeeklyHours = Partial<Record<'0' | '1' | '2' | '3' | '4' | '5' | '6', Array<[number, number]>>>;

/** A business-hours calendar: a time zone, weekly hours (split shifts allowed), and holidays/closures below. */
export const businessCalendars = pgTable(
  'business_calendars',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    timeZone: text('time_zone').notNull(),
    weekly: jsonb('weekly').$type<WeeklyHours>().notNull().default({}),
    /** the calendar used where nothing more specific is assigned (at most one) */
    isDefault: boolean('is_default').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('business_calendars_name_key').on(sql`lower(${t.name})`),
    uniqueIndex('business_calendars_default_key').on(t.isDefault).where(sql`${t.isDefault}`),
  ],
);

/** Whole local days with no working hours: public holidays (imported or typed) and one-off closures. */
export const calendarHolidays = pgTable(
  'calendar_holidays',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    calendarId: uuid('calendar_id')
      .notNull()
      .references(() => businessCalendars.id, { onDelete: 'cascade' }),
    day: date('day', { mode: 'string' }).notNull(),
    name: text('name').notNull(),
    /** holiday | closure */
    kind: text('kind').notNull().default('holiday'),
    /** manual | import:BD | import:IN … */
    source: text('source').notNull().default('manual'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('calendar_holidays_day_key').on(t.calendarId, t.day)],
);

/** Which calendar a team, mailbox or widget works to (one per target). */
export const calendarAssignments = pgTable(
  'calendar_assignments',
  {
    /** team | mailbox | widget */
    targetKind: text('target_kind').notNull(),
    targetId: uuid('target_id').notNull(),
    calendarId: uuid('calendar_id')
      .notNull()
      .references(() => businessCalendars.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('calendar_assignments_target_key').on(t.targetKind, t.targetId), index('calendar_assignments_calendar_idx').on(t.calendarId)],
);

export interface SlaConditions {
  priorities?: string[];
  channels?: string[];
  categoryIds?: string[];
  organisationIds?: string[];
  /** customers.attributes.tier (e.g. gold) */
  customerTiers?: string[];
}

/** Minutes per metric; a metric left out is not measured by the policy. */
export interface SlaTargets {
  firstResponse?: number;
  nextResponse?: number;
  periodicUpdate?: number;
  resolution?: number;
}

export type SlaEscalationAction =
  | { type: 'notify_assignee' }
  | { type: 'notify_team_lead' }
  | { type: 'raise_priority' }
  | { type: 'reassign'; userId?: string; teamId?: string };

export interface SlaEscalation {
  /** warning: at the policy's warn percent of the target; breach: at the due time */
  when: 'warning' | 'breach';
  /** limit to one metric; all metrics when left out */
  metric?: 'first_response' | 'next_response' | 'periodic_update' | 'resolution';
  actions: SlaEscalationAction[];
}

/** SLA policies, tried in position order; the first whose conditions all match a ticket applies. */
export const slaPolicies = pgTable(
  'sla_policies',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    position: integer('position').notNull().default(0),
    active: boolean('active').notNull().default(true),
    conditions: jsonb('conditions').$type<SlaConditions>().notNull().default({}),
    targets: jsonb('targets').$type<SlaTargets>().notNull().default({}),
    /** true: targets count working minutes of the ticket's calendar; false: wall-clock minutes */
    businessHours: boolean('business_hours').notNull().default(true),
    /** overrides the team's/mailbox's/default calendar */
    calendarId: uuid('calendar_id').references(() => businessCalendars.id, { onDelete: 'set null' }),
    /** "at risk" from this share of the target (and the warning escalations fire) */
    warnPercent: integer('warn_percent').notNull().default(75),
    escalations: jsonb('escalations').$type<SlaEscalation[]>().notNull().default([]),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('sla_policies_name_key').on(sql`lower(${t.name})`), index('sla_policies_position_idx').on(t.position)],
);

/**
 * One clock per ticket and metric. `consumedSeconds` holds the (business or calendar) seconds used up to
 * `runningSince`; while running, `dueAt` is when the target is reached, `warnAt` when it becomes at risk.
 * A paused clock (pending/on-hold) has `runningSince` and `dueAt` null. next_response and periodic_update restart
 * (a new cycle) on each customer message and public reply respectively.
 */
export const ticketSlaClocks = pgTable(
  'ticket_sla_clocks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    policyId: uuid('policy_id').references(() => slaPolicies.id, { onDelete: 'set null' }),
    /** first_response | next_response | periodic_update | resolution */
    metric: text('metric').notNull(),
    targetMinutes: integer('target_minutes').notNull(),
    businessHours: boolean('business_hours').notNull(),
    calendarId: uuid('calendar_id').references(() => businessCalendars.id, { onDelete: 'set null' }),
    warnPercent: integer('warn_percent').notNull(),
    cycle: integer('cycle').notNull().default(1),
    /** running | paused | met; breached_at marks a breach (the clock still runs until met, to measure by how much) */
    state: text('state').notNull().default('running'),
    consumedSeconds: integer('consumed_seconds').notNull().default(0),
    runningSince: timestamp('running_since', { withTimezone: true }),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    warnAt: timestamp('warn_at', { withTimezone: true }),
    dueAt: timestamp('due_at', { withTimezone: true }),
    warnedAt: timestamp('warned_at', { withTimezone: true }),
    breachedAt: timestamp('breached_at', { withTimezone: true }),
    metAt: timestamp('met_at', { withTimezone: true }),
    /** the staff member who met it (first response/next response/resolution), for reports */
    metById: uuid('met_by_id').references(() => staffUsers.id, { onDelete: 'set null' }),
  },
  (t) => [
    uniqueIndex('ticket_sla_clocks_metric_key').on(t.ticketId, t.metric),
    index('ticket_sla_clocks_warn_idx').on(t.warnAt).where(sql`${t.warnedAt} IS NULL AND ${t.runningSince} IS NOT NULL`),
    index('ticket_sla_clocks_due_idx').on(t.dueAt).where(sql`${t.breachedAt} IS NULL AND ${t.runningSince} IS NOT NULL`),
  ],
);

/** Finished clock cycles (met or breached), kept for achievement reports. */
export const slaOutcomes = pgTable(
  'sla_outcomes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    policyId: uuid('policy_id').references(() => slaPolicies.id, { onDelete: 'set null' }),
    metric: text('metric').notNull(),
    cycle: integer('cycle').notNull(),
    achieved: boolean('achieved').notNull(),
    targetMinutes: integer('target_minutes').notNull(),
    usedMinutes: integer('used_minutes').notNull(),
    teamId: uuid('team_id'),
    assigneeId: uuid('assignee_id'),
    channel: text('channel').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex('sla_outcomes_cycle_key').on(t.ticketId, t.metric, t.cycle), index('sla_outcomes_at_idx').on(t.at)],
);
