import type { CreateTicketBody, Ticket, TicketStatus, UpdateTicketBody } from '@seva/contracts';
import { and, eq, sql } from 'drizzle-orm';
import { type Actor, hasPermission } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import { customers, tickets } from '../../platform/db/schema/index.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, type FieldProblem, forbidden, validationFailed } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import { normaliseForSearch } from '../../platform/text/normalise.ts';
import { runTicketHooks } from '../../platform/ticket-hooks.ts';
import { findOrCreateCustomerByEmail } from '../customers/find-or-create-customer.ts';
import { detectLanguage } from './detect-language.ts';
import { insertTicketRow } from './insert-ticket-row.ts';
import { normaliseTags } from './normalise-tags.ts';
import { checkTicketReferences, loadCustomFieldDefinitions } from './ticket-references.ts';
import { appendMessage, changeTicketStatus, messageBody } from './ticket-writes.ts';
import { ticketClosed, ticketNotFound } from './tickets.errors.ts';
import { findVisibleTicket, loadTicketDto, primaryEmailSql, type TicketRow } from './tickets.repository.ts';
import { mergeCustomFieldValues, validateCustomFields } from './validate-custom-fields.ts';

type ServiceDeps = Pick<Deps, 'db' | 'clock'>;

/** Reads the Ticket DTO after a write; the actor could see it a moment ago, so a miss is a bug. */
export async function ticketDtoOrThrow(db: DbOrTx, actor: Actor, ticketId: string): Promise<Ticket> {
  const dto = await loadTicketDto(db, actor, ticketId);
  if (!dto) throw ticketNotFound();
  return dto;
}

/** Search text of a ticket: its subject plus the customer's name and primary email. */
export async function ticketSearchText(tx: DbOrTx, subject: string, customerId: string): Promise<string> {
  const [c] = await tx
    .select({ name: customers.name, email: primaryEmailSql })
    .from(customers)
    .where(eq(customers.id, customerId));
  return normaliseForSearch(`${subject} ${c?.name ?? ''} ${c?.email ?? ''}`);
}

async function resolveCustomerById(tx: DbOrTx, id: string) {
  let current = id;
  for (let i = 0; i < 10; i += 1) {
    const [c] = await tx
      .select({ id: customers.id, organisationId: customers.organisationId, mergedIntoId: customers.mergedIntoId })
      .from(customers)
      .where(eq(customers.id, current));
    if (!c) return null;
    if (!c.mergedIntoId) return c;
    current = c.mergedIntoId;
  }
  return null;
}

export interface CreateTicketInput {
  actor: Actor;
  body: CreateTicketBody;
}

/**
 * Opens a ticket: finds or creates the customer, checks every reference and custom field (all problems reported
 * at once), stores the ticket and its first message (the customer's words, or an internal note), records
 * `ticket.created` and `message.added`.
 */
export async function createTicket(deps: ServiceDeps, input: CreateTicketInput): Promise<Ticket> {
  const { actor, body } = input;
  if (body.assigneeId && !hasPermission(actor, 'tickets:assign'))
    throw forbidden('You are not allowed to assign tickets');
  if (body.message.internal && !hasPermission(actor, 'tickets:note'))
    throw forbidden('You are not allowed to add internal notes');
  if (body.attachmentIds?.length && !hasPermission(actor, 'tickets:reply') && !hasPermission(actor, 'tickets:note')) {
    throw forbidden('You are not allowed to attach files');
  }
  const now = deps.clock.now();
  const ticketId = await deps.db.transaction(async (tx) => {
    const errors: FieldProblem[] = [];
    const type = body.type ?? 'question';
    if (body.problemId && type !== 'incident')
      errors.push({ path: 'problemId', message: 'only incidents can be linked to a problem' });
    errors.push(...(await checkTicketReferences(tx, body)));
    const customerErrors: FieldProblem[] = [];

    let customer: { id: string; organisationId: string | null };
    // known when the customer came by email: the ticket's search text then needs no read of the customer
    let customerText: { name: string; primaryEmail: string | null } | null = null;
    if ('id' in body.customer) {
      const found = await resolveCustomerById(tx, body.customer.id);
      if (!found) customerErrors.push({ path: 'customer.id', message: 'no such customer' });
      customer = found ?? { id: '', organisationId: null };
    } else {
      customer = { id: '', organisationId: null };
    }
    // The customer by email before the custom fields: its statement carries the configuration versions their
    // cached definitions need (find-or-create-customer.ts), a round trip fewer. A problem with the fields still
    // fails the request, and a customer created for it goes with the transaction's rollback.
    if (errors.length === 0 && 'email' in body.customer) {
      const found = await findOrCreateCustomerByEmail(tx, {
        email: body.customer.email,
        name: body.customer.name,
        actor,
        now,
      });
      customer = found;
      customerText = { name: found.name, primaryEmail: found.primaryEmail };
    }
    const defs = await loadCustomFieldDefinitions(tx);
    const fields = validateCustomFields(defs, body.customFields ?? {}, { mode: 'create' });
    if (!fields.ok) errors.push(...fields.errors);
    errors.push(...customerErrors);
    if (errors.length > 0) throw validationFailed(errors);

    const { bodyText } = messageBody(body.message);
    const language =
      body.language === undefined || body.language === null
        ? detectLanguage(`${body.subject}\n${bodyText}`)
        : body.language.toLowerCase();
    const channel = body.channel ?? 'api';
    const row = await insertTicketRow(
      tx,
      {
        subject: body.subject,
        status: 'new',
        priority: body.priority ?? 'normal',
        type,
        problemId: body.problemId ?? null,
        categoryId: body.categoryId ?? null,
        tags: normaliseTags(body.tags ?? []),
        customFields: fields.ok ? fields.values : {},
        language,
        channel,
        teamId: body.teamId ?? null,
        assigneeId: body.assigneeId ?? null,
        customerId: customer.id,
        organisationId: customer.organisationId,
        searchText: customerText
          ? normaliseForSearch(`${body.subject} ${customerText.name} ${customerText.primaryEmail ?? ''}`)
          : await ticketSearchText(tx, body.subject, customer.id),
        createdAt: now,
        updatedAt: now,
      },
      { actor },
    );
    const staffId = actor.kind === 'staff' ? actor.userId : null;
    await appendMessage(tx, {
      ticketId: row.id,
      ...(body.message.internal
        ? { kind: 'internal', authorType: staffId ? 'staff' : 'system', authorStaffId: staffId, status: 'sent' }
        : { kind: 'public', authorType: 'customer', authorCustomerId: customer.id, status: 'received' }),
      channel,
      body: body.message.body,
      html: body.message.html,
      attachmentIds: body.attachmentIds,
      uploaderId: staffId,
      meta: staffId && !body.message.internal ? { enteredByStaffId: staffId } : {},
      actor,
      now,
    });
    await runTicketHooks(tx, { kind: 'created', ticketId: row.id, actor, now, source: 'api' });
    return row.id;
  });
  return ticketDtoOrThrow(deps.db, actor, ticketId);
}

export interface UpdateTicketInput {
  actor: Actor;
  ref: string;
  changes: UpdateTicketBody;
}

type Change<T> = { from: T; to: T };

/**
 * Changes ticket fields. Each kind of change gets its own event: ticket.status_changed, ticket.assigned,
 * ticket.priority_changed, ticket.tags_changed, and ticket.updated for everything else.
 */
export async function updateTicket(deps: ServiceDeps, input: UpdateTicketInput): Promise<Ticket> {
  const { actor, changes } = input;
  const now = deps.clock.now();
  const ticketId = await deps.db.transaction(async (tx) => {
    const t = await findVisibleTicket(tx, actor, input.ref, { forUpdate: true });
    if (!t) throw ticketNotFound();
    const assigning =
      (changes.assigneeId !== undefined && changes.assigneeId !== t.assigneeId) ||
      (changes.teamId !== undefined && changes.teamId !== t.teamId);
    if (assigning && !hasPermission(actor, 'tickets:assign')) throw forbidden('You are not allowed to assign tickets');
    if (t.status === 'closed' && Object.values(changes).some((v) => v !== undefined)) throw ticketClosed();

    const errors: FieldProblem[] = [];
    const nextType = changes.type ?? t.type;
    let nextProblemId = changes.problemId !== undefined ? changes.problemId : t.problemId;
    if (nextType !== 'incident' && nextProblemId) {
      if (changes.problemId) errors.push({ path: 'problemId', message: 'only incidents can be linked to a problem' });
      else nextProblemId = null; // the ticket stopped being an incident: drop the link
    }
    errors.push(
      ...(await checkTicketReferences(
        tx,
        {
          categoryId: changes.categoryId !== t.categoryId ? changes.categoryId : undefined,
          teamId: changes.teamId !== t.teamId ? changes.teamId : undefined,
          assigneeId: changes.assigneeId !== t.assigneeId ? changes.assigneeId : undefined,
          problemId: changes.problemId !== t.problemId ? changes.problemId : undefined,
        },
        t.id,
      )),
    );
    if (changes.type && changes.type !== 'problem' && t.type === 'problem') {
      const [linked] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(tickets)
        .where(eq(tickets.problemId, t.id));
      if ((linked?.n ?? 0) > 0) errors.push({ path: 'type', message: 'unlink the incidents of this problem first' });
    }
    let nextCustomFields = t.customFields;
    if (changes.customFields) {
      const defs = await loadCustomFieldDefinitions(tx);
      const checked = validateCustomFields(defs, changes.customFields, { mode: 'update' });
      if (!checked.ok) errors.push(...checked.errors);
      else nextCustomFields = mergeCustomFieldValues(t.customFields, checked.values);
    }
    if (errors.length > 0) throw validationFailed(errors);

    const set: Partial<typeof tickets.$inferInsert> = {};
    const updated: Record<string, Change<unknown>> = {};
    const note = <K extends keyof TicketRow>(key: K, to: TicketRow[K]) => {
      if (JSON.stringify(t[key]) === JSON.stringify(to)) return false;
      (set as Record<string, unknown>)[key] = to;
      return true;
    };

    if (changes.subject !== undefined && note('subject', changes.subject)) {
      updated.subject = { from: t.subject, to: changes.subject };
      set.searchText = await ticketSearchText(tx, changes.subject, t.customerId);
    }
    for (const key of ['type', 'categoryId', 'language'] as const) {
      const v = changes[key];
      if (v === undefined) continue;
      const to = key === 'language' && typeof v === 'string' ? v.toLowerCase() : v;
      if (note(key, to as TicketRow[typeof key])) updated[key] = { from: t[key], to };
    }
    if (note('problemId', nextProblemId)) updated.problemId = { from: t.problemId, to: nextProblemId };
    if (changes.customFields && note('customFields', nextCustomFields)) {
      updated.customFields = { from: t.customFields, to: nextCustomFields };
    }

    const assignment: Record<string, Change<string | null>> = {};
    if (changes.assigneeId !== undefined && note('assigneeId', changes.assigneeId)) {
      assignment.assigneeId = { from: t.assigneeId, to: changes.assigneeId };
    }
    if (changes.teamId !== undefined && note('teamId', changes.teamId))
      assignment.teamId = { from: t.teamId, to: changes.teamId };

    let priorityChange: Change<string> | null = null;
    if (changes.priority !== undefined && note('priority', changes.priority))
      priorityChange = { from: t.priority, to: changes.priority };

    let tagsChange: { added: string[]; removed: string[]; tags: string[] } | null = null;
    if (changes.tags !== undefined) {
      const next = normaliseTags(changes.tags);
      if (note('tags', next)) {
        tagsChange = {
          added: next.filter((x) => !t.tags.includes(x)),
          removed: t.tags.filter((x) => !next.includes(x)),
          tags: next,
        };
      }
    }

    if (Object.keys(set).length > 0) {
      await tx
        .update(tickets)
        .set({ ...set, updatedAt: now })
        .where(eq(tickets.id, t.id));
    }
    const base = { actor, ticketId: t.id, at: now };
    if (Object.keys(updated).length > 0)
      await recordEvent(tx, { ...base, type: 'ticket.updated', payload: { changes: updated } });
    if (Object.keys(assignment).length > 0)
      await recordEvent(tx, { ...base, type: 'ticket.assigned', payload: assignment });
    if (priorityChange) await recordEvent(tx, { ...base, type: 'ticket.priority_changed', payload: priorityChange });
    if (tagsChange) await recordEvent(tx, { ...base, type: 'ticket.tags_changed', payload: tagsChange });
    if (changes.status !== undefined && changes.status !== t.status) {
      await changeTicketStatus(tx, { ticket: t, to: changes.status as TicketStatus, actor, now });
    }
    const changed = Object.keys(set).filter((k) => k !== 'searchText');
    if (changed.length > 0) await runTicketHooks(tx, { kind: 'updated', ticketId: t.id, actor, now, changed });
    return t.id;
  });
  return ticketDtoOrThrow(deps.db, actor, ticketId);
}

export interface NotifyIncidentsInput {
  actor: Actor;
  ref: string;
  body?: string | undefined;
  html?: string | undefined;
}

/** For a problem: adds the same public staff reply to every linked incident that is not solved or closed. */
export async function notifyIncidents(deps: ServiceDeps, input: NotifyIncidentsInput) {
  const { actor } = input;
  if (actor.kind !== 'staff') throw new AppError('FORBIDDEN', 'Only staff can notify incidents');
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const problem = await findVisibleTicket(tx, actor, input.ref, { forUpdate: true });
    if (!problem) throw ticketNotFound();
    if (problem.type !== 'problem') {
      throw new AppError('CONFLICT', 'Only a ticket of type problem has incidents to notify', {
        details: { reason: 'NOT_A_PROBLEM' },
      });
    }
    const incidents = await tx
      .select()
      .from(tickets)
      .where(
        and(
          eq(tickets.problemId, problem.id),
          sql`${tickets.status} NOT IN ('solved', 'closed')`,
          sql`${tickets.mergedIntoId} IS NULL`,
        ),
      )
      .orderBy(tickets.number)
      .for('update');
    const items: Array<{ ticketId: string; number: number; messageId: string }> = [];
    for (const incident of incidents) {
      const m = await appendMessage(tx, {
        ticketId: incident.id,
        kind: 'public',
        authorType: 'staff',
        authorStaffId: actor.userId,
        channel: incident.channel,
        body: input.body,
        html: input.html,
        status: 'sent',
        meta: { fromProblemId: problem.id, fromProblemNumber: problem.number },
        actor,
        now,
      });
      if (incident.status === 'new') await changeTicketStatus(tx, { ticket: incident, to: 'open', actor, now });
      items.push({ ticketId: incident.id, number: incident.number, messageId: m.id });
    }
    await recordEvent(tx, {
      type: 'ticket.incidents_notified',
      actor,
      ticketId: problem.id,
      payload: { count: items.length, ticketIds: items.map((i) => i.ticketId) },
      at: now,
    });
    return { items };
  });
}

export interface BulkUpdateInput {
  actor: Actor;
  ticketIds: readonly string[];
  changes: UpdateTicketBody;
}

/**
 * Applies one change to many tickets, each in its own transaction, so one bad ticket (hidden, closed, a status it
 * cannot take) does not stop the rest; the answer says what happened to each.
 */
export async function bulkUpdateTickets(deps: ServiceDeps, input: BulkUpdateInput) {
  const items: Array<{ ticketId: string; ok: boolean; code: string | null; message: string | null }> = [];
  for (const ref of new Set(input.ticketIds)) {
    try {
      const t = await updateTicket(deps, { actor: input.actor, ref, changes: input.changes });
      items.push({ ticketId: t.id, ok: true, code: null, message: null });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      items.push({ ticketId: ref, ok: false, code: err.code, message: err.message });
    }
  }
  return { items };
}
