import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './harness.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('the application shell', () => {
  it('serves an OpenAPI 3.1 document', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.json().openapi).toBe('3.1.0');
  });

  it('sends IETF rate-limit headers on API responses', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(Number(res.headers['ratelimit-limit'])).toBe(t.config.rateLimitPerMinute);
    expect(Number(res.headers['ratelimit-remaining'])).toBeLessThan(t.config.rateLimitPerMinute);
  });

  it('answers unknown API paths with problem+json', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/does-not-exist' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe('NOT_FOUND');
  });

  it('refuses to register an API route without an authorisation policy', async () => {
    const { buildApp } = await import('../src/app.ts');
    const app = await buildApp({ config: t.config, database: t.db.database, logger: false });
    expect(() => app.register(async (api) => api.get('/api/v1/unguarded', async () => ({})))).not.toThrow();
    await expect(app.ready()).rejects.toThrow(/no authorisation policy/);
  });

  it('runs on a database with a UTF-8 ctype so Bengali trigrams work', async () => {
    const { rows } = await t.db.database.pool.query<{ s: number }>(
      `SELECT similarity('বাংলাদেশ', 'বাংলাদেশে') AS s`,
    );
    expect(rows[0]?.s).toBeGreaterThan(0.5);
  });
});
