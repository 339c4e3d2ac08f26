import type { Ticket } from '@seva/contracts';
import { eq, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/permissions.ts';
import { ticketLinks, tickets } from '../../platform/db/schema/index.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, validationFailed } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import { appendMessage, changeTicketStatus } from './ticket-writes.ts';
import { ticketNotFound } from './tickets.errors.ts';
import { findVisibleTicket, refreshMessageAggregates, type TicketRow } from './tickets.repository.ts';
import { ticketDtoOrThrow } from './tickets.service.ts';

export interface MergeTicketsInput {
  actor: Actor;
  /** the ticket being merged away (UUID or number) */
  sourceRef: string;
  /** the ticket that receives the conversation (UUID or number) */
  targetRef: string;
}

/**
 * Merges one ticket into another, in one transaction: the source's messages move to the target after the target's
 * last message, keeping their order (seq = target.last_seq + position); collaborators come along; both tickets get
 * a system message and a link; the source closes with merged_into_id. Answers the target.
 */
export async function mergeTickets(deps: Pick<Deps, 'db' | 'clock'>, input: MergeTicketsInput): Promise<Ticket> {
  const { actor } = input;
  const now = deps.clock.now();
  const targetId = await deps.db.transaction(async (tx) => {
    const sourcePeek = await findVisibleTicket(tx, actor, input.sourceRef);
    if (!sourcePeek) throw ticketNotFound();
    const targetPeek = await findVisibleTicket(tx, actor, input.targetRef);
    if (!targetPeek) throw validationFailed([{ path: 'targetTicketId', message: 'no such ticket' }]);
    if (sourcePeek.id === targetPeek.id)
      throw validationFailed([{ path: 'targetTicketId', message: 'a ticket cannot be merged into itself' }]);

    // Lock both rows in a fixed order so two opposite merges cannot deadlock.
    const locked = new Map<string, TicketRow>();
    for (const id of [sourcePeek.id, targetPeek.id].sort()) {
      const row = await findVisibleTicket(tx, actor, id, { forUpdate: true });
      if (!row) throw ticketNotFound();
      locked.set(id, row);
    }
    const source = locked.get(sourcePeek.id) as TicketRow;
    const target = locked.get(targetPeek.id) as TicketRow;
    if (source.status === 'closed') {
      throw new AppError('CONFLICT', 'A closed ticket cannot be merged', { details: { reason: 'SOURCE_CLOSED' } });
    }
    if (target.status === 'closed') {
      throw new AppError('CONFLICT', 'Cannot merge into a closed ticket', { details: { reason: 'TARGET_CLOSED' } });
    }

    const moved = await tx.execute<{ n: number }>(sql`
      WITH ordered AS (
        SELECT id, row_number() OVER (ORDER BY seq) AS pos FROM messages WHERE ticket_id = ${source.id}
      ), upd AS (
        UPDATE messages m
        SET ticket_id = ${target.id}, seq = ${target.lastSeq} + ordered.pos, moved_from_ticket_id = ${source.id}
        FROM ordered WHERE m.id = ordered.id
        RETURNING 1
      )
      SELECT count(*)::int AS n FROM upd`);
    const movedCount = moved.rows[0]?.n ?? 0;
    await tx
      .update(tickets)
      .set({ lastSeq: target.lastSeq + movedCount, updatedAt: now })
      .where(eq(tickets.id, target.id));
    await refreshMessageAggregates(tx, target.id);
    await refreshMessageAggregates(tx, source.id);

    await tx.execute(sql`
      INSERT INTO ticket_collaborators (ticket_id, user_id, added_by_id, created_at)
      SELECT ${target.id}, user_id, added_by_id, ${now.toISOString()}::timestamptz FROM ticket_collaborators WHERE ticket_id = ${source.id}
      ON CONFLICT DO NOTHING`);
    if (source.assigneeId && source.assigneeId !== target.assigneeId) {
      // whoever was assigned the source keeps access to the conversation they were working on
      await tx.execute(sql`
        INSERT INTO ticket_collaborators (ticket_id, user_id, created_at)
        VALUES (${target.id}, ${source.assigneeId}, ${now.toISOString()}::timestamptz) ON CONFLICT DO NOTHING`);
    }

    await tx.insert(ticketLinks).values([
      { ticketId: source.id, linkedTicketId: target.id, kind: 'merged_into', createdAt: now },
      { ticketId: target.id, linkedTicketId: source.id, kind: 'merged_from', createdAt: now },
    ]);

    const staffId = actor.kind === 'staff' ? actor.userId : null;
    await appendMessage(tx, {
      ticketId: target.id,
      kind: 'system',
      authorType: 'system',
      channel: 'system',
      body: `Ticket #${source.number} "${source.subject}" was merged into this ticket (${movedCount} messages moved).`,
      status: 'sent',
      meta: {
        event: 'merged_from',
        ticketId: source.id,
        number: source.number,
        movedMessages: movedCount,
        byStaffId: staffId,
      },
      actor,
      now,
    });
    await appendMessage(tx, {
      ticketId: source.id,
      kind: 'system',
      authorType: 'system',
      channel: 'system',
      body: `This ticket was merged into ticket #${target.number} "${target.subject}".`,
      status: 'sent',
      meta: { event: 'merged_into', ticketId: target.id, number: target.number, byStaffId: staffId },
      actor,
      now,
    });

    await changeTicketStatus(tx, { ticket: source, to: 'closed', actor, now, reason: 'merge' });
    await tx.update(tickets).set({ mergedIntoId: target.id, updatedAt: now }).where(eq(tickets.id, source.id));
    // incidents of a merged problem follow it
    if (source.type === 'problem' && target.type === 'problem') {
      await tx.update(tickets).set({ problemId: target.id }).where(eq(tickets.problemId, source.id));
    }

    const payload = {
      sourceTicketId: source.id,
      sourceNumber: source.number,
      targetTicketId: target.id,
      targetNumber: target.number,
      movedMessages: movedCount,
    };
    await recordEvent(tx, {
      type: 'ticket.merged',
      actor,
      ticketId: source.id,
      customerId: source.customerId,
      payload: { ...payload, role: 'source' },
      at: now,
    });
    await recordEvent(tx, {
      type: 'ticket.merged',
      actor,
      ticketId: target.id,
      customerId: target.customerId,
      payload: { ...payload, role: 'target' },
      at: now,
    });
    return target.id;
  });
  return ticketDtoOrThrow(deps.db, actor, targetId);
}
