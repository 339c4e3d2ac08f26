import type { WeeklyShifts } from '@seva/contracts';

/** The weekly-hours editor's state: seven days, Sunday first, each with its shifts as "HH:MM" pairs. */
export type DayKey = '0' | '1' | '2' | '3' | '4' | '5' | '6';
export const DAYS: DayKey[] = ['0', '1', '2', '3', '4', '5', '6'];
export type WeekForm = Record<DayKey, Array<{ start: string; end: string }>>;

export function emptyWeek(): WeekForm {
  return { '0': [], '1': [], '2': [], '3': [], '4': [], '5': [], '6': [] };
}

/** A ready week: these days 09:00–17:00 (Bangladesh: Sunday–Thursday; India: Monday–Saturday). */
export function standardWeek(days: DayKey[]): WeekForm {
  const w = emptyWeek();
  for (const d of days) w[d] = [{ start: '09:00', end: '17:00' }];
  return w;
}

export function weekFromApi(weekly: WeeklyShifts): WeekForm {
  const w = emptyWeek();
  for (const d of DAYS) w[d] = (weekly[d] ?? []).map((s) => ({ ...s }));
  return w;
}

export function weekToApi(w: WeekForm): WeeklyShifts {
  const out: WeeklyShifts = {};
  for (const d of DAYS) if (w[d].length > 0) out[d] = w[d].map((s) => ({ start: s.start, end: s.end }));
  return out;
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/** Problems per day as i18n keys (under desk-rules:sla.week.*): a bad time, an end before its start, overlaps. */
export function weekProblems(w: WeekForm): Partial<Record<DayKey, string>> {
  const out: Partial<Record<DayKey, string>> = {};
  for (const d of DAYS) {
    const shifts = w[d];
    if (shifts.some((s) => !TIME.test(s.start) || !TIME.test(s.end))) out[d] = 'badTime';
    else if (shifts.some((s) => s.start >= s.end)) out[d] = 'endBeforeStart';
    else {
      const sorted = [...shifts].sort((a, b) => a.start.localeCompare(b.start));
      if (sorted.some((s, i) => i > 0 && s.start < (sorted[i - 1]?.end ?? ''))) out[d] = 'overlap';
    }
  }
  return out;
}

/** Working hours in the week, e.g. 40. */
export function weeklyHours(w: WeekForm): number {
  const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
  let total = 0;
  for (const d of DAYS) for (const s of w[d]) total += Math.max(0, minutes(s.end) - minutes(s.start));
  return Math.round((total / 60) * 10) / 10;
}
