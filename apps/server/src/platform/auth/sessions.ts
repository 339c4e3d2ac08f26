import { and, eq, lte, ne } from 'drizzle-orm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/cookie'; // reply.setCookie / clearCookie types
import type { Config } from '../../config.ts';
import type { DbOrTx } from '../db/client.ts';
import { credentialsChanged } from './credential-cache.ts';
import { sessions } from '../db/schema/index.ts';
import { newSecret, SESSION_COOKIE, SESSION_TTL_MS, sha256Hex } from './tokens.ts';

export interface NewSession {
  /** the raw cookie value: goes to the browser, never to the database */
  cookieValue: string;
  csrfToken: string;
  idHash: string;
  expiresAt: Date;
}

export interface CreateSessionInput {
  userId: string;
  now: Date;
  ip?: string | null;
  userAgent?: string | null;
}

/** Opens a browser session; the row stores only the sha256 of the cookie value. */
export async function createSession(db: DbOrTx, input: CreateSessionInput): Promise<NewSession> {
  const cookieValue = newSecret(32);
  const csrfToken = newSecret(24);
  const idHash = sha256Hex(cookieValue);
  const expiresAt = new Date(input.now.getTime() + SESSION_TTL_MS);
  // expired sessions of this user are swept on each sign-in, so the table does not grow without bound
  await db.delete(sessions).where(and(eq(sessions.userId, input.userId), lte(sessions.expiresAt, input.now)));
  await db.insert(sessions).values({
    idHash,
    userId: input.userId,
    csrfToken,
    ip: input.ip ?? null,
    userAgent: input.userAgent?.slice(0, 500) ?? null,
    createdAt: input.now,
    lastSeenAt: input.now,
    expiresAt,
  });
  return { cookieValue, csrfToken, idHash, expiresAt };
}

export async function deleteSession(db: DbOrTx, idHash: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.idHash, idHash));
  credentialsChanged(db);
}

/** Ends every session of a user, optionally keeping one (the caller's own). Returns how many ended. */
export async function deleteSessionsOfUser(db: DbOrTx, userId: string, keepIdHash?: string | null): Promise<number> {
  const where = keepIdHash
    ? and(eq(sessions.userId, userId), ne(sessions.idHash, keepIdHash))
    : eq(sessions.userId, userId);
  const rows = await db.delete(sessions).where(where).returning({ idHash: sessions.idHash });
  credentialsChanged(db);
  return rows.length;
}

export async function findSessionCsrfToken(db: DbOrTx, idHash: string): Promise<string | null> {
  const [row] = await db.select({ csrfToken: sessions.csrfToken }).from(sessions).where(eq(sessions.idHash, idHash));
  return row?.csrfToken ?? null;
}

/** Secure per configuration; 'auto' means "when the request came over https" (proxies are trusted). */
export function isSecureRequest(config: Pick<Config, 'secureCookies'>, req: FastifyRequest): boolean {
  if (config.secureCookies === 'true') return true;
  if (config.secureCookies === 'false') return false;
  return req.protocol === 'https';
}

export function setSessionCookie(
  reply: FastifyReply,
  config: Pick<Config, 'secureCookies'>,
  session: Pick<NewSession, 'cookieValue' | 'expiresAt'>,
): void {
  reply.setCookie(SESSION_COOKIE, session.cookieValue, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: isSecureRequest(config, reply.request),
    expires: session.expiresAt,
    maxAge: Math.floor(SESSION_TTL_MS / 1000),
  });
}

export function clearSessionCookie(reply: FastifyReply, config: Pick<Config, 'secureCookies'>): void {
  reply.clearCookie(SESSION_COOKIE, {
    httpOnly: true,
    sameSite: 'lax',
    path: '/',
    secure: isSecureRequest(config, reply.request),
  });
}
