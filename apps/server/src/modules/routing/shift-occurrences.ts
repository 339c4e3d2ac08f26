import { zonedTimeToUtc } from '../sla/business-time.ts';

/** A repeating duty shift as its owner says it: weekdays, wall times in a zone, first and last day. */
export interface ShiftRecurrence {
  /** 0 = Sunday … 6 = Saturday */
  weekdays: readonly number[];
  /** HH:MM; an end at or before the start is on the next day */
  startTime: string;
  endTime: string;
  timeZone: string;
  /** YYYY-MM-DD, inclusive */
  startsOn: string;
  until: string;
}

export interface Occurrence {
  startsAt: Date;
  endsAt: Date;
}

const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/**
 * Every occurrence of a repeating shift, in order: one per chosen local weekday from the first day to the last, at the
 * wall times in the shift's zone (DST-aware: 09:00 stays 09:00 on both sides of a change). A night shift (end at or
 * before the start) ends on the next local day. Pure; bounded by the span the contract allows (a year).
 */
export function shiftOccurrences(r: ShiftRecurrence): Occurrence[] {
  const start = minutesOf(r.startTime);
  const end = minutesOf(r.endTime);
  const days = new Set(r.weekdays);
  const first = Date.parse(`${r.startsOn}T00:00:00Z`);
  const last = Date.parse(`${r.until}T00:00:00Z`);
  const out: Occurrence[] = [];
  for (let day = first; day <= last; day += 86_400_000) {
    const d = new Date(day);
    if (!days.has(d.getUTCDay())) continue;
    const [y, m, dd] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
    const startsAt = zonedTimeToUtc(y, m, dd, start, r.timeZone);
    const next = new Date(day + 86_400_000);
    const endsAt =
      end > start
        ? zonedTimeToUtc(y, m, dd, end, r.timeZone)
        : zonedTimeToUtc(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), end, r.timeZone);
    // a wall time that falls in a DST gap can fold a short shift onto itself: such a day has no shift
    if (endsAt > startsAt) out.push({ startsAt: new Date(startsAt), endsAt: new Date(endsAt) });
  }
  return out;
}
