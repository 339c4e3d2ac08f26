import { eq, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../platform/db/client.ts';
import { type SlaEscalation, slaPolicies, teams, ticketSlaClocks, tickets } from '../../platform/db/schema/index.ts';
import { type NewEvent, recordEvent } from '../../platform/events.ts';
import { runTicketHooks } from '../../platform/ticket-hooks.ts';
import { reschedule } from './sla-clocks.ts';

const SYSTEM = { kind: 'system' } as const;
const BATCH = 200;
const RAISE: Record<string, string> = { low: 'normal', normal: 'high', high: 'urgent', urgent: 'urgent' };

type DueClock = {
  id: string;
  ticket_id: string;
  policy_id: string | null;
  metric: string;
  warn: boolean;
  breach: boolean;
  due_at: string | null;
};

/**
 * One pass of the SLA worker: every running clock whose warning or due instant has passed gets its warning or breach
 * recorded (exactly once: the row is locked and re-checked), the policy's escalations for that moment run, and the
 * ticket's SLA state is refreshed. Safe to run in several processes at once (SKIP LOCKED). Returns how many it did.
 */
export async function sweepSlaClocks(db: Db, now: Date): Promise<number> {
  let done = 0;
  for (;;) {
    const n = await db.transaction(async (tx) => {
      const r = await tx.execute<DueClock>(sql`
        SELECT c.id, c.ticket_id, c.policy_id, c.metric, c.due_at,
               (c.warned_at IS NULL AND c.warn_at <= ${now.toISOString()}::timestamptz) AS warn,
               (c.breached_at IS NULL AND c.due_at <= ${now.toISOString()}::timestamptz) AS breach
          FROM ticket_sla_clocks c
         WHERE c.running_since IS NOT NULL AND c.met_at IS NULL
           AND ((c.warned_at IS NULL AND c.warn_at <= ${now.toISOString()}::timestamptz)
             OR (c.breached_at IS NULL AND c.due_at <= ${now.toISOString()}::timestamptz))
         ORDER BY c.due_at
         LIMIT ${BATCH}
         FOR UPDATE SKIP LOCKED`);
      for (const c of r.rows) await fire(tx, c, now);
      return r.rows.length;
    });
    done += n;
    if (n < BATCH) return done;
  }
}

async function fire(tx: DbOrTx, c: DueClock, now: Date): Promise<void> {
  const dueAt = c.due_at ? new Date(c.due_at) : now;
  await tx
    .update(ticketSlaClocks)
    .set({
      ...(c.warn || c.breach ? { warnedAt: now } : {}),
      ...(c.breach ? { breachedAt: dueAt } : {}),
    })
    .where(eq(ticketSlaClocks.id, c.id));
  const [policy] = c.policy_id ? await tx.select().from(slaPolicies).where(eq(slaPolicies.id, c.policy_id)) : [];
  const moments: Array<'warning' | 'breach'> = [];
  if (c.warn) moments.push('warning');
  if (c.breach) moments.push('breach');
  for (const when of moments) {
    const escalations = (policy?.escalations ?? []).filter((e) => e.when === when && (!e.metric || e.metric === c.metric));
    const notified = new Set<string>();
    const done: string[] = [];
    for (const esc of escalations) for (const a of esc.actions) done.push(await act(tx, c.ticket_id, a, now, notified));
    await recordEvent(tx, {
      type: when === 'warning' ? 'sla.warning' : 'sla.breached',
      actor: SYSTEM,
      ticketId: c.ticket_id,
      payload: { metric: c.metric, dueAt: dueAt.toISOString(), policyId: c.policy_id, policyName: policy?.name ?? null, notify: [...notified], actions: done },
      at: now,
    });
    // triggers listening for SLA warnings and breaches run after the policy's own escalations
    await runTicketHooks(tx, { kind: 'sla', ticketId: c.ticket_id, moment: when, metric: c.metric, actor: SYSTEM, now });
  }
  await reschedule(tx, c.ticket_id, now);
}

/** Runs one escalation action; returns what was done, for the event. */
async function act(
  tx: DbOrTx,
  ticketId: string,
  a: SlaEscalation['actions'][number],
  now: Date,
  notified: Set<string>,
): Promise<string> {
  const [t] = await tx
    .select({ priority: tickets.priority, assigneeId: tickets.assigneeId, teamId: tickets.teamId, status: tickets.status })
    .from(tickets)
    .where(eq(tickets.id, ticketId))
    .for('update');
  if (!t) return 'skipped';
  const event = (e: Omit<NewEvent, 'actor' | 'ticketId' | 'at'>) => recordEvent(tx, { ...e, actor: SYSTEM, ticketId, at: now });
  switch (a.type) {
    case 'notify_assignee':
      if (!t.assigneeId) return 'notify_assignee:nobody';
      notified.add(t.assigneeId);
      return 'notify_assignee';
    case 'notify_team_lead': {
      const [team] = t.teamId ? await tx.select({ leadId: teams.leadId }).from(teams).where(eq(teams.id, t.teamId)) : [];
      if (!team?.leadId) return 'notify_team_lead:nobody';
      notified.add(team.leadId);
      return 'notify_team_lead';
    }
    case 'raise_priority': {
      const to = RAISE[t.priority] ?? t.priority;
      if (to === t.priority) return 'raise_priority:already_urgent';
      await tx.update(tickets).set({ priority: to, updatedAt: now }).where(eq(tickets.id, ticketId));
      await event({ type: 'ticket.priority_changed', payload: { from: t.priority, to, reason: 'sla' } });
      await runTicketHooks(tx, { kind: 'updated', ticketId, actor: SYSTEM, now, changed: ['priority'] });
      return `raise_priority:${to}`;
    }
    case 'reassign': {
      const set: { assigneeId?: string | null; teamId?: string } = {};
      if (a.teamId && a.teamId !== t.teamId) set.teamId = a.teamId;
      if (a.userId && a.userId !== t.assigneeId) set.assigneeId = a.userId;
      else if (set.teamId) set.assigneeId = null;
      if (Object.keys(set).length === 0) return 'reassign:unchanged';
      await tx.update(tickets).set({ ...set, updatedAt: now }).where(eq(tickets.id, ticketId));
      const payload: Record<string, { from: string | null; to: string | null }> = {};
      if ('assigneeId' in set) payload.assigneeId = { from: t.assigneeId, to: set.assigneeId ?? null };
      if (set.teamId) payload.teamId = { from: t.teamId, to: set.teamId };
      await event({ type: 'ticket.assigned', payload: { ...payload, reason: 'sla' } });
      if (set.assigneeId) notified.add(set.assigneeId);
      await runTicketHooks(tx, { kind: 'updated', ticketId, actor: SYSTEM, now, changed: Object.keys(set) });
      return 'reassign';
    }
  }
}
