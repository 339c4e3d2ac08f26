import type { CallLog, CallLogBody } from '@seva/contracts';
import { and, asc, eq } from 'drizzle-orm';
import type { StaffActor } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import { callbackRequests, callLogs, messages, staffUsers } from '../../platform/db/schema/index.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import { appendMessage, findVisibleTicket } from '../tickets/index.ts';

/** After this many calls nobody answered, a callback is marked unreachable. */
export const MAX_CALLBACK_ATTEMPTS = 3;

const OUTCOME_TEXT: Record<CallLogBody['outcome'], string> = {
  answered: 'answered',
  no_answer: 'no answer',
  busy: 'busy',
  voicemail: 'voicemail',
  wrong_number: 'wrong number',
};

function duration(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return m > 0 ? `${m} min ${s} s` : `${s} s`;
}

/** The internal note that records a call on the ticket (plain text, so nothing in it is ever rendered as markup). */
export function describeCall(body: CallLogBody, phone: string | null): string {
  const head = `${body.direction === 'inbound' ? 'Inbound' : 'Outbound'} call${phone ? ` (${phone})` : ''}: ${OUTCOME_TEXT[body.outcome]}, ${duration(body.durationSeconds)}.`;
  return body.notes ? `${head}\n\n${body.notes}` : head;
}

type CallRow = typeof callLogs.$inferSelect & { staffName: string | null };

function toCallLog(r: CallRow): CallLog {
  return {
    id: r.id,
    ticketId: r.ticketId,
    callbackId: r.callbackId,
    staffId: r.staffId,
    staffName: r.staffName,
    direction: r.direction as CallLog['direction'],
    outcome: r.outcome as CallLog['outcome'],
    phone: r.phone,
    startedAt: r.startedAt.toISOString(),
    durationSeconds: r.durationSeconds,
    notes: r.notes,
    createdAt: r.createdAt.toISOString(),
  };
}

async function selectCalls(db: DbOrTx, ticketId: string): Promise<CallLog[]> {
  const rows = await db
    .select({ log: callLogs, staffName: staffUsers.name })
    .from(callLogs)
    .leftJoin(staffUsers, eq(staffUsers.id, callLogs.staffId))
    .leftJoin(messages, eq(messages.id, callLogs.messageId))
    .where(eq(callLogs.ticketId, ticketId))
    // calls logged in the same instant keep the order they were logged in (their notes' seq)
    .orderBy(asc(callLogs.startedAt), asc(callLogs.createdAt), asc(messages.seq));
  return rows.map((r) => toCallLog({ ...r.log, staffName: r.staffName }));
}

export async function listCalls(db: DbOrTx, input: { actor: StaffActor; ref: string }): Promise<CallLog[]> {
  const t = await findVisibleTicket(db, input.actor, input.ref);
  if (!t) throw notFound('Ticket');
  return selectCalls(db, t.id);
}

/**
 * Logs a call on a ticket: a call_logs row, an internal note describing it, event `call.logged`. With a callback:
 * answered completes it; any other outcome counts an attempt and puts it back in the queue, until the third failed
 * attempt marks it unreachable.
 */
export async function logCall(tx: DbOrTx, input: { actor: StaffActor; ref: string; body: CallLogBody; now: Date }): Promise<CallLog> {
  const { actor, body, now } = input;
  const t = await findVisibleTicket(tx, actor, input.ref, { forUpdate: true });
  if (!t) throw notFound('Ticket');
  let phone = body.phone ?? null;
  let callbackStatus: string | null = null;
  if (body.callbackId) {
    const [cb] = await tx
      .select()
      .from(callbackRequests)
      .where(and(eq(callbackRequests.id, body.callbackId), eq(callbackRequests.ticketId, t.id)))
      .for('update');
    if (!cb) throw new AppError('VALIDATION_FAILED', 'No such callback on this ticket', { errors: [{ path: 'callbackId', message: 'no such callback on this ticket' }] });
    if (cb.status === 'completed' || cb.status === 'cancelled' || cb.status === 'unreachable') {
      throw new AppError('CONFLICT', `This callback is already ${cb.status}`);
    }
    phone = phone ?? cb.phone;
    const attempts = body.outcome === 'answered' ? cb.attempts : cb.attempts + 1;
    callbackStatus = body.outcome === 'answered' ? 'completed' : attempts >= MAX_CALLBACK_ATTEMPTS ? 'unreachable' : 'requested';
    await tx
      .update(callbackRequests)
      .set({ status: callbackStatus, attempts, updatedAt: now, ...(callbackStatus === 'requested' ? { scheduledFor: null } : {}) })
      .where(eq(callbackRequests.id, cb.id));
  }
  const note = await appendMessage(tx, {
    ticketId: t.id,
    kind: 'internal',
    authorType: 'staff',
    authorStaffId: actor.userId,
    channel: 'phone',
    body: describeCall(body, phone),
    status: 'sent',
    meta: { call: { outcome: body.outcome, durationSeconds: body.durationSeconds, direction: body.direction } },
    actor,
    now,
  });
  const [row] = await tx
    .insert(callLogs)
    .values({
      ticketId: t.id,
      callbackId: body.callbackId ?? null,
      staffId: actor.userId,
      direction: body.direction,
      outcome: body.outcome,
      phone,
      startedAt: body.startedAt ? new Date(body.startedAt) : now,
      durationSeconds: body.durationSeconds,
      notes: body.notes ?? '',
      messageId: note.id,
      createdAt: now,
    })
    .returning();
  if (!row) throw new Error('call log insert returned nothing');
  await recordEvent(tx, {
    type: 'call.logged',
    actor,
    ticketId: t.id,
    payload: { callId: row.id, outcome: body.outcome, durationSeconds: body.durationSeconds, callbackId: body.callbackId ?? null, callbackStatus },
    at: now,
  });
  const [staff] = await tx.select({ name: staffUsers.name }).from(staffUsers).where(eq(staffUsers.id, actor.userId));
  return toCallLog({ ...row, staffName: staff?.name ?? null });
}

