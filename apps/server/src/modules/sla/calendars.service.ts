import type {
  AddHolidayBody,
  BusinessCalendar,
  CalendarAssignmentTarget,
  CalendarHoliday,
  CreateCalendarBody,
  ImportHolidaysBody,
  UpdateCalendarBody,
  WeeklyShifts,
} from '@seva/contracts';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import { businessCalendars, calendarAssignments, calendarHolidays, ticketSlaClocks, type WeeklyHours } from '../../platform/db/schema/index.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import { isoDate, parseClock } from './business-time.ts';
import { reschedule } from './sla-clocks.ts';

type CalendarRow = typeof businessCalendars.$inferSelect;
type HolidayRow = typeof calendarHolidays.$inferSelect;

const pad = (n: number) => String(n).padStart(2, '0');
const clockText = (m: number) => `${pad(Math.floor(m / 60))}:${pad(m % 60)}`;

/** API shifts ("09:00"–"13:00") → stored minutes, sorted; overlapping shifts on one day are refused. */
export function toStoredWeekly(weekly: WeeklyShifts): WeeklyHours {
  const out: WeeklyHours = {};
  for (const [day, shifts] of Object.entries(weekly) as Array<[keyof WeeklyHours, WeeklyShifts[keyof WeeklyShifts]]>) {
    const list = (shifts ?? []).map((s) => [parseClock(s.start), parseClock(s.end)] as [number, number]).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < list.length; i += 1) {
      const prev = list[i - 1];
      const cur = list[i];
      if (prev && cur && cur[0] < prev[1]) {
        throw new AppError('VALIDATION_FAILED', 'Shifts on one day must not overlap', {
          errors: [{ path: `body.weekly.${day}`, message: 'shifts overlap' }],
        });
      }
    }
    if (list.length > 0) out[day] = list;
  }
  return out;
}

function toApiWeekly(weekly: WeeklyHours): WeeklyShifts {
  const out: WeeklyShifts = {};
  for (const [day, shifts] of Object.entries(weekly) as Array<[keyof WeeklyHours, Array<[number, number]>]>) {
    out[day] = shifts.map(([s, e]) => ({ start: clockText(s), end: clockText(e) }));
  }
  return out;
}

function toHoliday(h: HolidayRow): CalendarHoliday {
  return { id: h.id, day: h.day, name: h.name, kind: h.kind as CalendarHoliday['kind'], source: h.source };
}

async function toDto(db: DbOrTx, c: CalendarRow): Promise<BusinessCalendar> {
  const holidays = await db.select().from(calendarHolidays).where(eq(calendarHolidays.calendarId, c.id)).orderBy(asc(calendarHolidays.day));
  const targets = await db.select().from(calendarAssignments).where(eq(calendarAssignments.calendarId, c.id));
  return {
    id: c.id,
    name: c.name,
    timeZone: c.timeZone,
    weekly: toApiWeekly(c.weekly),
    isDefault: c.isDefault,
    assignments: targets.map((a) => ({ kind: a.targetKind as CalendarAssignmentTarget['kind'], id: a.targetId })),
    holidays: holidays.map(toHoliday),
    updatedAt: c.updatedAt.toISOString(),
  };
}

async function calendarOrThrow(db: DbOrTx, id: string): Promise<CalendarRow> {
  const [c] = await db.select().from(businessCalendars).where(eq(businessCalendars.id, id));
  if (!c) throw notFound('Calendar');
  return c;
}

function nameTaken(): AppError {
  return new AppError('CONFLICT', 'A calendar with this name already exists', { errors: [{ path: 'body.name', message: 'already used' }] });
}

async function checkTargets(db: DbOrTx, targets: CalendarAssignmentTarget[]): Promise<void> {
  for (const [i, t] of targets.entries()) {
    if (t.kind === 'widget') continue; // widgets arrive with the chat issue; the link is kept for them
    const table = t.kind === 'team' ? sql`teams` : sql`mailboxes`;
    const r = await db.execute(sql`SELECT 1 FROM ${table} WHERE id = ${t.id}`);
    if (r.rows.length === 0) {
      throw new AppError('VALIDATION_FAILED', `No such ${t.kind}`, { errors: [{ path: `body.assignments.${i}.id`, message: `no such ${t.kind}` }] });
    }
  }
}

async function saveAssignments(db: DbOrTx, calendarId: string, targets: CalendarAssignmentTarget[]): Promise<void> {
  await checkTargets(db, targets);
  await db.delete(calendarAssignments).where(eq(calendarAssignments.calendarId, calendarId));
  for (const t of targets) {
    await db
      .insert(calendarAssignments)
      .values({ calendarId, targetKind: t.kind, targetId: t.id })
      .onConflictDoUpdate({ target: [calendarAssignments.targetKind, calendarAssignments.targetId], set: { calendarId } });
  }
}

/** Clocks counting in this calendar get new due times (hours, holidays or the zone changed). */
async function rescheduleCalendarTickets(db: DbOrTx, calendarId: string, now: Date): Promise<void> {
  const r = await db
    .selectDistinct({ ticketId: ticketSlaClocks.ticketId })
    .from(ticketSlaClocks)
    .where(and(eq(ticketSlaClocks.calendarId, calendarId), sql`${ticketSlaClocks.metAt} IS NULL`));
  for (const { ticketId } of r) await reschedule(db, ticketId, now);
}

export async function listCalendars(db: DbOrTx): Promise<BusinessCalendar[]> {
  const rows = await db.select().from(businessCalendars).orderBy(asc(businessCalendars.name));
  return Promise.all(rows.map((c) => toDto(db, c)));
}

export async function getCalendar(db: DbOrTx, id: string): Promise<BusinessCalendar> {
  return toDto(db, await calendarOrThrow(db, id));
}

export async function createCalendar(tx: DbOrTx, input: { actor: Actor; body: CreateCalendarBody; now: Date }): Promise<BusinessCalendar> {
  const { body, now } = input;
  const [dup] = await tx.select({ id: businessCalendars.id }).from(businessCalendars).where(sql`lower(${businessCalendars.name}) = lower(${body.name})`);
  if (dup) throw nameTaken();
  if (body.isDefault) await tx.update(businessCalendars).set({ isDefault: false }).where(eq(businessCalendars.isDefault, true));
  const [c] = await tx
    .insert(businessCalendars)
    .values({ name: body.name, timeZone: body.timeZone, weekly: toStoredWeekly(body.weekly), isDefault: body.isDefault ?? false, createdAt: now, updatedAt: now })
    .returning();
  if (!c) throw new Error('calendar insert returned nothing');
  if (body.assignments) await saveAssignments(tx, c.id, body.assignments);
  await recordEvent(tx, { type: 'sla.calendar_created', actor: input.actor, payload: { calendarId: c.id, name: c.name }, at: now });
  return toDto(tx, c);
}

export async function updateCalendar(tx: DbOrTx, input: { actor: Actor; id: string; body: UpdateCalendarBody; now: Date }): Promise<BusinessCalendar> {
  const { body, now } = input;
  const c = await calendarOrThrow(tx, input.id);
  if (body.name && body.name.toLowerCase() !== c.name.toLowerCase()) {
    const [dup] = await tx.select({ id: businessCalendars.id }).from(businessCalendars).where(sql`lower(${businessCalendars.name}) = lower(${body.name})`);
    if (dup) throw nameTaken();
  }
  if (body.isDefault) await tx.update(businessCalendars).set({ isDefault: false }).where(eq(businessCalendars.isDefault, true));
  const [u] = await tx
    .update(businessCalendars)
    .set({
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.timeZone !== undefined ? { timeZone: body.timeZone } : {}),
      ...(body.weekly !== undefined ? { weekly: toStoredWeekly(body.weekly) } : {}),
      ...(body.isDefault !== undefined ? { isDefault: body.isDefault } : {}),
      updatedAt: now,
    })
    .where(eq(businessCalendars.id, c.id))
    .returning();
  if (!u) throw notFound('Calendar');
  if (body.assignments) await saveAssignments(tx, c.id, body.assignments);
  await recordEvent(tx, { type: 'sla.calendar_updated', actor: input.actor, payload: { calendarId: c.id, changed: Object.keys(body) }, at: now });
  await rescheduleCalendarTickets(tx, c.id, now);
  return toDto(tx, u);
}

export async function deleteCalendar(tx: DbOrTx, input: { actor: Actor; id: string; now: Date }): Promise<void> {
  const c = await calendarOrThrow(tx, input.id);
  const affected = await tx
    .selectDistinct({ ticketId: ticketSlaClocks.ticketId })
    .from(ticketSlaClocks)
    .where(and(eq(ticketSlaClocks.calendarId, c.id), sql`${ticketSlaClocks.metAt} IS NULL`));
  await tx.delete(businessCalendars).where(eq(businessCalendars.id, c.id));
  // clocks that counted in it now count around the clock (their calendar_id was set null)
  for (const { ticketId } of affected) await reschedule(tx, ticketId, input.now);
  await recordEvent(tx, { type: 'sla.calendar_deleted', actor: input.actor, payload: { calendarId: c.id, name: c.name }, at: input.now });
}

export async function addHoliday(tx: DbOrTx, input: { actor: Actor; id: string; body: AddHolidayBody; now: Date }): Promise<CalendarHoliday> {
  const c = await calendarOrThrow(tx, input.id);
  const [h] = await tx
    .insert(calendarHolidays)
    .values({ calendarId: c.id, day: input.body.day, name: input.body.name, kind: input.body.kind, source: 'manual', createdAt: input.now })
    .onConflictDoNothing()
    .returning();
  if (!h) {
    throw new AppError('CONFLICT', 'This day is already a holiday or closure in this calendar', {
      errors: [{ path: 'body.day', message: 'already closed' }],
    });
  }
  await rescheduleCalendarTickets(tx, c.id, input.now);
  return toHoliday(h);
}

export async function deleteHoliday(tx: DbOrTx, input: { id: string; holidayId: string; now: Date }): Promise<void> {
  const gone = await tx
    .delete(calendarHolidays)
    .where(and(eq(calendarHolidays.id, input.holidayId), eq(calendarHolidays.calendarId, input.id)))
    .returning({ id: calendarHolidays.id });
  if (gone.length === 0) throw notFound('Holiday');
  await rescheduleCalendarTickets(tx, input.id, input.now);
}

/** Local days a holiday of the library covers (multi-day holidays such as Eid come as one entry of 72 hours). */
function holidayDays(date: string, start: Date, end: Date): string[] {
  const [y, m, d] = date.slice(0, 10).split('-').map(Number) as [number, number, number];
  const count = Math.max(1, Math.round((end.getTime() - start.getTime()) / 86_400_000));
  const out: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const day = new Date(Date.UTC(y, m - 1, d + i));
    out.push(isoDate(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()));
  }
  return out;
}

/** Public holidays of a country (and region) for a year, from the maintained date-holidays data; existing days stay. */
export async function importHolidays(
  tx: DbOrTx,
  input: { actor: Actor; id: string; body: ImportHolidaysBody; now: Date },
): Promise<{ added: number; skipped: number; holidays: CalendarHoliday[] }> {
  const c = await calendarOrThrow(tx, input.id);
  const { country, region, year, includeOptional } = input.body;
  // loaded when first used: its data for every country takes ~0.25 s to load, a tenth of start-up
  const { default: Holidays } = await import('date-holidays');
  if (region && !Object.keys(new Holidays().getStates(country) ?? {}).includes(region.toUpperCase())) {
    throw new AppError('VALIDATION_FAILED', `The holiday list has no region ${region} for ${country}`, {
      errors: [{ path: 'body.region', message: 'unknown region' }],
    });
  }
  const lib = region ? new Holidays(country, region.toUpperCase()) : new Holidays(country);
  lib.setLanguages('en');
  const wanted = new Set(includeOptional ? ['public', 'bank', 'optional'] : ['public']);
  const list = (lib.getHolidays(year) || []).filter((h) => wanted.has(h.type));
  const source = `import:${country}${region ? `-${region}` : ''}`;
  let added = 0;
  let skipped = 0;
  const rows: CalendarHoliday[] = [];
  for (const h of list) {
    for (const day of holidayDays(h.date, h.start, h.end)) {
      if (!day.startsWith(String(year))) continue;
      const [row] = await tx
        .insert(calendarHolidays)
        .values({ calendarId: c.id, day, name: h.name, kind: 'holiday', source, createdAt: input.now })
        .onConflictDoNothing()
        .returning();
      if (row) {
        added += 1;
        rows.push(toHoliday(row));
      } else skipped += 1;
    }
  }
  await recordEvent(tx, { type: 'sla.holidays_imported', actor: input.actor, payload: { calendarId: c.id, country, region: region ?? null, year, added }, at: input.now });
  await rescheduleCalendarTickets(tx, c.id, input.now);
  return { added, skipped, holidays: rows };
}
