import { describe, expect, it } from 'vitest';
import type { Calendar } from './business-time.ts';
import { health, schedule, usedSeconds } from './clock-math.ts';

const at = (s: string) => new Date(s);
const nineToFive: Calendar = { timeZone: 'UTC', weekly: { 1: [[540, 1020]], 2: [[540, 1020]] }, closed: new Set() };

describe('SLA clock arithmetic', () => {
  it('schedules warning and due from the time still left', () => {
    const s = schedule({ targetMinutes: 60, warnPercent: 50, consumedSeconds: 600, runningSince: at('2026-03-02T10:00:00Z'), calendar: null });
    expect(s.warnAt?.toISOString()).toBe('2026-03-02T10:20:00.000Z');
    expect(s.dueAt?.toISOString()).toBe('2026-03-02T10:50:00.000Z');
  });

  it('gives no due time to a paused clock, and an overdue one is due at once', () => {
    expect(schedule({ targetMinutes: 60, warnPercent: 50, consumedSeconds: 0, runningSince: null, calendar: null })).toEqual({ warnAt: null, dueAt: null });
    const over = schedule({ targetMinutes: 1, warnPercent: 50, consumedSeconds: 600, runningSince: at('2026-03-02T10:00:00Z'), calendar: null });
    expect(over.dueAt?.toISOString()).toBe('2026-03-02T10:00:00.000Z');
  });

  it('counts working time only, across the night', () => {
    const c = { targetMinutes: 120, warnPercent: 75, consumedSeconds: 0, runningSince: at('2026-03-02T16:00:00Z'), calendar: nineToFive };
    expect(schedule(c).dueAt?.toISOString()).toBe('2026-03-03T10:00:00.000Z');
    expect(usedSeconds(c, at('2026-03-03T09:30:00Z'))).toBe(90 * 60);
    expect(health(c, at('2026-03-03T09:30:00Z'), null)).toBe('at_risk');
    expect(health(c, at('2026-03-02T16:30:00Z'), null)).toBe('ok');
    expect(health(c, at('2026-03-03T10:00:00Z'), null)).toBe('breached');
    expect(health(c, at('2026-03-02T16:30:00Z'), at('2026-03-02T16:10:00Z'))).toBe('breached');
  });
});
