import type { Locale, Session } from '@seva/contracts';
import { eq } from 'drizzle-orm';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../../platform/auth/passwords.ts';
import { hasPermission, PERMISSIONS, type StaffActor, type StaffRole } from '../../platform/auth/permissions.ts';
import { createSession, deleteSession, type NewSession } from '../../platform/auth/sessions.ts';
import { staffUsers } from '../../platform/db/schema/index.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import {
  acceptInvitation,
  assertPasswordStrength,
  countStaff,
  findStaffRowByEmail,
  getStaff,
  lockStaffRoster,
  normaliseEmail,
  type StaffRowWithTeams,
  toStaffUserDto,
} from '../staff/index.ts';
import { clearLoginFailures, lockedForSeconds, recordLoginFailure } from './login-throttle.ts';

export interface ClientInfo {
  ip: string | null;
  userAgent: string | null;
}

export interface SignedIn {
  user: StaffRowWithTeams;
  session: NewSession;
}

export function actorOf(user: { id: string; role: string; name: string; email: string; locale: string }): StaffActor {
  return {
    kind: 'staff',
    userId: user.id,
    role: user.role as StaffRole,
    name: user.name,
    email: user.email,
    locale: user.locale,
    via: 'session',
  };
}

/** The Session answer: who is signed in, the CSRF token for writes, and what they may do. */
export function toSessionDto(user: StaffRowWithTeams, csrfToken: string, actor: StaffActor): Session {
  return {
    user: toStaffUserDto(user),
    csrfToken,
    permissions: PERMISSIONS.filter((p) => hasPermission(actor, p)),
  };
}

export async function needsSetup(deps: Pick<Deps, 'db'>): Promise<boolean> {
  return (await countStaff(deps.db)) === 0;
}

export interface SetupInput extends ClientInfo {
  email: string;
  password: string;
  name: string;
  locale?: Locale | undefined;
}

const setupDone = () => new AppError('SETUP_ALREADY_DONE', 'Seva is already set up; sign in instead');

/**
 * First run: creates the first admin and signs them in, only while there are no staff at all. Serialised by an
 * advisory lock, so of two concurrent setups exactly one succeeds.
 */
export async function runFirstSetup(deps: Pick<Deps, 'db' | 'clock'>, input: SetupInput): Promise<SignedIn> {
  if (!(await needsSetup(deps))) throw setupDone();
  const email = normaliseEmail(input.email);
  assertPasswordStrength(input.password);
  const passwordHash = await hashPassword(input.password);
  const now = deps.clock.now();
  const { userId, session } = await deps.db.transaction(async (tx) => {
    await lockStaffRoster(tx);
    if ((await countStaff(tx)) > 0) throw setupDone();
    const [user] = await tx
      .insert(staffUsers)
      .values({
        email,
        name: input.name.trim(),
        role: 'admin',
        status: 'active',
        passwordHash,
        locale: input.locale ?? 'en',
        lastLoginAt: now,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    if (!user) throw new Error('insert returned nothing');
    await recordEvent(tx, {
      type: 'staff.created',
      actor: actorOf(user),
      payload: { userId: user.id, role: 'admin', via: 'setup' },
      at: now,
    });
    await recordEvent(tx, { type: 'setup.completed', actor: actorOf(user), payload: { userId: user.id }, at: now });
    const s = await createSession(tx, { userId: user.id, now, ip: input.ip, userAgent: input.userAgent });
    return { userId: user.id, session: s };
  });
  return { user: await getStaff(deps, userId), session };
}

export interface SignInInput extends ClientInfo {
  email: string;
  password: string;
}

const invalidCredentials = () => new AppError('INVALID_CREDENTIALS', 'The email or password is not correct');

/**
 * Signs in with email and password. Unknown, invited and disabled accounts get exactly the answer a wrong password
 * gets (after verifying against a dummy hash, so timing is alike), and every failure counts toward the lockout of
 * that email, whether or not it belongs to anyone.
 */
export async function signIn(deps: Pick<Deps, 'db' | 'clock'>, input: SignInInput): Promise<SignedIn> {
  const emailKey = normaliseEmail(input.email);
  const retryAfter = await lockedForSeconds(deps.db, emailKey, deps.clock.now());
  if (retryAfter > 0) {
    throw new AppError('LOCKED_OUT', 'Too many failed sign-ins; try again later', {
      details: { retryAfterSeconds: retryAfter },
    });
  }
  const found = await findStaffRowByEmail(deps.db, emailKey);
  const hash = found?.passwordHash ?? (await dummyPasswordHash());
  const passwordOk = await verifyPassword(hash, input.password);
  const now = deps.clock.now();
  if (!found?.passwordHash || found.status !== 'active' || !passwordOk) {
    await recordLoginFailure(deps.db, emailKey, now);
    throw invalidCredentials();
  }
  const session = await deps.db.transaction(async (tx) => {
    await clearLoginFailures(tx, emailKey);
    await tx.update(staffUsers).set({ lastLoginAt: now }).where(eq(staffUsers.id, found.id));
    const s = await createSession(tx, { userId: found.id, now, ip: input.ip, userAgent: input.userAgent });
    await recordEvent(tx, {
      type: 'staff.signed_in',
      actor: actorOf(found),
      payload: { userId: found.id, ip: input.ip },
      at: now,
    });
    return s;
  });
  return { user: await getStaff(deps, found.id), session };
}

export async function signOut(
  deps: Pick<Deps, 'db' | 'clock'>,
  actor: StaffActor,
  sessionIdHash: string | null,
): Promise<void> {
  if (!sessionIdHash) return;
  await deps.db.transaction(async (tx) => {
    await deleteSession(tx, sessionIdHash);
    await recordEvent(tx, { type: 'staff.signed_out', actor, payload: { userId: actor.userId }, at: deps.clock.now() });
  });
}

export interface AcceptAndSignInInput extends ClientInfo {
  token: string;
  password: string;
  name?: string | undefined;
}

/** Accepts an invitation (sets the password, activates the account) and signs the new staff member in. */
export async function acceptInvitationAndSignIn(
  deps: Pick<Deps, 'db' | 'clock'>,
  input: AcceptAndSignInInput,
): Promise<SignedIn> {
  const user = await acceptInvitation(deps, { token: input.token, password: input.password, name: input.name });
  const session = await createSession(deps.db, {
    userId: user.id,
    now: deps.clock.now(),
    ip: input.ip,
    userAgent: input.userAgent,
  });
  return { user, session };
}
