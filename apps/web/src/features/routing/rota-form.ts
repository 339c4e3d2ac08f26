import { type DutyShiftSeriesBody, seriesProblem } from '@seva/contracts';
import { ApiError } from '../../lib/api.ts';

/** An ISO instant as a datetime-local input's value in the browser's time zone ("2026-04-06T10:00"). */
export function isoToLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** The browser's IANA zone, the default for a new repeating shift. */
export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

export function isTimeZone(tz: string): boolean {
  if (!tz.trim()) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz.trim() });
    return true;
  } catch {
    return false;
  }
}

export interface SeriesForm {
  userId: string | null;
  teamId: string | null;
  /** 0 = Sunday … 6 = Saturday */
  weekdays: number[];
  startTime: string;
  endTime: string;
  timeZone: string;
  startsOn: string;
  until: string;
  note: string;
}

export type SeriesFormProblem =
  | 'person'
  | 'weekdays'
  | 'times'
  | 'sameTime'
  | 'timeZone'
  | 'days'
  | 'dayOrder'
  | 'tooLong';

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** What keeps a repeating shift from being saved (routing:rota.problem.*), mirroring the server's checks; or the body. */
export function seriesBody(f: SeriesForm): { body: DutyShiftSeriesBody } | { problem: SeriesFormProblem } {
  if (!f.userId) return { problem: 'person' };
  if (f.weekdays.length === 0) return { problem: 'weekdays' };
  if (!TIME.test(f.startTime) || !TIME.test(f.endTime)) return { problem: 'times' };
  if (!isTimeZone(f.timeZone)) return { problem: 'timeZone' };
  if (!DAY.test(f.startsOn) || !DAY.test(f.until)) return { problem: 'days' };
  const p = seriesProblem(f);
  if (p) return { problem: p.path === 'endTime' ? 'sameTime' : f.until < f.startsOn ? 'dayOrder' : 'tooLong' };
  return {
    body: {
      userId: f.userId,
      teamId: f.teamId,
      weekdays: [...new Set(f.weekdays)].sort((a, b) => a - b),
      startTime: f.startTime,
      endTime: f.endTime,
      timeZone: f.timeZone.trim(),
      startsOn: f.startsOn,
      until: f.until,
      ...(f.note.trim() ? { note: f.note.trim() } : {}),
    },
  };
}

/** Weekdays as the shortest readable text: runs of three or more become "Mon–Fri" (Monday first). */
export function weekdaysText(days: readonly number[], name: (day: number) => string): string {
  const order = [1, 2, 3, 4, 5, 6, 0].filter((d) => days.includes(d));
  const runs: number[][] = [];
  for (const d of order) {
    const last = runs.at(-1);
    const prev = last?.at(-1);
    if (last && prev !== undefined && (prev + 1) % 7 === d && prev !== 0) last.push(d);
    else runs.push([d]);
  }
  return runs
    .flatMap((r) => (r.length >= 3 ? [`${name(r[0] as number)}–${name(r.at(-1) as number)}`] : r.map(name)))
    .join(', ');
}

/** The other period a 409 from the rota names (so the form can say which one, in the reader's language and zone). */
export function overlapOf(err: unknown): { startsAt: string; endsAt: string } | null {
  if (!(err instanceof ApiError) || err.code !== 'CONFLICT') return null;
  const d = err.problem.details;
  return d?.reason === 'overlap' && typeof d.startsAt === 'string' && typeof d.endsAt === 'string'
    ? { startsAt: d.startsAt, endsAt: d.endsAt }
    : null;
}
