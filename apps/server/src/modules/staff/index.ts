import type { FastifyInstance } from 'fastify';
import { settingsRoutes } from './settings.routes.ts';
import { staffRoutes } from './staff.routes.ts';

/** The staff module: staff members, invitations, one's own profile, and desk settings. */
export async function staffModule(app: FastifyInstance): Promise<void> {
  await app.register(staffRoutes);
  await app.register(settingsRoutes);
}

export { DEFAULT_SETTINGS, type DeskSettings, getSettings } from './settings.service.ts';
export { toStaffUserDto } from './staff.dto.ts';
export { lockStaffRoster } from './staff.locks.ts';
export {
  countActiveAdmins,
  countStaff,
  findStaffRow,
  findStaffRowByEmail,
  type StaffRowWithTeams,
} from './staff.repository.ts';
export {
  acceptInvitation,
  assertPasswordStrength,
  createStaffUser,
  getStaff,
  INVITATION_TTL_MS,
  normaliseEmail,
} from './staff.service.ts';
