import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../src/platform/auth/tokens.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, heard, type TestApp } from './harness.ts';

let t: TestApp;
let admin: TestStaff;
let agent: TestStaff;
const clock = new ManualClock(new Date('2026-05-04T10:00:00Z'));

beforeAll(async () => {
  t = await createTestApp({ clock });
  admin = await createStaff(t, 'admin');
  agent = await createStaff(t, 'agent');
});
afterAll(async () => {
  await t?.close();
});

const create = (headers: Record<string, string>, body: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/api/v1/tokens', headers, payload: body });
const list = (headers: Record<string, string>, query = '') =>
  t.app.inject({ method: 'GET', url: `/api/v1/tokens${query}`, headers });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('API tokens', () => {
  it('creates a token, shows the raw value once and stores only its hash', async () => {
    const res = await create(agent.session, { name: 'Zapier', scopes: ['tickets:read', 'tickets:write'] });
    expect(res.statusCode).toBe(201);
    const { token, record } = res.json();
    expect(token).toMatch(/^seva_[A-Za-z0-9_-]{40,}$/);
    expect(record).toMatchObject({
      name: 'Zapier',
      scopes: ['tickets:read', 'tickets:write'],
      userId: agent.id,
      revokedAt: null,
    });
    expect(token.startsWith(record.prefix)).toBe(true);
    const { rows } = await t.deps.db.execute<{ token_hash: string }>(
      sql`SELECT token_hash FROM api_tokens WHERE id = ${record.id}`,
    );
    expect(rows[0]?.token_hash).toBe(sha256Hex(token));
    const listed = await list(agent.session);
    expect(listed.body).not.toContain(token);
    expect(listed.body).not.toContain('token_hash');
    expect(listed.body).not.toContain(sha256Hex(token));
  });

  it("lists only my own tokens, and everyone's only for admins with ?all=1", async () => {
    await create(admin.session, { name: 'admin-ci', scopes: ['tickets:read'] });
    const mine = (await list(agent.session)).json().items as { userId: string }[];
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((i) => i.userId === agent.id)).toBe(true);
    expect((await list(agent.session, '?all=1')).statusCode).toBe(403);
    const all = (await list(admin.session, '?all=1')).json().items as { userId: string }[];
    expect(new Set(all.map((i) => i.userId))).toEqual(new Set([admin.id, agent.id]));
  });

  it("refuses the 'admin' scope to anyone but an admin", async () => {
    const res = await create(agent.session, { name: 'escalate', scopes: ['admin'] });
    expect(res.statusCode).toBe(403);
    const ok = await create(admin.session, { name: 'provisioning', scopes: ['admin'] });
    expect(ok.statusCode).toBe(201);
    const staff = await t.app.inject({ method: 'GET', url: '/api/v1/staff', headers: bearer(ok.json().token) });
    expect(staff.statusCode).toBe(200);
  });

  it('refuses unknown scopes, no scopes, and an expiry in the past', async () => {
    expect((await create(agent.session, { name: 'x', scopes: ['root'] })).statusCode).toBe(400);
    expect((await create(agent.session, { name: 'x', scopes: [] })).statusCode).toBe(400);
    const past = await create(agent.session, {
      name: 'x',
      scopes: ['tickets:read'],
      expiresAt: '2020-01-01T00:00:00Z',
    });
    expect(past.statusCode).toBe(400);
    expect(past.json().errors[0].path).toBe('expiresAt');
  });

  it('limits a token to its scopes: a tickets:read token gets 403 on writes it has no scope for', async () => {
    const { token } = (await create(admin.session, { name: 'read only', scopes: ['tickets:read'] })).json();
    const read = await t.app.inject({ method: 'GET', url: '/api/v1/staff', headers: bearer(token) });
    expect(read.statusCode).toBe(200);
    const mint = await create(bearer(token), { name: 'more', scopes: ['tickets:read'] });
    expect(mint.statusCode).toBe(403);
    const inviteRes = await t.app.inject({
      method: 'POST',
      url: '/api/v1/staff/invitations',
      headers: bearer(token),
      payload: { email: 'via-token@example.com', name: 'T', role: 'agent' },
    });
    expect(inviteRes.statusCode).toBe(403);
    const settings = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/settings',
      headers: bearer(token),
      payload: { deskName: 'X' },
    });
    expect(settings.statusCode).toBe(403);
  });

  it("never lets a token exceed its owner's role, even with the admin scope", async () => {
    const { token } = (await create(admin.session, { name: 'admin scope', scopes: ['admin'] })).json();
    // used once, so the credential is cached when the role changes
    const before = await t.app.inject({ method: 'GET', url: '/api/v1/settings', headers: bearer(token) });
    expect(before.statusCode).toBe(200);
    // a change made straight in the database (as another process or an operator would) is heard over NOTIFY
    await heard(t, () => t.deps.db.execute(sql`UPDATE staff_users SET role = 'agent' WHERE id = ${admin.id}`));
    try {
      const res = await t.app.inject({
        method: 'PATCH',
        url: '/api/v1/settings',
        headers: bearer(token),
        payload: { deskName: 'X' },
      });
      expect(res.statusCode).toBe(403);
    } finally {
      await heard(t, () => t.deps.db.execute(sql`UPDATE staff_users SET role = 'admin' WHERE id = ${admin.id}`));
    }
  });

  it('stops accepting a token after it expires', async () => {
    const expiresAt = new Date(clock.now().getTime() + 60 * 60 * 1000).toISOString();
    const { token } = (
      await create(agent.session, { name: 'short-lived', scopes: ['tickets:read'], expiresAt })
    ).json();
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/staff', headers: bearer(token) })).statusCode).toBe(200);
    clock.advance(60 * 60 * 1000 + 1);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/staff', headers: bearer(token) })).statusCode).toBe(401);
  });

  it('revokes my own token; it stops working at once and revoking twice is harmless', async () => {
    const created = (await create(agent.session, { name: 'to revoke', scopes: ['tickets:read'] })).json();
    const res = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/tokens/${created.record.id}`,
      headers: agent.session,
    });
    expect(res.statusCode).toBe(204);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/staff', headers: bearer(created.token) })).statusCode,
    ).toBe(401);
    const again = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/tokens/${created.record.id}`,
      headers: agent.session,
    });
    expect(again.statusCode).toBe(204);
    const listed = (await list(agent.session)).json().items.find((i: { id: string }) => i.id === created.record.id);
    expect(listed.revokedAt).toBe(clock.now().toISOString());
    const { rows } = await t.deps.db.execute(
      sql`SELECT 1 FROM events WHERE type = 'token.revoked' AND payload->>'tokenId' = ${created.record.id}`,
    );
    expect(rows).toHaveLength(1);
  });

  it("answers 404 when someone revokes another person's token, but lets an admin revoke it", async () => {
    const created = (await create(admin.session, { name: 'admin own', scopes: ['tickets:read'] })).json();
    const other = await createStaff(t, 'supervisor');
    const res = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/tokens/${created.record.id}`,
      headers: other.session,
    });
    expect(res.statusCode).toBe(404);
    const agentsToken = (await create(agent.session, { name: 'agent own', scopes: ['tickets:read'] })).json();
    const byAdmin = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/tokens/${agentsToken.record.id}`,
      headers: admin.session,
    });
    expect(byAdmin.statusCode).toBe(204);
  });
});
