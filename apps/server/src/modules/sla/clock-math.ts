import { addBusinessMinutes, businessMinutesBetween, type Calendar } from './business-time.ts';

/**
 * The arithmetic of one SLA clock, pure. A clock counts seconds (working seconds of a calendar, or wall-clock
 * seconds) towards a target; it runs from `runningSince` with `consumedSeconds` already used.
 */
export interface ClockTiming {
  targetMinutes: number;
  warnPercent: number;
  consumedSeconds: number;
  /** null when the clock is paused or stopped */
  runningSince: Date | null;
  /** null: count wall-clock time */
  calendar: Calendar | null;
}

/** Seconds the clock counts between two instants. */
export function countedSeconds(from: Date, to: Date, calendar: Calendar | null): number {
  if (to.getTime() <= from.getTime()) return 0;
  if (!calendar) return Math.round((to.getTime() - from.getTime()) / 1000);
  return Math.round(businessMinutesBetween(from, to, calendar) * 60);
}

/** The instant `seconds` counted seconds after `from`; null when a calendar never has working time. */
export function afterCounted(from: Date, seconds: number, calendar: Calendar | null): Date | null {
  if (seconds <= 0) return from;
  if (!calendar) return new Date(from.getTime() + seconds * 1000);
  return addBusinessMinutes(from, seconds / 60, calendar);
}

/** When a running clock becomes at risk and when it is due (null for a paused clock). */
export function schedule(c: ClockTiming): { warnAt: Date | null; dueAt: Date | null } {
  if (!c.runningSince) return { warnAt: null, dueAt: null };
  const target = c.targetMinutes * 60;
  const warnSeconds = Math.floor((target * c.warnPercent) / 100);
  return {
    warnAt: afterCounted(c.runningSince, warnSeconds - c.consumedSeconds, c.calendar),
    dueAt: afterCounted(c.runningSince, target - c.consumedSeconds, c.calendar),
  };
}

/** Seconds used so far, including the running stretch up to `now`. */
export function usedSeconds(c: ClockTiming, now: Date): number {
  return c.consumedSeconds + (c.runningSince ? countedSeconds(c.runningSince, now, c.calendar) : 0);
}

/** ok, at risk (past the warning share) or breached (past the target), for a clock at `now`. */
export function health(c: ClockTiming, now: Date, breachedAt: Date | null): 'ok' | 'at_risk' | 'breached' {
  if (breachedAt) return 'breached';
  const used = usedSeconds(c, now);
  const target = c.targetMinutes * 60;
  if (used >= target) return 'breached';
  if (used >= Math.floor((target * c.warnPercent) / 100)) return 'at_risk';
  return 'ok';
}
