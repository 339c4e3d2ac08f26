import { z } from 'zod';
import { TICKET_PRIORITIES, TICKET_STATUSES, TICKET_TYPES } from './tickets.ts';

/** Triggers and timed automations (issue 7): conditions → actions, with an execution log. See docs/automations.md. */

export const TRIGGER_EVENTS = ['ticket.created', 'ticket.updated', 'customer.replied', 'agent.replied', 'status.changed', 'sla.warning', 'sla.breached', 'survey.answered'] as const;
export const TriggerEvent = z.enum(TRIGGER_EVENTS);

export const CONDITION_FIELDS = [
  'status',
  'priority',
  'type',
  'channel',
  'category_id',
  'team_id',
  'assignee_id',
  'organisation_id',
  'customer_tier',
  /** any attribute of the customer (customers.attributes), named by the condition's `key` */
  'customer_attribute',
  'language',
  'tags',
  'subject',
  /** the latest answered satisfaction rating on the ticket (CSAT 1–5) */
  'survey_rating',
  'hours_since_created',
  'hours_since_updated',
  'hours_in_status',
  'hours_since_customer_message',
] as const;
export const ConditionField = z.enum(CONDITION_FIELDS);
export type ConditionField = z.infer<typeof ConditionField>;
export const TIME_FIELDS: readonly ConditionField[] = ['hours_since_created', 'hours_since_updated', 'hours_in_status', 'hours_since_customer_message'];
/** fields compared as numbers (gte/lte) */
export const NUMBER_FIELDS: readonly ConditionField[] = [...TIME_FIELDS, 'survey_rating'];

export const CONDITION_OPS = ['is', 'is_not', 'in', 'not_in', 'contains', 'not_contains', 'gte', 'lte', 'is_empty', 'is_not_empty', 'present', 'absent'] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];
/** what a customer attribute is compared with: its value as text (is, is_not, contains), or whether the customer has it */
export const ATTRIBUTE_OPS = ['is', 'is_not', 'contains', 'present', 'absent'] as const satisfies readonly ConditionOp[];
/** a customer attribute's key: letters (any script) or digits first, then also "_" or "-"; exact, case-sensitive */
export const ATTRIBUTE_KEY = /^[\p{L}\p{N}][\p{L}\p{N}\p{M}_-]{0,99}$/u;
export const ATTRIBUTE_KEY_MESSAGE = 'an attribute key is 1–100 letters or digits, with "_" or "-" after the first (e.g. plan or account_manager)';

export const Condition = z
  .object({
    field: ConditionField,
    op: z.enum(CONDITION_OPS),
    /** with customer_attribute: which attribute */
    key: z.string().optional(),
    value: z.union([z.string().max(500), z.number(), z.array(z.string().max(200)).max(100), z.null()]).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const problem = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (c.field !== 'customer_attribute') {
      if (c.key !== undefined) problem('key', 'only customer_attribute conditions name a key');
      if (c.op === 'present' || c.op === 'absent') problem('op', `${c.op} is for customer_attribute conditions (use is_not_empty or is_empty)`);
      return;
    }
    if (c.key === undefined || c.key.trim() === '') problem('key', 'name the customer attribute, e.g. plan');
    else if (!ATTRIBUTE_KEY.test(c.key)) problem('key', ATTRIBUTE_KEY_MESSAGE);
    if (!(ATTRIBUTE_OPS as readonly string[]).includes(c.op)) problem('op', `a customer attribute is compared with ${ATTRIBUTE_OPS.join(', ')}`);
    else if (c.op === 'present' || c.op === 'absent') {
      if (c.value !== undefined && c.value !== null) problem('value', `${c.op} takes no value`);
    } else if (typeof c.value !== 'string' || c.value.trim() === '') problem('value', 'give the text to compare the attribute with, e.g. "pro" or "true"');
  });
export type Condition = z.infer<typeof Condition>;

export const Conditions = z
  .object({ all: z.array(Condition).max(30).default([]), any: z.array(Condition).max(30).default([]) })
  .strict();
export type Conditions = z.infer<typeof Conditions>;

const text = z.string().trim().min(1).max(10_000);
export const AutomationAction = z.discriminatedUnion('type', [
  z.object({ type: z.literal('set_status'), status: z.enum(TICKET_STATUSES) }).strict(),
  z.object({ type: z.literal('set_priority'), priority: z.enum(TICKET_PRIORITIES) }).strict(),
  z.object({ type: z.literal('set_type'), ticketType: z.enum(TICKET_TYPES) }).strict(),
  z.object({ type: z.literal('set_category'), categoryId: z.uuid().nullable() }).strict(),
  z.object({ type: z.literal('set_team'), teamId: z.uuid().nullable() }).strict(),
  z.object({ type: z.literal('assign'), userId: z.uuid().nullable() }).strict(),
  z.object({ type: z.literal('add_tags'), tags: z.array(z.string().trim().min(1).max(100)).min(1).max(20) }).strict(),
  z.object({ type: z.literal('remove_tags'), tags: z.array(z.string().trim().min(1).max(100)).min(1).max(20) }).strict(),
  z.object({ type: z.literal('add_note'), body: text }).strict(),
  /** a public message to the customer on the ticket's channel (email, chat, SMS …), from a template */
  z.object({ type: z.literal('email_customer'), body: text }).strict(),
  /** a live notification to staff in the workspace */
  z.object({ type: z.literal('notify'), to: z.enum(['assignee', 'team_lead', 'user']), userId: z.uuid().optional(), message: text }).strict(),
  z.object({ type: z.literal('call_webhook'), webhookId: z.uuid() }).strict(),
]);
export type AutomationAction = z.infer<typeof AutomationAction>;

export const AutomationIdParams = z.object({ id: z.uuid() });

export const CreateAutomationBody = z
  .object({
    kind: z.enum(['trigger', 'automation']),
    name: z.string().trim().min(1).max(100),
    description: z.string().max(2000).optional(),
    position: z.number().int().min(0).max(10000).optional(),
    active: z.boolean().optional(),
    events: z.array(TriggerEvent).max(TRIGGER_EVENTS.length).default([]),
    conditions: Conditions.default({ all: [], any: [] }),
    actions: z.array(AutomationAction).min(1).max(20),
  })
  .strict();
export type CreateAutomationBody = z.infer<typeof CreateAutomationBody>;

export const UpdateAutomationBody = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    description: z.string().max(2000).optional(),
    position: z.number().int().min(0).max(10000).optional(),
    active: z.boolean().optional(),
    events: z.array(TriggerEvent).max(TRIGGER_EVENTS.length).optional(),
    conditions: Conditions.optional(),
    actions: z.array(AutomationAction).min(1).max(20).optional(),
  })
  .strict();
export type UpdateAutomationBody = z.infer<typeof UpdateAutomationBody>;

export const AutomationRule = z.object({
  id: z.uuid(),
  kind: z.enum(['trigger', 'automation']),
  name: z.string(),
  description: z.string(),
  position: z.number().int(),
  active: z.boolean(),
  events: z.array(z.string()),
  conditions: Conditions,
  actions: z.array(AutomationAction),
  runCount: z.number().int(),
  lastRunAt: z.string().nullable(),
  updatedAt: z.string(),
});
export type AutomationRule = z.infer<typeof AutomationRule>;
export const AutomationRuleList = z.object({ items: z.array(AutomationRule) });

export const AutomationRun = z.object({
  id: z.uuid(),
  ruleId: z.uuid(),
  ruleName: z.string(),
  kind: z.string(),
  ticketId: z.uuid(),
  ticketNumber: z.number().int(),
  cause: z.string(),
  outcome: z.enum(['ran', 'loop_stopped', 'failed']),
  actions: z.array(z.string()),
  error: z.string().nullable(),
  at: z.string(),
});
export type AutomationRun = z.infer<typeof AutomationRun>;
export const AutomationRunList = z.object({ items: z.array(AutomationRun) });
