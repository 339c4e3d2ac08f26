import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shiftOccurrences } from './shift-occurrences.ts';

const iso = (xs: Array<{ startsAt: Date; endsAt: Date }>) =>
  xs.map((o) => [o.startsAt.toISOString(), o.endsAt.toISOString()]);

describe('repeating duty shifts', () => {
  it('gives one shift per chosen weekday at the wall times of the zone, first and last day included', () => {
    // 2026-04-06 is a Monday; Dhaka is UTC+6 all year
    const weekdays = shiftOccurrences({
      weekdays: [1, 2, 3, 4, 5],
      startTime: '09:00',
      endTime: '17:00',
      timeZone: 'Asia/Dhaka',
      startsOn: '2026-04-06',
      until: '2026-04-13',
    });
    expect(iso(weekdays)).toEqual([
      ['2026-04-06T03:00:00.000Z', '2026-04-06T11:00:00.000Z'],
      ['2026-04-07T03:00:00.000Z', '2026-04-07T11:00:00.000Z'],
      ['2026-04-08T03:00:00.000Z', '2026-04-08T11:00:00.000Z'],
      ['2026-04-09T03:00:00.000Z', '2026-04-09T11:00:00.000Z'],
      ['2026-04-10T03:00:00.000Z', '2026-04-10T11:00:00.000Z'],
      ['2026-04-13T03:00:00.000Z', '2026-04-13T11:00:00.000Z'],
    ]);
    // Kolkata is UTC+5:30; Sunday only
    expect(
      iso(
        shiftOccurrences({
          weekdays: [0],
          startTime: '10:30',
          endTime: '12:00',
          timeZone: 'Asia/Kolkata',
          startsOn: '2026-04-06',
          until: '2026-04-19',
        }),
      ),
    ).toEqual([
      ['2026-04-12T05:00:00.000Z', '2026-04-12T06:30:00.000Z'],
      ['2026-04-19T05:00:00.000Z', '2026-04-19T06:30:00.000Z'],
    ]);
  });

  it('keeps the wall time across a daylight saving change', () => {
    // London moves to summer time on Sunday 2026-03-29
    const london = shiftOccurrences({
      weekdays: [5, 1],
      startTime: '09:00',
      endTime: '17:00',
      timeZone: 'Europe/London',
      startsOn: '2026-03-27',
      until: '2026-03-30',
    });
    expect(iso(london)).toEqual([
      ['2026-03-27T09:00:00.000Z', '2026-03-27T17:00:00.000Z'],
      ['2026-03-30T08:00:00.000Z', '2026-03-30T16:00:00.000Z'],
    ]);
  });

  it('ends a night shift on the next day, even on the last day', () => {
    expect(
      iso(
        shiftOccurrences({
          weekdays: [6],
          startTime: '22:00',
          endTime: '06:00',
          timeZone: 'UTC',
          startsOn: '2026-04-11',
          until: '2026-04-11',
        }),
      ),
    ).toEqual([['2026-04-11T22:00:00.000Z', '2026-04-12T06:00:00.000Z']]);
  });

  it('never overlaps itself, each shift is shorter than a day and starts on a chosen weekday', () => {
    const time = fc
      .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
      .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 7 }),
        time,
        time,
        fc.constantFrom('UTC', 'Asia/Dhaka', 'Asia/Kolkata', 'Europe/London', 'America/New_York'),
        fc.integer({ min: 0, max: 330 }),
        fc.integer({ min: 0, max: 35 }),
        (weekdays, startTime, endTime, timeZone, offset, span) => {
          fc.pre(startTime !== endTime);
          const first = new Date(Date.UTC(2026, 0, 1) + offset * 86_400_000);
          const last = new Date(first.getTime() + span * 86_400_000);
          const out = shiftOccurrences({
            weekdays,
            startTime,
            endTime,
            timeZone,
            startsOn: first.toISOString().slice(0, 10),
            until: last.toISOString().slice(0, 10),
          });
          expect(out.length).toBeLessThanOrEqual(span + 1);
          for (const [i, o] of out.entries()) {
            expect(o.endsAt.getTime()).toBeGreaterThan(o.startsAt.getTime());
            expect(o.endsAt.getTime() - o.startsAt.getTime()).toBeLessThanOrEqual(25 * 3_600_000);
            const localDay = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short' }).format(o.startsAt);
            expect(weekdays.map((d) => ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d])).toContain(localDay);
            const prev = out[i - 1];
            if (prev) expect(o.startsAt.getTime()).toBeGreaterThanOrEqual(prev.endsAt.getTime());
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
