import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { businessCalendars, calendarHolidays, type WeeklyHours } from '../../platform/db/schema/index.ts';
import type { Calendar } from './business-time.ts';

/** The arithmetic's view of a stored calendar: weekly shifts by weekday number plus every holiday and closure. */
export function toCalendar(timeZone: string, weekly: WeeklyHours, closedDays: string[]): Calendar {
  const w: Calendar['weekly'] = {};
  for (const [day, shifts] of Object.entries(weekly)) w[Number(day)] = shifts ?? [];
  return { timeZone, weekly: w, closed: new Set(closedDays) };
}

export async function loadCalendar(db: DbOrTx, calendarId: string): Promise<Calendar | null> {
  const [cal] = await db.select().from(businessCalendars).where(eq(businessCalendars.id, calendarId));
  if (!cal) return null;
  const days = await db
    .select({ day: calendarHolidays.day })
    .from(calendarHolidays)
    .where(eq(calendarHolidays.calendarId, calendarId));
  return toCalendar(
    cal.timeZone,
    cal.weekly,
    days.map((d) => d.day),
  );
}

/**
 * Which calendar a ticket works to: the policy's own, else its team's, else its mailbox's, else its widget's (a
 * chat), else the default one;
 * null when the desk has none (then business-hours targets count around the clock).
 */
export async function resolveCalendarId(
  db: DbOrTx,
  ticketId: string,
  policyCalendarId: string | null,
): Promise<string | null> {
  if (policyCalendarId) return policyCalendarId;
  const r = await db.execute<{ id: string }>(sql`
    SELECT coalesce(
      (SELECT ca.calendar_id FROM calendar_assignments ca WHERE ca.target_kind = 'team' AND ca.target_id = t.team_id),
      (SELECT ca.calendar_id FROM calendar_assignments ca JOIN email_threads et ON et.mailbox_id = ca.target_id
        WHERE ca.target_kind = 'mailbox' AND et.ticket_id = t.id),
      (SELECT ca.calendar_id FROM calendar_assignments ca JOIN chat_sessions cs ON cs.widget_id = ca.target_id
        WHERE ca.target_kind = 'widget' AND cs.ticket_id = t.id),
      (SELECT bc.id FROM business_calendars bc WHERE bc.is_default)
    ) AS id
    FROM tickets t WHERE t.id = ${ticketId}`);
  return r.rows[0]?.id ?? null;
}
