import type { StaffRole, StaffStatus } from '@seva/contracts';

/** Roles and statuses as the admin screens show them (mirrors packages/contracts). */
export const ROLES = ['admin', 'supervisor', 'agent', 'collaborator'] as const satisfies readonly StaffRole[];

export const ROLE_COLOR: Record<StaffRole, string> = {
  admin: 'red',
  supervisor: 'violet',
  agent: 'teal',
  collaborator: 'gray',
};
export const STATUS_COLOR: Record<StaffStatus, string> = { invited: 'yellow', active: 'green', disabled: 'gray' };

/** Filters staff by a free-text query over name and email (case- and accent-insensitive enough for names). */
export function matchesStaff(user: { name: string; email: string }, query: string): boolean {
  const q = query.trim().toLocaleLowerCase();
  if (!q) return true;
  return user.name.toLocaleLowerCase().includes(q) || user.email.toLocaleLowerCase().includes(q);
}

/** True when `userId` is the only active admin left, so demoting or disabling them would lock everyone out. */
export function isLastActiveAdmin(
  staff: readonly { id: string; role: string; status: string }[],
  userId: string,
): boolean {
  const admins = staff.filter((s) => s.role === 'admin' && s.status === 'active');
  return admins.length === 1 && admins[0]?.id === userId;
}
