import { type AutomationAction, type AutomationRule, type AutomationRun, type CreateAutomationBody, TIME_FIELDS, type UpdateAutomationBody } from '@seva/contracts';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import { automationRules, automationRuns, categories, staffUsers, teams, tickets, webhooks } from '../../platform/db/schema/index.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';

type RuleRow = typeof automationRules.$inferSelect;

export function toRuleDto(r: RuleRow): AutomationRule {
  return {
    id: r.id,
    kind: r.kind as AutomationRule['kind'],
    name: r.name,
    description: r.description,
    position: r.position,
    active: r.active,
    events: r.events,
    conditions: r.conditions as AutomationRule['conditions'],
    actions: r.actions as AutomationAction[],
    runCount: r.runCount,
    lastRunAt: r.lastRunAt?.toISOString() ?? null,
    updatedAt: r.updatedAt.toISOString(),
  };
}

const invalid = (path: string, message: string) => new AppError('VALIDATION_FAILED', message, { errors: [{ path, message }] });

async function exists(db: DbOrTx, table: typeof teams | typeof staffUsers | typeof categories | typeof webhooks, id: string): Promise<boolean> {
  const r = await db.select({ id: table.id }).from(table).where(eq(table.id, id));
  return r.length > 0;
}

/** Rules that can be saved: triggers listen to something, automations wait for time, and what they name exists. */
async function checkRule(db: DbOrTx, kind: string, r: { events?: string[]; conditions?: AutomationRule['conditions']; actions?: AutomationAction[] }) {
  if (kind === 'trigger' && r.events !== undefined && r.events.length === 0) throw invalid('body.events', 'a trigger runs on at least one event');
  if (kind === 'automation' && r.conditions && !r.conditions.all.some((c) => TIME_FIELDS.includes(c.field) && c.op === 'gte')) {
    throw invalid('body.conditions.all', 'an automation needs a time condition such as "hours in status at least 72"');
  }
  for (const [i, a] of (r.actions ?? []).entries()) {
    const path = `body.actions.${i}`;
    if (a.type === 'set_team' && a.teamId && !(await exists(db, teams, a.teamId))) throw invalid(`${path}.teamId`, 'no such team');
    if (a.type === 'assign' && a.userId && !(await exists(db, staffUsers, a.userId))) throw invalid(`${path}.userId`, 'no such person');
    if (a.type === 'notify' && a.to === 'user' && (!a.userId || !(await exists(db, staffUsers, a.userId)))) throw invalid(`${path}.userId`, 'name the person to notify');
    if (a.type === 'set_category' && a.categoryId && !(await exists(db, categories, a.categoryId))) throw invalid(`${path}.categoryId`, 'no such category');
    if (a.type === 'call_webhook' && !(await exists(db, webhooks, a.webhookId))) throw invalid(`${path}.webhookId`, 'no such webhook');
  }
}

async function nameFree(db: DbOrTx, kind: string, name: string, except?: string) {
  const [dup] = await db
    .select({ id: automationRules.id })
    .from(automationRules)
    .where(and(eq(automationRules.kind, kind), sql`lower(${automationRules.name}) = lower(${name})`));
  if (dup && dup.id !== except) throw new AppError('CONFLICT', `A ${kind} with this name already exists`, { errors: [{ path: 'body.name', message: 'already used' }] });
}

export async function listRules(db: DbOrTx, kind?: string): Promise<AutomationRule[]> {
  const rows = await db
    .select()
    .from(automationRules)
    .where(kind ? eq(automationRules.kind, kind) : undefined)
    .orderBy(asc(automationRules.kind), asc(automationRules.position), asc(automationRules.name));
  return rows.map(toRuleDto);
}

export async function createRule(tx: DbOrTx, input: { actor: Actor; body: CreateAutomationBody; now: Date }): Promise<AutomationRule> {
  const { body, now } = input;
  await nameFree(tx, body.kind, body.name);
  await checkRule(tx, body.kind, body);
  const [last] = await tx.select({ n: sql<number>`coalesce(max(${automationRules.position}), -1)::int` }).from(automationRules).where(eq(automationRules.kind, body.kind));
  const [r] = await tx
    .insert(automationRules)
    .values({
      kind: body.kind,
      name: body.name,
      description: body.description ?? '',
      position: body.position ?? (last?.n ?? -1) + 1,
      active: body.active ?? true,
      events: body.kind === 'trigger' ? body.events : [],
      conditions: body.conditions,
      actions: body.actions,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  if (!r) throw new Error('rule insert returned nothing');
  await recordEvent(tx, { type: `${body.kind}.created`, actor: input.actor, payload: { ruleId: r.id, name: r.name }, at: now });
  return toRuleDto(r);
}

export async function updateRule(tx: DbOrTx, input: { actor: Actor; id: string; body: UpdateAutomationBody; now: Date }): Promise<AutomationRule> {
  const { body, now } = input;
  const [cur] = await tx.select().from(automationRules).where(eq(automationRules.id, input.id));
  if (!cur) throw notFound('Rule');
  if (body.name) await nameFree(tx, cur.kind, body.name, cur.id);
  await checkRule(tx, cur.kind, body);
  const set: Partial<typeof automationRules.$inferInsert> = { updatedAt: now };
  for (const k of ['name', 'description', 'position', 'active', 'events', 'conditions', 'actions'] as const) {
    if (body[k] !== undefined) (set as Record<string, unknown>)[k] = body[k];
  }
  const [r] = await tx.update(automationRules).set(set).where(eq(automationRules.id, cur.id)).returning();
  if (!r) throw notFound('Rule');
  await recordEvent(tx, { type: `${cur.kind}.updated`, actor: input.actor, payload: { ruleId: r.id, changed: Object.keys(body) }, at: now });
  return toRuleDto(r);
}

export async function deleteRule(tx: DbOrTx, input: { actor: Actor; id: string; now: Date }): Promise<void> {
  const gone = await tx.delete(automationRules).where(eq(automationRules.id, input.id)).returning({ kind: automationRules.kind, name: automationRules.name });
  const g = gone[0];
  if (!g) throw notFound('Rule');
  await recordEvent(tx, { type: `${g.kind}.deleted`, actor: input.actor, payload: { ruleId: input.id, name: g.name }, at: input.now });
}

/** The execution log, for one rule or one ticket (newest first). */
export async function listRuns(db: DbOrTx, where: { ruleId?: string; ticketId?: string }, limit = 200): Promise<AutomationRun[]> {
  const conds = [];
  if (where.ruleId) conds.push(eq(automationRuns.ruleId, where.ruleId));
  if (where.ticketId) conds.push(eq(automationRuns.ticketId, where.ticketId));
  const rows = await db
    .select({ run: automationRuns, ruleName: automationRules.name, kind: automationRules.kind, ticketNumber: tickets.number })
    .from(automationRuns)
    .innerJoin(automationRules, eq(automationRules.id, automationRuns.ruleId))
    .innerJoin(tickets, eq(tickets.id, automationRuns.ticketId))
    .where(conds.length ? and(...conds) : undefined)
    .orderBy(desc(automationRuns.at), desc(automationRuns.id))
    .limit(limit);
  return rows.map(({ run, ruleName, kind, ticketNumber }) => ({
    id: run.id,
    ruleId: run.ruleId,
    ruleName,
    kind,
    ticketId: run.ticketId,
    ticketNumber,
    cause: run.cause,
    outcome: run.outcome as AutomationRun['outcome'],
    actions: run.actions,
    error: run.error,
    at: run.at.toISOString(),
  }));
}
