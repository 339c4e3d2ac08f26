import {
  type DutyShiftSeries,
  type DutyShiftSeriesBody,
  seriesProblem,
  type UpdateDutyShiftSeriesBody,
} from '@seva/contracts';
import { and, eq, gt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { dutyShiftSeries, dutyShifts } from '../../platform/db/schema/index.ts';
import { notFound } from '../../platform/errors.ts';
import { clash, invalid, lockRota, requirePerson, requireTeam, shiftClash } from './rota-checks.ts';
import { shiftOccurrences } from './shift-occurrences.ts';

/**
 * Repeating duty shifts: a series (weekdays, times in a zone, first and last day) written out as ordinary duty_shifts
 * rows, so availability (routing, chat offers) reads one table and needs no knowledge of repetition.
 */

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
