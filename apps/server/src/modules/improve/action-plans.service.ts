import type {
  ActionPlan,
  ActionPlanImpact,
  CreateActionPlanBody,
  NotifyActionPlanBody,
  UpdateActionPlanBody,
} from '@seva/contracts';
import { type SQL, sql } from 'drizzle-orm';
import type { Actor, StaffActor } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, type FieldProblem, notFound, validationFailed } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import { ticketVisibleSql } from '../customers/index.ts';
import { findVisibleTicket, postMessage } from '../tickets/index.ts';
import { type ActionPlanRow, actionPlanDto, iso, PLAN_SELECT, rows, toDate } from './improve.repository.ts';
import { weeklyImpact } from './impact.ts';

type ServiceDeps = Pick<Deps, 'db' | 'clock'>;

async function loadPlan(db: DbOrTx, id: string, now: Date): Promise<ActionPlan> {
  const [row] = await rows<ActionPlanRow>(db, sql`${PLAN_SELECT} WHERE p.id = ${id}`);
  if (!row) throw notFound('Action plan');
  return actionPlanDto(row, now);
}

export async function listActionPlans(
  deps: ServiceDeps,
  q: { status?: string | undefined; categoryId?: string | undefined },
): Promise<{ items: ActionPlan[] }> {
  const conds: SQL[] = [sql`true`];
  const statuses = q.status?.split(',').map((s) => s.trim()).filter(Boolean) ?? [];
  if (statuses.length > 0) conds.push(sql`p.status IN (${sql.join(statuses.map((s) => sql`${s}`), sql`, `)})`);
  if (q.categoryId) conds.push(sql`p.category_id = ${q.categoryId}`);
  const found = await rows<ActionPlanRow>(
    deps.db,
    sql`${PLAN_SELECT} WHERE ${sql.join(conds, sql` AND `)}
        ORDER BY CASE WHEN p.status IN ('done', 'dropped') THEN 1 ELSE 0 END, p.due_date NULLS LAST, p.updated_at DESC
        LIMIT 500`,
  );
  const now = deps.clock.now();
  return { items: found.map((r) => actionPlanDto(r, now)) };
}

export async function getActionPlan(deps: ServiceDeps, id: string): Promise<ActionPlan> {
  return loadPlan(deps.db, id, deps.clock.now());
}

async function checkRefs(
  tx: DbOrTx,
  refs: { ownerStaffId?: string | null | undefined; categoryId?: string | null | undefined },
): Promise<FieldProblem[]> {
  const errors: FieldProblem[] = [];
  if (refs.ownerStaffId) {
    const [s] = await rows(tx, sql`SELECT 1 FROM staff_users WHERE id = ${refs.ownerStaffId}`);
    if (!s) errors.push({ path: 'ownerStaffId', message: 'no such staff member' });
  }
  if (refs.categoryId) {
    const [c] = await rows(tx, sql`SELECT 1 FROM categories WHERE id = ${refs.categoryId}`);
    if (!c) errors.push({ path: 'categoryId', message: 'no such category' });
  }
  return errors;
}

/** Resolves ticket references (ids or numbers) the actor can see; every unknown one is reported at once. */
async function resolveTickets(tx: DbOrTx, actor: Actor, refs: readonly string[], path: string): Promise<string[]> {
  const ids: string[] = [];
  const errors: FieldProblem[] = [];
  for (const [i, ref] of refs.entries()) {
    const t = await findVisibleTicket(tx, actor, ref);
    if (!t) errors.push({ path: `${path}.${i}`, message: `no such ticket: ${ref}` });
    else ids.push(t.id);
  }
  if (errors.length > 0) throw validationFailed(errors);
  return [...new Set(ids)];
}

async function linkTickets(tx: DbOrTx, planId: string, ticketIds: string[], now: Date): Promise<number> {
  if (ticketIds.length === 0) return 0;
  const values = sql.join(
    ticketIds.map((id) => sql`(${planId}::uuid, ${id}::uuid, ${now.toISOString()}::timestamptz)`),
    sql`, `,
  );
  const res = await tx.execute(
    sql`INSERT INTO action_plan_tickets (plan_id, ticket_id, added_at) VALUES ${values} ON CONFLICT DO NOTHING`,
  );
  return res.rowCount ?? 0;
}

export async function createActionPlan(
  deps: ServiceDeps,
  input: { actor: StaffActor; body: CreateActionPlanBody },
): Promise<ActionPlan> {
  const { actor, body } = input;
  const now = deps.clock.now();
  const id = await deps.db.transaction(async (tx) => {
    const errors = await checkRefs(tx, body);
    if (errors.length > 0) throw validationFailed(errors);
    const ticketIds = await resolveTickets(tx, actor, body.tickets ?? [], 'tickets');
    const [row] = await rows<{ id: string }>(
      tx,
      sql`INSERT INTO action_plans (title, problem, owner_name, owner_staff_id, category_id, tag, source, due_date,
            created_by_id, created_at, updated_at)
          VALUES (${body.title}, ${body.problem}, ${body.ownerName}, ${body.ownerStaffId ?? null}, ${body.categoryId ?? null},
            ${body.tag ?? null}, ${JSON.stringify(body.source ?? { kind: body.categoryId ? 'category' : 'tag' })}::jsonb,
            ${body.dueDate ?? null}, ${actor.userId}, ${now.toISOString()}::timestamptz, ${now.toISOString()}::timestamptz)
          RETURNING id`,
    );
    if (!row) throw new Error('action plan insert returned nothing');
    await linkTickets(tx, row.id, ticketIds, now);
    await recordEvent(tx, {
      type: 'action_plan.created',
      actor,
      payload: { planId: row.id, title: body.title, categoryId: body.categoryId ?? null, tag: body.tag ?? null, tickets: ticketIds.length },
      at: now,
    });
    return row.id;
  });
  return loadPlan(deps.db, id, now);
}

/** Allowed moves of an action plan's status; a shipped fix can still be reopened if it did not work. */
const PLAN_TRANSITIONS: Record<string, readonly string[]> = {
  open: ['in_progress', 'fix_shipped', 'dropped'],
  in_progress: ['open', 'fix_shipped', 'dropped'],
  fix_shipped: ['in_progress', 'done'],
  done: ['in_progress'],
  dropped: ['open'],
};

export async function updateActionPlan(
  deps: ServiceDeps,
  input: { actor: StaffActor; id: string; body: UpdateActionPlanBody },
): Promise<ActionPlan> {
  const { actor, body } = input;
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const [current] = await rows<{ status: string; fix: string; fix_shipped_at: Date | null }>(
      tx,
      sql`SELECT status, fix, fix_shipped_at FROM action_plans WHERE id = ${input.id} FOR UPDATE`,
    );
    if (!current) throw notFound('Action plan');
    const errors = await checkRefs(tx, { ownerStaffId: body.ownerStaffId });
    const to = body.status;
    if (to && to !== current.status && !PLAN_TRANSITIONS[current.status]?.includes(to)) {
      throw new AppError('INVALID_TRANSITION', `An action plan cannot go from ${current.status} to ${to}`);
    }
    const fix = body.fix ?? current.fix;
    if (to === 'fix_shipped' && fix.trim() === '') errors.push({ path: 'fix', message: 'say what the fix was before shipping it' });
    if (errors.length > 0) throw validationFailed(errors);

    const set: SQL[] = [sql`updated_at = ${now.toISOString()}::timestamptz`];
    const changed: Record<string, unknown> = {};
    const put = (col: string, key: string, v: unknown) => {
      set.push(sql`${sql.identifier(col)} = ${v}`);
      changed[key] = v;
    };
    if (body.title !== undefined) put('title', 'title', body.title);
    if (body.problem !== undefined) put('problem', 'problem', body.problem);
    if (body.ownerName !== undefined) put('owner_name', 'ownerName', body.ownerName);
    if (body.ownerStaffId !== undefined) put('owner_staff_id', 'ownerStaffId', body.ownerStaffId);
    if (body.dueDate !== undefined) put('due_date', 'dueDate', body.dueDate);
    if (body.fix !== undefined) put('fix', 'fix', body.fix);
    if (to && to !== current.status) {
      put('status', 'status', to);
      // the comparison splits on the first time the fix shipped; reopening keeps that date unless it ships again later
      if (to === 'fix_shipped') set.push(sql`fix_shipped_at = ${now.toISOString()}::timestamptz`);
    }
    await tx.execute(sql`UPDATE action_plans SET ${sql.join(set, sql`, `)} WHERE id = ${input.id}`);
    if (Object.keys(changed).length > 0) {
      await recordEvent(tx, {
        type: to === 'fix_shipped' && current.status !== 'fix_shipped' ? 'action_plan.fix_shipped' : 'action_plan.updated',
        actor,
        payload: { planId: input.id, changes: changed },
        at: now,
      });
    }
  });
  return loadPlan(deps.db, input.id, now);
}

export async function linkActionPlanTickets(
  deps: ServiceDeps,
  input: { actor: StaffActor; id: string; tickets: readonly string[] },
): Promise<ActionPlan> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const [plan] = await rows(tx, sql`SELECT 1 FROM action_plans WHERE id = ${input.id} FOR UPDATE`);
    if (!plan) throw notFound('Action plan');
    const ids = await resolveTickets(tx, input.actor, input.tickets, 'tickets');
    const added = await linkTickets(tx, input.id, ids, now);
    await tx.execute(sql`UPDATE action_plans SET updated_at = ${now.toISOString()}::timestamptz WHERE id = ${input.id}`);
    for (const ticketId of ids) {
      await recordEvent(tx, { type: 'ticket.action_plan_linked', actor: input.actor, ticketId, payload: { planId: input.id }, at: now });
    }
    return added;
  });
  return loadPlan(deps.db, input.id, now);
}

export async function unlinkActionPlanTicket(
  deps: ServiceDeps,
  input: { actor: StaffActor; id: string; ticketId: string },
): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const res = await tx.execute(
      sql`DELETE FROM action_plan_tickets WHERE plan_id = ${input.id} AND ticket_id = ${input.ticketId}`,
    );
    if ((res.rowCount ?? 0) === 0) throw notFound('Linked ticket');
    await recordEvent(tx, {
      type: 'ticket.action_plan_unlinked',
      actor: input.actor,
      ticketId: input.ticketId,
      payload: { planId: input.id },
      at: now,
    });
  });
}

/** The plan's tickets the actor may see (a collaborator sees only their own, like everywhere else). */
export async function listActionPlanTickets(deps: ServiceDeps, actor: Actor, id: string) {
  const [plan] = await rows(deps.db, sql`SELECT 1 FROM action_plans WHERE id = ${id}`);
  if (!plan) throw notFound('Action plan');
  const found = await rows<{
    id: string;
    number: string;
    subject: string;
    status: string;
    language: string | null;
    customer_id: string;
    customer_name: string;
    added_at: Date;
    notified_at: Date | null;
  }>(
    deps.db,
    sql`SELECT t.id, t.number, t.subject, t.status, t.language, c.id AS customer_id, c.name AS customer_name,
          l.added_at, l.notified_at
        FROM action_plan_tickets l JOIN tickets t ON t.id = l.ticket_id JOIN customers c ON c.id = t.customer_id
        WHERE l.plan_id = ${id} AND ${ticketVisibleSql(actor, 't')} ORDER BY l.added_at DESC, t.number DESC LIMIT 1000`,
  );
  return {
    items: found.map((r) => ({
      id: r.id,
      number: Number(r.number),
      subject: r.subject,
      status: r.status,
      language: r.language,
      customer: { id: r.customer_id, name: r.customer_name },
      addedAt: iso(r.added_at),
      notifiedAt: r.notified_at ? iso(r.notified_at) : null,
    })),
  };
}

/**
 * Contacts about the plan's category and/or tag per week, for `weeks` weeks before the fix shipped and as many
 * after it (up to now). Reads tickets through the (category_id, created_at) index or the tags GIN index.
 */
export async function actionPlanImpact(deps: ServiceDeps, id: string, weeks: number): Promise<ActionPlanImpact> {
  const [plan] = await rows<{ category_id: string | null; tag: string | null; fix_shipped_at: Date | null; created_at: Date }>(
    deps.db,
    sql`SELECT category_id, tag, fix_shipped_at, created_at FROM action_plans WHERE id = ${id}`,
  );
  if (!plan) throw notFound('Action plan');
  const now = deps.clock.now();
  const shippedAt = plan.fix_shipped_at ? toDate(plan.fix_shipped_at) : null;
  const split = shippedAt ?? now;
  const from = new Date(split.getTime() - weeks * 7 * 86_400_000);
  const to = shippedAt ? new Date(Math.min(now.getTime(), split.getTime() + weeks * 7 * 86_400_000)) : split;
  const conds: SQL[] = [sql`created_at >= ${from.toISOString()}::timestamptz`, sql`created_at < ${to.toISOString()}::timestamptz`];
  if (plan.category_id) conds.push(sql`category_id = ${plan.category_id}`);
  if (plan.tag) conds.push(sql`tags @> ARRAY[${plan.tag}]::text[]`);
  const created = await rows<{ created_at: Date }>(
    deps.db,
    sql`SELECT created_at FROM tickets WHERE ${sql.join(conds, sql` AND `)} AND merged_into_id IS NULL`,
  );
  const basis = plan.category_id && plan.tag ? 'category_and_tag' : plan.category_id ? 'category' : 'tag';
  return {
    basis,
    ...weeklyImpact(
      created.map((r) => toDate(r.created_at)),
      { splitAt: split, shipped: shippedAt !== null, weeks, now },
    ),
  };
}

const SUPPORTED = new Set(['en', 'bn', 'hi']);

/**
 * Tells every customer still waiting on a linked ticket that the fix shipped — each in their ticket's language
 * (English when no message in that language was given) — as a normal public reply, so it goes out on the ticket's
 * channel. Idempotent: a ticket already told, or solved/closed meanwhile, is skipped.
 */
export async function notifyActionPlan(
  deps: ServiceDeps,
  input: { actor: StaffActor; id: string; body: NotifyActionPlanBody },
): Promise<{ notified: number; skipped: number; byLanguage: Record<string, number> }> {
  const { actor, body } = input;
  const [plan] = await rows<{ status: string }>(deps.db, sql`SELECT status FROM action_plans WHERE id = ${input.id}`);
  if (!plan) throw notFound('Action plan');
  if (plan.status !== 'fix_shipped' && plan.status !== 'done') {
    throw new AppError('CONFLICT', 'Ship the fix first: customers are told when it is out');
  }
  const linked = await rows<{ ticket_id: string; language: string | null; status: string; notified_at: Date | null }>(
    deps.db,
    sql`SELECT l.ticket_id, t.language, t.status, l.notified_at FROM action_plan_tickets l JOIN tickets t ON t.id = l.ticket_id
        WHERE l.plan_id = ${input.id} ORDER BY t.number`,
  );
  let notified = 0;
  let skipped = 0;
  const byLanguage: Record<string, number> = {};
  for (const l of linked) {
    if (l.notified_at || l.status === 'solved' || l.status === 'closed') {
      skipped += 1;
      continue;
    }
    const lang = l.language && SUPPORTED.has(l.language) && body.messages[l.language as 'en' | 'bn' | 'hi'] ? l.language : 'en';
    const text = body.messages[lang as 'en' | 'bn' | 'hi'] ?? body.messages.en;
    // claim the row first so two managers pressing the button at once never double-message a customer
    const claimed = await deps.db.execute(
      sql`UPDATE action_plan_tickets SET notified_at = ${deps.clock.now().toISOString()}::timestamptz
          WHERE plan_id = ${input.id} AND ticket_id = ${l.ticket_id} AND notified_at IS NULL`,
    );
    if ((claimed.rowCount ?? 0) === 0) {
      skipped += 1;
      continue;
    }
    try {
      await postMessage(deps, {
        actor,
        ref: l.ticket_id,
        body: { body: text, internal: false, ...(body.solve ? { status: 'solved' as const } : {}) },
      });
    } catch (err) {
      // give the claim back so a retry can tell this customer
      await deps.db.execute(
        sql`UPDATE action_plan_tickets SET notified_at = NULL WHERE plan_id = ${input.id} AND ticket_id = ${l.ticket_id}`,
      );
      throw err;
    }
    notified += 1;
    byLanguage[lang] = (byLanguage[lang] ?? 0) + 1;
  }
  await deps.db.transaction(async (tx) => {
    await recordEvent(tx, {
      type: 'action_plan.customers_notified',
      actor,
      payload: { planId: input.id, notified, skipped, byLanguage },
      at: deps.clock.now(),
    });
  });
  return { notified, skipped, byLanguage };
}
