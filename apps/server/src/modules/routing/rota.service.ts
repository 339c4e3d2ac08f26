import {
  type DutyShift,
  type DutyShiftSeries,
  type DutyShiftSeriesBody,
  seriesProblem,
  type TimeOffEntry,
  type UpdateDutyShiftBody,
  type UpdateDutyShiftSeriesBody,
  type UpdateTimeOffBody,
} from '@seva/contracts';
import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { dutyShiftSeries, dutyShifts, staffTimeOff, staffUsers, teams } from '../../platform/db/schema/index.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { type Occurrence, shiftOccurrences } from './shift-occurrences.ts';

/**
 * The rota: time off (no routed work) and duty shifts (people outside support take work then), one-off or repeating.
 * A person's periods of one kind never overlap: each change takes a per-person lock, then looks for a clash (409).
 * A repeating shift writes its occurrences out as duty_shifts rows, so availability (routing, chat offers) reads
 * one table and needs no knowledge of repetition.
 */

const invalid = (path: string, message: string) =>
  new AppError('VALIDATION_FAILED', message, { errors: [{ path, message }] });

/** Changes to one person's rota queue here (to the end of the transaction), so two overlapping writes cannot both pass. */
async function lockRota(tx: DbOrTx, userId: string): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`seva.rota:${userId}`}))`);
}

async function requirePerson(tx: DbOrTx, userId: string): Promise<void> {
  const [u] = await tx.select({ id: staffUsers.id }).from(staffUsers).where(eq(staffUsers.id, userId));
  if (!u) throw notFound('Person');
}

async function requireTeam(tx: DbOrTx, teamId: string | null | undefined): Promise<void> {
  if (!teamId) return;
  const [t] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId));
  if (!t) throw invalid('body.teamId', 'no such team');
}

function checkOrder(startsAt: Date, endsAt: Date, what: string): void {
  if (endsAt <= startsAt) throw invalid('body.endsAt', `${what} ends after it starts`);
}

const pgArray = (dates: readonly Date[]) => `{${dates.map((d) => d.toISOString()).join(',')}}`;

interface ClashRow {
  id: string;
  starts_at: string;
  ends_at: string;
  [key: string]: unknown;
}

function clash(what: 'time off' | 'duty shift', row: ClashRow): AppError {
  const startsAt = new Date(row.starts_at).toISOString();
  const endsAt = new Date(row.ends_at).toISOString();
  const message = `This overlaps their ${what} from ${startsAt} to ${endsAt}; change or cancel that one first`;
  return new AppError('CONFLICT', message, {
    errors: [{ path: 'body.startsAt', message }],
    details: { reason: 'overlap', conflictId: row.id, startsAt, endsAt },
  });
}

/** The first of the person's time off (other than `exceptId`) that overlaps one of the periods, if any. */
async function timeOffClash(tx: DbOrTx, userId: string, periods: readonly Occurrence[], exceptId: string | null) {
  const r = await tx.execute<ClashRow>(sql`
    SELECT o.id, o.starts_at, o.ends_at
      FROM staff_time_off o
      JOIN unnest(${pgArray(periods.map((p) => p.startsAt))}::timestamptz[], ${pgArray(periods.map((p) => p.endsAt))}::timestamptz[]) AS p(s, e)
        ON o.starts_at < p.e AND p.s < o.ends_at
     WHERE o.user_id = ${userId} AND o.id IS DISTINCT FROM ${exceptId}::uuid
     ORDER BY o.starts_at LIMIT 1`);
  return r.rows[0] ?? null;
}

/** The first of the person's duty shifts (other than `exceptId` and the occurrences of `exceptSeriesId`) that overlaps. */
async function shiftClash(
  tx: DbOrTx,
  userId: string,
  periods: readonly Occurrence[],
  except: { id?: string; seriesId?: string },
) {
  if (periods.length === 0) return null;
  const r = await tx.execute<ClashRow>(sql`
    SELECT d.id, d.starts_at, d.ends_at
      FROM duty_shifts d
      JOIN unnest(${pgArray(periods.map((p) => p.startsAt))}::timestamptz[], ${pgArray(periods.map((p) => p.endsAt))}::timestamptz[]) AS p(s, e)
        ON d.starts_at < p.e AND p.s < d.ends_at
     WHERE d.user_id = ${userId} AND d.id IS DISTINCT FROM ${except.id ?? null}::uuid
       AND (${except.seriesId ?? null}::uuid IS NULL OR d.series_id IS DISTINCT FROM ${except.seriesId ?? null}::uuid)
     ORDER BY d.starts_at LIMIT 1`);
  return r.rows[0] ?? null;
}

// ---- time off ----

const timeOffColumns = {
  id: staffTimeOff.id,
  userId: staffTimeOff.userId,
  name: staffUsers.name,
  startsAt: staffTimeOff.startsAt,
  endsAt: staffTimeOff.endsAt,
  note: staffTimeOff.note,
};

async function timeOffEntry(db: DbOrTx, id: string): Promise<TimeOffEntry> {
  const [r] = await db
    .select(timeOffColumns)
    .from(staffTimeOff)
    .innerJoin(staffUsers, eq(staffUsers.id, staffTimeOff.userId))
    .where(eq(staffTimeOff.id, id));
  if (!r) throw notFound('Time off');
  return { ...r, startsAt: r.startsAt.toISOString(), endsAt: r.endsAt.toISOString() };
}

export async function addTimeOff(
  tx: DbOrTx,
  userId: string,
  b: { startsAt: string; endsAt: string; note?: string | undefined },
): Promise<TimeOffEntry> {
  await requirePerson(tx, userId);
  const period = { startsAt: new Date(b.startsAt), endsAt: new Date(b.endsAt) };
  checkOrder(period.startsAt, period.endsAt, 'time off');
  await lockRota(tx, userId);
  const other = await timeOffClash(tx, userId, [period], null);
  if (other) throw clash('time off', other);
  const [r] = await tx
    .insert(staffTimeOff)
    .values({ userId, ...period, note: b.note ?? '' })
    .returning({ id: staffTimeOff.id });
  return timeOffEntry(tx, (r as { id: string }).id);
}

/** Moves or re-notes time off; the person stays. */
export async function updateTimeOff(tx: DbOrTx, id: string, b: UpdateTimeOffBody): Promise<TimeOffEntry> {
  const [cur] = await tx.select().from(staffTimeOff).where(eq(staffTimeOff.id, id));
  if (!cur) throw notFound('Time off');
  await lockRota(tx, cur.userId);
  const period = {
    startsAt: b.startsAt ? new Date(b.startsAt) : cur.startsAt,
    endsAt: b.endsAt ? new Date(b.endsAt) : cur.endsAt,
  };
  checkOrder(period.startsAt, period.endsAt, 'time off');
  const other = await timeOffClash(tx, cur.userId, [period], id);
  if (other) throw clash('time off', other);
  await tx
    .update(staffTimeOff)
    .set({ ...period, ...(b.note !== undefined ? { note: b.note } : {}) })
    .where(eq(staffTimeOff.id, id));
  return timeOffEntry(tx, id);
}

/** Time off that has not ended yet, soonest first, with the person's name. */
export async function listTimeOff(db: DbOrTx, now: Date): Promise<TimeOffEntry[]> {
  const rows = await db
    .select(timeOffColumns)
    .from(staffTimeOff)
    .innerJoin(staffUsers, eq(staffUsers.id, staffTimeOff.userId))
    .where(gt(staffTimeOff.endsAt, now))
    .orderBy(asc(staffTimeOff.startsAt), asc(staffUsers.name))
    .limit(500);
  return rows.map((r) => ({ ...r, startsAt: r.startsAt.toISOString(), endsAt: r.endsAt.toISOString() }));
}

export async function deleteTimeOff(tx: DbOrTx, id: string): Promise<void> {
  const gone = await tx.delete(staffTimeOff).where(eq(staffTimeOff.id, id)).returning({ id: staffTimeOff.id });
  if (gone.length === 0) throw notFound('Time off');
}

// ---- duty shifts (one-off, and single occurrences of repeating ones) ----

const shiftColumns = {
  id: dutyShifts.id,
  userId: dutyShifts.userId,
  name: staffUsers.name,
  teamId: dutyShifts.teamId,
  teamName: teams.name,
  startsAt: dutyShifts.startsAt,
  endsAt: dutyShifts.endsAt,
  note: dutyShifts.note,
  seriesId: dutyShifts.seriesId,
};

function shiftDto(r: {
  id: string;
  userId: string;
  name: string;
  teamId: string | null;
  teamName: string | null;
  startsAt: Date;
  endsAt: Date;
  note: string;
  seriesId: string | null;
}): DutyShift {
  return {
    ...r,
    teamName: r.teamName ?? null,
    startsAt: r.startsAt.toISOString(),
    endsAt: r.endsAt.toISOString(),
  };
}

async function dutyShift(db: DbOrTx, id: string): Promise<DutyShift> {
  const [r] = await db
    .select(shiftColumns)
    .from(dutyShifts)
    .innerJoin(staffUsers, eq(staffUsers.id, dutyShifts.userId))
    .leftJoin(teams, eq(teams.id, dutyShifts.teamId))
    .where(eq(dutyShifts.id, id));
  if (!r) throw notFound('Duty shift');
  return shiftDto(r);
}

export async function addDutyShift(
  tx: DbOrTx,
  b: {
    userId: string;
    teamId?: string | null | undefined;
    startsAt: string;
    endsAt: string;
    note?: string | undefined;
  },
): Promise<DutyShift> {
  await requirePerson(tx, b.userId);
  await requireTeam(tx, b.teamId);
  const period = { startsAt: new Date(b.startsAt), endsAt: new Date(b.endsAt) };
  checkOrder(period.startsAt, period.endsAt, 'a shift');
  await lockRota(tx, b.userId);
  const other = await shiftClash(tx, b.userId, [period], {});
  if (other) throw clash('duty shift', other);
  const [r] = await tx
    .insert(dutyShifts)
    .values({ userId: b.userId, teamId: b.teamId ?? null, ...period, note: b.note ?? '' })
    .returning({ id: dutyShifts.id });
  return dutyShift(tx, (r as { id: string }).id);
}

/** Moves one shift, or changes its team or note; an occurrence of a repeating shift stays in its series. */
export async function updateDutyShift(tx: DbOrTx, id: string, b: UpdateDutyShiftBody): Promise<DutyShift> {
  const [cur] = await tx.select().from(dutyShifts).where(eq(dutyShifts.id, id));
  if (!cur) throw notFound('Duty shift');
  if (b.teamId !== undefined) await requireTeam(tx, b.teamId);
  await lockRota(tx, cur.userId);
  const period = {
    startsAt: b.startsAt ? new Date(b.startsAt) : cur.startsAt,
    endsAt: b.endsAt ? new Date(b.endsAt) : cur.endsAt,
  };
  checkOrder(period.startsAt, period.endsAt, 'a shift');
  const other = await shiftClash(tx, cur.userId, [period], { id });
  if (other) throw clash('duty shift', other);
  await tx
    .update(dutyShifts)
    .set({
      ...period,
      ...(b.teamId !== undefined ? { teamId: b.teamId } : {}),
      ...(b.note !== undefined ? { note: b.note } : {}),
    })
    .where(eq(dutyShifts.id, id));
  return dutyShift(tx, id);
}

/** Duty shifts that have not ended yet, soonest first, with the person's and the team's names. */
export async function listDutyShifts(db: DbOrTx, now: Date, opts: { oneOff?: boolean } = {}): Promise<DutyShift[]> {
  const rows = await db
    .select(shiftColumns)
    .from(dutyShifts)
    .innerJoin(staffUsers, eq(staffUsers.id, dutyShifts.userId))
    .leftJoin(teams, eq(teams.id, dutyShifts.teamId))
    .where(and(gt(dutyShifts.endsAt, now), opts.oneOff ? isNull(dutyShifts.seriesId) : undefined))
    .orderBy(asc(dutyShifts.startsAt), asc(staffUsers.name))
    .limit(500);
  return rows.map(shiftDto);
}

export async function deleteDutyShift(tx: DbOrTx, id: string): Promise<void> {
  const gone = await tx.delete(dutyShifts).where(eq(dutyShifts.id, id)).returning({ id: dutyShifts.id });
  if (gone.length === 0) throw notFound('Duty shift');
}

// ---- repeating duty shifts ----

type SeriesRow = typeof dutyShiftSeries.$inferSelect;

async function seriesDto(db: DbOrTx, id: string, now: Date): Promise<DutyShiftSeries> {
  const [s] = await listShiftSeriesWhere(db, now, sql`s.id = ${id}`);
  if (!s) throw notFound('Repeating shift');
  return s;
}

async function listShiftSeriesWhere(db: DbOrTx, now: Date, where: ReturnType<typeof sql>): Promise<DutyShiftSeries[]> {
  const r = await db.execute<{
    id: string;
    user_id: string;
    name: string;
    team_id: string | null;
    team_name: string | null;
    weekdays: number[];
    start_time: string;
    end_time: string;
    time_zone: string;
    starts_on: string;
    until: string;
    note: string;
    next_starts_at: string | null;
    upcoming: number;
  }>(sql`
    SELECT s.id, s.user_id, u.name, s.team_id, t.name AS team_name, s.weekdays, s.start_time, s.end_time, s.time_zone,
           to_char(s.starts_on, 'YYYY-MM-DD') AS starts_on, to_char(s.until, 'YYYY-MM-DD') AS until, s.note,
           (SELECT min(d.starts_at) FROM duty_shifts d WHERE d.series_id = s.id AND d.ends_at > ${now.toISOString()}::timestamptz) AS next_starts_at,
           (SELECT count(*) FROM duty_shifts d WHERE d.series_id = s.id AND d.ends_at > ${now.toISOString()}::timestamptz)::int AS upcoming
      FROM duty_shift_series s JOIN staff_users u ON u.id = s.user_id LEFT JOIN teams t ON t.id = s.team_id
     WHERE ${where}
     ORDER BY u.name, s.starts_on, s.start_time`);
  return r.rows.map((x) => ({
    id: x.id,
    userId: x.user_id,
    name: x.name,
    teamId: x.team_id,
    teamName: x.team_name,
    weekdays: x.weekdays,
    startTime: x.start_time,
    endTime: x.end_time,
    timeZone: x.time_zone,
    startsOn: x.starts_on,
    until: x.until,
    note: x.note,
    nextStartsAt: x.next_starts_at ? new Date(x.next_starts_at).toISOString() : null,
    upcoming: x.upcoming,
  }));
}

/** Repeating shifts whose last day has not passed (in their own zone), by person. */
export async function listShiftSeries(db: DbOrTx, now: Date): Promise<DutyShiftSeries[]> {
  return listShiftSeriesWhere(
    db,
    now,
    sql`s.until >= (${now.toISOString()}::timestamptz AT TIME ZONE s.time_zone)::date`,
  );
}

/** The series' occurrences that have not ended by `now`: the ones written out (the past ones stay as they were). */
function comingOccurrences(
  s: Pick<SeriesRow, 'weekdays' | 'startTime' | 'endTime' | 'timeZone' | 'startsOn' | 'until'>,
  now: Date,
) {
  return shiftOccurrences(s).filter((o) => o.endsAt > now);
}

/** Replaces the series' occurrences that have not ended with those of its (new) definition, refusing overlaps. */
async function writeOccurrences(tx: DbOrTx, s: SeriesRow, now: Date): Promise<void> {
  const coming = comingOccurrences(s, now);
  const other = await shiftClash(tx, s.userId, coming, { seriesId: s.id });
  if (other) throw clash('duty shift', other);
  await tx.delete(dutyShifts).where(and(eq(dutyShifts.seriesId, s.id), gt(dutyShifts.endsAt, now)));
  if (coming.length > 0)
    await tx.insert(dutyShifts).values(
      coming.map((o) => ({
        userId: s.userId,
        teamId: s.teamId,
        startsAt: o.startsAt,
        endsAt: o.endsAt,
        note: s.note,
        seriesId: s.id,
      })),
    );
}

export async function addShiftSeries(tx: DbOrTx, b: DutyShiftSeriesBody, now: Date): Promise<DutyShiftSeries> {
  await requirePerson(tx, b.userId);
  await requireTeam(tx, b.teamId);
  const weekdays = [...new Set(b.weekdays)].sort((x, y) => x - y);
  if (comingOccurrences({ ...b, weekdays }, now).length === 0)
    throw invalid('body.until', 'no shift of this series is still to come: check the days and the weekdays');
  await lockRota(tx, b.userId);
  const [s] = await tx
    .insert(dutyShiftSeries)
    .values({
      userId: b.userId,
      teamId: b.teamId ?? null,
      weekdays,
      startTime: b.startTime,
      endTime: b.endTime,
      timeZone: b.timeZone,
      startsOn: b.startsOn,
      until: b.until,
      note: b.note ?? '',
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  if (!s) throw notFound('Repeating shift');
  await writeOccurrences(tx, s, now);
  return seriesDto(tx, s.id, now);
}

/**
 * Changes a repeating shift. Its occurrences that have not ended are written anew from the new definition (so changes
 * made to single future occurrences are replaced); those that have ended stay as they were.
 */
export async function updateShiftSeries(
  tx: DbOrTx,
  id: string,
  b: UpdateDutyShiftSeriesBody,
  now: Date,
): Promise<DutyShiftSeries> {
  const [cur] = await tx.select().from(dutyShiftSeries).where(eq(dutyShiftSeries.id, id));
  if (!cur) throw notFound('Repeating shift');
  if (b.teamId !== undefined) await requireTeam(tx, b.teamId);
  const next = {
    ...cur,
    ...(b.teamId !== undefined ? { teamId: b.teamId } : {}),
    ...(b.weekdays ? { weekdays: [...new Set(b.weekdays)].sort((x, y) => x - y) } : {}),
    ...(b.startTime ? { startTime: b.startTime } : {}),
    ...(b.endTime ? { endTime: b.endTime } : {}),
    ...(b.timeZone ? { timeZone: b.timeZone } : {}),
    ...(b.startsOn ? { startsOn: b.startsOn } : {}),
    ...(b.until ? { until: b.until } : {}),
    ...(b.note !== undefined ? { note: b.note } : {}),
    updatedAt: now,
  };
  const problem = seriesProblem(next);
  if (problem) throw invalid(`body.${problem.path}`, problem.message);
  await lockRota(tx, cur.userId);
  const [saved] = await tx
    .update(dutyShiftSeries)
    .set({
      teamId: next.teamId,
      weekdays: next.weekdays,
      startTime: next.startTime,
      endTime: next.endTime,
      timeZone: next.timeZone,
      startsOn: next.startsOn,
      until: next.until,
      note: next.note,
      updatedAt: now,
    })
    .where(eq(dutyShiftSeries.id, id))
    .returning();
  if (!saved) throw notFound('Repeating shift');
  await writeOccurrences(tx, saved, now);
  return seriesDto(tx, id, now);
}

/** Stops a repeating shift: its occurrences that have not ended go (a shift under way ends now); past ones stay as one-offs. */
export async function deleteShiftSeries(tx: DbOrTx, id: string, now: Date): Promise<void> {
  const [cur] = await tx
    .select({ userId: dutyShiftSeries.userId })
    .from(dutyShiftSeries)
    .where(eq(dutyShiftSeries.id, id));
  if (!cur) throw notFound('Repeating shift');
  await lockRota(tx, cur.userId);
  await tx.delete(dutyShifts).where(and(eq(dutyShifts.seriesId, id), gt(dutyShifts.endsAt, now)));
  await tx.delete(dutyShiftSeries).where(eq(dutyShiftSeries.id, id));
}
