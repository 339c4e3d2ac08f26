import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safeFetch, SafeFetchError } from '../src/platform/net/safe-fetch.ts';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function listen(server: http.Server | https.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    return err instanceof SafeFetchError ? err.code : `other: ${(err as Error).message}`;
  }
}

describe('safeFetch against real loopback servers', () => {
  const seenA: Seen[] = [];
  const seenB: Seen[] = [];
  let a: http.Server;
  let b: http.Server;
  let tlsServer: https.Server;
  let portA = 0;
  let portB = 0;
  let portTls = 0;

  function handler(seen: Seen[], otherPort: () => number) {
    return (req: http.IncomingMessage, res: http.ServerResponse) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
        const u = new URL(req.url ?? '/', 'http://x');
        switch (u.pathname) {
          case '/ok':
            res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, body }));
            return;
          case '/to-b':
            res.writeHead(Number(u.searchParams.get('s') ?? 302), { location: `http://127.0.0.1:${otherPort()}/ok` }).end();
            return;
          case '/to-metadata':
            res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
            return;
          case '/to-mapped':
            res.writeHead(302, { location: `http://[::ffff:127.0.0.1]:${otherPort()}/ok` }).end();
            return;
          case '/to-file':
            res.writeHead(302, { location: 'file:///etc/passwd' }).end();
            return;
          case '/loop':
            res.writeHead(302, { location: '/loop' }).end();
            return;
          case '/slow':
            setTimeout(() => res.writeHead(200).end('late'), 2_000);
            return;
          case '/big':
            res.writeHead(200);
            res.write(Buffer.alloc(64 * 1024, 97));
            res.end(Buffer.alloc(64 * 1024, 97));
            return;
          case '/big-declared':
            res.writeHead(200, { 'content-length': String(10 * 1024 * 1024) });
            res.end('x');
            return;
          default:
            res.writeHead(404).end();
        }
      });
    };
  }

  beforeAll(async () => {
    a = http.createServer(handler(seenA, () => portB));
    b = http.createServer(handler(seenB, () => portA));
    portA = await listen(a);
    portB = await listen(b);
    const dir = mkdtempSync(join(tmpdir(), 'seva-tls-'));
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    tlsServer = https.createServer(
      { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) },
      (_req, res) => res.writeHead(200).end('secret'),
    );
    portTls = await listen(tlsServer);
  });

  afterAll(async () => {
    for (const s of [a, b, tlsServer]) await new Promise((r) => s.close(r));
  });

  it('fetches from an allowed loopback port and sends the body', async () => {
    const res = await safeFetch(`http://127.0.0.1:${portA}/ok`, {
      method: 'POST',
      body: '{"hello":1}',
      headers: { 'content-type': 'application/json' },
      allowLoopbackPorts: [portA],
    });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ ok: true, body: '{"hello":1}' });
    expect(seenA.at(-1)?.headers.host).toBe(`127.0.0.1:${portA}`);
  });

  it('refuses loopback when the port is not allowed, without connecting', async () => {
    const before = seenA.length;
    expect(await codeOf(safeFetch(`http://127.0.0.1:${portA}/ok`))).toBe('BLOCKED_ADDRESS');
    expect(await codeOf(safeFetch(`http://[::ffff:127.0.0.1]:${portA}/ok`))).toBe('BLOCKED_ADDRESS');
    expect(seenA.length).toBe(before);
  });

  it('refuses a name that resolves to a private address, and a name with any private answer', async () => {
    const before = seenA.length;
    const evil = async () => [{ address: '127.0.0.1', family: 4 as const }];
    const mixed = async () => [
      { address: '93.184.216.34', family: 4 as const },
      { address: '10.0.0.7', family: 4 as const },
    ];
    const mappedV6 = async () => [{ address: '::ffff:192.168.0.1', family: 6 as const }];
    expect(await codeOf(safeFetch(`http://evil.example:${portA}/ok`, { resolve: evil }))).toBe('BLOCKED_ADDRESS');
    expect(await codeOf(safeFetch('http://mixed.example/ok', { resolve: mixed }))).toBe('BLOCKED_ADDRESS');
    expect(await codeOf(safeFetch('http://v6.example/ok', { resolve: mappedV6 }))).toBe('BLOCKED_ADDRESS');
    expect(seenA.length).toBe(before);
  });

  it('connects to the address it checked, resolving each hop exactly once', async () => {
    let calls = 0;
    // a rebinding resolver: first answer is the allowed loopback, any later answer points elsewhere
    const rebinding = async () => {
      calls += 1;
      return calls === 1 ? [{ address: '127.0.0.1', family: 4 as const }] : [{ address: '10.9.9.9', family: 4 as const }];
    };
    const res = await safeFetch(`http://hooks.example:${portA}/ok`, { resolve: rebinding, allowLoopbackPorts: [portA] });
    expect(res.status).toBe(200);
    expect(calls).toBe(1);
    expect(seenA.at(-1)?.headers.host).toBe(`hooks.example:${portA}`);
  });

  it('follows a redirect to another allowed origin and drops credentials on the way', async () => {
    const res = await safeFetch(`http://127.0.0.1:${portA}/to-b`, {
      headers: { authorization: 'Bearer top-secret', 'x-seva-signature': 'sig' },
      allowLoopbackPorts: [portA, portB],
    });
    expect(res.status).toBe(200);
    expect(res.url).toBe(`http://127.0.0.1:${portB}/ok`);
    expect(res.redirects).toEqual([`http://127.0.0.1:${portA}/to-b`]);
    const last = seenB.at(-1);
    expect(last?.headers.authorization).toBeUndefined();
    expect(last?.headers['x-seva-signature']).toBe('sig');
  });

  it('turns a POST into a GET on 303 and keeps method and body on 307', async () => {
    await safeFetch(`http://127.0.0.1:${portA}/to-b?s=303`, { method: 'POST', body: 'payload', allowLoopbackPorts: [portA, portB] });
    expect(seenB.at(-1)).toMatchObject({ method: 'GET', body: '' });
    await safeFetch(`http://127.0.0.1:${portA}/to-b?s=307`, { method: 'POST', body: 'payload', allowLoopbackPorts: [portA, portB] });
    expect(seenB.at(-1)).toMatchObject({ method: 'POST', body: 'payload' });
  });

  it('re-checks every redirect hop: refuses a redirect to a port that is not allowed, to metadata, to mapped IPv6 and to file:', async () => {
    const beforeB = seenB.length;
    expect(await codeOf(safeFetch(`http://127.0.0.1:${portA}/to-b`, { allowLoopbackPorts: [portA] }))).toBe('BLOCKED_ADDRESS');
    expect(await codeOf(safeFetch(`http://127.0.0.1:${portA}/to-metadata`, { allowLoopbackPorts: [portA] }))).toBe('BLOCKED_ADDRESS');
    expect(await codeOf(safeFetch(`http://127.0.0.1:${portA}/to-mapped`, { allowLoopbackPorts: [portA] }))).toBe('BLOCKED_ADDRESS');
    expect(await codeOf(safeFetch(`http://127.0.0.1:${portA}/to-file`, { allowLoopbackPorts: [portA] }))).toBe('INVALID_URL');
    expect(seenB.length).toBe(beforeB);
  });

  it('stops after three redirects', async () => {
    const before = seenA.length;
    expect(await codeOf(safeFetch(`http://127.0.0.1:${portA}/loop`, { allowLoopbackPorts: [portA] }))).toBe('TOO_MANY_REDIRECTS');
    expect(seenA.length - before).toBe(4);
  });

  it('gives up at the deadline', async () => {
    const started = Date.now();
    expect(await codeOf(safeFetch(`http://127.0.0.1:${portA}/slow`, { allowLoopbackPorts: [portA], timeoutMs: 300 }))).toBe('TIMEOUT');
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('caps the response size, streamed or declared', async () => {
    expect(await codeOf(safeFetch(`http://127.0.0.1:${portA}/big`, { allowLoopbackPorts: [portA], maxResponseBytes: 100_000 }))).toBe('RESPONSE_TOO_LARGE');
    expect(await codeOf(safeFetch(`http://127.0.0.1:${portA}/big-declared`, { allowLoopbackPorts: [portA] }))).toBe('RESPONSE_TOO_LARGE');
    const ok = await safeFetch(`http://127.0.0.1:${portA}/big`, { allowLoopbackPorts: [portA], maxResponseBytes: 200_000 });
    expect(ok.body.length).toBe(128 * 1024);
  });

  it('always verifies TLS certificates (a self-signed certificate is refused)', async () => {
    const prev = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
    try {
      expect(await codeOf(safeFetch(`https://127.0.0.1:${portTls}/`, { allowLoopbackPorts: [portTls] }))).toBe('CONNECTION_FAILED');
    } finally {
      if (prev === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
      else process.env.NODE_TLS_REJECT_UNAUTHORIZED = prev;
    }
  });
});
