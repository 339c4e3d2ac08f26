import type { AutomationAction, TicketStatus } from '@seva/contracts';
import { eq } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import { customers, staffUsers, teams, tickets } from '../../platform/db/schema/index.ts';
import { recordEvent } from '../../platform/events.ts';
import { runTicketHooks } from '../../platform/ticket-hooks.ts';
import { appendMessage, changeTicketStatus } from '../tickets/index.ts';
import { normaliseTags } from '../tickets/normalise-tags.ts';
import { queueDelivery } from '../webhooks/index.ts';
import { fillTemplate } from './evaluate-conditions.ts';

const SYSTEM: Actor = { kind: 'system' };

async function templateValues(tx: DbOrTx, ticketId: string): Promise<Record<string, string>> {
  const [t] = await tx
    .select({ number: tickets.number, subject: tickets.subject, customer: customers.name, assignee: staffUsers.name })
    .from(tickets)
    .innerJoin(customers, eq(customers.id, tickets.customerId))
    .leftJoin(staffUsers, eq(staffUsers.id, tickets.assigneeId))
    .where(eq(tickets.id, ticketId));
  return {
    'ticket.number': String(t?.number ?? ''),
    'ticket.subject': t?.subject ?? '',
    'customer.name': t?.customer ?? '',
    'customer.first_name': (t?.customer ?? '').split(/\s+/)[0] ?? '',
    'assignee.name': t?.assignee ?? '',
  };
}

/** Changes ticket fields the way an agent would (event + hooks), so SLAs and other rules see it. */
async function setFields(tx: DbOrTx, ticketId: string, set: Partial<typeof tickets.$inferInsert>, now: Date, cause: string) {
  const [before] = await tx.select().from(tickets).where(eq(tickets.id, ticketId)).for('update');
  if (!before) return false;
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const [k, v] of Object.entries(set)) {
    const old = (before as Record<string, unknown>)[k];
    if (JSON.stringify(old) !== JSON.stringify(v)) changes[k] = { from: old, to: v };
  }
  if (Object.keys(changes).length === 0) return false;
  await tx.update(tickets).set({ ...set, updatedAt: now }).where(eq(tickets.id, ticketId));
  await recordEvent(tx, { type: 'ticket.updated', actor: SYSTEM, ticketId, payload: { changes, automation: cause }, at: now });
  await runTicketHooks(tx, { kind: 'updated', ticketId, actor: SYSTEM, now, changed: Object.keys(changes) });
  return true;
}

/**
 * Runs one action on a ticket inside the caller's transaction; answers a short word for the execution log.
 * `cause` names the rule for the ticket's activity log.
 */
export async function applyAction(tx: DbOrTx, ticketId: string, a: AutomationAction, now: Date, cause: string): Promise<string> {
  switch (a.type) {
    case 'set_status': {
      const [t] = await tx.select({ id: tickets.id, status: tickets.status }).from(tickets).where(eq(tickets.id, ticketId)).for('update');
      if (!t || t.status === a.status) return 'set_status:unchanged';
      await changeTicketStatus(tx, { ticket: t, to: a.status as TicketStatus, actor: SYSTEM, now });
      return `set_status:${a.status}`;
    }
    case 'set_priority':
      return (await setFields(tx, ticketId, { priority: a.priority }, now, cause)) ? `set_priority:${a.priority}` : 'set_priority:unchanged';
    case 'set_type':
      return (await setFields(tx, ticketId, { type: a.ticketType }, now, cause)) ? `set_type:${a.ticketType}` : 'set_type:unchanged';
    case 'set_category':
      return (await setFields(tx, ticketId, { categoryId: a.categoryId }, now, cause)) ? 'set_category' : 'set_category:unchanged';
    case 'set_team':
      return (await setFields(tx, ticketId, { teamId: a.teamId }, now, cause)) ? 'set_team' : 'set_team:unchanged';
    case 'assign':
      return (await setFields(tx, ticketId, { assigneeId: a.userId }, now, cause)) ? 'assign' : 'assign:unchanged';
    case 'add_tags':
    case 'remove_tags': {
      const [t] = await tx.select({ tags: tickets.tags }).from(tickets).where(eq(tickets.id, ticketId));
      const given = normaliseTags(a.tags);
      const next = a.type === 'add_tags' ? normaliseTags([...(t?.tags ?? []), ...given]) : (t?.tags ?? []).filter((x) => !given.includes(x));
      return (await setFields(tx, ticketId, { tags: next }, now, cause)) ? a.type : `${a.type}:unchanged`;
    }
    case 'add_note':
    case 'email_customer': {
      const [t] = await tx.select({ channel: tickets.channel, status: tickets.status }).from(tickets).where(eq(tickets.id, ticketId));
      if (!t) return `${a.type}:no_ticket`;
      if (a.type === 'email_customer' && t.status === 'closed') return 'email_customer:closed';
      const body = fillTemplate(a.body, await templateValues(tx, ticketId));
      await appendMessage(tx, {
        ticketId,
        kind: a.type === 'add_note' ? 'internal' : 'public',
        // a public message from the desk goes out on the ticket's channel like an agent's reply; `automated`
        // keeps it from counting as the first response (SLAs, reports)
        authorType: 'staff',
        channel: t.channel,
        body,
        status: 'sent',
        meta: { automated: true, automation: cause },
        actor: SYSTEM,
        now,
      });
      return a.type;
    }
    case 'notify': {
      let userId: string | null = null;
      if (a.to === 'user') userId = a.userId ?? null;
      else {
        const [t] = await tx.select({ assigneeId: tickets.assigneeId, teamId: tickets.teamId }).from(tickets).where(eq(tickets.id, ticketId));
        if (a.to === 'assignee') userId = t?.assigneeId ?? null;
        else if (t?.teamId) {
          const [team] = await tx.select({ leadId: teams.leadId }).from(teams).where(eq(teams.id, t.teamId));
          userId = team?.leadId ?? null;
        }
      }
      if (!userId) return `notify:${a.to}:nobody`;
      const message = fillTemplate(a.message, await templateValues(tx, ticketId));
      await recordEvent(tx, { type: 'automation.notified', actor: SYSTEM, ticketId, payload: { notify: [userId], message, automation: cause }, at: now });
      return `notify:${a.to}`;
    }
    case 'call_webhook': {
      await queueDelivery(tx, { webhookId: a.webhookId, eventType: 'automation.called', ticketId, data: { automation: cause }, now });
      return 'call_webhook';
    }
  }
}
