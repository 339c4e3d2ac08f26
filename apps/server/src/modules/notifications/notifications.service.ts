import { and, desc, eq, isNull, lt, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/permissions.ts';
import { notifications } from '../../platform/db/schema/index.ts';
import type { Deps } from '../../platform/deps.ts';
import { notFound } from '../../platform/errors.ts';

type Row = typeof notifications.$inferSelect;
const toDto = (r: Row) => ({
  id: r.id,
  kind: r.kind,
  ticketId: r.ticketId,
  data: r.data,
  createdAt: r.createdAt.toISOString(),
  readAt: r.readAt ? r.readAt.toISOString() : null,
});

/** The person's own notifications, newest first (a page of `limit`, older ones with `before`), and how many are unread. */
export async function listNotifications(
  deps: Deps,
  input: { actor: Actor; unread?: boolean | undefined; limit: number; before?: string | undefined },
) {
  if (input.actor.kind !== 'staff') return { items: [], unread: 0 };
  const userId = input.actor.userId;
  const where = [eq(notifications.userId, userId)];
  if (input.unread) where.push(isNull(notifications.readAt));
  if (input.before) where.push(lt(notifications.createdAt, new Date(input.before)));
  const [rows, [count]] = await Promise.all([
    deps.db
      .select()
      .from(notifications)
      .where(and(...where))
      .orderBy(desc(notifications.createdAt), desc(notifications.id))
      .limit(input.limit),
    deps.db
      .select({ n: sql<number>`count(*)::int` })
      .from(notifications)
      .where(and(eq(notifications.userId, userId), isNull(notifications.readAt))),
  ]);
  return { items: rows.map(toDto), unread: count?.n ?? 0 };
}

/** Marks one of the person's notifications read (or unread again); someone else's is "not found". */
export async function markNotification(deps: Deps, input: { actor: Actor; id: string; read: boolean }) {
  if (input.actor.kind !== 'staff') throw notFound('notification');
  const [row] = await deps.db
    .update(notifications)
    .set({
      readAt: input.read
        ? sql`coalesce(${notifications.readAt}, ${deps.clock.now().toISOString()}::timestamptz)`
        : null,
    })
    .where(and(eq(notifications.id, input.id), eq(notifications.userId, input.actor.userId)))
    .returning();
  if (!row) throw notFound('notification');
  return toDto(row);
}

export async function markAllNotificationsRead(deps: Deps, input: { actor: Actor }): Promise<{ marked: number }> {
  if (input.actor.kind !== 'staff') return { marked: 0 };
  const rows = await deps.db
    .update(notifications)
    .set({ readAt: deps.clock.now() })
    .where(and(eq(notifications.userId, input.actor.userId), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return { marked: rows.length };
}
