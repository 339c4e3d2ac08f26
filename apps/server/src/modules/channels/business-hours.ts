import type { ChannelBusinessHours } from '../../platform/db/schema/index.ts';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** The weekday (0 = Sunday) and minutes since midnight of `at` in `timezone`. */
export function localTime(at: Date, timezone: string): { day: number; minutes: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: timezone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { day: WEEKDAYS.indexOf(get('weekday')), minutes: Number(get('hour')) * 60 + Number(get('minute')) };
}

function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/**
 * Whether `at` falls in the channel's business hours (no hours configured: always open). A range whose close is
 * before its open runs past midnight into the next day.
 */
export function isWithinBusinessHours(hours: ChannelBusinessHours | null | undefined, at: Date): boolean {
  if (!hours || hours.days.length === 0) return true;
  const { day, minutes } = localTime(at, hours.timezone);
  for (const r of hours.days) {
    const open = toMinutes(r.open);
    const close = toMinutes(r.close);
    if (close > open) {
      if (r.day === day && minutes >= open && minutes < close) return true;
    } else {
      // overnight: open..24:00 on r.day, 00:00..close on the next day
      if (r.day === day && minutes >= open) return true;
      if ((r.day + 1) % 7 === day && minutes < close) return true;
    }
  }
  return false;
}

export function isValidTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
