import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { staffUsers, teams } from '../../platform/db/schema/index.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import type { Occurrence } from './shift-occurrences.ts';

/** What every change to the rota checks: the person and team exist, the order of times, the per-person lock, clashes. */

export const invalid = (path: string, message: string) =>
  new AppError('VALIDATION_FAILED', message, { errors: [{ path, message }] });

/** Changes to one person's rota queue here (to the end of the transaction), so two overlapping writes cannot both pass. */
export async function lockRota(tx: DbOrTx, userId: string): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`seva.rota:${userId}`}))`);
}

export async function requirePerson(tx: DbOrTx, userId: string): Promise<void> {
  const [u] = await tx.select({ id: staffUsers.id }).from(staffUsers).where(eq(staffUsers.id, userId));
  if (!u) throw notFound('Person');
}

export async function requireTeam(tx: DbOrTx, teamId: string | null | undefined): Promise<void> {
  if (!teamId) return;
  const [t] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId));
  if (!t) throw invalid('body.teamId', 'no such team');
}

export function checkOrder(startsAt: Date, endsAt: Date, what: string): void {
  if (endsAt <= startsAt) throw invalid('body.endsAt', `${what} ends after it starts`);
}

const pgArray = (dates: readonly Date[]) => `{${dates.map((d) => d.toISOString()).join(',')}}`;

interface ClashRow {
  id: string;
  starts_at: string;
  ends_at: string;
  [key: string]: unknown;
}

export function clash(what: 'time off' | 'duty shift', row: ClashRow): AppError {
  const startsAt = new Date(row.starts_at).toISOString();
  const endsAt = new Date(row.ends_at).toISOString();
  const message = `This overlaps their ${what} from ${startsAt} to ${endsAt}; change or cancel that one first`;
  return new AppError('CONFLICT', message, {
    errors: [{ path: 'body.startsAt', message }],
    details: { reason: 'overlap', conflictId: row.id, startsAt, endsAt },
  });
}

/** The first of the person's time off (other than `exceptId`) that overlaps one of the periods, if any. */
export async function timeOffClash(
  tx: DbOrTx,
  userId: string,
  periods: readonly Occurrence[],
  exceptId: string | null,
) {
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
export async function shiftClash(
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
