import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addBusinessMinutes, businessMinutesBetween, type Calendar, parseClock, zonedTimeToUtc } from './business-time.ts';

const shifts = (...pairs: Array<[string, string]>) => pairs.map(([a, b]) => [parseClock(a), parseClock(b)] as const);
// Bangladesh: Sunday to Thursday, with a lunch break
const dhaka: Calendar = {
  timeZone: 'Asia/Dhaka',
  weekly: Object.fromEntries([0, 1, 2, 3, 4].map((d) => [d, shifts(['09:00', '13:00'], ['14:00', '18:00'])])),
  closed: new Set(['2026-03-26']), // Independence Day (a Thursday)
};
const london: Calendar = {
  timeZone: 'Europe/London',
  weekly: Object.fromEntries([1, 2, 3, 4, 5].map((d) => [d, shifts(['09:00', '17:00'])])),
  closed: new Set(),
};
const at = (iso: string) => new Date(iso);

describe('business time', () => {
  it('skips the lunch break of a split shift', () => {
    // Thursday 12:30 Dhaka (06:30Z) + 60 working minutes → 14:30 Dhaka
    expect(addBusinessMinutes(at('2026-03-19T06:30:00Z'), 60, dhaka)?.toISOString()).toBe('2026-03-19T08:30:00.000Z');
  });

  it('carries over the weekend (Friday and Saturday in Bangladesh)', () => {
    // Thursday 17:00 + 8 h → 1 h on Thursday, then Sunday 09:00–13:00 and 14:00–17:00
    expect(addBusinessMinutes(at('2026-03-19T11:00:00Z'), 8 * 60, dhaka)?.toISOString()).toBe('2026-03-22T11:00:00.000Z');
  });

  it('skips holidays and closures', () => {
    // Wednesday 17:00 + 2 h: Thursday 26 March is a holiday → Sunday 10:00 Dhaka
    expect(addBusinessMinutes(at('2026-03-25T11:00:00Z'), 120, dhaka)?.toISOString()).toBe('2026-03-29T04:00:00.000Z');
  });

  it('starts from the next working moment when asked outside working hours', () => {
    // Saturday night → Sunday 09:00 Dhaka
    expect(addBusinessMinutes(at('2026-03-21T18:00:00Z'), 0, dhaka)?.toISOString()).toBe('2026-03-22T03:00:00.000Z');
  });

  it('follows daylight saving time', () => {
    // Friday 27 March 16:00 GMT + 2 h → Monday 30 March 10:00 BST (09:00Z): clocks went forward on Sunday
    expect(addBusinessMinutes(at('2026-03-27T16:00:00Z'), 120, london)?.toISOString()).toBe('2026-03-30T09:00:00.000Z');
    // October: Friday 23 Oct 16:00 BST (15:00Z) + 2 h → Monday 26 Oct 10:00 GMT
    expect(addBusinessMinutes(at('2026-10-23T15:00:00Z'), 120, london)?.toISOString()).toBe('2026-10-26T10:00:00.000Z');
    // 01:30 does not exist on 29 March in London: it becomes 02:30 BST; 01:30 on 25 October happens twice: the first
    expect(zonedTimeToUtc(2026, 3, 29, 90, 'Europe/London')).toBe(Date.parse('2026-03-29T01:30:00Z'));
    expect(zonedTimeToUtc(2026, 10, 25, 90, 'Europe/London')).toBe(Date.parse('2026-10-25T00:30:00Z'));
  });

  it('counts working minutes between two instants', () => {
    expect(businessMinutesBetween(at('2026-03-19T06:30:00Z'), at('2026-03-22T04:00:00Z'), dhaka)).toBe(30 + 240 + 60);
    expect(businessMinutesBetween(at('2026-03-22T04:00:00Z'), at('2026-03-19T06:30:00Z'), dhaka)).toBe(0);
  });

  it('never finds time in a calendar without working hours', () => {
    expect(addBusinessMinutes(at('2026-03-19T06:30:00Z'), 10, { timeZone: 'UTC', weekly: {}, closed: new Set() })).toBeNull();
  });

  it('adds and counts consistently, and never goes backwards (property)', () => {
    const start = fc.date({ min: new Date('2026-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true });
    const minutes = fc.integer({ min: 0, max: 5000 });
    for (const cal of [dhaka, london]) {
      fc.assert(
        fc.property(start, minutes, minutes, (s, a, b) => {
          const due = addBusinessMinutes(s, a, cal);
          if (!due) return false;
          const later = addBusinessMinutes(s, a + b, cal);
          return due.getTime() >= s.getTime() && Math.abs(businessMinutesBetween(s, due, cal) - a) < 1e-9 && (later?.getTime() ?? 0) >= due.getTime();
        }),
        { numRuns: 150 },
      );
    }
  });
});
