import { asc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { staffUsers, teamMembers } from '../../platform/db/schema/index.ts';

export type StaffRow = typeof staffUsers.$inferSelect;

export interface StaffRowWithTeams extends StaffRow {
  teamIds: string[];
}

async function withTeams(db: DbOrTx, rows: StaffRow[]): Promise<StaffRowWithTeams[]> {
  if (rows.length === 0) return [];
  const memberships = await db
    .select({ userId: teamMembers.userId, teamId: teamMembers.teamId })
    .from(teamMembers)
    .where(
      inArray(
        teamMembers.userId,
        rows.map((r) => r.id),
      ),
    );
  const byUser = new Map<string, string[]>();
  for (const m of memberships) byUser.set(m.userId, [...(byUser.get(m.userId) ?? []), m.teamId]);
  return rows.map((r) => ({ ...r, teamIds: (byUser.get(r.id) ?? []).sort() }));
}

export async function listStaffRows(db: DbOrTx, where?: SQL): Promise<StaffRowWithTeams[]> {
  const rows = await db
    .select()
    .from(staffUsers)
    .where(where)
    .orderBy(asc(sql`lower(${staffUsers.name})`), asc(staffUsers.id));
  return withTeams(db, rows);
}

export async function findStaffRow(db: DbOrTx, id: string): Promise<StaffRowWithTeams | null> {
  const rows = await db.select().from(staffUsers).where(eq(staffUsers.id, id));
  const [row] = await withTeams(db, rows);
  return row ?? null;
}

/** Locks the row for the rest of the transaction. */
export async function lockStaffRow(db: DbOrTx, id: string): Promise<StaffRow | null> {
  const rows = await db.select().from(staffUsers).where(eq(staffUsers.id, id)).for('update');
  return rows[0] ?? null;
}

export async function findStaffRowByEmail(db: DbOrTx, normalisedEmail: string): Promise<StaffRow | null> {
  const rows = await db.select().from(staffUsers).where(sql`lower(${staffUsers.email}) = ${normalisedEmail}`);
  return rows[0] ?? null;
}

export async function countActiveAdmins(db: DbOrTx, excludingId?: string): Promise<number> {
  const r = await db.execute<{ n: number }>(
    excludingId
      ? sql`SELECT count(*)::int AS n FROM staff_users WHERE role = 'admin' AND status = 'active' AND id <> ${excludingId}`
      : sql`SELECT count(*)::int AS n FROM staff_users WHERE role = 'admin' AND status = 'active'`,
  );
  return Number(r.rows[0]?.n ?? 0);
}

export async function countStaff(db: DbOrTx): Promise<number> {
  const r = await db.execute<{ n: number }>(sql`SELECT count(*)::int AS n FROM staff_users`);
  return Number(r.rows[0]?.n ?? 0);
}
