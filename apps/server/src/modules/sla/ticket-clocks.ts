import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { ticketSlaClocks } from '../../platform/db/schema/index.ts';
import { health, usedSeconds } from './clock-math.ts';
import { CalendarCache, type Metric, timingOf } from './clock-timing.ts';

/** Clocks of a ticket for the API, with their live health. */
export async function ticketClocks(db: DbOrTx, ticketId: string, now: Date) {
  const rows = await db
    .select()
    .from(ticketSlaClocks)
    .where(eq(ticketSlaClocks.ticketId, ticketId))
    .orderBy(asc(ticketSlaClocks.startedAt));
  const cache = new CalendarCache(db);
  const out = [];
  for (const c of rows) {
    const timing = await timingOf(c, cache);
    out.push({
      metric: c.metric as Metric,
      state: c.metAt
        ? ('met' as const)
        : c.breachedAt
          ? ('breached' as const)
          : c.runningSince
            ? ('running' as const)
            : ('paused' as const),
      health: c.metAt ? (c.breachedAt ? ('breached' as const) : ('ok' as const)) : health(timing, now, c.breachedAt),
      targetMinutes: c.targetMinutes,
      businessHours: c.businessHours,
      cycle: c.cycle,
      consumedSeconds: c.metAt ? c.consumedSeconds : usedSeconds(timing, now),
      startedAt: c.startedAt.toISOString(),
      warnAt: c.warnAt?.toISOString() ?? null,
      dueAt: c.dueAt?.toISOString() ?? null,
      breachedAt: c.breachedAt?.toISOString() ?? null,
      metAt: c.metAt?.toISOString() ?? null,
    });
  }
  return out;
}
