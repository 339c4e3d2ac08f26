import { describe, expect, it } from 'vitest';
import { latestDuePeriod, zonedTime } from './report-schedule.ts';

describe('report schedule', () => {
  it('finds local wall times in zones with half-hour offsets and clock changes', () => {
    expect(zonedTime(2026, 3, 9, 7, 'Asia/Kolkata').toISOString()).toBe('2026-03-09T01:30:00.000Z');
    expect(zonedTime(2026, 3, 9, 7, 'UTC').toISOString()).toBe('2026-03-09T07:00:00.000Z');
    // New York moved to summer time on 2026-03-08
    expect(zonedTime(2026, 3, 7, 7, 'America/New_York').toISOString()).toBe('2026-03-07T12:00:00.000Z');
    expect(zonedTime(2026, 3, 9, 7, 'America/New_York').toISOString()).toBe('2026-03-09T11:00:00.000Z');
  });

  it('a weekly report on Monday 07:00 covers the seven local days before, and the one before it until then', () => {
    const s = { frequency: 'weekly' as const, weekday: 1, hour: 7, timeZone: 'Asia/Kolkata' };
    const due = latestDuePeriod(s, new Date('2026-03-09T02:00:00Z'));
    expect(due).toEqual({
      key: '2026-03-02',
      from: new Date('2026-03-01T18:30:00Z'),
      to: new Date('2026-03-08T18:30:00Z'),
      dueAt: new Date('2026-03-09T01:30:00Z'),
    });
    // just before 07:00 IST: still last week's report
    expect(latestDuePeriod(s, new Date('2026-03-09T01:00:00Z')).key).toBe('2026-02-23');
  });

  it('a daily report covers the previous local day', () => {
    const s = { frequency: 'daily' as const, weekday: 1, hour: 6, timeZone: 'UTC' };
    const due = latestDuePeriod(s, new Date('2026-03-11T06:00:00Z'));
    expect(due.key).toBe('2026-03-10');
    expect(due.from.toISOString()).toBe('2026-03-10T00:00:00.000Z');
    expect(due.to.toISOString()).toBe('2026-03-11T00:00:00.000Z');
    expect(latestDuePeriod(s, new Date('2026-03-11T05:59:00Z')).key).toBe('2026-03-09');
  });
});
