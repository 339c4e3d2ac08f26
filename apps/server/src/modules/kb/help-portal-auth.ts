import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { events } from '../../platform/db/schema/index.ts';
import { recordEvent } from '../../platform/events.ts';
import { helpFormKey } from './help-contact-form.ts';

/**
 * Customer sign-in for the help centre's "my requests" pages, kept apart from staff sessions:
 * - a magic link carries `<payload>.<mac>` where the payload names the email, the expiry (15 minutes) and a random
 *   nonce; it is single-use: using it records `portal.sign_in_link_used` with the nonce in the append-only event
 *   log, under a transaction advisory lock on the nonce, so two clicks at once cannot both pass;
 * - the session is a signed cookie `seva_portal` (customer id + expiry, 12 hours), httpOnly, SameSite=Lax, path
 *   /help — a different name, key and path from the staff session cookie.
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

export async function signPortalSession(
  db: DbOrTx,
  secret: string | undefined,
  input: { customerId: string; now: Date },
): Promise<string> {
  const key = await portalKey(db, secret, 'session');
  const body = `${input.customerId}.${input.now.getTime() + PORTAL_SESSION_TTL_MS}`;
  return `${body}.${mac(key, body)}`;
}

/** The signed-in customer's id from the cookie value, or null. */
export async function readPortalSession(
  db: DbOrTx,
  secret: string | undefined,
  value: string | undefined,
  now: Date,
): Promise<string | null> {
  if (!value) return null;
  const m = /^([0-9a-f-]{36})\.(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(value);
  if (!m) return null;
  const key = await portalKey(db, secret, 'session');
  if (!macEquals(m[3] as string, mac(key, `${m[1]}.${m[2]}`))) return null;
  if (Number(m[2]) <= now.getTime()) return null;
  return m[1] as string;
}
