import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/client.ts';
import { reusableQuery } from '../db/reusable-query.ts';
import { apiTokens, sessions, staffUsers } from '../db/schema/index.ts';
import { AppError } from '../errors.ts';
import { CredentialCache } from './credential-cache.ts';
import { hasPermission, type Permission, type StaffActor, type StaffRole, type TokenScope } from './permissions.ts';
import { API_TOKEN_PREFIX, CSRF_HEADER, SESSION_COOKIE, safeEqual, sha256Hex } from './tokens.ts';

/**
 * Every route under /api/v1 declares `config: { policy }`:
 *   'public'        — no sign-in needed (sign-in itself, first-run setup)
 *   'authenticated' — any signed-in staff member
 *   a Permission    — signed in and allowed by the role (and token scopes)
 * A route without a policy cannot be registered, so no route can forget its authorisation.
 */
export type RoutePolicy = 'public' | 'authenticated' | Permission;

declare module 'fastify' {
  interface FastifyContextConfig {
    policy?: RoutePolicy;
    /** also accept an API token as `?token=` (WebSocket upgrades, where browsers cannot set headers) */
    queryToken?: boolean;
  }
  interface FastifyInstance {
    /** every guarded route and its policy, filled as routes register (the route-policy matrix test walks it) */
    routePolicies: RoutePolicyEntry[];
    /** sessions and API tokens resolved from memory while the database says they are unchanged */
    credentialCache: CredentialCache;
  }
  interface FastifyRequest {
    actor: StaffActor | null;
    /** the session's CSRF token when authenticated by cookie */
    sessionIdHash: string | null;
  }
}

export interface RoutePolicyEntry {
  method: string;
  url: string;
  policy: RoutePolicy;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const GUARDED_PREFIXES = ['/api/v1'];

export interface AuthOptions {
  db: Db;
  clock: Clock;
  databaseUrl: string;
  /** answer credentials from memory (SEVA_CREDENTIAL_CACHE) */
  cacheCredentials: boolean;
}

interface Resolver {
  db: Db;
  clock: Clock;
  cache: CredentialCache;
}

// Both run on every signed-in request: built once (platform/db/reusable-query.ts).
const sessionActor = reusableQuery((db) =>
  db
    .select({
      userId: staffUsers.id,
      role: staffUsers.role,
      name: staffUsers.name,
      email: staffUsers.email,
      locale: staffUsers.locale,
      status: staffUsers.status,
      csrfToken: sessions.csrfToken,
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
    })
    .from(sessions)
    .innerJoin(staffUsers, eq(staffUsers.id, sessions.userId))
    .where(and(eq(sessions.idHash, sql.placeholder('idHash')), gt(sessions.expiresAt, sql.placeholder('now'))))
    .limit(1),
);

const tokenActor = reusableQuery((db) =>
  db
    .select({
      tokenId: apiTokens.id,
      scopes: apiTokens.scopes,
      lastUsedAt: apiTokens.lastUsedAt,
      expiresAt: apiTokens.expiresAt,
      userId: staffUsers.id,
      role: staffUsers.role,
      name: staffUsers.name,
      email: staffUsers.email,
      locale: staffUsers.locale,
      status: staffUsers.status,
    })
    .from(apiTokens)
    .innerJoin(staffUsers, eq(staffUsers.id, apiTokens.userId))
    .where(
      and(
        eq(apiTokens.tokenHash, sql.placeholder('tokenHash')),
        isNull(apiTokens.revokedAt),
        or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, sql.placeholder('now'))),
      ),
    )
    .limit(1),
);

type SessionRow = Awaited<ReturnType<typeof sessionActor>>[number];
type TokenRow = Awaited<ReturnType<typeof tokenActor>>[number];

/** The active credential's row, from the cache or (kept for the next request) from the database. */
async function cachedRow<T extends { status: string }>(
  r: Resolver,
  key: string,
  read: () => Promise<T | undefined>,
): Promise<T | undefined> {
  const hit = r.cache.get<T>(key);
  if (hit) return hit;
  const generation = r.cache.generation;
  const row = await read();
  if (row?.status === 'active') r.cache.set(key, row, generation);
  return row;
}

async function actorFromSession(r: Resolver, raw: string, req: FastifyRequest): Promise<StaffActor | null> {
  const idHash = sha256Hex(raw);
  const now = r.clock.now();
  const row = await cachedRow<SessionRow>(r, `s:${idHash}`, async () => (await sessionActor(r.db, { idHash, now }))[0]);
  if (row?.status !== 'active' || row.expiresAt.getTime() <= now.getTime()) return null;
  if (UNSAFE.has(req.method)) {
    const header = req.headers[CSRF_HEADER];
    if (typeof header !== 'string' || !safeEqual(header, row.csrfToken)) {
      throw new AppError('CSRF_FAILED', 'Missing or invalid CSRF token (send the x-csrf-token header)');
    }
  }
  // touch at most once a minute to keep writes off the hot path
  if (now.getTime() - row.lastSeenAt.getTime() > 60_000) {
    row.lastSeenAt = now;
    await r.db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.idHash, idHash));
  }
  req.sessionIdHash = idHash;
  return {
    kind: 'staff',
    userId: row.userId,
    role: row.role as StaffRole,
    name: row.name,
    email: row.email,
    locale: row.locale,
    via: 'session',
  };
}

async function actorFromToken(r: Resolver, raw: string): Promise<StaffActor | null> {
  if (!raw.startsWith(API_TOKEN_PREFIX)) return null;
  const now = r.clock.now();
  const tokenHash = sha256Hex(raw);
  const row = await cachedRow<TokenRow>(
    r,
    `t:${tokenHash}`,
    async () => (await tokenActor(r.db, { tokenHash, now }))[0],
  );
  if (row?.status !== 'active' || (row.expiresAt && row.expiresAt.getTime() <= now.getTime())) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    row.lastUsedAt = now;
    await r.db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.tokenId));
  }
  return {
    kind: 'staff',
    userId: row.userId,
    role: row.role as StaffRole,
    name: row.name,
    email: row.email,
    locale: row.locale,
    via: 'token',
    scopes: row.scopes as TokenScope[],
  };
}

export async function resolveActor(r: Resolver, req: FastifyRequest): Promise<StaffActor | null> {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) {
    const actor = await actorFromToken(r, auth.slice(7).trim());
    if (!actor) throw new AppError('UNAUTHENTICATED', 'The API token is not valid');
    return actor;
  }
  const queryToken = req.routeOptions.config?.queryToken
    ? (req.query as { token?: unknown } | undefined)?.token
    : undefined;
  if (typeof queryToken === 'string') {
    const actor = await actorFromToken(r, queryToken);
    if (!actor) throw new AppError('UNAUTHENTICATED', 'The API token is not valid');
    return actor;
  }
  const cookie = req.cookies?.[SESSION_COOKIE];
  if (cookie) return actorFromSession(r, cookie, req);
  return null;
}

/**
 * For public routes (sign-in, first run, accepting an invitation): a stale cookie, a missing CSRF header or a bad
 * token must not stand in the way, so any credential problem simply means "anonymous".
 */
async function resolveActorLeniently(r: Resolver, req: FastifyRequest): Promise<StaffActor | null> {
  try {
    return await resolveActor(r, req);
  } catch (err) {
    if (err instanceof AppError) {
      req.sessionIdHash = null;
      return null;
    }
    throw err;
  }
}

export function enforcePolicy(policy: RoutePolicy, actor: StaffActor | null): void {
  if (policy === 'public') return;
  if (!actor) throw new AppError('UNAUTHENTICATED', 'Sign in first');
  if (policy === 'authenticated') return;
  if (!hasPermission(actor, policy)) throw new AppError('FORBIDDEN', 'You are not allowed to do this');
}

async function sevaAuth(app: FastifyInstance, opts: AuthOptions): Promise<void> {
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionIdHash', null);
  const routePolicies: RoutePolicyEntry[] = [];
  app.decorate('routePolicies', routePolicies);
  const cache = new CredentialCache({ databaseUrl: opts.databaseUrl, log: app.log, enabled: opts.cacheCredentials });
  await cache.start();
  app.decorate('credentialCache', cache);
  app.addHook('onClose', async () => cache.stop());
  const resolver: Resolver = { db: opts.db, clock: opts.clock, cache };

  app.addHook('onRoute', (route) => {
    const url = route.url ?? '';
    if (!GUARDED_PREFIXES.some((p) => url.startsWith(p))) return;
    if (route.method === 'HEAD' || route.method === 'OPTIONS') return;
    if (url === '/api/v1/openapi.json') return;
    if (!route.config?.policy) {
      throw new Error(`route ${String(route.method)} ${url} has no authorisation policy (config.policy)`);
    }
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD' || method === 'OPTIONS') continue;
      routePolicies.push({ method: String(method), url, policy: route.config.policy });
    }
  });

  app.addHook('onRequest', async (req) => {
    const policy = req.routeOptions.config?.policy;
    if (!policy) return;
    const actor = policy === 'public' ? await resolveActorLeniently(resolver, req) : await resolveActor(resolver, req);
    req.actor = actor;
    enforcePolicy(policy, actor);
  });
}

// named: fastify-plugin works out an unnamed plugin's name from a stack trace, which with source maps on means
// reading the whole bundle's map at start-up
export const authPlugin = fp(sevaAuth, { name: 'seva-auth' });

/** For handlers behind a non-public policy: the actor is guaranteed. */
export function requireActor(req: FastifyRequest): StaffActor {
  if (!req.actor) throw new AppError('UNAUTHENTICATED', 'Sign in first');
  return req.actor;
}
