import type { DutyShift, TimeOffEntry, UpdateDutyShiftBody, UpdateTimeOffBody } from '@seva/contracts';
import { and, asc, eq, gt, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { dutyShifts, staffTimeOff, staffUsers, teams } from '../../platform/db/schema/index.ts';
import { notFound } from '../../platform/errors.ts';
import { checkOrder, clash, lockRota, requirePerson, requireTeam, shiftClash, timeOffClash } from './rota-checks.ts';

/**
 * The rota: time off (no routed work) and duty shifts (people outside support take work then), one-off or repeating.
 * A person's periods of one kind never overlap: each change takes a per-person lock, then looks for a clash (409).
 * A repeating shift writes its occurrences out as duty_shifts rows, so availability (routing, chat offers) reads
 * one table and needs no knowledge of repetition.
 */

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
