import type { CreateSlaPolicyBody, SlaPolicy, UpdateSlaPolicyBody } from '@seva/contracts';
import { asc, eq, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import { businessCalendars, slaPolicies, staffUsers, teams, tickets } from '../../platform/db/schema/index.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import { syncPolicy } from './sla-clocks.ts';

type PolicyRow = typeof slaPolicies.$inferSelect;

/** How many open tickets a policy change re-evaluates in the same transaction (the rest on their next change). */
const RESYNC_LIMIT = 5000;

function toDto(p: PolicyRow): SlaPolicy {
  return {
    id: p.id,
    name: p.name,
    description: p.description,
    position: p.position,
    active: p.active,
    conditions: p.conditions as SlaPolicy['conditions'],
    targets: p.targets,
    businessHours: p.businessHours,
    calendarId: p.calendarId,
    warnPercent: p.warnPercent,
    escalations: p.escalations as SlaPolicy['escalations'],
    updatedAt: p.updatedAt.toISOString(),
  };
}

function field(path: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', message, { errors: [{ path, message }] });
}

async function checkReferences(db: DbOrTx, body: CreateSlaPolicyBody | UpdateSlaPolicyBody): Promise<void> {
  if (body.calendarId) {
    const [c] = await db.select({ id: businessCalendars.id }).from(businessCalendars).where(eq(businessCalendars.id, body.calendarId));
    if (!c) throw field('body.calendarId', 'no such calendar');
  }
  for (const [i, esc] of (body.escalations ?? []).entries()) {
    for (const [j, a] of esc.actions.entries()) {
      if (a.type !== 'reassign') continue;
      if (a.userId) {
        const [u] = await db.select({ id: staffUsers.id }).from(staffUsers).where(eq(staffUsers.id, a.userId));
        if (!u) throw field(`body.escalations.${i}.actions.${j}.userId`, 'no such person');
      }
      if (a.teamId) {
        const [t] = await db.select({ id: teams.id }).from(teams).where(eq(teams.id, a.teamId));
        if (!t) throw field(`body.escalations.${i}.actions.${j}.teamId`, 'no such team');
      }
    }
  }
}

/** Unsolved tickets pick their policy again (a new, changed or removed policy may apply to them now). */
async function resyncOpenTickets(tx: DbOrTx, now: Date): Promise<void> {
  const open = await tx
    .select({ id: tickets.id })
    .from(tickets)
    .where(sql`${tickets.status} NOT IN ('solved', 'closed') AND ${tickets.mergedIntoId} IS NULL`)
    .orderBy(asc(tickets.createdAt))
    .limit(RESYNC_LIMIT);
  for (const t of open) await syncPolicy(tx, t.id, now);
}

export async function listPolicies(db: DbOrTx): Promise<SlaPolicy[]> {
  const rows = await db.select().from(slaPolicies).orderBy(asc(slaPolicies.position), asc(slaPolicies.name));
  return rows.map(toDto);
}

async function nameFree(db: DbOrTx, name: string, except?: string): Promise<void> {
  const [dup] = await db.select({ id: slaPolicies.id }).from(slaPolicies).where(sql`lower(${slaPolicies.name}) = lower(${name})`);
  if (dup && dup.id !== except) {
    throw new AppError('CONFLICT', 'An SLA policy with this name already exists', { errors: [{ path: 'body.name', message: 'already used' }] });
  }
}

export async function createPolicy(tx: DbOrTx, input: { actor: Actor; body: CreateSlaPolicyBody; now: Date }): Promise<SlaPolicy> {
  const { body, now } = input;
  await nameFree(tx, body.name);
  await checkReferences(tx, body);
  const [last] = await tx.select({ n: sql<number>`coalesce(max(${slaPolicies.position}), -1)::int` }).from(slaPolicies);
  const [p] = await tx
    .insert(slaPolicies)
    .values({
      name: body.name,
      description: body.description ?? '',
      position: body.position ?? (last?.n ?? -1) + 1,
      active: body.active ?? true,
      conditions: body.conditions,
      targets: body.targets,
      businessHours: body.businessHours,
      calendarId: body.calendarId ?? null,
      warnPercent: body.warnPercent,
      escalations: body.escalations,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  if (!p) throw new Error('policy insert returned nothing');
  await recordEvent(tx, { type: 'sla.policy_created', actor: input.actor, payload: { policyId: p.id, name: p.name }, at: now });
  await resyncOpenTickets(tx, now);
  return toDto(p);
}

export async function updatePolicy(tx: DbOrTx, input: { actor: Actor; id: string; body: UpdateSlaPolicyBody; now: Date }): Promise<SlaPolicy> {
  const { body, now } = input;
  const [cur] = await tx.select().from(slaPolicies).where(eq(slaPolicies.id, input.id));
  if (!cur) throw notFound('SLA policy');
  if (body.name) await nameFree(tx, body.name, cur.id);
  await checkReferences(tx, body);
  const set: Partial<typeof slaPolicies.$inferInsert> = { updatedAt: now };
  for (const k of ['name', 'description', 'position', 'active', 'conditions', 'targets', 'businessHours', 'calendarId', 'warnPercent', 'escalations'] as const) {
    if (body[k] !== undefined) (set as Record<string, unknown>)[k] = body[k];
  }
  const [p] = await tx.update(slaPolicies).set(set).where(eq(slaPolicies.id, cur.id)).returning();
  if (!p) throw notFound('SLA policy');
  await recordEvent(tx, { type: 'sla.policy_updated', actor: input.actor, payload: { policyId: p.id, changed: Object.keys(body) }, at: now });
  await resyncOpenTickets(tx, now);
  return toDto(p);
}

export async function deletePolicy(tx: DbOrTx, input: { actor: Actor; id: string; now: Date }): Promise<void> {
  const gone = await tx.delete(slaPolicies).where(eq(slaPolicies.id, input.id)).returning({ id: slaPolicies.id, name: slaPolicies.name });
  if (gone.length === 0) throw notFound('SLA policy');
  await tx.update(tickets).set({ slaPolicyId: null }).where(eq(tickets.slaPolicyId, input.id));
  await recordEvent(tx, { type: 'sla.policy_deleted', actor: input.actor, payload: { policyId: input.id, name: gone[0]?.name }, at: input.now });
  await resyncOpenTickets(tx, input.now);
}
