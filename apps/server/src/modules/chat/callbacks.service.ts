import type { Callback, CallbackPatch } from '@seva/contracts';
import { type SQL, sql } from 'drizzle-orm';
import type { StaffActor } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import { callbackRequests } from '../../platform/db/schema/index.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import { ticketVisibleTo } from '../tickets/index.ts';

interface CallbackRow {
  id: string;
  ticket_id: string;
  number: number;
  customer_id: string;
  customer_name: string;
  phone: string;
  preferred_at: Date | string | null;
  timezone: string | null;
  note: string;
  status: string;
  scheduled_for: Date | string | null;
  attempts: number;
  claimed_by_id: string | null;
  claimed_by_name: string | null;
  created_at: Date | string;
  [key: string]: unknown;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

function toCallback(r: CallbackRow): Callback {
  return {
    id: r.id,
    ticketId: r.ticket_id,
    ticketNumber: r.number,
    customerId: r.customer_id,
    customerName: r.customer_name,
    phone: r.phone,
    preferredAt: iso(r.preferred_at),
    timezone: r.timezone,
    note: r.note,
    status: r.status as Callback['status'],
    scheduledFor: iso(r.scheduled_for),
    attempts: r.attempts,
    claimedById: r.claimed_by_id,
    claimedByName: r.claimed_by_name,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

async function selectCallbacks(db: DbOrTx, actor: StaffActor, where: SQL, limit = 500): Promise<Callback[]> {
  const r = await db.execute<CallbackRow>(sql`
    SELECT cb.id, cb.ticket_id, tickets.number, cb.customer_id, c.name AS customer_name, cb.phone, cb.preferred_at, cb.timezone,
           cb.note, cb.status, cb.scheduled_for, cb.attempts, cb.claimed_by_id, s.name AS claimed_by_name, cb.created_at
      FROM callback_requests cb
      JOIN tickets ON tickets.id = cb.ticket_id
      JOIN customers c ON c.id = cb.customer_id
      LEFT JOIN staff_users s ON s.id = cb.claimed_by_id
     WHERE ${where} AND ${ticketVisibleTo(actor)}
     ORDER BY coalesce(cb.scheduled_for, cb.preferred_at, cb.created_at), cb.created_at, cb.id
     LIMIT ${limit}`);
  return r.rows.map(toCallback);
}

/** The callback queue: open (requested or scheduled) by the time the customer asked for, done, or all. */
export async function listCallbacks(db: DbOrTx, input: { actor: StaffActor; status: 'open' | 'done' | 'all' }): Promise<Callback[]> {
  const where =
    input.status === 'open'
      ? sql`cb.status IN ('requested', 'scheduled')`
      : input.status === 'done'
        ? sql`cb.status IN ('completed', 'unreachable', 'cancelled')`
        : sql`true`;
  return selectCallbacks(db, input.actor, where);
}

export async function getCallback(db: DbOrTx, actor: StaffActor, id: string): Promise<Callback> {
  const [cb] = await selectCallbacks(db, actor, sql`cb.id = ${id}`, 1);
  if (!cb) throw notFound('Callback');
  return cb;
}

/** Claim or release a callback, schedule it, or set its status by hand (cancelled, completed …). */
export async function updateCallback(tx: DbOrTx, input: { actor: StaffActor; id: string; patch: CallbackPatch; now: Date }): Promise<Callback> {
  const { actor, patch, now } = input;
  const current = await getCallback(tx, actor, input.id);
  await tx.execute(sql`SELECT 1 FROM callback_requests WHERE id = ${input.id} FOR UPDATE`);
  const set: Partial<typeof callbackRequests.$inferInsert> = { updatedAt: now };
  if (patch.claim === true) {
    const [row] = (await tx.execute<{ claimed_by_id: string | null }>(sql`SELECT claimed_by_id FROM callback_requests WHERE id = ${input.id}`)).rows;
    if (row?.claimed_by_id && row.claimed_by_id !== actor.userId) throw new AppError('CONFLICT', 'Someone else has already taken this callback');
    set.claimedById = actor.userId;
  } else if (patch.claim === false) {
    set.claimedById = null;
  }
  if (patch.scheduledFor !== undefined) {
    set.scheduledFor = patch.scheduledFor ? new Date(patch.scheduledFor) : null;
    if (patch.status === undefined && patch.scheduledFor && current.status === 'requested') set.status = 'scheduled';
    if (patch.status === undefined && !patch.scheduledFor && current.status === 'scheduled') set.status = 'requested';
  }
  if (patch.status !== undefined) set.status = patch.status;
  await tx.update(callbackRequests).set(set).where(sql`${callbackRequests.id} = ${input.id}`);
  await recordEvent(tx, { type: 'callback.updated', actor, ticketId: current.ticketId, payload: { callbackId: input.id, changed: Object.keys(patch) }, at: now });
  return getCallback(tx, actor, input.id);
}
