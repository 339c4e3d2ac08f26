/** What an SLA countdown shows: its tone and the time left (or overdue), split into days, hours and minutes. */
export type SlaTone = 'ok' | 'at_risk' | 'breached';

export interface Countdown {
  tone: SlaTone;
  overdue: boolean;
  days: number;
  hours: number;
  minutes: number;
}

/**
 * The countdown to `dueAt` at `now`. The server's state says when a clock is at risk (the warning share of its
 * target); passing the due time turns it breached here at once, without waiting for the server.
 */
export function countdown(dueAt: string, serverState: SlaTone | null, now: number): Countdown {
  const left = new Date(dueAt).getTime() - now;
  // the server saw the breach first (this browser's clock runs behind): show it as just overdue
  const overdue = left <= 0 || serverState === 'breached';
  const tone: SlaTone = overdue ? 'breached' : serverState === 'at_risk' ? 'at_risk' : 'ok';
  // count whole minutes towards the due time: 59 s left still shows "1 m"
  const totalMinutes = overdue ? Math.max(0, Math.floor(-left / 60000)) : Math.ceil(left / 60000);
  return {
    tone,
    overdue,
    days: Math.floor(totalMinutes / 1440),
    hours: Math.floor((totalMinutes % 1440) / 60),
    minutes: totalMinutes % 60,
  };
}

/** The two largest units that matter: "2 d 3 h", "3 h 5 m", "5 m". */
export function durationParts(c: Pick<Countdown, 'days' | 'hours' | 'minutes'>): Array<{ unit: 'd' | 'h' | 'm'; value: number }> {
  if (c.days > 0) return [{ unit: 'd', value: c.days }, ...(c.hours > 0 ? [{ unit: 'h' as const, value: c.hours }] : [])];
  if (c.hours > 0) return [{ unit: 'h', value: c.hours }, ...(c.minutes > 0 ? [{ unit: 'm' as const, value: c.minutes }] : [])];
  return [{ unit: 'm', value: c.minutes }];
}

export const TONE_COLOR: Record<SlaTone, string> = { ok: 'teal', at_risk: 'orange', breached: 'red' };
