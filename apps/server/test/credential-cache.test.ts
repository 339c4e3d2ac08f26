import { once } from 'node:events';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { CredentialCache } from '../src/platform/auth/credential-cache.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { connectDatabase, type Database } from '../src/platform/db/client.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, heard, type TestApp } from './harness.ts';
import { recordQueryTexts } from './query-texts.ts';

/**
 * Signed-in requests resolve their credential from memory (platform/auth/credential-cache.ts). These tests hold it
 * to its promise: a credential read once is not read again, and nothing that ends or narrows one — here or in
 * another process — is ever answered from memory once it has been heard of.
 */

const clock = new ManualClock(new Date('2026-06-01T09:00:00Z'));
let t: TestApp;
let agent: TestStaff;

beforeAll(async () => {
  t = await createTestApp({ clock });
  agent = await createStaff(t, 'agent');
});
afterAll(async () => {
  await t?.close();
});

/** a report: supervisors may read it, agents may not */
const REPORT = '/api/v1/routing/reports/assignments?from=2026-06-01&to=2026-06-02';
const get = (app: FastifyInstance, headers: Record<string, string>, url = '/api/v1/tickets?limit=1') =>
  app.inject({ method: 'GET', url, headers });

/** the statements a request sends that read a credential */
async function credentialReads(run: () => Promise<unknown>): Promise<number> {
  const { texts, stop } = recordQueryTexts();
  try {
    await run();
  } finally {
    stop();
  }
  return texts.filter((x) => /from "api_tokens"|from "sessions"/.test(x)).length;
}

async function newToken(staff: TestStaff, body: Record<string, unknown> = {}): Promise<{ token: string; id: string }> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/tokens',
    headers: staff.session,
    payload: { name: 'cache test', scopes: ['tickets:read'], ...body },
  });
  expect(res.statusCode, res.body).toBe(201);
  return { token: res.json().token, id: res.json().record.id };
}

describe('credential cache', () => {
  it('reads a token or a session once, then answers from memory', async () => {
    const { token } = await newToken(agent);
    const bearer = { authorization: `Bearer ${token}` };
    expect(await credentialReads(async () => expect((await get(t.app, bearer)).statusCode).toBe(200))).toBe(1);
    expect(await credentialReads(async () => expect((await get(t.app, bearer)).statusCode).toBe(200))).toBe(0);
    const fresh = await createStaff(t, 'agent');
    const session = { cookie: fresh.session.cookie };
    expect(await credentialReads(async () => expect((await get(t.app, session)).statusCode).toBe(200))).toBe(1);
    expect(await credentialReads(async () => expect((await get(t.app, session)).statusCode).toBe(200))).toBe(0);
  });

  it('never caches a credential that does not exist, and keeps checking CSRF on cached sessions', async () => {
    const bogus = { authorization: 'Bearer seva_not-a-real-token-at-all-0123456789abcdef' };
    for (let i = 0; i < 2; i += 1) {
      expect(await credentialReads(async () => expect((await get(t.app, bogus)).statusCode).toBe(401))).toBe(1);
    }
    await get(t.app, { cookie: agent.session.cookie });
    const noCsrf = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/me',
      headers: { cookie: agent.session.cookie },
      payload: { name: 'No CSRF' },
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().code).toBe('CSRF_FAILED');
  });

  it('refuses a revoked token on the very next request', async () => {
    const { token, id } = await newToken(agent);
    const bearer = { authorization: `Bearer ${token}` };
    expect((await get(t.app, bearer)).statusCode).toBe(200);
    const revoked = await t.app.inject({ method: 'DELETE', url: `/api/v1/tokens/${id}`, headers: agent.session });
    expect(revoked.statusCode, revoked.body).toBe(204);
    expect((await get(t.app, bearer)).statusCode).toBe(401);
  });

  it('refuses a signed-out session on the very next request', async () => {
    const other = await createStaff(t, 'agent');
    expect((await get(t.app, { cookie: other.session.cookie })).statusCode).toBe(200);
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: other.session });
    expect(out.statusCode, out.body).toBeLessThan(300);
    expect((await get(t.app, { cookie: other.session.cookie })).statusCode).toBe(401);
  });

  it('applies a role change and a disabling made by an admin at once', async () => {
    const admin = await createStaff(t, 'admin');
    const sup = await createStaff(t, 'supervisor');
    expect((await get(t.app, sup.bearer, REPORT)).statusCode).toBe(200);
    const demoted = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/staff/${sup.id}`,
      headers: admin.session,
      payload: { role: 'agent' },
    });
    expect(demoted.statusCode, demoted.body).toBe(200);
    expect((await get(t.app, sup.bearer, REPORT)).statusCode).toBe(403);
    const disabled = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/staff/${sup.id}`,
      headers: admin.session,
      payload: { status: 'disabled' },
    });
    expect(disabled.statusCode, disabled.body).toBe(200);
    expect((await get(t.app, sup.bearer)).statusCode).toBe(401);
  });

  it('stops accepting a cached token when it expires, with nothing changed in the database', async () => {
    const expiresAt = new Date(clock.now().getTime() + 60 * 60 * 1000).toISOString();
    const { token } = await newToken(agent, { expiresAt });
    const bearer = { authorization: `Bearer ${token}` };
    expect((await get(t.app, bearer)).statusCode).toBe(200);
    clock.advance(61 * 60 * 1000);
    expect(await credentialReads(async () => expect((await get(t.app, bearer)).statusCode).toBe(401))).toBe(0);
  });

  it('is not emptied by using a credential (the last-used and last-seen touches)', async () => {
    const other = await createStaff(t, 'agent');
    await get(t.app, other.bearer);
    await get(t.app, { cookie: other.session.cookie });
    let emptied = 0;
    const count = () => {
      emptied += 1;
    };
    t.app.credentialCache.on('invalidated', count);
    try {
      clock.advance(5 * 60 * 1000);
      // both touch their row (more than a minute since the last use); a sign-in touches the staff row
      const writes = await credentialReads(async () => {
        expect((await get(t.app, other.bearer)).statusCode).toBe(200);
        expect((await get(t.app, { cookie: other.session.cookie })).statusCode).toBe(200);
      });
      expect(writes).toBe(0);
      const { rows } = await t.db.database.pool.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM api_tokens WHERE user_id = $1 AND last_used_at = $2',
        [other.id, clock.now()],
      );
      expect(rows[0]?.n).toBe(1);
      await t.db.database.pool.query('UPDATE staff_users SET last_login_at = now() WHERE id = $1', [other.id]);
      // a change that does count, sent after the touches: once it is heard, nothing else was
      await heard(t, () => t.db.database.pool.query("UPDATE staff_users SET locale = 'bn' WHERE id = $1", [other.id]));
      expect(emptied).toBe(1);
    } finally {
      t.app.credentialCache.off('invalidated', count);
    }
  });

  it('hears a change made in the database by someone else (another process, an operator)', async () => {
    const other = await createStaff(t, 'supervisor');
    expect((await get(t.app, other.bearer, REPORT)).statusCode).toBe(200);
    await heard(t, () => t.db.database.pool.query("UPDATE staff_users SET role = 'agent' WHERE id = $1", [other.id]));
    expect((await get(t.app, other.bearer, REPORT)).statusCode).toBe(403);
    await heard(t, () => t.db.database.pool.query('DELETE FROM sessions WHERE user_id = $1', [other.id]));
    expect((await get(t.app, { cookie: other.session.cookie })).statusCode).toBe(401);
    await heard(t, () =>
      t.db.database.pool.query('UPDATE api_tokens SET scopes = $2 WHERE user_id = $1', [other.id, ['tickets:read']]),
    );
    expect((await get(t.app, other.bearer)).statusCode).toBe(200);
    expect((await get(t.app, other.bearer, '/api/v1/customers')).statusCode).toBe(403);
  });

  it('goes to the database while its listening connection is down, and caches again once it is back', async () => {
    const other = await createStaff(t, 'agent');
    await get(t.app, other.bearer);
    const cache = t.app.credentialCache;
    const pid = await cache.channelListener.backendPid();
    expect(pid).not.toBeNull();
    const down = once(cache.channelListener, 'state');
    await t.db.database.pool.query('SELECT pg_terminate_backend($1)', [pid]);
    expect((await down)[0]).toBe('down');
    // while deaf, a change is not heard — so every request reads
    await t.db.database.pool.query("UPDATE staff_users SET name = 'Renamed While Deaf' WHERE id = $1", [other.id]);
    for (let i = 0; i < 2; i += 1) {
      expect(await credentialReads(async () => expect((await get(t.app, other.bearer)).statusCode).toBe(200))).toBe(1);
    }
    await waitUntil(() => cache.ready);
    await get(t.app, other.bearer);
    expect(await credentialReads(() => get(t.app, other.bearer))).toBe(0);
  });

  it('two apps on one database: a token revoked elsewhere is refused once the notification arrives', async () => {
    const second = await secondProcess(t.db.url);
    try {
      const { token, id } = await newToken(agent);
      const bearer = { authorization: `Bearer ${token}` };
      expect((await get(second.app, bearer)).statusCode).toBe(200);
      expect(await credentialReads(() => get(second.app, bearer))).toBe(0);
      // revoked on a connection of its own, as another process would: no local emptying here, only the NOTIFY
      const emptied = once(second.app.credentialCache, 'invalidated');
      await t.db.database.pool.query('UPDATE api_tokens SET revoked_at = now() WHERE id = $1', [id]);
      await emptied;
      expect((await get(second.app, bearer)).statusCode).toBe(401);
    } finally {
      await second.close();
    }
  });
});

describe('CredentialCache', () => {
  it('drops an answer read before it was emptied, and keeps one read after', async () => {
    const cache = new CredentialCache({ databaseUrl: t.db.url, log: { warn() {} } });
    await cache.start();
    try {
      await waitUntil(() => cache.ready);
      const before = cache.generation;
      cache.invalidate(); // a change was heard while the read was on its way
      cache.set('t:x', { stale: true }, before);
      expect(cache.get('t:x')).toBeUndefined();
      cache.set('t:x', { stale: false }, cache.generation);
      expect(cache.get('t:x')).toEqual({ stale: false });
    } finally {
      await cache.stop();
    }
  });

  it('keeps at most maxEntries and nothing older than maxAgeMs', async () => {
    const cache = new CredentialCache({ databaseUrl: t.db.url, log: { warn() {} }, maxEntries: 2, maxAgeMs: 50 });
    await cache.start();
    try {
      await waitUntil(() => cache.ready);
      for (const k of ['a', 'b', 'c']) cache.set(k, k, cache.generation);
      expect(cache.size).toBe(2);
      expect(cache.get('a')).toBeUndefined();
      expect(cache.get('c')).toBe('c');
      await new Promise((r) => setTimeout(r, 80));
      expect(cache.get('c')).toBeUndefined();
    } finally {
      await cache.stop();
    }
  });
});

describe('when notifications cannot be trusted', () => {
  it('stays off if its own probe is never heard (as behind a pooler in transaction mode), and says so', async () => {
    const warnings: string[] = [];
    const cache = new CredentialCache({
      databaseUrl: t.db.url,
      // the probe goes to another database, so the listener never hears it
      probeUrl: inject('pgAdminUrl'),
      probeTimeoutMs: 300,
      log: { warn: (_o, msg) => warnings.push(msg) },
    });
    await cache.start();
    try {
      expect(cache.channelListener.isListening).toBe(true);
      expect(cache.ready).toBe(false);
      expect(warnings.some((w) => w.startsWith('credential cache off'))).toBe(true);
      cache.set('t:x', 'x', cache.generation);
      expect(cache.get('t:x')).toBeUndefined();
    } finally {
      await cache.stop();
    }
  });

  it('reads the credential on every request with SEVA_CREDENTIAL_CACHE=off', async () => {
    const off = await createTestApp({ env: { SEVA_CREDENTIAL_CACHE: 'off' } });
    try {
      const staff = await createStaff(off, 'agent');
      for (let i = 0; i < 2; i += 1) {
        expect(await credentialReads(async () => expect((await get(off.app, staff.bearer)).statusCode).toBe(200))).toBe(
          1,
        );
      }
    } finally {
      await off.close();
    }
  });
});

async function waitUntil(ok: () => boolean, ms = 10_000): Promise<void> {
  const start = Date.now();
  while (!ok()) {
    if (Date.now() - start > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A second Seva app on the same database, as a second process would be. */
async function secondProcess(url: string): Promise<{ app: FastifyInstance; close(): Promise<void> }> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'seva-test-second-'));
  const database: Database = connectDatabase(url, { max: 4 });
  const config = loadConfig({ NODE_ENV: 'test', SEVA_DATA_DIR: dataDir, SEVA_LOG_LEVEL: 'silent', SEVA_ROLES: 'api' });
  const app = await buildApp({ config, database, clock, logger: false });
  await app.ready();
  return {
    app,
    close: async () => {
      await app.close();
      await database.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}
