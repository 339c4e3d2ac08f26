import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, desc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { events, portalSessions } from '../../platform/db/schema/index.ts';
import { recordEvent } from '../../platform/events.ts';
import { helpFormKey } from './help-contact-form.ts';

/**
 * Customer sign-in for the help centre's "my requests" pages, kept apart from staff sessions:
 * - a magic link carries `<payload>.<mac>` where the payload names the email, the expiry (15 minutes) and a random
 *   nonce; it is single-use: using it records `portal.sign_in_link_used` with the nonce in the append-only event
 *   log, under a transaction advisory lock on the nonce, so two clicks at once cannot both pass;
 * - the session is a row in `portal_sessions` (12 hours, revocable: sign out, "sign out everywhere", staff) whose
 *   random id is the cookie `seva_portal` (httpOnly, SameSite=Lax, path /help; only its sha256 is stored) — a
 *   different name, table and path from the staff session.
 */
export const LINK_TTL_MS = 15 * 60_000;
export const PORTAL_SESSION_TTL_MS = 12 * 60 * 60_000;
export const PORTAL_COOKIE = 'seva_portal';

async function portalKey(db: DbOrTx, secret: string | undefined, purpose: string): Promise<Buffer> {
  const base = await helpFormKey(db, secret);
  return createHmac('sha256', base).update(`seva-help-portal:${purpose}`).digest();
}

const mac = (key: Buffer, data: string) => createHmac('sha256', key).update(data).digest('base64url');

function macEquals(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export interface SignInLinkPayload {
  email: string;
  expiresAt: number;
  nonce: string;
}

export async function signSignInLink(
  db: DbOrTx,
  secret: string | undefined,
  input: { email: string; now: Date },
): Promise<string> {
  const key = await portalKey(db, secret, 'link');
  const payload: SignInLinkPayload = {
    email: input.email,
    expiresAt: input.now.getTime() + LINK_TTL_MS,
    nonce: randomBytes(16).toString('base64url'),
  };
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${mac(key, body)}`;
}

/** The link's payload when its signature is ours and it has not expired; null otherwise. */
export async function readSignInLink(
  db: DbOrTx,
  secret: string | undefined,
  token: string,
  now: Date,
): Promise<SignInLinkPayload | null> {
  const m = /^([A-Za-z0-9_-]{10,2000})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return null;
  const key = await portalKey(db, secret, 'link');
  if (!macEquals(m[2] as string, mac(key, m[1] as string))) return null;
  try {
    const p = JSON.parse(Buffer.from(m[1] as string, 'base64url').toString('utf8')) as Partial<SignInLinkPayload>;
    if (typeof p.email !== 'string' || typeof p.expiresAt !== 'number' || typeof p.nonce !== 'string') return null;
    if (p.expiresAt <= now.getTime()) return null;
    return { email: p.email, expiresAt: p.expiresAt, nonce: p.nonce };
  } catch {
    return null;
  }
}

/** Marks the link used; false when it already was (inside the caller's transaction). */
export async function consumeSignInLink(
  tx: DbOrTx,
  input: { nonce: string; customerId: string; now: Date },
): Promise<boolean> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${`portal-link:${input.nonce}`}, 0))`);
  const [used] = await tx
    .select({ id: events.id })
    .from(events)
    .where(and(eq(events.type, 'portal.sign_in_link_used'), sql`${events.payload}->>'nonce' = ${input.nonce}`))
    .limit(1);
  if (used) return false;
  await recordEvent(tx, {
    type: 'portal.sign_in_link_used',
    actor: { kind: 'system' },
    customerId: input.customerId,
    payload: { nonce: input.nonce },
    at: input.now,
  });
  return true;
}

const sha256 = (v: string) => createHash('sha256').update(v).digest('hex');
const COOKIE_VALUE = /^[A-Za-z0-9_-]{43}$/;
/** expired and revoked sessions are deleted this long after they ended (when the customer signs in again) */
const KEEP_ENDED_MS = 30 * 86_400_000;

/** Starts a server-side session for the customer; answers the cookie value (only its hash is stored). */
export async function createPortalSession(
  tx: DbOrTx,
  input: { customerId: string; now: Date; ip: string | null; userAgent: string | null },
): Promise<string> {
  const value = randomBytes(32).toString('base64url');
  const old = new Date(input.now.getTime() - KEEP_ENDED_MS);
  await tx
    .delete(portalSessions)
    .where(
      and(
        eq(portalSessions.customerId, input.customerId),
        or(lt(portalSessions.expiresAt, old), lt(portalSessions.revokedAt, old)),
      ),
    );
  await tx.insert(portalSessions).values({
    idHash: sha256(value),
    customerId: input.customerId,
    ip: input.ip,
    userAgent: input.userAgent?.slice(0, 300) ?? null,
    createdAt: input.now,
    expiresAt: new Date(input.now.getTime() + PORTAL_SESSION_TTL_MS),
  });
  return value;
}

/** The signed-in customer's id for a cookie value: a session that exists, has not expired and was not revoked. */
export async function readPortalSession(db: DbOrTx, value: string | undefined, now: Date): Promise<string | null> {
  if (!value || !COOKIE_VALUE.test(value)) return null;
  const [row] = await db
    .select({ customerId: portalSessions.customerId })
    .from(portalSessions)
    .where(
      and(
        eq(portalSessions.idHash, sha256(value)),
        gt(portalSessions.expiresAt, now),
        isNull(portalSessions.revokedAt),
      ),
    );
  return row?.customerId ?? null;
}

/** Signs out this session (the cookie's); nothing happens for an unknown value. */
export async function revokePortalSession(db: DbOrTx, value: string | undefined, now: Date): Promise<void> {
  if (!value || !COOKIE_VALUE.test(value)) return;
  await db
    .update(portalSessions)
    .set({ revokedAt: now })
    .where(and(eq(portalSessions.idHash, sha256(value)), isNull(portalSessions.revokedAt)));
}

/** "Sign out everywhere": ends every live session of the customer; answers how many. */
export async function revokeCustomerPortalSessions(
  db: DbOrTx,
  input: { customerId: string; now: Date },
): Promise<number> {
  const rows = await db
    .update(portalSessions)
    .set({ revokedAt: input.now })
    .where(
      and(
        eq(portalSessions.customerId, input.customerId),
        isNull(portalSessions.revokedAt),
        gt(portalSessions.expiresAt, input.now),
      ),
    )
    .returning({ id: portalSessions.id });
  return rows.length;
}

/** The customer's live sessions (staff see them on the API), newest first. */
export async function listCustomerPortalSessions(db: DbOrTx, input: { customerId: string; now: Date }) {
  return db
    .select({
      id: portalSessions.id,
      createdAt: portalSessions.createdAt,
      expiresAt: portalSessions.expiresAt,
      ip: portalSessions.ip,
      userAgent: portalSessions.userAgent,
    })
    .from(portalSessions)
    .where(
      and(
        eq(portalSessions.customerId, input.customerId),
        isNull(portalSessions.revokedAt),
        gt(portalSessions.expiresAt, input.now),
      ),
    )
    .orderBy(desc(portalSessions.createdAt));
}
