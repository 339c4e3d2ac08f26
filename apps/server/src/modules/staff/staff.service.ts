import { sql } from 'drizzle-orm';
import type { Deps } from '../../platform/deps.ts';
import { staffUsers } from '../../platform/db/schema/index.ts';
import { AppError } from '../../platform/errors.ts';
import { hashPassword, MIN_PASSWORD_LENGTH } from '../../platform/auth/passwords.ts';
import type { StaffRole } from '../../platform/auth/permissions.ts';
import { recordEvent } from '../../platform/events.ts';
import type { Actor } from '../../platform/auth/permissions.ts';

export interface CreateStaffInput {
  actor: Actor;
  email: string;
  name: string;
  role: StaffRole;
  password: string;
  locale?: string;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function createStaffUser(deps: Pick<Deps, 'db'>, input: CreateStaffInput) {
  const email = normaliseEmail(input.email);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    throw new AppError('VALIDATION_FAILED', 'The email address is not valid', {
      errors: [{ path: 'email', message: 'not a valid email address' }],
    });
  }
  if (input.password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError('VALIDATION_FAILED', `The password needs at least ${MIN_PASSWORD_LENGTH} characters`, {
      errors: [{ path: 'password', message: `at least ${MIN_PASSWORD_LENGTH} characters` }],
    });
  }
  const passwordHash = await hashPassword(input.password);
  return deps.db.transaction(async (tx) => {
    const existing = await tx.execute(sql`SELECT 1 FROM staff_users WHERE lower(email) = ${email}`);
    if (existing.rows.length > 0) throw new AppError('ALREADY_EXISTS', 'A staff member with this email already exists');
    const [user] = await tx
      .insert(staffUsers)
      .values({ email, name: input.name.trim(), role: input.role, passwordHash, status: 'active', locale: input.locale ?? 'en' })
      .returning();
    if (!user) throw new Error('insert returned nothing');
    await recordEvent(tx, { type: 'staff.created', actor: input.actor, payload: { userId: user.id, role: user.role } });
    return user;
  });
}
