import { randomBytes } from 'node:crypto';
import { sessions, staffUsers } from '../src/platform/db/schema/index.ts';
import type { Actor, StaffRole } from '../src/platform/auth/permissions.ts';
import { TOKEN_SCOPE_NAMES } from '../src/platform/auth/permissions.ts';
import { newSecret, SESSION_COOKIE, SESSION_TTL_MS, sha256Hex } from '../src/platform/auth/tokens.ts';
import { createApiToken } from '../src/modules/tokens/tokens.service.ts';
import type { TestApp } from './harness.ts';

export interface TestStaff {
  id: string;
  email: string;
  name: string;
  role: StaffRole;
  /** Authorization: Bearer header for a token with every scope */
  bearer: { authorization: string };
  /** cookie + CSRF headers for a signed-in browser session */
  session: { cookie: string; 'x-csrf-token': string };
}

let counter = 0;

/** The staff member as a service-level actor (signed in by session), for calling services directly. */
export function staffActor(s: TestStaff): Actor {
  return { kind: 'staff', userId: s.id, role: s.role, name: s.name, email: s.email, locale: 'en', via: 'session' };
}

/** Inserts a staff member (no password hashing, fast) with an all-scopes API token and a browser session. */
export async function createStaff(t: TestApp, role: StaffRole, opts: { name?: string; email?: string; locale?: string } = {}): Promise<TestStaff> {
  counter += 1;
  const email = opts.email ?? `${role}${counter}-${randomBytes(3).toString('hex')}@staff.example.com`;
  const name = opts.name ?? `${role[0]?.toUpperCase()}${role.slice(1)} ${counter}`;
  const [user] = await t.deps.db
    .insert(staffUsers)
    .values({ email, name, role, status: 'active', locale: opts.locale ?? 'en' })
    .returning();
  if (!user) throw new Error('no user');
  const { token } = await createApiToken(t.deps, { actor: { kind: 'system' }, userId: user.id, name: 'test', scopes: [...TOKEN_SCOPE_NAMES] });
  const raw = newSecret();
  const csrf = newSecret(18);
  await t.deps.db.insert(sessions).values({
    idHash: sha256Hex(raw),
    userId: user.id,
    csrfToken: csrf,
    expiresAt: new Date(Date.now() + SESSION_TTL_MS),
  });
  return {
    id: user.id,
    email,
    name,
    role,
    bearer: { authorization: `Bearer ${token}` },
    session: { cookie: `${SESSION_COOKIE}=${raw}`, 'x-csrf-token': csrf },
  };
}
