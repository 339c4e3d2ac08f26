import type { DbOrTx } from '../../platform/db/client.ts';
import { slaOutcomes } from '../../platform/db/schema/index.ts';
import { insertAwards } from '../improve/recognition.hook.ts';
import { awardForSlaOutcome } from '../improve/scoring.ts';
import type { ClockRow } from './clock-timing.ts';

/** What an outcome records of its ticket. */
interface OutcomeTicket {
  id: string;
  teamId: string | null;
  assigneeId: string | null;
  channel: string;
}

/** Records the finished cycle of a clock for achievement reports (once per ticket, metric and cycle). */
export async function recordOutcome(
  tx: DbOrTx,
  t: OutcomeTicket,
  clock: ClockRow,
  used: number,
  now: Date,
): Promise<void> {
  const achieved = !clock.breachedAt && used <= clock.targetMinutes * 60;
  await tx
    .insert(slaOutcomes)
    .values({
      ticketId: t.id,
      policyId: clock.policyId,
      metric: clock.metric,
      cycle: clock.cycle,
      achieved,
      targetMinutes: clock.targetMinutes,
      usedMinutes: Math.round(used / 60),
      teamId: t.teamId,
      assigneeId: t.assigneeId,
      channel: t.channel,
      at: now,
    })
    .onConflictDoUpdate({
      target: [slaOutcomes.ticketId, slaOutcomes.metric, slaOutcomes.cycle],
      set: { achieved, usedMinutes: Math.round(used / 60), teamId: t.teamId, assigneeId: t.assigneeId, at: now },
    });
  const award = awardForSlaOutcome({
    ticketId: t.id,
    metric: clock.metric,
    cycle: clock.cycle,
    achieved,
    assigneeId: t.assigneeId,
  });
  if (award) await insertAwards(tx, [award], t.id, now);
}
