import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { tickets } from './tickets.ts';

/** Outgoing webhooks: events POSTed, signed with HMAC-SHA256, to a customer-supplied URL (SSRF-safe). */
export const webhooks = pgTable(
  'webhooks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    url: text('url').notNull(),
    /** the signing secret, sealed with the desk's credentials key (shown once, on create and rotate) */
    secretSealed: text('secret_sealed').notNull(),
    /** event types to send (ticket.created, message.added, sla.breached …); automation calls need none */
    events: text('events').array().notNull().default(sql`'{}'::text[]`),
    active: boolean('active').notNull().default(true),
    /** the newest event when it was created: it is sent only what happens after */
    fromEventId: bigint('from_event_id', { mode: 'number' }).notNull().default(0),
    consecutiveFailures: integer('consecutive_failures').notNull().default(0),
    lastDeliveryAt: timestamp('last_delivery_at', { withTimezone: true }),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('webhooks_name_key').on(sql`lower(${t.name})`)],
);

/** One delivery of one event (or automation call) to one webhook, with its retry state: the delivery log. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    webhookId: uuid('webhook_id')
      .notNull()
      .references(() => webhooks.id, { onDelete: 'cascade' }),
    /** the event log row it carries (null for an automation's call or a test ping) */
    eventId: bigint('event_id', { mode: 'number' }),
    eventType: text('event_type').notNull(),
    ticketId: uuid('ticket_id'),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    /** pending | delivered | failed (will retry) | gave_up */
    status: text('status').notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    /** the first bytes of the receiver's answer, for the log */
    lastResponse: text('last_response'),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_event_key').on(t.webhookId, t.eventId).where(sql`${t.eventId} IS NOT NULL`),
    index('webhook_deliveries_due_idx').on(t.nextAttemptAt).where(sql`${t.status} IN ('pending', 'failed')`),
    index('webhook_deliveries_webhook_idx').on(t.webhookId, t.createdAt),
  ],
);

/**
 * Triggers (run on ticket events, in the ticket's transaction) and automations (run by the worker on a timer for
 * tickets whose conditions hold, e.g. pending for 3 days), with conditions and actions. See docs/automations.md.
 */
export const automationRules = pgTable(
  'automation_rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** trigger | automation */
    kind: text('kind').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    position: integer('position').notNull().default(0),
    active: boolean('active').notNull().default(true),
    /** triggers: the events that run it (ticket.created, customer.replied, status.changed, sla.breached …) */
    events: text('events').array().notNull().default(sql`'{}'::text[]`),
    conditions: jsonb('conditions').$type<{ all: unknown[]; any: unknown[] }>().notNull().default({ all: [], any: [] }),
    actions: jsonb('actions').$type<unknown[]>().notNull().default([]),
    runCount: integer('run_count').notNull().default(0),
    lastRunAt: timestamp('last_run_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('automation_rules_name_key').on(t.kind, sql`lower(${t.name})`), index('automation_rules_kind_idx').on(t.kind, t.position)],
);

/** The execution log: every time a rule ran (or was stopped) on a ticket, and what it did. */
export const automationRuns = pgTable(
  'automation_runs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ruleId: uuid('rule_id')
      .notNull()
      .references(() => automationRules.id, { onDelete: 'cascade' }),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    /** what set it off: the event, or "timer" */
    cause: text('cause').notNull(),
    /** ran | loop_stopped | failed */
    outcome: text('outcome').notNull(),
    actions: jsonb('actions').$type<string[]>().notNull().default([]),
    error: text('error'),
    /** automations fire once per ticket and status period: this is that period's key */
    onceKey: text('once_key'),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('automation_runs_ticket_idx').on(t.ticketId, t.at),
    index('automation_runs_rule_idx').on(t.ruleId, t.at),
    uniqueIndex('automation_runs_once_key').on(t.ruleId, t.ticketId, t.onceKey).where(sql`${t.onceKey} IS NOT NULL`),
  ],
);
