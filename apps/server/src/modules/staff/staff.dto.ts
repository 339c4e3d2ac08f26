import type { StaffUser } from '@seva/contracts';
import type { StaffRowWithTeams } from './staff.repository.ts';

/** The wire shape of a staff member: never the password hash or invitation token. */
export function toStaffUserDto(row: StaffRowWithTeams): StaffUser {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role as StaffUser['role'],
    status: row.status as StaffUser['status'],
    locale: row.locale,
    teamIds: row.teamIds,
    createdAt: row.createdAt.toISOString(),
    lastLoginAt: row.lastLoginAt ? row.lastLoginAt.toISOString() : null,
  };
}
