import type { DbOrTx } from '../../platform/db/client.ts';
import type { ticketSlaClocks } from '../../platform/db/schema/index.ts';
import type { Calendar } from './business-time.ts';
import type { ClockTiming } from './clock-math.ts';
import { loadCalendar } from './load-calendar.ts';

export type ClockRow = typeof ticketSlaClocks.$inferSelect;
export type Metric = 'first_response' | 'next_response' | 'periodic_update' | 'resolution';

/** Calendars by id, each loaded once per use (a sweep or a request reads many clocks on few calendars). */
export class CalendarCache {
  private readonly cache = new Map<string, Calendar | null>();
  constructor(private readonly db: DbOrTx) {}
  async get(id: string | null): Promise<Calendar | null> {
    if (!id) return null;
    if (!this.cache.has(id)) this.cache.set(id, await loadCalendar(this.db, id));
    return this.cache.get(id) ?? null;
  }
}

export async function timingOf(clock: ClockRow, calendars: CalendarCache): Promise<ClockTiming> {
  return {
    targetMinutes: clock.targetMinutes,
    warnPercent: clock.warnPercent,
    consumedSeconds: clock.consumedSeconds,
    runningSince: clock.runningSince,
    calendar: clock.businessHours ? await calendars.get(clock.calendarId) : null,
  };
}
