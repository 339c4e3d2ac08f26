import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webModule } from '../src/modules/web/index.ts';
import { registerErrorHandling } from '../src/platform/http-errors.ts';
import { createTestApp, type TestApp } from './harness.ts';

const INDEX =
  '<!doctype html><html><head><script type="module" src="/assets/app-1a2b3c.js"></script></head><body><div id="root"></div></body></html>';

async function webApp(distDir: string): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  registerErrorHandling(app);
  await app.register(webModule, { distDir });
  await app.ready();
  return app;
}

function expectSecurityHeaders(headers: Record<string, unknown>): void {
  const csp = String(headers['content-security-policy']);
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  expect(csp).toContain("style-src 'self' 'unsafe-inline'");
  expect(csp).toContain("img-src 'self' data: blob:");
  expect(csp).toContain("connect-src 'self' ws: wss:");
  expect(csp).toContain("frame-src 'self' blob:");
  expect(csp).toContain("object-src 'none'");
  expect(csp).toContain("base-uri 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('same-origin');
  expect(headers['x-frame-options']).toBe('DENY');
}

describe('the built web app', () => {
  let dir: string;
  let app: FastifyInstance;
  const html = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'seva-web-dist-'));
    await fs.mkdir(path.join(dir, 'assets'));
    await fs.writeFile(path.join(dir, 'index.html'), INDEX);
    await fs.writeFile(path.join(dir, 'assets', 'app-1a2b3c.js'), 'console.log("seva")');
    await fs.writeFile(path.join(dir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    app = await webApp(dir);
  });
  afterAll(async () => {
    await app?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('serves index.html at / with no-cache and the security headers', async () => {
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe(INDEX);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['cache-control']).toBe('no-cache');
    expectSecurityHeaders(res.headers);
  });

  it('answers a conditional reload of index.html with 304', async () => {
    const first = await app.inject({ method: 'GET', url: '/' });
    const etag = String(first.headers.etag);
    const again = await app.inject({ method: 'GET', url: '/', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
  });

  it('caches hashed assets for a year', async () => {
    const res = await app.inject({ method: 'GET', url: '/assets/app-1a2b3c.js' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('console.log("seva")');
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.headers['content-type']).toContain('javascript');
  });

  it('answers a missing asset with 404 rather than the app', async () => {
    const res = await app.inject({ method: 'GET', url: '/assets/gone-000.js', headers: html });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('serves files at the top of dist', async () => {
    const res = await app.inject({ method: 'GET', url: '/favicon.svg' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('image/svg+xml');
  });

  it('falls back to index.html for browser navigation to app routes', async () => {
    for (const url of ['/tickets/1042', '/admin/teams?tab=members', '/inbox/mine']) {
      const res = await app.inject({ method: 'GET', url, headers: html });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toBe(INDEX);
      expectSecurityHeaders(res.headers);
    }
  });

  it('does not answer server paths with the app', async () => {
    for (const url of [
      '/api/v1/nothing',
      '/health/x',
      '/metrics/x',
      '/widget/v1/x',
      '/help/article',
      '/hooks/x',
      '/portal/tickets',
    ]) {
      const res = await app.inject({ method: 'GET', url, headers: html });
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toContain('application/problem+json');
    }
  });

  it('does not answer non-HTML requests to unknown paths with the app', async () => {
    const res = await app.inject({ method: 'GET', url: '/tickets/1042', headers: { accept: 'application/json' } });
    expect(res.statusCode).toBe(404);
  });

  it('refuses path traversal out of dist', async () => {
    for (const url of ['/..%2f..%2fetc%2fpasswd', '/assets/..%2f..%2fpackage.json', '/%2e%2e/%2e%2e/etc/passwd']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.body, url).not.toContain('root:');
      expect(res.body, url).not.toContain('"name"');
    }
  });
});

describe('when the web app has not been built', () => {
  let dir: string;
  let app: FastifyInstance;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'seva-web-empty-'));
    app = await webApp(path.join(dir, 'dist'));
  });
  afterAll(async () => {
    await app?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('explains how to build it in a plain page without scripts', async () => {
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('npm run build');
    expect(res.body).not.toContain('<script');
    expectSecurityHeaders(res.headers);
  });

  it('never reflects the requested path into the page', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/%3Cimg%20src=x%20onerror=alert(1)%3E',
      headers: { accept: 'text/html' },
    });
    expect(res.body).not.toContain('onerror');
    expect(res.body).not.toContain('<img');
  });
});

describe('the web module inside the full app', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers / with HTML carrying the security headers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/', headers: { accept: 'text/html' } });
    expect([200, 503]).toContain(res.statusCode);
    expect(res.headers['content-type']).toContain('text/html');
    expectSecurityHeaders(res.headers);
  });

  it('leaves unknown API paths to the API 404', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/does-not-exist', headers: { accept: 'text/html' } });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('NOT_FOUND');
  });

  it('keeps /health out of the app fallback', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health', headers: { accept: 'text/html' } });
    expect(res.json().status).toBe('ok');
  });
});
