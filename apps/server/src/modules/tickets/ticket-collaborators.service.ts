import { and, eq } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import { staffUsers, ticketCollaborators, tickets } from '../../platform/db/schema/index.ts';
import type { Deps } from '../../platform/deps.ts';
import { validationFailed } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import { ticketNotFound } from './tickets.errors.ts';
import { findVisibleTicket } from './tickets.repository.ts';

type ServiceDeps = Pick<Deps, 'db' | 'clock'>;

/** Collaborators of a visible ticket. */
export async function listCollaborators(
  db: DbOrTx,
  actor: Actor,
  ref: string,
): Promise<Array<{ id: string; name: string }>> {
  const t = await findVisibleTicket(db, actor, ref);
  if (!t) throw ticketNotFound();
  return collaboratorsOf(db, t.id);
}

async function collaboratorsOf(db: DbOrTx, ticketId: string) {
  return db
    .select({ id: staffUsers.id, name: staffUsers.name })
    .from(ticketCollaborators)
    .innerJoin(staffUsers, eq(staffUsers.id, ticketCollaborators.userId))
    .where(eq(ticketCollaborators.ticketId, ticketId))
    .orderBy(ticketCollaborators.createdAt, staffUsers.name);
}

/** Brings a staff member in on a ticket (collaborators then see it). Idempotent. */
export async function addCollaborator(deps: ServiceDeps, input: { actor: Actor; ref: string; userId: string }) {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const t = await findVisibleTicket(tx, input.actor, input.ref, { forUpdate: true });
    if (!t) throw ticketNotFound();
    const [user] = await tx
      .select({ status: staffUsers.status })
      .from(staffUsers)
      .where(eq(staffUsers.id, input.userId));
    if (!user || user.status === 'disabled')
      throw validationFailed([{ path: 'userId', message: 'no such active staff member' }]);
    const inserted = await tx
      .insert(ticketCollaborators)
      .values({
        ticketId: t.id,
        userId: input.userId,
        addedById: input.actor.kind === 'staff' ? input.actor.userId : null,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning({ userId: ticketCollaborators.userId });
    if (inserted.length > 0) {
      await tx.update(tickets).set({ updatedAt: now }).where(eq(tickets.id, t.id));
      await recordEvent(tx, {
        type: 'ticket.collaborator_added',
        actor: input.actor,
        ticketId: t.id,
        payload: { userId: input.userId },
        at: now,
      });
    }
    return collaboratorsOf(tx, t.id);
  });
}

/** Takes a staff member off a ticket. Idempotent. */
export async function removeCollaborator(deps: ServiceDeps, input: { actor: Actor; ref: string; userId: string }) {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const t = await findVisibleTicket(tx, input.actor, input.ref, { forUpdate: true });
    if (!t) throw ticketNotFound();
    const removed = await tx
      .delete(ticketCollaborators)
      .where(and(eq(ticketCollaborators.ticketId, t.id), eq(ticketCollaborators.userId, input.userId)))
      .returning({ userId: ticketCollaborators.userId });
    if (removed.length > 0) {
      await tx.update(tickets).set({ updatedAt: now }).where(eq(tickets.id, t.id));
      await recordEvent(tx, {
        type: 'ticket.collaborator_removed',
        actor: input.actor,
        ticketId: t.id,
        payload: { userId: input.userId },
        at: now,
      });
    }
    return collaboratorsOf(tx, t.id);
  });
}
