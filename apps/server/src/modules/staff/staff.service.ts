import { credentialsChanged } from '../../platform/auth/credential-cache.ts';
import type { Locale, StaffRole as WireRole } from '@seva/contracts';
import { and, eq, gt, sql } from 'drizzle-orm';
import { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from '../../platform/auth/passwords.ts';
import type { Actor, StaffActor, StaffRole } from '../../platform/auth/permissions.ts';
import { deleteSessionsOfUser } from '../../platform/auth/sessions.ts';
import { newSecret, sha256Hex } from '../../platform/auth/tokens.ts';
import { staffUsers } from '../../platform/db/schema/index.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import { lockStaffRoster } from './staff.locks.ts';
import {
  countActiveAdmins,
  findStaffRow,
  findStaffRowByEmail,
  listStaffRows,
  lockStaffRow,
  type StaffRowWithTeams,
} from './staff.repository.ts';

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

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

function assertEmail(email: string): void {
  if (!EMAIL_RE.test(email)) {
    throw new AppError('VALIDATION_FAILED', 'The email address is not valid', {
      errors: [{ path: 'email', message: 'not a valid email address' }],
    });
  }
}

export function assertPasswordStrength(password: string, path = 'password'): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError('VALIDATION_FAILED', `The password needs at least ${MIN_PASSWORD_LENGTH} characters`, {
      errors: [{ path, message: `at least ${MIN_PASSWORD_LENGTH} characters` }],
    });
  }
}

/** Creates an active staff member with a password (the CLI's `seva admin create`, and first-run setup). */
export async function createStaffUser(deps: Pick<Deps, 'db'>, input: CreateStaffInput) {
  const email = normaliseEmail(input.email);
  assertEmail(email);
  assertPasswordStrength(input.password);
  const passwordHash = await hashPassword(input.password);
  return deps.db.transaction(async (tx) => {
    const existing = await tx.execute(sql`SELECT 1 FROM staff_users WHERE lower(email) = ${email}`);
    if (existing.rows.length > 0) throw new AppError('ALREADY_EXISTS', 'A staff member with this email already exists');
    const [user] = await tx
      .insert(staffUsers)
      .values({
        email,
        name: input.name.trim(),
        role: input.role,
        passwordHash,
        status: 'active',
        locale: input.locale ?? 'en',
      })
      .returning();
    if (!user) throw new Error('insert returned nothing');
    await recordEvent(tx, { type: 'staff.created', actor: input.actor, payload: { userId: user.id, role: user.role } });
    return user;
  });
}

export async function listStaff(deps: Pick<Deps, 'db'>): Promise<StaffRowWithTeams[]> {
  return listStaffRows(deps.db);
}

export async function getStaff(deps: Pick<Deps, 'db'>, userId: string): Promise<StaffRowWithTeams> {
  const row = await findStaffRow(deps.db, userId);
  if (!row) throw notFound('Staff member');
  return row;
}

// ---------------------------------------------------------------------------------------------------------------
// Invitations

export interface InviteStaffInput {
  actor: StaffActor;
  email: string;
  name: string;
  role: WireRole;
}

export interface InviteStaffResult {
  user: StaffRowWithTeams;
  /** the raw invitation token: goes into the invite link once, only its hash is stored */
  token: string;
  inviteUrl: string;
}

/**
 * Invites a staff member: status 'invited', a single-use token valid for 7 days.
 * Inviting an address that is still only invited sends a fresh invitation (the old link stops working).
 */
export async function inviteStaff(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: InviteStaffInput,
): Promise<InviteStaffResult> {
  const email = normaliseEmail(input.email);
  assertEmail(email);
  const now = deps.clock.now();
  const token = newSecret(32);
  const inviteTokenHash = sha256Hex(token);
  const inviteExpiresAt = new Date(now.getTime() + INVITATION_TTL_MS);
  const userId = await deps.db.transaction(async (tx) => {
    await lockStaffRoster(tx);
    const existing = await findStaffRowByEmail(tx, email);
    if (existing && existing.status !== 'invited') {
      throw new AppError('ALREADY_EXISTS', 'A staff member with this email already exists');
    }
    if (existing) {
      await tx
        .update(staffUsers)
        .set({ name: input.name.trim(), role: input.role, inviteTokenHash, inviteExpiresAt, updatedAt: now })
        .where(eq(staffUsers.id, existing.id));
      await recordEvent(tx, {
        type: 'staff.reinvited',
        actor: input.actor,
        payload: { userId: existing.id, role: input.role, expiresAt: inviteExpiresAt.toISOString() },
        at: now,
      });
      return existing.id;
    }
    const [user] = await tx
      .insert(staffUsers)
      .values({
        email,
        name: input.name.trim(),
        role: input.role,
        status: 'invited',
        passwordHash: null,
        inviteTokenHash,
        inviteExpiresAt,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: staffUsers.id });
    if (!user) throw new Error('insert returned nothing');
    await recordEvent(tx, {
      type: 'staff.invited',
      actor: input.actor,
      payload: { userId: user.id, role: input.role, expiresAt: inviteExpiresAt.toISOString() },
      at: now,
    });
    return user.id;
  });
  return { user: await getStaff(deps, userId), token, inviteUrl: `/invite/${token}` };
}

export interface AcceptInvitationInput {
  token: string;
  password: string;
  name?: string | undefined;
}

/** Sets the password of an invited staff member and activates them. Single use; expired links are refused. */
export async function acceptInvitation(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: AcceptInvitationInput,
): Promise<StaffRowWithTeams> {
  assertPasswordStrength(input.password);
  const passwordHash = await hashPassword(input.password);
  const now = deps.clock.now();
  const userId = await deps.db.transaction(async (tx) => {
    const [user] = await tx
      .update(staffUsers)
      .set({
        passwordHash,
        status: 'active',
        inviteTokenHash: null,
        inviteExpiresAt: null,
        lastLoginAt: now,
        updatedAt: now,
        ...(input.name?.trim() ? { name: input.name.trim() } : {}),
      })
      .where(
        and(
          eq(staffUsers.inviteTokenHash, sha256Hex(input.token)),
          eq(staffUsers.status, 'invited'),
          gt(staffUsers.inviteExpiresAt, now),
        ),
      )
      .returning({
        id: staffUsers.id,
        role: staffUsers.role,
        name: staffUsers.name,
        email: staffUsers.email,
        locale: staffUsers.locale,
      });
    if (!user)
      throw new AppError('NOT_FOUND', 'This invitation is not valid or has expired; ask an admin for a new one');
    const actor: StaffActor = {
      kind: 'staff',
      userId: user.id,
      role: user.role as StaffRole,
      name: user.name,
      email: user.email,
      locale: user.locale,
      via: 'session',
    };
    await recordEvent(tx, { type: 'staff.activated', actor, payload: { userId: user.id }, at: now });
    return user.id;
  });
  return getStaff(deps, userId);
}

// ---------------------------------------------------------------------------------------------------------------
// Changes by an admin

export interface UpdateStaffInput {
  actor: StaffActor;
  userId: string;
  role?: WireRole | undefined;
  status?: 'active' | 'disabled' | undefined;
  name?: string | undefined;
}

/**
 * Changes a staff member's role, status or name. The last active admin can be neither demoted nor disabled, and
 * admins cannot disable themselves. Disabling ends that person's sessions (their API tokens stop working while
 * disabled, and work again if they are re-enabled).
 */
export async function updateStaff(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: UpdateStaffInput,
): Promise<StaffRowWithTeams> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await lockStaffRoster(tx);
    const user = await lockStaffRow(tx, input.userId);
    if (!user) throw notFound('Staff member');
    const nextRole = input.role ?? (user.role as WireRole);
    let nextStatus = user.status;
    if (input.status === 'disabled') nextStatus = 'disabled';
    if (input.status === 'active' && user.status !== 'active') {
      if (!user.passwordHash) {
        throw new AppError(
          'CONFLICT',
          'This person has not accepted their invitation yet; send a new invitation instead',
        );
      }
      nextStatus = 'active';
    }
    if (input.status === 'disabled' && user.id === input.actor.userId && user.status !== 'disabled') {
      throw new AppError('CONFLICT', 'You cannot disable your own account');
    }
    const wasActiveAdmin = user.role === 'admin' && user.status === 'active';
    const staysActiveAdmin = nextRole === 'admin' && nextStatus === 'active';
    if (wasActiveAdmin && !staysActiveAdmin && (await countActiveAdmins(tx, user.id)) === 0) {
      throw new AppError('CONFLICT', 'This is the last active admin; make someone else an admin first', {
        details: { reason: 'LAST_ADMIN' },
      });
    }
    const name = input.name?.trim();
    const changes: Partial<typeof staffUsers.$inferInsert> = {};
    if (nextRole !== user.role) changes.role = nextRole;
    if (nextStatus !== user.status) changes.status = nextStatus;
    if (name && name !== user.name) changes.name = name;
    if (nextStatus === 'disabled' && user.status === 'invited') {
      // a disabled invitation can no longer be accepted
      changes.inviteTokenHash = null;
      changes.inviteExpiresAt = null;
    }
    if (Object.keys(changes).length === 0) return;
    await tx
      .update(staffUsers)
      .set({ ...changes, updatedAt: now })
      .where(eq(staffUsers.id, user.id));
    credentialsChanged(tx);
    if (changes.role) {
      await recordEvent(tx, {
        type: 'staff.role_changed',
        actor: input.actor,
        payload: { userId: user.id, from: user.role, to: changes.role },
        at: now,
      });
    }
    if (changes.status === 'disabled') {
      const endedSessions = await deleteSessionsOfUser(tx, user.id);
      await recordEvent(tx, {
        type: 'staff.disabled',
        actor: input.actor,
        payload: { userId: user.id, endedSessions },
        at: now,
      });
    }
    if (changes.status === 'active') {
      await recordEvent(tx, { type: 'staff.enabled', actor: input.actor, payload: { userId: user.id }, at: now });
    }
    if (changes.name) {
      await recordEvent(tx, {
        type: 'staff.renamed',
        actor: input.actor,
        payload: { userId: user.id, from: user.name, to: changes.name },
        at: now,
      });
    }
  });
  return getStaff(deps, input.userId);
}

// ---------------------------------------------------------------------------------------------------------------
// One's own profile

export interface UpdateMeInput {
  actor: StaffActor;
  name?: string | undefined;
  locale?: Locale | undefined;
}

export async function updateMe(deps: Pick<Deps, 'db' | 'clock'>, input: UpdateMeInput): Promise<StaffRowWithTeams> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const user = await lockStaffRow(tx, input.actor.userId);
    if (!user) throw notFound('Staff member');
    const changes: { name?: string; locale?: string } = {};
    const name = input.name?.trim();
    if (name && name !== user.name) changes.name = name;
    if (input.locale && input.locale !== user.locale) changes.locale = input.locale;
    if (Object.keys(changes).length === 0) return;
    await tx
      .update(staffUsers)
      .set({ ...changes, updatedAt: now })
      .where(eq(staffUsers.id, user.id));
    credentialsChanged(tx);
    await recordEvent(tx, {
      type: 'staff.profile_updated',
      actor: input.actor,
      payload: { userId: user.id, ...changes },
      at: now,
    });
  });
  return getStaff(deps, input.actor.userId);
}

export interface ChangePasswordInput {
  actor: StaffActor;
  currentPassword: string;
  newPassword: string;
  /** the session making the change survives; every other session of this person ends */
  keepSessionIdHash: string | null;
}

export async function changePassword(deps: Pick<Deps, 'db' | 'clock'>, input: ChangePasswordInput): Promise<void> {
  assertPasswordStrength(input.newPassword, 'newPassword');
  const [row] = await deps.db
    .select({ passwordHash: staffUsers.passwordHash })
    .from(staffUsers)
    .where(eq(staffUsers.id, input.actor.userId));
  const ok = row?.passwordHash ? await verifyPassword(row.passwordHash, input.currentPassword) : false;
  if (!ok) {
    throw new AppError('VALIDATION_FAILED', 'The current password is not correct', {
      errors: [{ path: 'currentPassword', message: 'is not correct' }],
    });
  }
  if (input.newPassword === input.currentPassword) {
    throw new AppError('VALIDATION_FAILED', 'Choose a password different from the current one', {
      errors: [{ path: 'newPassword', message: 'must differ from the current password' }],
    });
  }
  const passwordHash = await hashPassword(input.newPassword);
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    await tx.update(staffUsers).set({ passwordHash, updatedAt: now }).where(eq(staffUsers.id, input.actor.userId));
    const endedSessions = await deleteSessionsOfUser(tx, input.actor.userId, input.keepSessionIdHash);
    await recordEvent(tx, {
      type: 'staff.password_changed',
      actor: input.actor,
      payload: { userId: input.actor.userId, endedSessions },
      at: now,
    });
  });
}
