import { describe, expect, it } from 'vitest';
import { standardWeek, weekFromApi, weeklyHours, weekProblems, weekToApi } from './weekly-hours.ts';

describe('weekly hours editor', () => {
  it('round-trips the API shape, leaving days off out', () => {
    const w = standardWeek(['0', '1', '2', '3', '4']);
    w['0'] = [{ start: '09:00', end: '13:00' }, { start: '14:00', end: '17:00' }];
    const api = weekToApi(w);
    expect(Object.keys(api)).toEqual(['0', '1', '2', '3', '4']);
    expect(weekFromApi(api)).toEqual(w);
    expect(weeklyHours(w)).toBe(39);
  });

  it('finds bad times, shifts ending before they start and overlapping shifts', () => {
    const w = standardWeek([]);
    w['1'] = [{ start: '9:00', end: '17:00' }];
    w['2'] = [{ start: '17:00', end: '09:00' }];
    w['3'] = [{ start: '09:00', end: '13:00' }, { start: '12:30', end: '17:00' }];
    w['4'] = [{ start: '14:00', end: '17:00' }, { start: '09:00', end: '13:00' }];
    expect(weekProblems(w)).toEqual({ '1': 'badTime', '2': 'endBeforeStart', '3': 'overlap' });
  });
});
