import { describe, expect, it } from 'vitest';
import { ApiError } from '../../lib/api.ts';
import { isoToLocalInput, overlapOf, type SeriesForm, seriesBody, weekdaysText } from './rota-form.ts';
import { localInputToIso } from './routing-rule-form.ts';

const USER = '00000000-0000-4000-8000-0000000000aa';
const form: SeriesForm = {
  userId: USER,
  teamId: null,
  weekdays: [5, 1, 2, 3, 4],
  startTime: '09:00',
  endTime: '17:00',
  timeZone: 'Asia/Dhaka',
  startsOn: '2026-04-06',
  until: '2026-06-30',
  note: ' new hire ',
};

describe('rota forms', () => {
  it('round-trips an instant through a datetime-local value', () => {
    const iso = '2026-04-06T03:30:00.000Z';
    expect(localInputToIso(isoToLocalInput(iso))).toBe(iso);
    expect(isoToLocalInput('nonsense')).toBe('');
  });

  it('turns a repeating shift into the API body, weekdays in order', () => {
    expect(seriesBody(form)).toEqual({
      body: {
        userId: USER,
        teamId: null,
        weekdays: [1, 2, 3, 4, 5],
        startTime: '09:00',
        endTime: '17:00',
        timeZone: 'Asia/Dhaka',
        startsOn: '2026-04-06',
        until: '2026-06-30',
        note: 'new hire',
      },
    });
    // a night shift ends the next day
    expect(seriesBody({ ...form, startTime: '22:00', endTime: '06:00' })).toHaveProperty('body');
  });

  it('says what is missing or wrong, as the server would', () => {
    expect(seriesBody({ ...form, userId: null })).toEqual({ problem: 'person' });
    expect(seriesBody({ ...form, weekdays: [] })).toEqual({ problem: 'weekdays' });
    expect(seriesBody({ ...form, endTime: '' })).toEqual({ problem: 'times' });
    expect(seriesBody({ ...form, endTime: '09:00' })).toEqual({ problem: 'sameTime' });
    expect(seriesBody({ ...form, timeZone: 'Mars/Olympus' })).toEqual({ problem: 'timeZone' });
    expect(seriesBody({ ...form, until: '' })).toEqual({ problem: 'days' });
    expect(seriesBody({ ...form, until: '2026-04-05' })).toEqual({ problem: 'dayOrder' });
    expect(seriesBody({ ...form, until: '2027-04-07' })).toEqual({ problem: 'tooLong' });
  });

  it('writes weekdays short, Monday first', () => {
    const name = (d: number) => ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d] as string;
    expect(weekdaysText([1, 2, 3, 4, 5], name)).toBe('Mon–Fri');
    expect(weekdaysText([0, 6], name)).toBe('Sat, Sun');
    expect(weekdaysText([1, 3, 5, 6, 0], name)).toBe('Mon, Wed, Fri–Sun');
  });

  it('reads the other period out of an overlap conflict', () => {
    const err = new ApiError({
      title: 'x',
      status: 409,
      code: 'CONFLICT',
      details: { reason: 'overlap', startsAt: 'a', endsAt: 'b' },
    });
    expect(overlapOf(err)).toEqual({ startsAt: 'a', endsAt: 'b' });
    expect(overlapOf(new ApiError({ title: 'x', status: 409, code: 'CONFLICT' }))).toBeNull();
    expect(overlapOf(new Error('x'))).toBeNull();
  });
});
