import type { Ticket } from '@seva/contracts';
import { and, eq, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/permissions.ts';
import { messages, ticketLinks, tickets } from '../../platform/db/schema/index.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, validationFailed } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import { runTicketHooks } from '../../platform/ticket-hooks.ts';
import { appendMessage } from './ticket-writes.ts';
import { ticketNotFound } from './tickets.errors.ts';
import { findVisibleTicket, refreshMessageAggregates } from './tickets.repository.ts';
import { ticketDtoOrThrow, ticketSearchText } from './tickets.service.ts';

export interface SplitTicketInput {
  actor: Actor;
  ref: string;
  messageId: string;
  subject?: string | undefined;
}

/**
 * Moves one message out into a new ticket for the same customer (same channel, language, priority, category, team
 * and tags; new and unassigned), links the two (split_from / split_into), notes it in both and answers the new one.
 */
export async function splitTicket(deps: Pick<Deps, 'db' | 'clock'>, input: SplitTicketInput): Promise<Ticket> {
  const { actor } = input;
  const now = deps.clock.now();
  const newId = await deps.db.transaction(async (tx) => {
    const t = await findVisibleTicket(tx, actor, input.ref, { forUpdate: true });
    if (!t) throw ticketNotFound();
    if (t.status === 'closed')
      throw new AppError('CONFLICT', 'A closed ticket cannot be split', { details: { reason: 'TICKET_CLOSED' } });
    const [m] = await tx
      .select()
      .from(messages)
      .where(and(eq(messages.id, input.messageId), eq(messages.ticketId, t.id)))
      .for('update');
    if (!m) throw validationFailed([{ path: 'messageId', message: 'no such message on this ticket' }]);
    if (m.kind === 'system')
      throw validationFailed([{ path: 'messageId', message: 'system entries cannot be split off' }]);
    const [others] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(messages)
      .where(and(eq(messages.ticketId, t.id), sql`${messages.kind} <> 'system'`, sql`${messages.id} <> ${m.id}`));
    if ((others?.n ?? 0) === 0) {
      throw validationFailed([
        { path: 'messageId', message: 'this is the only message of the ticket; nothing would be left' },
      ]);
    }

    const subject = input.subject ?? t.subject;
    const [created] = await tx
      .insert(tickets)
      .values({
        subject,
        status: 'new',
        priority: t.priority,
        type: t.type === 'problem' ? 'question' : t.type,
        problemId: t.type === 'incident' ? t.problemId : null,
        categoryId: t.categoryId,
        tags: t.tags,
        language: t.language,
        channel: t.channel,
        teamId: t.teamId,
        customerId: t.customerId,
        organisationId: t.organisationId,
        lastSeq: 1,
        searchText: await ticketSearchText(tx, subject, t.customerId),
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: tickets.id, number: tickets.number });
    if (!created) throw new Error('ticket insert returned nothing');

    await tx
      .update(messages)
      .set({ ticketId: created.id, seq: 1, movedFromTicketId: t.id })
      .where(eq(messages.id, m.id));
    await tx.update(tickets).set({ updatedAt: now }).where(eq(tickets.id, t.id));
    await refreshMessageAggregates(tx, created.id);
    await refreshMessageAggregates(tx, t.id);
    // a collaborator on the original may keep following the split-off part
    await tx.execute(sql`
      INSERT INTO ticket_collaborators (ticket_id, user_id, added_by_id, created_at)
      SELECT ${created.id}, user_id, added_by_id, ${now.toISOString()}::timestamptz FROM ticket_collaborators WHERE ticket_id = ${t.id}
      ON CONFLICT DO NOTHING`);
    await tx.insert(ticketLinks).values([
      { ticketId: created.id, linkedTicketId: t.id, kind: 'split_from', createdAt: now },
      { ticketId: t.id, linkedTicketId: created.id, kind: 'split_into', createdAt: now },
    ]);

    await recordEvent(tx, {
      type: 'ticket.created',
      actor,
      ticketId: created.id,
      customerId: t.customerId,
      payload: {
        number: created.number,
        subject,
        channel: t.channel,
        customerId: t.customerId,
        splitFromTicketId: t.id,
        messageId: m.id,
      },
      at: now,
    });
    const staffId = actor.kind === 'staff' ? actor.userId : null;
    await appendMessage(tx, {
      ticketId: created.id,
      kind: 'system',
      authorType: 'system',
      channel: 'system',
      body: `Split from ticket #${t.number} "${t.subject}".`,
      status: 'sent',
      meta: { event: 'split_from', ticketId: t.id, number: t.number, messageId: m.id, byStaffId: staffId },
      actor,
      now,
    });
    await appendMessage(tx, {
      ticketId: t.id,
      kind: 'system',
      authorType: 'system',
      channel: 'system',
      body: `Message ${m.seq} was split into ticket #${created.number} "${subject}".`,
      status: 'sent',
      meta: { event: 'split_into', ticketId: created.id, number: created.number, messageId: m.id, byStaffId: staffId },
      actor,
      now,
    });
    const payload = {
      sourceTicketId: t.id,
      sourceNumber: t.number,
      newTicketId: created.id,
      newNumber: created.number,
      messageId: m.id,
    };
    await recordEvent(tx, { type: 'ticket.split', actor, ticketId: t.id, customerId: t.customerId, payload, at: now });
    await runTicketHooks(tx, { kind: 'created', ticketId: created.id, actor, now, source: 'split' });
    return created.id;
  });
  return ticketDtoOrThrow(deps.db, actor, newId);
}
