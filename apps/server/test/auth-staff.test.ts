import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getSettings } from '../src/modules/staff/settings.service.ts';
import { updateStaff } from '../src/modules/staff/staff.service.ts';
import { sha256Hex } from '../src/platform/auth/tokens.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { browserFrom, freshIp, login } from './auth-helpers.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';

let t: TestApp;
let admin: TestStaff;
const clock = new ManualClock(new Date('2026-04-06T08:00:00Z'));

beforeAll(async () => {
  t = await createTestApp({ clock });
  admin = await createStaff(t, 'admin');
});
afterAll(async () => {
  await t?.close();
});

const rows = async <T extends Record<string, unknown>>(query: ReturnType<typeof sql>) =>
  (await t.deps.db.execute<T>(query)).rows;
const eventsOf = async (type: string, userId: string) =>
  rows<{ payload: Record<string, unknown>; actor_id: string | null }>(
    sql`SELECT payload, actor_id FROM events WHERE type = ${type} AND payload->>'userId' = ${userId} ORDER BY id`,
  );

const invite = (headers: Record<string, string>, body: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/api/v1/staff/invitations', headers, payload: body });
const accept = (body: Record<string, unknown>) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/invitations/accept',
    headers: { 'x-forwarded-for': freshIp() },
    payload: body,
  });
const patchStaff = (headers: Record<string, string>, id: string, body: Record<string, unknown>) =>
  t.app.inject({ method: 'PATCH', url: `/api/v1/staff/${id}`, headers, payload: body });
const tokenOf = (inviteUrl: string) => inviteUrl.replace('/invite/', '');

describe('invitations', () => {
  it('invites a staff member: invited status, a one-time link, only the hash stored, an event', async () => {
    const res = await invite(admin.session, { email: 'Rahul@Example.com', name: 'Rahul', role: 'agent' });
    expect(res.statusCode).toBe(201);
    const { user, inviteUrl } = res.json();
    expect(user).toMatchObject({
      email: 'rahul@example.com',
      name: 'Rahul',
      role: 'agent',
      status: 'invited',
      teamIds: [],
      lastLoginAt: null,
    });
    expect(inviteUrl).toMatch(/^\/invite\/[A-Za-z0-9_-]{40,}$/);
    const [row] = await rows<{ invite_token_hash: string; invite_expires_at: string; password_hash: string | null }>(
      sql`SELECT invite_token_hash, invite_expires_at, password_hash FROM staff_users WHERE id = ${user.id}`,
    );
    expect(row?.invite_token_hash).toBe(sha256Hex(tokenOf(inviteUrl)));
    expect(row?.password_hash).toBeNull();
    expect(new Date(String(row?.invite_expires_at)).getTime()).toBe(clock.now().getTime() + 7 * 24 * 3600 * 1000);
    const events = await eventsOf('staff.invited', user.id);
    expect(events).toHaveLength(1);
    expect(events[0]?.actor_id).toBe(admin.id);
    expect(JSON.stringify(events[0]?.payload)).not.toContain(tokenOf(inviteUrl));
  });

  it('accepts an invitation once: sets the password, activates, signs in', async () => {
    const { inviteUrl, user } = (
      await invite(admin.bearer, { email: 'meera@example.com', name: 'Meera', role: 'supervisor' })
    ).json();
    const res = await accept({ token: tokenOf(inviteUrl), password: 'meera has a long password', name: 'Meera Das' });
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ id: user.id, status: 'active', name: 'Meera Das', role: 'supervisor' });
    const browser = browserFrom(res);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: browser.cookie } }))
        .statusCode,
    ).toBe(200);
    expect((await login(t.app, 'meera@example.com', 'meera has a long password')).statusCode).toBe(200);
    expect(await eventsOf('staff.activated', user.id)).toHaveLength(1);

    const again = await accept({ token: tokenOf(inviteUrl), password: 'someone else password' });
    expect(again.statusCode).toBe(404);
    expect((await login(t.app, 'meera@example.com', 'someone else password')).statusCode).toBe(401);
  });

  it('refuses an expired invitation, a made-up token, and a short password', async () => {
    const { inviteUrl } = (
      await invite(admin.bearer, { email: 'late@example.com', name: 'Late', role: 'agent' })
    ).json();
    expect((await accept({ token: tokenOf(inviteUrl), password: 'short' })).statusCode).toBe(400);
    expect((await accept({ token: 'made-up-token', password: 'long enough password' })).statusCode).toBe(404);
    clock.advance(7 * 24 * 3600 * 1000 + 1000);
    const res = await accept({ token: tokenOf(inviteUrl), password: 'long enough password' });
    expect(res.statusCode).toBe(404);
  });

  it('sends a fresh invitation to someone still invited, and the old link stops working', async () => {
    const first = (await invite(admin.bearer, { email: 'twice@example.com', name: 'Twice', role: 'agent' })).json();
    const second = await invite(admin.bearer, {
      email: 'twice@example.com',
      name: 'Twice Again',
      role: 'collaborator',
    });
    expect(second.statusCode).toBe(201);
    expect(second.json().user).toMatchObject({ id: first.user.id, role: 'collaborator', name: 'Twice Again' });
    expect((await accept({ token: tokenOf(first.inviteUrl), password: 'long enough password' })).statusCode).toBe(404);
    expect(
      (await accept({ token: tokenOf(second.json().inviteUrl), password: 'long enough password' })).statusCode,
    ).toBe(200);
  });

  it('refuses to invite an address that already belongs to an active staff member', async () => {
    const res = await invite(admin.bearer, { email: admin.email.toUpperCase(), name: 'Dup', role: 'agent' });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('ALREADY_EXISTS');
  });

  it('validates the invitation body with field errors', async () => {
    const res = await invite(admin.bearer, { email: 'not-an-email', name: '', role: 'overlord' });
    expect(res.statusCode).toBe(400);
    const paths = (res.json().errors as { path: string }[]).map((e) => e.path).join(' ');
    expect(paths).toContain('email');
    expect(paths).toContain('role');
  });
});

describe('changing staff', () => {
  it('changes a role and records staff.role_changed', async () => {
    const agent = await createStaff(t, 'agent');
    const res = await patchStaff(admin.session, agent.id, { role: 'supervisor' });
    expect(res.statusCode).toBe(200);
    expect(res.json().role).toBe('supervisor');
    const ev = await eventsOf('staff.role_changed', agent.id);
    expect(ev[0]?.payload).toMatchObject({ from: 'agent', to: 'supervisor' });
    // the new role applies at once to existing sessions
    const session = await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: agent.session });
    expect(session.json().permissions).toContain('messages:approve');
  });

  it("disables someone: ends that person's sessions only, keeps their tokens but they stop working", async () => {
    const agent = await createStaff(t, 'agent');
    const other = await createStaff(t, 'agent');
    const res = await patchStaff(admin.session, agent.id, { status: 'disabled' });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('disabled');
    expect(await rows(sql`SELECT 1 FROM sessions WHERE user_id = ${agent.id}`)).toHaveLength(0);
    expect(await rows(sql`SELECT 1 FROM sessions WHERE user_id = ${other.id}`)).toHaveLength(1);
    expect(await rows(sql`SELECT 1 FROM api_tokens WHERE user_id = ${agent.id} AND revoked_at IS NULL`)).toHaveLength(
      1,
    );
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: agent.bearer })).statusCode).toBe(
      401,
    );
    expect((await eventsOf('staff.disabled', agent.id))[0]?.payload).toMatchObject({ endedSessions: 1 });

    const enabled = await patchStaff(admin.session, agent.id, { status: 'active' });
    // the factory inserts staff without a password: they have never accepted an invitation
    expect(enabled.statusCode).toBe(409);
  });

  it('re-enables a disabled member who has a password', async () => {
    const { inviteUrl, user } = (
      await invite(admin.bearer, { email: 'back@example.com', name: 'Back', role: 'agent' })
    ).json();
    await accept({ token: tokenOf(inviteUrl), password: 'back again password' });
    expect((await patchStaff(admin.bearer, user.id, { status: 'disabled' })).statusCode).toBe(200);
    expect((await login(t.app, 'back@example.com', 'back again password')).statusCode).toBe(401);
    expect((await patchStaff(admin.bearer, user.id, { status: 'active' })).json().status).toBe('active');
    expect((await login(t.app, 'back@example.com', 'back again password')).statusCode).toBe(200);
    expect(await eventsOf('staff.enabled', user.id)).toHaveLength(1);
  });

  it('disabling an invitation makes its link unusable', async () => {
    const { inviteUrl, user } = (
      await invite(admin.bearer, { email: 'revoked@example.com', name: 'Rev', role: 'agent' })
    ).json();
    expect((await patchStaff(admin.bearer, user.id, { status: 'disabled' })).statusCode).toBe(200);
    expect((await accept({ token: tokenOf(inviteUrl), password: 'long enough password' })).statusCode).toBe(404);
  });

  it('answers 404 for an unknown staff member', async () => {
    const res = await patchStaff(admin.bearer, '00000000-0000-4000-8000-000000000000', { name: 'Nobody' });
    expect(res.statusCode).toBe(404);
  });

  it('lists staff with their teams, never password hashes or invitation tokens', async () => {
    const agent = await createStaff(t, 'agent');
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/staff', headers: agent.bearer });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Record<string, unknown>[];
    expect(items.length).toBeGreaterThan(3);
    expect(res.body).not.toMatch(/password|invite_?token|\$argon2/i);
    expect(items.find((i) => i.id === agent.id)).toMatchObject({ role: 'agent', status: 'active', teamIds: [] });
  });
});

describe('the last active admin', () => {
  it('cannot be demoted or disabled, by themselves or anyone', async () => {
    const solo = await createTestApp({ clock });
    try {
      const only = await createStaff(solo, 'admin');
      const demote = await solo.app.inject({
        method: 'PATCH',
        url: `/api/v1/staff/${only.id}`,
        headers: only.session,
        payload: { role: 'agent' },
      });
      expect(demote.statusCode).toBe(409);
      expect(demote.json().details).toEqual({ reason: 'LAST_ADMIN' });
      // a disabled admin does not count as an admin
      const second = await createStaff(solo, 'admin');
      await solo.app.inject({
        method: 'PATCH',
        url: `/api/v1/staff/${second.id}`,
        headers: only.session,
        payload: { status: 'disabled' },
      });
      const again = await solo.app.inject({
        method: 'PATCH',
        url: `/api/v1/staff/${only.id}`,
        headers: only.session,
        payload: { role: 'supervisor' },
      });
      expect(again.statusCode).toBe(409);
      const [row] = (
        await solo.deps.db.execute<{ role: string }>(sql`SELECT role FROM staff_users WHERE id = ${only.id}`)
      ).rows;
      expect(row?.role).toBe('admin');
    } finally {
      await solo.close();
    }
  });

  it('lets one of two admins step down, but not both at once', async () => {
    const duo = await createTestApp({ clock });
    try {
      const a = await createStaff(duo, 'admin');
      const b = await createStaff(duo, 'admin');
      // both step down at the same moment (the service is called directly so both surely pass the policy
      // check): the roster lock lets exactly one through
      const actor = (s: TestStaff) =>
        ({
          kind: 'staff',
          userId: s.id,
          role: 'admin',
          name: s.name,
          email: s.email,
          locale: 'en',
          via: 'session',
        }) as const;
      const results = await Promise.allSettled([
        updateStaff(duo.deps, { actor: actor(a), userId: a.id, role: 'agent' }),
        updateStaff(duo.deps, { actor: actor(b), userId: b.id, role: 'agent' }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const failed = results.find((r) => r.status === 'rejected');
      expect((failed as PromiseRejectedResult).reason).toMatchObject({
        code: 'CONFLICT',
        details: { reason: 'LAST_ADMIN' },
      });
      // and over HTTP, the remaining admin cannot step down either
      const remaining = results[0]?.status === 'rejected' ? a : b;
      const res = await duo.app.inject({
        method: 'PATCH',
        url: `/api/v1/staff/${remaining.id}`,
        headers: remaining.session,
        payload: { role: 'agent' },
      });
      expect(res.statusCode).toBe(409);
      const { rows: admins } = await duo.deps.db.execute(
        sql`SELECT 1 FROM staff_users WHERE role = 'admin' AND status = 'active'`,
      );
      expect(admins).toHaveLength(1);
    } finally {
      await duo.close();
    }
  });

  it('refuses to let an admin disable their own account', async () => {
    const other = await createStaff(t, 'admin');
    const res = await patchStaff(other.session, other.id, { status: 'disabled' });
    expect(res.statusCode).toBe(409);
  });
});

describe('admin routes refuse other roles', () => {
  it.each(['supervisor', 'agent', 'collaborator'] as const)(
    'refuses a %s inviting, changing staff or settings (403)',
    async (role) => {
      const s = await createStaff(t, role);
      const target = await createStaff(t, 'agent');
      expect((await invite(s.session, { email: `x-${role}@example.com`, name: 'X', role: 'admin' })).statusCode).toBe(
        403,
      );
      expect((await patchStaff(s.session, target.id, { role: 'admin' })).statusCode).toBe(403);
      expect((await patchStaff(s.session, s.id, { role: 'admin' })).statusCode).toBe(403);
      const settings = await t.app.inject({
        method: 'PATCH',
        url: '/api/v1/settings',
        headers: s.session,
        payload: { deskName: 'Mine' },
      });
      expect(settings.statusCode).toBe(403);
      expect(settings.json().code).toBe('FORBIDDEN');
    },
  );
});

describe('my profile and password', () => {
  it('changes my name and language, refusing unknown languages', async () => {
    const agent = await createStaff(t, 'agent');
    const ok = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: agent.session,
      payload: { name: 'অমিত', locale: 'bn' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ name: 'অমিত', locale: 'bn' });
    const bad = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: agent.session,
      payload: { locale: 'fr' },
    });
    expect(bad.statusCode).toBe(400);
    const roleGrab = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: agent.session,
      payload: { role: 'admin' },
    });
    expect(roleGrab.statusCode).toBe(400);
    expect((await rows<{ role: string }>(sql`SELECT role FROM staff_users WHERE id = ${agent.id}`))[0]?.role).toBe(
      'agent',
    );
  });

  it('changes my password after checking the current one, and ends my other sessions', async () => {
    const { inviteUrl } = (await invite(admin.bearer, { email: 'pw@example.com', name: 'Pw', role: 'agent' })).json();
    const here = browserFrom(await accept({ token: tokenOf(inviteUrl), password: 'first password here' }));
    const elsewhere = browserFrom(await login(t.app, 'pw@example.com', 'first password here'));

    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: here.headers,
      payload: { currentPassword: 'not my password', newPassword: 'second password here' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors[0].path).toBe('currentPassword');
    const short = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: here.headers,
      payload: { currentPassword: 'first password here', newPassword: 'short' },
    });
    expect(short.statusCode).toBe(400);

    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/me/password',
      headers: here.headers,
      payload: { currentPassword: 'first password here', newPassword: 'second password here' },
    });
    expect(ok.statusCode).toBe(204);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: here.cookie } })).statusCode,
    ).toBe(200);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: elsewhere.cookie } }))
        .statusCode,
    ).toBe(401);
    expect((await login(t.app, 'pw@example.com', 'first password here')).statusCode).toBe(401);
    expect((await login(t.app, 'pw@example.com', 'second password here')).statusCode).toBe(200);
  });
});

describe('desk settings', () => {
  it('starts from the defaults', async () => {
    const agent = await createStaff(t, 'agent');
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/settings', headers: agent.bearer });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ collaboratorRepliesNeedApproval: false, deskName: 'Seva', defaultLocale: 'en' });
  });

  it('lets an admin change settings, which getSettings then reads, with an event', async () => {
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/settings',
      headers: admin.session,
      payload: { collaboratorRepliesNeedApproval: true, deskName: 'সেবা ডেস্ক' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ collaboratorRepliesNeedApproval: true, deskName: 'সেবা ডেস্ক', defaultLocale: 'en' });
    expect(await getSettings(t.deps.db)).toEqual(res.json());
    const { rows: ev } = await t.deps.db.execute<{ payload: { changes: Record<string, unknown> } }>(
      sql`SELECT payload FROM events WHERE type = 'settings.updated' ORDER BY id DESC LIMIT 1`,
    );
    expect(ev[0]?.payload.changes).toEqual({ collaboratorRepliesNeedApproval: true, deskName: 'সেবা ডেস্ক' });
    const partial = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/settings',
      headers: admin.bearer,
      payload: { defaultLocale: 'hi' },
    });
    expect(partial.json()).toEqual({
      collaboratorRepliesNeedApproval: true,
      deskName: 'সেবা ডেস্ক',
      defaultLocale: 'hi',
    });
  });

  it('refuses invalid settings with field errors', async () => {
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/settings',
      headers: admin.bearer,
      payload: { collaboratorRepliesNeedApproval: 'yes', defaultLocale: 'de', unknown: 1 },
    });
    expect(res.statusCode).toBe(400);
  });

  it('falls back to the default when a stored value is malformed', async () => {
    await t.deps.db.execute(
      sql`UPDATE settings SET value = '"not a boolean"' WHERE key = 'collaborator_replies_need_approval'`,
    );
    expect((await getSettings(t.deps.db)).collaboratorRepliesNeedApproval).toBe(false);
  });
});
