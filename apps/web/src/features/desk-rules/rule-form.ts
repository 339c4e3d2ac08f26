import { ATTRIBUTE_KEY, ATTRIBUTE_OPS, type AutomationAction, type Condition, type ConditionField, type CreateAutomationBody, NUMBER_FIELDS, TIME_FIELDS } from '@seva/contracts';

/** Which operators make sense for a field, and what kind of value it takes. */
export function opsFor(field: ConditionField): Condition['op'][] {
  if (field === 'customer_attribute') return [...ATTRIBUTE_OPS];
  if (TIME_FIELDS.includes(field)) return ['gte', 'lte'];
  if (NUMBER_FIELDS.includes(field)) return ['lte', 'gte', 'is_empty', 'is_not_empty'];
  if (field === 'tags') return ['contains', 'not_contains', 'is_empty', 'is_not_empty'];
  if (field === 'subject') return ['contains', 'not_contains'];
  return ['is', 'is_not', 'in', 'not_in', 'is_empty', 'is_not_empty'];
}

export type ValueKind = 'none' | 'number' | 'one' | 'many';
export function valueKind(field: ConditionField, op: Condition['op']): ValueKind {
  if (op === 'is_empty' || op === 'is_not_empty' || op === 'present' || op === 'absent') return 'none';
  if (NUMBER_FIELDS.includes(field)) return 'number';
  if (op === 'in' || op === 'not_in' || field === 'tags' || field === 'subject') return 'many';
  return 'one';
}

/** A condition with its value made to fit its operator (after the user switches field or operator). */
export function fitCondition(c: Condition): Condition {
  const ops = opsFor(c.field);
  const op = ops.includes(c.op) ? c.op : (ops[0] ?? 'is');
  const kind = valueKind(c.field, op);
  const v = c.value;
  // only a customer attribute names a key (kept while the user changes its operator)
  const head = c.field === 'customer_attribute' ? { field: c.field, key: c.key ?? '', op } : { field: c.field, op };
  if (kind === 'none') return head;
  if (kind === 'number') return { ...head, value: typeof v === 'number' ? v : TIME_FIELDS.includes(c.field) ? 24 : 2 };
  if (kind === 'many') return { ...head, value: Array.isArray(v) ? v : typeof v === 'string' && v ? [v] : [] };
  return { ...head, value: Array.isArray(v) ? (v[0] ?? '') : typeof v === 'string' ? v : '' };
}

/** A customer attribute condition whose key is missing or not a key the server takes (letters, digits, _ or -). */
export function attributeKeyMissing(c: Condition): boolean {
  return c.field === 'customer_attribute' && !ATTRIBUTE_KEY.test(c.key ?? '');
}

export interface RuleForm {
  kind: 'trigger' | 'automation';
  name: string;
  description: string;
  active: boolean;
  events: string[];
  all: Condition[];
  any: Condition[];
  actions: AutomationAction[];
}

/** The body, or an i18n key (desk-rules:rules.problem.*) saying what is missing; mirrors the server's checks. */
export function ruleBody(f: RuleForm): { body: CreateAutomationBody } | { problem: string } {
  if (!f.name.trim()) return { problem: 'name' };
  if (f.kind === 'trigger' && f.events.length === 0) return { problem: 'events' };
  if (f.kind === 'automation' && !f.all.some((c) => TIME_FIELDS.includes(c.field) && c.op === 'gte')) return { problem: 'time' };
  if (f.actions.length === 0) return { problem: 'actions' };
  const incomplete = (c: Condition) => {
    const k = valueKind(c.field, c.op);
    return (k === 'one' && (typeof c.value !== 'string' || !c.value.trim())) || (k === 'many' && (!Array.isArray(c.value) || c.value.length === 0));
  };
  if ([...f.all, ...f.any].some(attributeKeyMissing)) return { problem: 'key' };
  if ([...f.all, ...f.any].some(incomplete)) return { problem: 'value' };
  return {
    body: {
      kind: f.kind,
      name: f.name.trim(),
      description: f.description,
      active: f.active,
      events: f.kind === 'trigger' ? (f.events as CreateAutomationBody['events']) : [],
      conditions: { all: f.all, any: f.any },
      actions: f.actions,
    },
  };
}

/** A fresh action of a type, with sensible empty fields. */
export function newAction(type: AutomationAction['type']): AutomationAction {
  switch (type) {
    case 'set_status':
      return { type, status: 'solved' };
    case 'set_priority':
      return { type, priority: 'high' };
    case 'set_type':
      return { type, ticketType: 'question' };
    case 'set_category':
      return { type, categoryId: null };
    case 'set_team':
      return { type, teamId: null };
    case 'assign':
      return { type, userId: null };
    case 'add_tags':
    case 'remove_tags':
      return { type, tags: [] as unknown as [string] };
    case 'add_note':
    case 'email_customer':
      return { type, body: '' };
    case 'notify':
      return { type, to: 'assignee', message: '' };
    case 'call_webhook':
      return { type, webhookId: '' };
  }
}
