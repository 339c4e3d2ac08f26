import type { Followup, Ticket, TransferBody } from '@seva/contracts';
import { and, asc, eq, isNull, lte } from 'drizzle-orm';
import type { StaffActor } from '../../platform/auth/permissions.ts';
import type { Db } from '../../platform/db/client.ts';
import { assignmentLog, businessCalendars, staffUsers, teamMembers, teams, ticketFollowups, tickets } from '../../platform/db/schema/index.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import { insertAwards } from '../improve/recognition.hook.ts';
import { awardForFollowup } from '../improve/scoring.ts';
import { addBusinessMinutes } from '../sla/business-time.ts';
import { loadCalendar } from '../sla/load-calendar.ts';
import { findVisibleTicket, postMessage } from '../tickets/index.ts';
import { assignInTeam } from './assign-ticket.ts';
import { ticketDtoOrThrow, updateTicket } from '../tickets/tickets.service.ts';

type ServiceDeps = Pick<Deps, 'db' | 'clock'>;
const invalid = (path: string, message: string) => new AppError('VALIDATION_FAILED', message, { errors: [{ path, message }] });

/** One business day from now in the desk's default calendar (24 hours without one). */
async function oneBusinessDay(db: Db, now: Date): Promise<Date> {
  const [cal] = await db.select({ id: businessCalendars.id }).from(businessCalendars).where(eq(businessCalendars.isDefault, true));
  const calendar = cal ? await loadCalendar(db, cal.id) : null;
  const hoursPerDay = calendar ? Math.max(60, Math.max(...Object.values(calendar.weekly).map((s) => (s ?? []).reduce((n, [a, b]) => n + (b - a), 0)))) : 0;
  return (calendar && addBusinessMinutes(now, hoursPerDay, calendar)) || new Date(now.getTime() + 24 * 3_600_000);
}

/**
 * Hands a ticket to a person or team with a note for them, optionally tells the customer who has it now, and keeps
 * the person who handed it on as its follow-up owner until a due time (default one business day).
 */
export async function transferTicket(deps: ServiceDeps, actor: StaffActor, ref: string, body: TransferBody, opts: { kind?: 'transfer' | 'escalation' } = {}): Promise<Ticket> {
  const kind = opts.kind ?? 'transfer';
  const now = deps.clock.now();
  const t = await findVisibleTicket(deps.db, actor, ref);
  if (!t) throw notFound('Ticket');
  if (t.status === 'closed') throw new AppError('CONFLICT', 'A closed ticket cannot be transferred');
  let teamId = body.toTeamId ?? null;
  if (body.toUserId) {
    const [u] = await deps.db.select({ id: staffUsers.id, status: staffUsers.status }).from(staffUsers).where(eq(staffUsers.id, body.toUserId));
    if (!u || u.status !== 'active') throw invalid('body.toUserId', 'no such active person');
    if (body.toUserId === t.assigneeId && !body.toTeamId) throw invalid('body.toUserId', 'the ticket is already theirs');
    if (!teamId) {
      // keep the team when the person is in it, else take their first team
      const [m] = await deps.db.select({ teamId: teamMembers.teamId }).from(teamMembers).where(eq(teamMembers.userId, body.toUserId)).orderBy(asc(teamMembers.createdAt));
      const inTeam = t.teamId ? (await deps.db.select().from(teamMembers).where(and(eq(teamMembers.teamId, t.teamId), eq(teamMembers.userId, body.toUserId)))).length > 0 : false;
      teamId = inTeam ? t.teamId : (m?.teamId ?? t.teamId);
    }
  }
  if (body.toTeamId) {
    const [tm] = await deps.db.select({ id: teams.id }).from(teams).where(eq(teams.id, body.toTeamId));
    if (!tm) throw invalid('body.toTeamId', 'no such team');
  }
  const dueAt = body.followUpDueAt ? new Date(body.followUpDueAt) : await oneBusinessDay(deps.db, now);
  if (dueAt.getTime() <= now.getTime()) throw invalid('body.followUpDueAt', 'the follow-up must be due in the future');

  const tellCustomer = Boolean(body.customerMessage) && body.tellCustomer !== false;
  await postMessage(deps, { actor, ref: t.id, body: { body: body.note, internal: true } });
  // a public reply through the ticket service goes out on the ticket's channel (email, chat …) like any other
  if (tellCustomer && body.customerMessage) await postMessage(deps, { actor, ref: t.id, body: { body: body.customerMessage } });
  // the new owner: the person, or the team's queue (its strategy assigns it)
  await updateTicket(deps, { actor, ref: t.id, changes: { teamId, assigneeId: body.toUserId ?? null } });
  await deps.db.transaction(async (tx) => {
    // handed to its own team's queue (no team change, so no hook assigned it): the strategy picks someone else
    if (!body.toUserId) await assignInTeam(tx, t.id, now, { exclude: [actor.userId, ...(t.assigneeId ? [t.assigneeId] : [])] });
    await tx.insert(ticketFollowups).values({ ticketId: t.id, ownerId: actor.userId, toUserId: body.toUserId ?? null, toTeamId: teamId, note: body.note, dueAt, createdAt: now });
    if (body.toUserId) await tx.insert(assignmentLog).values({ ticketId: t.id, userId: body.toUserId, teamId, strategy: kind, reason: kind, at: now });
    await recordEvent(tx, {
      type: kind === 'escalation' ? 'ticket.escalated' : 'ticket.transferred',
      actor,
      ticketId: t.id,
      payload: { from: t.assigneeId, toUserId: body.toUserId ?? null, toTeamId: teamId, followUpOwner: actor.userId, followUpDueAt: dueAt.toISOString(), toldCustomer: tellCustomer },
      at: now,
    });
  });
  return ticketDtoOrThrow(deps.db, actor, t.id);
}

/** "I want a supervisor": the ticket goes to its team's lead in one action, with the reason as a note. */
export async function escalateToLead(deps: ServiceDeps, actor: StaffActor, ref: string, note: string): Promise<Ticket> {
  const t = await findVisibleTicket(deps.db, actor, ref);
  if (!t) throw notFound('Ticket');
  if (!t.teamId) throw new AppError('BAD_REQUEST', 'The ticket has no team, so there is no team lead to escalate to');
  const [team] = await deps.db.select({ leadId: teams.leadId }).from(teams).where(eq(teams.id, t.teamId));
  if (!team?.leadId) throw new AppError('BAD_REQUEST', "The ticket's team has no team lead to escalate to");
  if (team.leadId === t.assigneeId) throw new AppError('CONFLICT', 'The team lead already has the ticket');
  return transferTicket(deps, actor, t.id, { toUserId: team.leadId, toTeamId: t.teamId, note }, { kind: 'escalation' });
}

export async function myFollowups(db: Db, actor: StaffActor, now: Date, state: 'open' | 'closed' = 'open'): Promise<Followup[]> {
  const rows = await db
    .select({ f: ticketFollowups, number: tickets.number, subject: tickets.subject, status: tickets.status, assigneeName: staffUsers.name })
    .from(ticketFollowups)
    .innerJoin(tickets, eq(tickets.id, ticketFollowups.ticketId))
    .leftJoin(staffUsers, eq(staffUsers.id, tickets.assigneeId))
    .where(and(eq(ticketFollowups.ownerId, actor.userId), eq(ticketFollowups.state, state)))
    .orderBy(asc(ticketFollowups.dueAt))
    .limit(500);
  return rows.map(({ f, number, subject, status, assigneeName }) => ({
    id: f.id,
    ticket: { id: f.ticketId, number, subject, status, assigneeName },
    note: f.note,
    dueAt: f.dueAt.toISOString(),
    state: f.state as Followup['state'],
    overdue: f.state === 'open' && f.dueAt.getTime() <= now.getTime(),
    contactedCustomer: f.contactedCustomer,
    createdAt: f.createdAt.toISOString(),
  }));
}

/** The owner closes the follow-up, saying whether they were back in touch with the customer. */
export async function closeFollowup(deps: ServiceDeps, actor: StaffActor, id: string, contactedCustomer: boolean): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const [f] = await tx.select().from(ticketFollowups).where(and(eq(ticketFollowups.id, id), eq(ticketFollowups.ownerId, actor.userId))).for('update');
    if (!f) throw notFound('Follow-up');
    if (f.state === 'closed') throw new AppError('CONFLICT', 'This follow-up is already closed');
    const late = f.dueAt.getTime() < now.getTime();
    await tx.update(ticketFollowups).set({ state: 'closed', contactedCustomer, closedAt: now, ...(late && !f.missedAt ? { missedAt: f.dueAt } : {}) }).where(eq(ticketFollowups.id, f.id));
    await recordEvent(tx, { type: 'ticket.followup_closed', actor, ticketId: f.ticketId, payload: { followupId: f.id, contactedCustomer, late: f.dueAt.getTime() < now.getTime() }, at: now });
    // closed in time with the customer contacted is kept; late is missed (the sweep may already have said so)
    if (contactedCustomer && !late) await insertAwards(tx, [awardForFollowup({ followupId: f.id, ownerId: f.ownerId, kept: true })], f.ticketId, now);
    else if (late) await insertAwards(tx, [awardForFollowup({ followupId: f.id, ownerId: f.ownerId, kept: false })], f.ticketId, now);
  });
}

/**
 * Worker: follow-ups past due on unsolved tickets remind their owner once (a live notification and an entry in the
 * ticket's log) and count as missed; a follow-up whose ticket was solved before it was due counts as kept.
 */
export async function sweepFollowups(db: Db, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ f: ticketFollowups, status: tickets.status, solvedAt: tickets.solvedAt, number: tickets.number })
      .from(ticketFollowups)
      .innerJoin(tickets, eq(tickets.id, ticketFollowups.ticketId))
      .where(and(eq(ticketFollowups.state, 'open'), isNull(ticketFollowups.remindedAt), lte(ticketFollowups.dueAt, now)))
      .orderBy(asc(ticketFollowups.dueAt))
      .limit(500)
      .for('update', { of: ticketFollowups, skipLocked: true });
    for (const { f, status, solvedAt } of due) {
      // kept: solved by the due time (a sweep that runs late does not turn a late solve into a kept promise)
      const solvedInTime = (status === 'solved' || status === 'closed') && (!solvedAt || solvedAt.getTime() <= f.dueAt.getTime());
      await tx
        .update(ticketFollowups)
        .set({ remindedAt: now, ...(solvedInTime ? {} : { missedAt: now }) })
        .where(eq(ticketFollowups.id, f.id));
      await insertAwards(tx, [awardForFollowup({ followupId: f.id, ownerId: f.ownerId, kept: solvedInTime })], f.ticketId, now);
      await recordEvent(tx, {
        type: solvedInTime ? 'ticket.followup_kept' : 'ticket.followup_due',
        actor: { kind: 'system' },
        ticketId: f.ticketId,
        payload: { followupId: f.id, notify: solvedInTime ? [] : [f.ownerId], dueAt: f.dueAt.toISOString() },
        at: now,
      });
    }
    return due.length;
  });
}
