import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../src/platform/auth/tokens.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { browserFrom, freshIp, login } from './auth-helpers.ts';
import { createStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';

let t: TestApp;
const clock = new ManualClock(new Date('2026-03-02T09:00:00Z'));
const ADMIN = { email: 'Founder@Example.com', password: 'correct horse battery', name: 'Asha Founder' };

beforeAll(async () => {
  t = await createTestApp({ clock });
});
afterAll(async () => {
  await t?.close();
});

const q = async <T extends Record<string, unknown>>(query: ReturnType<typeof sql>) =>
  (await t.deps.db.execute<T>(query)).rows;

describe('first-run setup', () => {
  it('reports that setup is needed while there are no staff', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/setup/status' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ needsSetup: true });
  });

  it('refuses a weak password with a field error and creates nobody', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/setup',
      payload: { email: 'x@example.com', password: 'short', name: 'X' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toContain('password');
    expect((await q<{ n: number }>(sql`SELECT count(*)::int AS n FROM staff_users`))[0]?.n).toBe(0);
  });

  it('lets exactly one of two concurrent setups create the first admin, and signs them in', async () => {
    const [a, b] = await Promise.all([
      t.app.inject({ method: 'POST', url: '/api/v1/setup', payload: { ...ADMIN, locale: 'bn' } }),
      t.app.inject({
        method: 'POST',
        url: '/api/v1/setup',
        payload: { email: 'intruder@example.com', password: 'another long password', name: 'Intruder' },
      }),
    ]);
    const statuses = [a.statusCode, b.statusCode].sort();
    expect(statuses).toEqual([201, 409]);
    const loser = a.statusCode === 409 ? a : b;
    expect(loser.json().code).toBe('SETUP_ALREADY_DONE');
    const staff = await q<{ email: string; role: string }>(sql`SELECT email, role FROM staff_users`);
    expect(staff).toHaveLength(1);
    expect(staff[0]?.role).toBe('admin');

    const winner = a.statusCode === 201 ? a : b;
    const body = winner.json();
    expect(body.user.role).toBe('admin');
    expect(body.user.status).toBe('active');
    expect(body.permissions).toContain('staff:manage');
    expect(body.csrfToken).toEqual(expect.any(String));
    const browser = browserFrom(winner);
    const session = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/session',
      headers: { cookie: browser.cookie },
    });
    expect(session.statusCode).toBe(200);
    expect(session.json().user.email).toBe(body.user.email);
  });

  it('refuses a second setup once staff exist', async () => {
    const status = await t.app.inject({ method: 'GET', url: '/api/v1/setup/status' });
    expect(status.json()).toEqual({ needsSetup: false });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/setup',
      payload: { email: 'late@example.com', password: 'a long enough password', name: 'Late' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('SETUP_ALREADY_DONE');
  });
});

describe('signing in', () => {
  it('signs in with the right password regardless of email case and sets a hardened session cookie', async () => {
    // the first setup may have been won by either request; sign in the founder only if they won
    const [row] = await q<{ email: string }>(sql`SELECT email FROM staff_users`);
    const password = row?.email === 'founder@example.com' ? ADMIN.password : 'another long password';
    const res = await login(t.app, `  ${row?.email.toUpperCase()} `, password);
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const c = res.cookies.find((k) => k.name === 'seva_session');
    expect(c).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/', maxAge: 14 * 24 * 60 * 60 });
    expect(c?.secure).toBeFalsy();
    expect(res.json().user.lastLoginAt).toBe(clock.now().toISOString());

    // only the sha256 of the cookie value is stored, and the session lives 14 days
    const stored = await q<{ id_hash: string; expires_at: string }>(
      sql`SELECT id_hash, expires_at FROM sessions WHERE id_hash = ${sha256Hex(c?.value ?? '')}`,
    );
    expect(stored).toHaveLength(1);
    expect(new Date(String(stored[0]?.expires_at)).getTime()).toBe(clock.now().getTime() + 14 * 24 * 60 * 60 * 1000);
    const raw = await q(sql`SELECT 1 FROM sessions WHERE id_hash = ${c?.value ?? ''}`);
    expect(raw).toHaveLength(0);
  });

  it('marks the cookie Secure when the request came over https and secure cookies are automatic', async () => {
    const staff = await signInable('agent');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'x-forwarded-for': freshIp(), 'x-forwarded-proto': 'https' },
      payload: { email: staff.email, password: staff.password },
    });
    expect(res.statusCode).toBe(200);
    expect(res.cookies.find((k) => k.name === 'seva_session')?.secure).toBe(true);
  });

  it('answers a wrong password and an unknown account identically', async () => {
    const staff = await signInable('agent');
    const wrong = await login(t.app, staff.email, 'not the password at all');
    const unknown = await login(t.app, 'nobody-here@example.com', 'not the password at all');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    const strip = (b: Record<string, unknown>) => ({ ...b, instance: undefined });
    expect(strip(wrong.json())).toEqual(strip(unknown.json()));
    expect(wrong.json().code).toBe('INVALID_CREDENTIALS');
    expect(wrong.headers['content-type']).toBe(unknown.headers['content-type']);
    expect(wrong.cookies).toHaveLength(0);
  });

  it('takes about as long for an unknown account as for a wrong password (both verify an argon2id hash)', async () => {
    const staff = await signInable('agent');
    const time = async (email: string) => {
      const start = performance.now();
      await login(t.app, email, 'definitely wrong password');
      return performance.now() - start;
    };
    await time(staff.email); // warm the dummy hash
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 5; i++) {
      known.push(await time(staff.email));
      unknown.push(await time(`ghost${i}@example.com`));
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[2] ?? 0;
    // a missing account must not answer in a fraction of the time (no early return before hashing)
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.3);
    expect(median(known)).toBeGreaterThan(median(unknown) * 0.3);
  });

  it('locks an email for 15 minutes after 5 failures, the same way whether or not the account exists', async () => {
    const staff = await signInable('agent');
    for (const email of [staff.email, 'ghost-lock@example.com']) {
      for (let i = 0; i < 5; i++) {
        expect((await login(t.app, email, `wrong password ${i}`)).statusCode).toBe(401);
      }
    }
    const lockedReal = await login(t.app, staff.email, staff.password);
    const lockedGhost = await login(t.app, 'ghost-lock@example.com', staff.password);
    expect(lockedReal.statusCode).toBe(429);
    expect(lockedGhost.statusCode).toBe(429);
    expect(lockedReal.json().code).toBe('LOCKED_OUT');
    expect({ ...lockedReal.json(), instance: null }).toEqual({ ...lockedGhost.json(), instance: null });
    expect(lockedReal.headers['retry-after']).toBe('900');

    clock.advance(14 * 60 * 1000);
    expect((await login(t.app, staff.email, staff.password)).statusCode).toBe(429);
    clock.advance(61 * 1000);
    const ok = await login(t.app, staff.email, staff.password);
    expect(ok.statusCode).toBe(200);
    // success clears the count: four more failures do not lock
    for (let i = 0; i < 4; i++) expect((await login(t.app, staff.email, 'wrong again!')).statusCode).toBe(401);
    expect((await login(t.app, staff.email, staff.password)).statusCode).toBe(200);
  });

  it('starts counting again when failures are more than 15 minutes apart', async () => {
    const staff = await signInable('agent');
    for (let i = 0; i < 4; i++) expect((await login(t.app, staff.email, 'wrong password')).statusCode).toBe(401);
    clock.advance(16 * 60 * 1000);
    for (let i = 0; i < 4; i++) expect((await login(t.app, staff.email, 'wrong password')).statusCode).toBe(401);
    expect((await login(t.app, staff.email, staff.password)).statusCode).toBe(200);
  });

  it('does not let invited or disabled staff sign in, answering as for a wrong password', async () => {
    const disabled = await signInable('agent');
    await t.deps.db.execute(sql`UPDATE staff_users SET status = 'disabled' WHERE id = ${disabled.id}`);
    const invited = await signInable('agent');
    await t.deps.db.execute(sql`UPDATE staff_users SET status = 'invited' WHERE id = ${invited.id}`);
    for (const s of [disabled, invited]) {
      const res = await login(t.app, s.email, s.password);
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('INVALID_CREDENTIALS');
    }
  });

  it('limits sign-in attempts per IP address', async () => {
    const ip = freshIp();
    const codes: number[] = [];
    for (let i = 0; i < 21; i++) {
      codes.push((await login(t.app, `spray${i}@example.com`, 'password123456', ip)).statusCode);
    }
    expect(codes.slice(0, 20).every((c) => c === 401)).toBe(true);
    expect(codes[20]).toBe(429);
    // another address is not affected
    expect((await login(t.app, 'spray@example.com', 'password123456')).statusCode).toBe(401);
  });
});

describe('sessions, CSRF and signing out', () => {
  it('requires the CSRF header for writes made with the session cookie', async () => {
    const staff = await signInable('agent');
    const browser = browserFrom(await login(t.app, staff.email, staff.password));
    const without = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: { cookie: browser.cookie },
      payload: { name: 'Changed' },
    });
    expect(without.statusCode).toBe(403);
    expect(without.json().code).toBe('CSRF_FAILED');
    const wrong = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: { cookie: browser.cookie, 'x-csrf-token': 'forged' },
      payload: { name: 'Changed' },
    });
    expect(wrong.statusCode).toBe(403);
    const right = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: browser.headers,
      payload: { name: 'Changed' },
    });
    expect(right.statusCode).toBe(200);
    expect(right.json().name).toBe('Changed');
  });

  it('does not require CSRF for requests with a bearer token', async () => {
    const staff = await createStaff(t, 'agent');
    const res = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: staff.bearer,
      payload: { locale: 'hi' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().locale).toBe('hi');
  });

  it('returns the same CSRF token from /auth/session as at sign-in', async () => {
    const staff = await signInable('supervisor');
    const signedIn = await login(t.app, staff.email, staff.password);
    const browser = browserFrom(signedIn);
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: browser.cookie } });
    expect(res.json().csrfToken).toBe(browser.csrf);
    expect(res.json().permissions).toContain('messages:approve');
    expect(res.json().permissions).not.toContain('staff:manage');
  });

  it('lets a browser holding a cookie sign in again without a CSRF header, replacing its old session', async () => {
    const staff = await signInable('agent');
    const browser = browserFrom(await login(t.app, staff.email, staff.password));
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { cookie: browser.cookie, 'x-forwarded-for': freshIp() },
      payload: { email: staff.email, password: staff.password },
    });
    expect(res.statusCode).toBe(200);
    const fresh = browserFrom(res);
    expect(fresh.cookie).not.toBe(browser.cookie);
    const old = await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: browser.cookie } });
    expect(old.statusCode).toBe(401);
    const now = await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: fresh.cookie } });
    expect(now.statusCode).toBe(200);
  });

  it('signs out: deletes the session row and clears the cookie', async () => {
    const staff = await signInable('agent');
    const signedIn = await login(t.app, staff.email, staff.password);
    const browser = browserFrom(signedIn);
    const value = signedIn.cookies.find((k) => k.name === 'seva_session')?.value ?? '';
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: browser.headers });
    expect(res.statusCode).toBe(204);
    const cleared = res.cookies.find((k) => k.name === 'seva_session');
    expect(cleared?.value).toBe('');
    expect(cleared?.expires?.getTime()).toBeLessThan(Date.now());
    expect(await q(sql`SELECT 1 FROM sessions WHERE id_hash = ${sha256Hex(value)}`)).toHaveLength(0);
    const after = await t.app.inject({
      method: 'GET',
      url: '/api/v1/auth/session',
      headers: { cookie: browser.cookie },
    });
    expect(after.statusCode).toBe(401);
  });

  it('ends a session after 14 days', async () => {
    const staff = await signInable('agent');
    const browser = browserFrom(await login(t.app, staff.email, staff.password));
    clock.advance(14 * 24 * 60 * 60 * 1000 - 1000);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: browser.cookie } }))
        .statusCode,
    ).toBe(200);
    clock.advance(2000);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/auth/session', headers: { cookie: browser.cookie } }))
        .statusCode,
    ).toBe(401);
  });

  it('answers 401 without any credentials', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/auth/session' });
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe('UNAUTHENTICATED');
  });
});

let n = 0;
/** A staff member with a real password, created through the invitation flow by the admin's token. */
async function signInable(role: 'agent' | 'supervisor'): Promise<{ id: string; email: string; password: string }> {
  n += 1;
  const admin = await createStaff(t, 'admin');
  const email = `signin${n}@example.com`;
  const invite = await t.app.inject({
    method: 'POST',
    url: '/api/v1/staff/invitations',
    headers: admin.bearer,
    payload: { email, name: `Person ${n}`, role },
  });
  expect(invite.statusCode).toBe(201);
  const token = (invite.json().inviteUrl as string).split('/').pop();
  const password = `a good password ${n}`;
  const accepted = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/invitations/accept',
    headers: { 'x-forwarded-for': freshIp() },
    payload: { token, password },
  });
  expect(accepted.statusCode).toBe(200);
  return { id: invite.json().user.id, email, password };
}
