import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { connectDatabase } from '../src/platform/db/client.ts';
import { createTestApp, type TestApp } from './harness.ts';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
let t: TestApp;

beforeAll(async () => {
  t = await createTestApp({ env: { SEVA_METRICS_TOKEN: METRICS_TOKEN } });
});
afterAll(async () => {
  await t?.close();
});

describe('GET /health', () => {
  it('reports ok when the database answers', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: 'ok', realtime: 'ok' });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('answers 503 with database down when PostgreSQL stops answering', async () => {
    const target = new URL(t.db.url);
    const proxy = await startTcpProxy(target.hostname, Number(target.port));
    const viaProxy = new URL(t.db.url);
    viaProxy.port = String(proxy.port);
    // through the proxy's TCP port, not the embedded server's Unix socket (`?host=`)
    viaProxy.searchParams.delete('host');
    const database = connectDatabase(viaProxy.toString(), { max: 2 });
    const app = await buildApp({ config: t.config, database, logger: false });
    try {
      expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      proxy.stop();
      const res = await app.inject({ method: 'GET', url: '/health' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ status: 'error', database: 'down' });
    } finally {
      await Promise.race([app.close(), new Promise((resolve) => setTimeout(resolve, 5000))]);
      await database.close().catch(() => {});
    }
  });

  it('reports realtime off in a process without the realtime role', async () => {
    const config = loadConfig({ NODE_ENV: 'test', SEVA_DATA_DIR: t.config.dataDir, SEVA_ROLES: 'api' });
    const database = connectDatabase(t.db.url, { max: 2 });
    const app = await buildApp({ config, database, logger: false });
    try {
      const res = await app.inject({ method: 'GET', url: '/health' });
      expect(res.json()).toEqual({ status: 'ok', database: 'ok', realtime: 'off' });
    } finally {
      await app.close();
      await database.close();
    }
  });
});

describe('GET /metrics', () => {
  it('serves Prometheus text with process metrics to a loopback scraper', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '127.0.0.1' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toContain('process_cpu_user_seconds_total');
    expect(res.body).toContain('seva_websocket_connections');
    expect(res.body).toContain('seva_realtime_listener_up{app="seva"} 1');
  });

  it('times requests by route pattern, not by raw URL', async () => {
    await t.app.inject({ method: 'GET', url: '/health' });
    await t.app.inject({ method: 'GET', url: '/api/v1/tickets/123e4567-e89b-12d3-a456-426614174000' });
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.body).toMatch(
      /seva_http_request_duration_seconds_count\{[^}]*route="\/health"[^}]*method="GET"[^}]*status_code="200"[^}]*\} [1-9]/,
    );
    expect(res.body).not.toContain('123e4567-e89b-12d3-a456-426614174000');
  });

  it('refuses a remote scraper without the metrics token', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '203.0.113.7' });
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('refuses a request relayed by a local proxy even though it arrives from loopback', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/metrics',
      remoteAddress: '127.0.0.1',
      headers: { 'x-forwarded-for': '127.0.0.1' },
    });
    expect(res.statusCode).toBe(403);
  });

  it('lets a remote scraper in with the metrics token and refuses a wrong one', async () => {
    const ok = await t.app.inject({
      method: 'GET',
      url: '/metrics',
      remoteAddress: '203.0.113.7',
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(ok.statusCode).toBe(200);
    const bad = await t.app.inject({
      method: 'GET',
      url: '/metrics',
      remoteAddress: '127.0.0.1',
      headers: { authorization: 'Bearer wrong-token-wrong-token' },
    });
    expect(bad.statusCode).toBe(403);
  });

  it('keeps the metrics of two apps in one process apart', async () => {
    const database = connectDatabase(t.db.url, { max: 2 });
    const app = await buildApp({ config: t.config, database, logger: false });
    try {
      const res = await app.inject({ method: 'GET', url: '/metrics' });
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toMatch(/route="\/health"/);
    } finally {
      await app.close();
      await database.close();
    }
  });
});

/** A loopback TCP relay to PostgreSQL that a test can cut, to make the database vanish under a running app. */
async function startTcpProxy(host: string, port: number): Promise<{ port: number; stop(): void }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(port, host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no proxy port');
  return {
    port: address.port,
    stop() {
      server.close();
      for (const s of sockets) s.destroy();
    },
  };
}
