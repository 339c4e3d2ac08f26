import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Clock } from '../clock.ts';
import type { Db } from '../db/client.ts';
import { reusableQuery } from '../db/reusable-query.ts';
import { apiTokens, sessions, staffUsers } from '../db/schema/index.ts';
import { AppError } from '../errors.ts';
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

async function actorFromSession(db: Db, clock: Clock, raw: string, req: FastifyRequest): Promise<StaffActor | null> {
  const idHash = sha256Hex(raw);
  const now = clock.now();
  const rows = await sessionActor(db, { idHash, now });
  const row = rows[0];
  if (row?.status !== 'active') return null;
  if (UNSAFE.has(req.method)) {
    const header = req.headers[CSRF_HEADER];
    if (typeof header !== 'string' || !safeEqual(header, row.csrfToken)) {
      throw new AppError('CSRF_FAILED', 'Missing or invalid CSRF token (send the x-csrf-token header)');
    }
  }
  // touch at most once a minute to keep writes off the hot path
  if (now.getTime() - row.lastSeenAt.getTime() > 60_000) {
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.idHash, idHash));
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

async function actorFromToken(db: Db, clock: Clock, raw: string): Promise<StaffActor | null> {
  if (!raw.startsWith(API_TOKEN_PREFIX)) return null;
  const now = clock.now();
  const rows = await tokenActor(db, { tokenHash: sha256Hex(raw), now });
  const row = rows[0];
  if (row?.status !== 'active') return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
    await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.tokenId));
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

export async function resolveActor(db: Db, clock: Clock, req: FastifyRequest): Promise<StaffActor | null> {
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) {
    const actor = await actorFromToken(db, clock, auth.slice(7).trim());
    if (!actor) throw new AppError('UNAUTHENTICATED', 'The API token is not valid');
    return actor;
  }
  const queryToken = req.routeOptions.config?.queryToken
    ? (req.query as { token?: unknown } | undefined)?.token
    : undefined;
  if (typeof queryToken === 'string') {
    const actor = await actorFromToken(db, clock, queryToken);
    if (!actor) throw new AppError('UNAUTHENTICATED', 'The API token is not valid');
    return actor;
  }
  const cookie = req.cookies?.[SESSION_COOKIE];
  if (cookie) return actorFromSession(db, clock, cookie, req);
  return null;
}

/**
 * For public routes (sign-in, first run, accepting an invitation): a stale cookie, a missing CSRF header or a bad
 * token must not stand in the way, so any credential problem simply means "anonymous".
 */
async function resolveActorLeniently(db: Db, clock: Clock, req: FastifyRequest): Promise<StaffActor | null> {
  try {
    return await resolveActor(db, clock, req);
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

export const authPlugin = fp(async (app: FastifyInstance, opts: AuthOptions) => {
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionIdHash', null);
  const routePolicies: RoutePolicyEntry[] = [];
  app.decorate('routePolicies', routePolicies);

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
    const actor =
      policy === 'public'
        ? await resolveActorLeniently(opts.db, opts.clock, req)
        : await resolveActor(opts.db, opts.clock, req);
    req.actor = actor;
    enforcePolicy(policy, actor);
  });
});

/** For handlers behind a non-public policy: the actor is guaranteed. */
export function requireActor(req: FastifyRequest): StaffActor {
  if (!req.actor) throw new AppError('UNAUTHENTICATED', 'Sign in first');
  return req.actor;
}
