import { eq } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/permissions.ts';
import type { Deps } from '../../platform/deps.ts';
import { insightShifts } from '../../platform/db/schema/index.ts';
import { notFound } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';

type ShiftRow = typeof insightShifts.$inferSelect;
const toDto = (r: ShiftRow) => ({ id: r.id, staffId: r.staffId, weekday: r.weekday, startHour: r.startHour, endHour: r.endHour, channel: r.channel });

export async function listShifts(deps: Deps) {
  const rs = await deps.db.select().from(insightShifts).orderBy(insightShifts.weekday, insightShifts.startHour, insightShifts.id);
  return { items: rs.map(toDto) };
}

export async function createShift(
  deps: Deps,
  input: { actor: Actor; body: { staffId: string; weekday: number; startHour: number; endHour: number; channel?: string | null | undefined } },
) {
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(insightShifts)
      .values({ ...input.body, channel: input.body.channel ?? null })
      .returning();
    if (!row) throw new Error('shift insert returned nothing');
    await recordEvent(tx, { type: 'insights.shift_created', actor: input.actor, payload: { shiftId: row.id, staffId: row.staffId }, at: deps.clock.now() });
    return toDto(row);
  });
}

export async function deleteShift(deps: Deps, input: { actor: Actor; id: string }): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const [row] = await tx.delete(insightShifts).where(eq(insightShifts.id, input.id)).returning({ id: insightShifts.id });
    if (!row) throw notFound('shift');
    await recordEvent(tx, { type: 'insights.shift_deleted', actor: input.actor, payload: { shiftId: row.id }, at: deps.clock.now() });
  });
}
