import type { Condition, ConditionField, RoutingRuleBody, TicketPriority } from '@seva/contracts';
import { attributeKeyMissing, valueKind } from '../desk-rules/rule-form.ts';

/**
 * The condition fields that mean something when a ticket is routed (it is new or just reopened, so the hours-since
 * fields and the satisfaction rating are left out). Mailboxes are a list of their own (`mailboxIds`).
 */
export const ROUTING_CONDITION_FIELDS = [
  'channel',
  'category_id',
  'tags',
  'organisation_id',
  'customer_tier',
  'customer_attribute',
  'priority',
  'language',
  'type',
  'subject',
] as const satisfies readonly ConditionField[];

export interface RoutingRuleForm {
  name: string;
  active: boolean;
  position: number | undefined;
  keywords: string[];
  mailboxIds: string[];
  widgetIds: string[];
  all: Condition[];
  any: Condition[];
  teamId: string | null;
  skills: string[];
  priority: TicketPriority | null;
  addTags: string[];
}

export interface RoutingRuleLike {
  name: string;
  position?: number | undefined;
  active?: boolean | undefined;
  keywords: string[];
  mailboxIds?: string[] | undefined;
  widgetIds?: string[] | undefined;
  conditions: { all?: Condition[] | undefined; any?: Condition[] | undefined };
  actions: {
    teamId?: string | undefined;
    skills?: string[] | undefined;
    priority?: string | undefined;
    addTags?: string[] | undefined;
  };
}

export function emptyRoutingRuleForm(): RoutingRuleForm {
  return {
    name: '',
    active: true,
    position: undefined,
    keywords: [],
    mailboxIds: [],
    widgetIds: [],
    all: [],
    any: [],
    teamId: null,
    skills: [],
    priority: null,
    addTags: [],
  };
}

/** A saved rule as the form edits it. */
export function routingRuleToForm(rule: RoutingRuleLike): RoutingRuleForm {
  return {
    name: rule.name,
    active: rule.active ?? true,
    position: rule.position,
    keywords: [...rule.keywords],
    mailboxIds: [...(rule.mailboxIds ?? [])],
    widgetIds: [...(rule.widgetIds ?? [])],
    all: [...(rule.conditions.all ?? [])],
    any: [...(rule.conditions.any ?? [])],
    teamId: rule.actions.teamId ?? null,
    skills: [...(rule.actions.skills ?? [])],
    priority: (rule.actions.priority as TicketPriority | undefined) ?? null,
    addTags: [...(rule.actions.addTags ?? [])],
  };
}

export type RoutingRuleProblem = 'name' | 'action' | 'key' | 'value';

/** A condition still waiting for its value (an empty "is" or an empty list). */
export function conditionIncomplete(c: Condition): boolean {
  const kind = valueKind(c.field, c.op);
  if (kind === 'one') return typeof c.value !== 'string' || !c.value.trim();
  if (kind === 'many') return !Array.isArray(c.value) || c.value.length === 0;
  return false;
}

/** The API body, or what is missing (routing:rule.problem.*); mirrors the server's checks. */
export function routingRuleBody(f: RoutingRuleForm): { body: RoutingRuleBody } | { problem: RoutingRuleProblem } {
  if (!f.name.trim()) return { problem: 'name' };
  if (!f.teamId && f.skills.length === 0 && !f.priority && f.addTags.length === 0) return { problem: 'action' };
  if ([...f.all, ...f.any].some(attributeKeyMissing)) return { problem: 'key' };
  if ([...f.all, ...f.any].some(conditionIncomplete)) return { problem: 'value' };
  const clean = (xs: string[]) => [...new Set(xs.map((x) => x.trim()).filter(Boolean))];
  return {
    body: {
      name: f.name.trim(),
      ...(f.position !== undefined ? { position: f.position } : {}),
      active: f.active,
      keywords: clean(f.keywords),
      mailboxIds: [...new Set(f.mailboxIds)],
      widgetIds: [...new Set(f.widgetIds)],
      conditions: { all: f.all, any: f.any },
      actions: {
        ...(f.teamId ? { teamId: f.teamId } : {}),
        ...(f.skills.length ? { skills: clean(f.skills).map((s) => s.toLowerCase()) } : {}),
        ...(f.priority ? { priority: f.priority } : {}),
        ...(f.addTags.length ? { addTags: clean(f.addTags) } : {}),
      },
    },
  };
}

/** A datetime-local input's value ("2026-04-06T10:00", the browser's time zone) as an ISO instant, or null. */
export function localInputToIso(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(value)) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** What is wrong with a time off or shift period (routing:rota.problem.*), or null when it can be saved. */
export function periodProblem(startsAt: string, endsAt: string): 'start' | 'end' | 'order' | null {
  const s = localInputToIso(startsAt);
  const e = localInputToIso(endsAt);
  if (!s) return 'start';
  if (!e) return 'end';
  return new Date(e).getTime() > new Date(s).getTime() ? null : 'order';
}
