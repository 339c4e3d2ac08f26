/**
 * Business-time arithmetic: adding working minutes to an instant and counting working minutes between two instants,
 * in a calendar's time zone, with weekly (split) shifts, holidays and one-off closures. Pure, DST-aware (wall times
 * are converted per day through Intl), unit- and property-tested in business-time.test.ts.
 */
export interface Calendar {
  /** IANA zone, e.g. Asia/Dhaka */
  timeZone: string;
  /** 0 = Sunday … 6 = Saturday → working intervals in minutes after local midnight, [start, end) with end ≤ 1440 */
  weekly: Partial<Record<number, ReadonlyArray<readonly [number, number]>>>;
  /** local dates (YYYY-MM-DD) with no working time: holidays and closures */
  closed: ReadonlySet<string>;
}

/** How far ahead we look for working time; a calendar without any stops being useful long before. */
const MAX_DAYS = 3 * 366;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

interface LocalParts {
  y: number;
  m: number;
  d: number;
  minutes: number;
}

function localParts(instant: number, timeZone: string): LocalParts {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  return { y: Number(parts.year), m: Number(parts.month), d: Number(parts.day), minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

/** Offset of the zone from UTC at an instant, in minutes (e.g. +360 for Asia/Dhaka). */
function offsetMinutes(instant: number, timeZone: string): number {
  const p = Object.fromEntries(formatter(timeZone).formatToParts(new Date(instant)).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return Math.round((asUtc - (instant - (instant % 1000))) / 60000);
}

/** The instant of a local wall time; in a DST gap it moves forward, in an overlap it takes the first occurrence. */
export function zonedTimeToUtc(y: number, m: number, d: number, minutes: number, timeZone: string): number {
  const naive = Date.UTC(y, m - 1, d, 0, minutes);
  // the offsets in force a day either side cover any transition on this day
  const before = naive - offsetMinutes(naive - 86_400_000, timeZone) * 60000;
  const after = naive - offsetMinutes(naive + 86_400_000, timeZone) * 60000;
  const wall = (instant: number) => {
    const p = localParts(instant, timeZone);
    return Date.UTC(p.y, p.m - 1, p.d, 0, p.minutes) === naive;
  };
  const real = [before, after].filter(wall);
  // an overlap (clocks went back) has two real instants: take the first; a gap (clocks went forward) has
  // none: move forward by the length of the gap, as Temporal's "compatible" disambiguation does
  return real.length > 0 ? Math.min(...real) : Math.max(before, after);
}

export const isoDate = (y: number, m: number, d: number) =>
  `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/** Working intervals of one local day as instants, in order. */
function dayIntervals(cal: Calendar, y: number, m: number, d: number): Array<[number, number]> {
  if (cal.closed.has(isoDate(y, m, d))) return [];
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  const shifts = cal.weekly[weekday] ?? [];
  return [...shifts]
    .sort((a, b) => a[0] - b[0])
    .map(([s, e]) => [zonedTimeToUtc(y, m, d, s, cal.timeZone), zonedTimeToUtc(y, m, d, e, cal.timeZone)] as [number, number])
    .filter(([s, e]) => e > s);
}

function* days(start: number, timeZone: string): Generator<[number, number, number]> {
  const p = localParts(start, timeZone);
  const base = Date.UTC(p.y, p.m - 1, p.d);
  for (let i = 0; i < MAX_DAYS; i += 1) {
    const day = new Date(base + i * 86_400_000);
    yield [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()];
  }
}

export function hasWorkingTime(cal: Calendar): boolean {
  return Object.values(cal.weekly).some((shifts) => (shifts ?? []).some(([s, e]) => e > s));
}

/**
 * The instant when `minutes` working minutes after `start` have passed; null when the calendar has no working time
 * in the next three years. Zero minutes from outside working hours is the next working moment.
 */
export function addBusinessMinutes(start: Date, minutes: number, cal: Calendar): Date | null {
  if (!hasWorkingTime(cal)) return null;
  let remaining = Math.max(0, minutes) * 60000;
  const from0 = start.getTime();
  // the previous local day too: an interval that started yesterday may still be running
  for (const [y, m, d] of days(from0 - 86_400_000, cal.timeZone)) {
    for (const [s, e] of dayIntervals(cal, y, m, d)) {
      if (e <= from0) continue;
      const from = Math.max(s, from0);
      const available = e - from;
      if (remaining <= available && (remaining > 0 || from < e)) return new Date(from + remaining);
      remaining -= available;
    }
  }
  return null;
}

/** Working minutes in [a, b) (0 when b ≤ a). */
export function businessMinutesBetween(a: Date, b: Date, cal: Calendar): number {
  const from0 = a.getTime();
  const to = b.getTime();
  if (to <= from0) return 0;
  let total = 0;
  for (const [y, m, d] of days(from0 - 86_400_000, cal.timeZone)) {
    const intervals = dayIntervals(cal, y, m, d);
    for (const [s, e] of intervals) {
      if (s >= to) return total / 60000;
      const lo = Math.max(s, from0);
      const hi = Math.min(e, to);
      if (hi > lo) total += hi - lo;
    }
    if (Date.UTC(y, m - 1, d) - 2 * 86_400_000 > to) break;
  }
  return total / 60000;
}

/** "09:00" → 540 */
export function parseClock(hhmm: string): number {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(hhmm);
  if (!m) throw new Error(`not a time of day: ${hhmm}`);
  const v = Number(m[1]) * 60 + Number(m[2]);
  if (v > 1440) throw new Error(`not a time of day: ${hhmm}`);
  return v;
}
