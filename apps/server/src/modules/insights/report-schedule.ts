/**
 * When a scheduled report is due and what it covers, in the subscriber's time zone (pure; unit-tested). A daily
 * report sent at local hour H covers the previous local day; a weekly one, sent on its weekday at H, the seven
 * local days before that day.
 */
export interface ReportSchedule {
  frequency: 'daily' | 'weekly';
  weekday: number;
  hour: number;
  timeZone: string;
}

export interface ReportPeriod {
  /** the local date the covered period starts (YYYY-MM-DD), the report's idempotency key */
  key: string;
  from: Date;
  to: Date;
  /** the instant it became due */
  dueAt: Date;
}

const DAY_MS = 86_400_000;

function localParts(at: Date, timeZone: string): { y: number; m: number; d: number; h: number; min: number } {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return {
    y: Number(get('year')),
    m: Number(get('month')),
    d: Number(get('day')),
    h: Number(get('hour')),
    min: Number(get('minute')),
  };
}

/** The instant of local wall time y-m-d h:00 in the zone (the first one, if a clock change repeats it). */
export function zonedTime(y: number, m: number, d: number, h: number, timeZone: string): Date {
  const guess = Date.UTC(y, m - 1, d, h);
  let t = guess;
  for (let i = 0; i < 3; i += 1) {
    const p = localParts(new Date(t), timeZone);
    const shown = Date.UTC(p.y, p.m - 1, p.d, p.h, p.min);
    if (shown === guess) break;
    t += guess - shown;
  }
  return new Date(t);
}

const isoDate = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10);

/** The latest period whose report is due at or before `now`. */
export function latestDuePeriod(s: ReportSchedule, now: Date): ReportPeriod {
  const today = localParts(now, s.timeZone);
  // walk back over local days (at most 8) to the last day the report is sent on whose hour has passed
  for (let back = 0; back <= 8; back += 1) {
    const day = new Date(Date.UTC(today.y, today.m - 1, today.d) - back * DAY_MS);
    const y = day.getUTCFullYear();
    const m = day.getUTCMonth() + 1;
    const d = day.getUTCDate();
    if (s.frequency === 'weekly' && day.getUTCDay() !== s.weekday) continue;
    const dueAt = zonedTime(y, m, d, s.hour, s.timeZone);
    if (dueAt > now) continue;
    const span = s.frequency === 'daily' ? 1 : 7;
    const start = new Date(day.getTime() - span * DAY_MS);
    const from = zonedTime(start.getUTCFullYear(), start.getUTCMonth() + 1, start.getUTCDate(), 0, s.timeZone);
    const to = zonedTime(y, m, d, 0, s.timeZone);
    return { key: isoDate(start.getUTCFullYear(), start.getUTCMonth() + 1, start.getUTCDate()), from, to, dueAt };
  }
  throw new Error('no due period found');
}
