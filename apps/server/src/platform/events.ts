import { sql } from 'drizzle-orm';
import type { Actor } from './auth/permissions.ts';
import type { DbOrTx } from './db/client.ts';

/** PostgreSQL channel carrying `{ id, type, ticketId }` for every event, delivered on commit. */
export const EVENTS_CHANNEL = 'seva_events';

export interface NewEvent {
  type: string;
  actor: Actor;
  ticketId?: string | null;
  customerId?: string | null;
  payload?: Record<string, unknown>;
  at?: Date;
}

export function actorColumns(actor: Actor): { actorType: string; actorId: string | null } {
  if (actor.kind === 'system') return { actorType: 'system', actorId: null };
  return { actorType: actor.via === 'token' ? 'token' : 'staff', actorId: actor.userId };
}

/**
 * Appends an event inside the caller's transaction (the outbox) and NOTIFYs listeners; PostgreSQL delivers the
 * notification only if the transaction commits, so realtime never announces something that was rolled back.
 * One statement (one round trip): the insert and the NOTIFY of `{ id, type, ticketId, customerId }` together.
 */
export async function recordEvent(tx: DbOrTx, e: NewEvent): Promise<number> {
  const { actorType, actorId } = actorColumns(e.actor);
  const ticketId = e.ticketId ?? null;
  const customerId = e.customerId ?? null;
  // the note without its leading id, which only the insert knows: `,"type":…,"ticketId":…,"customerId":…}`
  const rest = JSON.stringify({ type: e.type, ticketId, customerId }).slice(1);
  const r = await tx.execute<{ id: number }>(sql`
    WITH e AS (
      INSERT INTO events (type, ticket_id, customer_id, actor_type, actor_id, payload, created_at)
      VALUES (${e.type}, ${ticketId}, ${customerId}, ${actorType}, ${actorId}, ${JSON.stringify(e.payload ?? {})}::jsonb,
              coalesce(${e.at ? e.at.toISOString() : null}::timestamptz, now()))
      RETURNING id)
    SELECT e.id, pg_notify(${EVENTS_CHANNEL}, '{"id":' || e.id || ',' || ${rest}) FROM e`);
  const row = r.rows[0];
  if (!row) throw new Error('event insert returned nothing');
  return Number(row.id);
}
