import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoutePolicyEntry } from '../src/platform/auth/authenticate.ts';
import { hasPermission, ROLES, type StaffActor, type StaffRole } from '../src/platform/auth/permissions.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';

/**
 * Every /api/v1 route × every role: anonymous requests get 401 unless the route is public, and a role lacking the
 * route's permission gets 403 before anything else happens. Built from the app's own route table, so a new route
 * with a missing or wrong policy fails here.
 */
let t: TestApp;
let routes: RoutePolicyEntry[];
const staff = {} as Record<StaffRole, TestStaff>;
const DUMMY_UUID = '00000000-0000-4000-8000-000000000001';

beforeAll(async () => {
  t = await createTestApp();
  routes = [...t.app.routePolicies];
  for (const role of ROLES) staff[role] = await createStaff(t, role);
});
afterAll(async () => {
  await t?.close();
});

const WRITE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const concreteUrl = (url: string) => url.replace(/:[A-Za-z0-9_]+/g, DUMMY_UUID).replace(/\*$/, 'x');
const sessionActor = (role: StaffRole): StaffActor => ({
  kind: 'staff',
  userId: DUMMY_UUID,
  role,
  name: 'n',
  email: 'n@example.com',
  locale: 'en',
  via: 'session',
});

function request(route: RoutePolicyEntry, headers: Record<string, string>) {
  const write = WRITE.has(route.method);
  return t.app.inject({
    method: route.method as 'GET',
    url: concreteUrl(route.url),
    headers: { ...headers, 'x-forwarded-for': '203.0.113.7', ...(write ? { 'content-type': 'application/json' } : {}) },
    ...(write ? { payload: '{}' } : {}),
  });
}

describe('route policy matrix', () => {
  it('knows the routes of every module, each with a policy', () => {
    const keys = routes.map((r) => `${r.method} ${r.url}`);
    for (const expected of [
      'POST /api/v1/auth/login',
      'GET /api/v1/staff',
      'PATCH /api/v1/settings',
      'DELETE /api/v1/tokens/:id',
    ]) {
      expect(keys).toContain(expected);
    }
    for (const r of routes) expect(r.policy, `${r.method} ${r.url}`).toBeTruthy();
  });

  it('keeps the public surface small and deliberate', () => {
    const publicRoutes = routes
      .filter((r) => r.policy === 'public')
      .map((r) => `${r.method} ${r.url}`)
      .sort();
    const allowed = new Set([
      'GET /api/v1/setup/status',
      'POST /api/v1/setup',
      'POST /api/v1/auth/login',
      'POST /api/v1/auth/invitations/accept',
    ]);
    const unexpected = publicRoutes.filter((r) => !allowed.has(r));
    expect(unexpected, 'public /api/v1 routes must be added to this list on purpose').toEqual([]);
  });

  it('refuses anonymous requests to every non-public route with 401', async () => {
    const failures: string[] = [];
    for (const route of routes) {
      if (route.policy === 'public') continue;
      const res = await request(route, {});
      if (res.statusCode !== 401) failures.push(`${route.method} ${route.url} → ${res.statusCode}`);
    }
    expect(failures).toEqual([]);
  });

  it('refuses a bad bearer token on every non-public route with 401', async () => {
    const failures: string[] = [];
    for (const route of routes) {
      if (route.policy === 'public') continue;
      const res = await request(route, { authorization: 'Bearer seva_not-a-real-token' });
      if (res.statusCode !== 401) failures.push(`${route.method} ${route.url} → ${res.statusCode}`);
    }
    expect(failures).toEqual([]);
  });

  it.each(ROLES)('refuses a %s every route whose permission the role lacks, with 403', async (role) => {
    const failures: string[] = [];
    const lacking = routes.filter(
      (r) => r.policy !== 'public' && r.policy !== 'authenticated' && !hasPermission(sessionActor(role), r.policy),
    );
    for (const route of lacking) {
      const res = await request(route, staff[role].session);
      if (res.statusCode !== 403 || res.json().code !== 'FORBIDDEN') {
        failures.push(`${route.method} ${route.url} (${route.policy}) → ${res.statusCode}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it.each(ROLES)(
    'lets a %s past the policy on every route the role is allowed (never 401 or policy 403)',
    async (role) => {
      const failures: string[] = [];
      const allowed = routes.filter(
        (r) =>
          r.policy !== 'public' &&
          // signing out would end the session the rest of the matrix uses; realtime needs a WebSocket upgrade
          !(r.method === 'POST' && r.url === '/api/v1/auth/logout') &&
          !r.url.endsWith('/realtime') &&
          (r.policy === 'authenticated' || hasPermission(sessionActor(role), r.policy)),
      );
      for (const route of allowed) {
        const res = await request(route, staff[role].session);
        const body = String(res.headers['content-type'] ?? '').includes('json') ? res.json() : {};
        if (res.statusCode === 401 || (res.statusCode === 403 && body.code === 'CSRF_FAILED')) {
          failures.push(`${route.method} ${route.url} (${route.policy}) → ${res.statusCode}`);
        }
      }
      expect(failures).toEqual([]);
    },
  );
});
