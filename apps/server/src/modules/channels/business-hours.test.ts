import { describe, expect, it } from 'vitest';
import { isValidTimezone, isWithinBusinessHours, localTime } from './business-hours.ts';

const dhaka = (days: Array<{ day: number; open: string; close: string }>) => ({ timezone: 'Asia/Dhaka', days });
const weekdays = dhaka([0, 1, 2, 3, 4].map((day) => ({ day, open: '09:00', close: '17:00' })));

describe('business hours', () => {
  it('reads the local weekday and time in the channel time zone', () => {
    // 2026-11-22 is a Sunday; 03:30 UTC is 09:30 in Dhaka (UTC+6)
    expect(localTime(new Date('2026-11-22T03:30:00Z'), 'Asia/Dhaka')).toEqual({ day: 0, minutes: 9 * 60 + 30 });
  });

  it('is open inside a range and closed outside it or on days off', () => {
    expect(isWithinBusinessHours(weekdays, new Date('2026-11-22T03:30:00Z'))).toBe(true); // Sun 09:30
    expect(isWithinBusinessHours(weekdays, new Date('2026-11-22T11:00:00Z'))).toBe(false); // Sun 17:00
    expect(isWithinBusinessHours(weekdays, new Date('2026-11-27T05:00:00Z'))).toBe(false); // Fri 11:00
  });

  it('handles ranges past midnight', () => {
    const night = dhaka([{ day: 5, open: '22:00', close: '02:00' }]);
    expect(isWithinBusinessHours(night, new Date('2026-11-27T17:00:00Z'))).toBe(true); // Fri 23:00
    expect(isWithinBusinessHours(night, new Date('2026-11-27T19:30:00Z'))).toBe(true); // Sat 01:30
    expect(isWithinBusinessHours(night, new Date('2026-11-27T21:00:00Z'))).toBe(false); // Sat 03:00
  });

  it('is always open without hours, and knows real time zones', () => {
    expect(isWithinBusinessHours(null, new Date())).toBe(true);
    expect(isValidTimezone('Asia/Kolkata')).toBe(true);
    expect(isValidTimezone('Mars/Olympus')).toBe(false);
  });
});
