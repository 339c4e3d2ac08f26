import { eq } from 'drizzle-orm';
import { type Actor, hasPermission } from '../../platform/auth/permissions.ts';
import { messages } from '../../platform/db/schema/index.ts';
import type { Deps } from '../../platform/deps.ts';
import { forbidden, notFound } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';

/**
 * Records the seconds an agent spent on a message (the composer's timer, or a phone call's length), the input of
 * cost per channel and measured handle times. Only the message's author, or someone who may read reports, sets it.
 */
export async function recordHandleTime(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: { actor: Actor; messageId: string; seconds: number },
): Promise<{ messageId: string; handleSeconds: number }> {
  return deps.db.transaction(async (tx) => {
    const [m] = await tx
      .select({ id: messages.id, ticketId: messages.ticketId, author: messages.authorStaffId })
      .from(messages)
      .where(eq(messages.id, input.messageId))
      .for('update');
    if (!m) throw notFound('message');
    const own = input.actor.kind === 'staff' && m.author === input.actor.userId;
    if (!own && !hasPermission(input.actor, 'reports:read'))
      throw forbidden('only the author records handle time on a message');
    await tx.update(messages).set({ handleSeconds: input.seconds }).where(eq(messages.id, m.id));
    await recordEvent(tx, {
      type: 'message.handle_time_recorded',
      actor: input.actor,
      ticketId: m.ticketId,
      payload: { messageId: m.id, seconds: input.seconds },
      at: deps.clock.now(),
    });
    return { messageId: m.id, handleSeconds: input.seconds };
  });
}
