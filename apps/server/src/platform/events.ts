import { sql } from 'drizzle-orm';
import type { Actor } from './auth/permissions.ts';
import type { DbOrTx } from './db/client.ts';
import { events } from './db/schema/index.ts';

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
 */
export async function recordEvent(tx: DbOrTx, e: NewEvent): Promise<number> {
  const [row] = await tx
    .insert(events)
    .values({
      type: e.type,
      ticketId: e.ticketId ?? null,
      customerId: e.customerId ?? null,
      ...actorColumns(e.actor),
      payload: e.payload ?? {},
      ...(e.at ? { createdAt: e.at } : {}),
    })
    .returning({ id: events.id });
  if (!row) throw new Error('event insert returned nothing');
  const note = JSON.stringify({ id: row.id, type: e.type, ticketId: e.ticketId ?? null, customerId: e.customerId ?? null });
  await tx.execute(sql`SELECT pg_notify(${EVENTS_CHANNEL}, ${note})`);
  return row.id;
}
