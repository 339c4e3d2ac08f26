import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  date,
  doublePrecision,
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
import { staffUsers } from './staff.ts';

/**
 * One row per ticket with the facts reports need (current dimensions, first response and resolution times),
 * maintained in the ticket's own transaction by the insights hook. Reports read it by indexed time range only.
 */
export const insightTicketFacts = pgTable(
  'insight_ticket_facts',
  {
    ticketId: uuid('ticket_id').primaryKey(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    channel: text('channel').notNull(),
    categoryId: uuid('category_id'),
    teamId: uuid('team_id'),
    assigneeId: uuid('assignee_id'),
    language: text('language'),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    customerId: uuid('customer_id'),
    /** the ticket's custom field values (hot buttons by product and similar fields) */
    customFields: jsonb('custom_fields').$type<Record<string, unknown>>().notNull().default({}),
    status: text('status').notNull(),
    firstResponseAt: timestamp('first_response_at', { withTimezone: true }),
    firstResponseSeconds: integer('first_response_seconds'),
    solvedAt: timestamp('solved_at', { withTimezone: true }),
    resolutionSeconds: integer('resolution_seconds'),
    reopenCount: integer('reopen_count').notNull().default(0),
    /** customer messages on the ticket that read as negative (the sentiment signal) */
    negativeMessages: integer('negative_messages').notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    /**
     * By creation time, carrying what customers at risk adds up per customer (customer, reopens, negative
     * messages, first response, status), so its scans of a period read the index alone, not the rows.
     */
    index('insight_facts_created_cover_idx').on(
      t.createdAt,
      t.customerId,
      t.reopenCount,
      t.negativeMessages,
      t.firstResponseSeconds,
      t.firstResponseAt,
      t.status,
    ),
    index('insight_facts_solved_idx').on(t.solvedAt),
    index('insight_facts_first_response_idx').on(t.firstResponseAt),
    index('insight_facts_open_idx').on(t.status).where(sql`status NOT IN ('solved', 'closed')`),
  ],
);

/** The dimensions and counts of the hourly and daily rollups (fresh column builders for each table). */
const rollupDimensionsAndCounts = () => ({
  channel: text('channel').notNull(),
  categoryKey: text('category_key').notNull(),
  teamKey: text('team_key').notNull(),
  assigneeKey: text('assignee_key').notNull(),
  languageKey: text('language_key').notNull(),
  created: integer('created').notNull().default(0),
  solved: integer('solved').notNull().default(0),
  firstResponses: integer('first_responses').notNull().default(0),
  firstResponseSecondsSum: bigint('first_response_seconds_sum', { mode: 'number' }).notNull().default(0),
  resolutionSecondsSum: bigint('resolution_seconds_sum', { mode: 'number' }).notNull().default(0),
});

/**
 * Hourly rollup per channel × category × team × assignee × language ('' stands for none). Each ticket contributes
 * +1 created at its creation hour, +1 first response at its first-response hour and +1 solved at its solve hour;
 * when a ticket's facts change, its old contribution is subtracted and the new one added, so the rollup always
 * equals the facts without rescanning them.
 */
export const insightHourly = pgTable(
  'insight_hourly',
  {
    hour: timestamp('hour', { withTimezone: true }).notNull(),
    ...rollupDimensionsAndCounts(),
    /**
     * Which of several rows for the same hour and dimensions (0 … ROLLUP_SHARDS-1): concurrent writers add to
     * different rows instead of queueing for one, and readers sum them (every reader aggregates). See
     * maintain-ticket-facts.ts; the rebuild and the compaction of past hours keep one row (shard 0).
     */
    shard: smallint('shard').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.hour, t.channel, t.categoryKey, t.teamKey, t.assigneeKey, t.languageKey, t.shard] }),
    index('insight_hourly_category_hour_idx').on(t.categoryKey, t.hour),
  ],
);

/**
 * The hourly rollup summed per UTC day (`day` is the day's midnight, UTC): the same dimensions, counts and shards,
 * written in the same statement as insight_hourly (insight-writes.ts), so it always equals the hourly rows of its
 * day. Reports over long ranges read whole days from here and only the hours at the range's edges from
 * insight_hourly (rollup-range.ts): a year is ~365 rows per combination of dimensions instead of ~8,760.
 */
export const insightDaily = pgTable(
  'insight_daily',
  {
    day: timestamp('day', { withTimezone: true }).notNull(),
    ...rollupDimensionsAndCounts(),
    /** as insight_hourly.shard; the compaction folds the shards of past days into shard 0 */
    shard: smallint('shard').notNull().default(0),
  },
  (t) => [
    primaryKey({
      name: 'insight_daily_pkey',
      columns: [t.day, t.channel, t.categoryKey, t.teamKey, t.assigneeKey, t.languageKey, t.shard],
    }),
  ],
);

/**
 * Open tickets now (status not solved or closed) per channel × category × team × assignee × language ('' stands for
 * none): the dashboard's backlog. Kept with the facts in the ticket's own transaction (-1 for the old row, +1 for the
 * new one; modules/insights/maintain-open-counts.ts), so reading it sums a few rows instead of counting open facts.
 */
export const insightOpenCounts = pgTable(
  'insight_open_counts',
  {
    channel: text('channel').notNull(),
    categoryKey: text('category_key').notNull(),
    teamKey: text('team_key').notNull(),
    assigneeKey: text('assignee_key').notNull(),
    languageKey: text('language_key').notNull(),
    open: integer('open').notNull().default(0),
    /** as insight_hourly.shard: every new ticket adds to its key, so concurrent writers take different rows */
    shard: smallint('shard').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.channel, t.categoryKey, t.teamKey, t.assigneeKey, t.languageKey, t.shard] })],
);

/** Hourly arrivals per tag and channel (tags are many per ticket, so they get their own rollup). */
export const insightHourlyTags = pgTable(
  'insight_hourly_tags',
  {
    hour: timestamp('hour', { withTimezone: true }).notNull(),
    tag: text('tag').notNull(),
    channel: text('channel').notNull(),
    created: integer('created').notNull().default(0),
    /** as insight_hourly.shard */
    shard: smallint('shard').notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.hour, t.tag, t.channel, t.shard] }),
    index('insight_hourly_tags_tag_hour_idx').on(t.tag, t.hour),
  ],
);

/** A duration histogram's metric, dimensions, bucket and count (fresh column builders for each table). */
const histogramColumns = () => ({
  metric: text('metric').$type<'first_response' | 'resolution'>().notNull(),
  channel: text('channel').notNull(),
  categoryKey: text('category_key').notNull(),
  teamKey: text('team_key').notNull(),
  assigneeKey: text('assignee_key').notNull(),
  languageKey: text('language_key').notNull(),
  bucket: smallint('bucket').notNull(),
  count: integer('count').notNull().default(0),
});

/**
 * Daily histograms of first-response and resolution times per channel × category × team × assignee × language
 * ('' stands for none): `count` tickets whose duration falls in `bucket` (modules/insights/duration-buckets.ts),
 * keyed by the UTC day of the first response or the solve. Maintained with the facts (+1 in the new bucket, -1 in
 * the old) so dashboard percentiles over long ranges come from buckets instead of sorting every fact.
 */
export const insightDailyDurations = pgTable(
  'insight_daily_durations',
  {
    day: date('day', { mode: 'string' }).notNull(),
    ...histogramColumns(),
  },
  (t) => [
    primaryKey({
      name: 'insight_daily_durations_pkey',
      columns: [t.day, t.metric, t.channel, t.categoryKey, t.teamKey, t.assigneeKey, t.languageKey, t.bucket],
    }),
  ],
);

/**
 * insight_daily_durations summed per month (`month` is the month's first day, UTC), written by the same statement
 * from the same deltas: a dashboard over a year reads its whole months here and only the days at the range's edges
 * from the daily histograms (~12 rows per combination and bucket instead of ~365).
 */
export const insightMonthlyDurations = pgTable(
  'insight_monthly_durations',
  {
    month: date('month', { mode: 'string' }).notNull(),
    ...histogramColumns(),
  },
  (t) => [
    primaryKey({
      name: 'insight_monthly_durations_pkey',
      columns: [t.month, t.metric, t.channel, t.categoryKey, t.teamKey, t.assigneeKey, t.languageKey, t.bucket],
    }),
  ],
);

/** Spike alerts: at most one per category and hour. */
export const insightAlerts = pgTable(
  'insight_alerts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(),
    categoryKey: text('category_key').notNull(),
    hour: timestamp('hour', { withTimezone: true }).notNull(),
    count: integer('count').notNull(),
    baseline: doublePrecision('baseline').notNull(),
    ratio: doublePrecision('ratio').notNull(),
    recipientIds: uuid('recipient_ids').array().notNull().default(sql`'{}'::uuid[]`),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('insight_alerts_category_hour_key').on(t.kind, t.categoryKey, t.hour),
    index('insight_alerts_created_idx').on(t.createdAt),
  ],
);

/** Weekly shifts of agents: who is scheduled on which weekday (0 = Sunday) and hours [startHour, endHour). */
export const insightShifts = pgTable(
  'insight_shifts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    staffId: uuid('staff_id')
      .notNull()
      .references(() => staffUsers.id, { onDelete: 'cascade' }),
    weekday: smallint('weekday').notNull(),
    startHour: smallint('start_hour').notNull(),
    endHour: smallint('end_hour').notNull(),
    /** null = any channel */
    channel: text('channel'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('insight_shifts_weekday_idx').on(t.weekday)],
);

/** Trained text classifiers (category suggester, sentiment); the newest active row of a kind is used. */
export const classifierModels = pgTable(
  'classifier_models',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** category | sentiment */
    kind: text('kind').notNull(),
    /** where the training data came from: tickets | csv */
    source: text('source').notNull(),
    trainedOn: integer('trained_on').notNull(),
    labels: integer('labels').notNull(),
    /** accuracy on a held-out fold at training time (null when too few examples) */
    heldOutAccuracy: doublePrecision('held_out_accuracy'),
    model: jsonb('model').notNull(),
    isActive: boolean('is_active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('classifier_models_kind_idx').on(t.kind, t.id)],
);

/**
 * Scheduled email reports: a person's subscription to a daily or weekly dashboard digest with chosen filters, sent
 * at a local hour (and weekday) in their time zone. Each sending is an `outbound_emails` row keyed
 * `report:<subscription>:<period>`, so a period goes out once however often the schedule runs.
 */
export const insightReportSubscriptions = pgTable(
  'insight_report_subscriptions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    staffId: uuid('staff_id')
      .notNull()
      .references(() => staffUsers.id, { onDelete: 'cascade' }),
    /** daily | weekly */
    frequency: text('frequency').notNull(),
    /** weekly reports: 0 = Sunday … 6 = Saturday */
    weekday: smallint('weekday').notNull().default(1),
    /** local hour the report goes out */
    hour: smallint('hour').notNull().default(7),
    timeZone: text('time_zone').notNull().default('UTC'),
    /** dashboard filters: channel, categoryId, teamId, assigneeId, language */
    filters: jsonb('filters').$type<Record<string, string>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('insight_report_subscriptions_staff_idx').on(t.staffId)],
);

/**
 * Customers at risk, computed in the background for the periods the insights page offers (risk-snapshots.ts): the
 * ranked lists without names (those are read from `customers` when the snapshot is read, so a rename or a merge
 * shows at once), and the settings the scores depended on (a snapshot computed under other settings is not served).
 */
export const insightRiskSnapshots = pgTable('insight_risk_snapshots', {
  /** the period in days (the ranking looks at the `days` before `computed_at`) */
  days: integer('days').primaryKey(),
  computedAt: timestamp('computed_at', { withTimezone: true }).notNull(),
  /** firstResponseTargetSeconds and badAtOrBelow the scores were computed with */
  basis: jsonb('basis').$type<{ firstResponseTargetSeconds: number; badAtOrBelow: number }>().notNull(),
  atRisk: jsonb('at_risk').notNull(),
  lowEngagement: jsonb('low_engagement').notNull(),
});
