import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliOn, type SevaServer, startServer } from './support/server.ts';

/**
 * The two-command promise, without a browser: `seva migrate` + `seva serve` on a data directory, the CLI working
 * against it while the server runs and while it does not, and a restart on the same directory keeping everything.
 */
let dataDir = '';
const servers: SevaServer[] = [];

afterAll(async () => {
  for (const s of servers) await s.stop().catch(() => undefined);
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
});

async function json(server: SevaServer, url: string, init: RequestInit & { token?: string } = {}) {
  const res = await fetch(`${server.baseUrl}${url}`, {
    ...init,
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.body ? { 'content-type': 'application/json' } : {}),
    },
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('two commands on one data directory', () => {
  it('keeps the desk across a restart, and the CLI works with and without a running server', async () => {
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'seva-restart-'));
    const first = await startServer({ dataDir, keepData: true });
    servers.push(first);
    expect((await json(first, '/api/v1/setup/status')).body).toEqual({ needsSetup: true });

    // the CLI while the server runs on the same directory
    const created = await first.runCli(['admin', 'create', '--email', 'asha@example.com', '--password', 'a long enough password', '--name', 'Asha Admin']);
    expect(created.code, created.stderr).toBe(0);
    const tokenRun = await first.runCli(['token', 'create', '--email', 'asha@example.com', '--name', 'restart-test']);
    expect(tokenRun.code, tokenRun.stderr).toBe(0);
    const token = tokenRun.stdout.trim().split('\n').pop() as string;
    expect((await json(first, '/api/v1/setup/status')).body).toEqual({ needsSetup: false });

    const ticket = await json(first, '/api/v1/tickets', {
      method: 'POST',
      token,
      body: JSON.stringify({
        subject: 'অর্ডার এখনও আসেনি',
        customer: { email: 'rina@example.com', name: 'Rina Das' },
        message: { body: 'আমার অর্ডার দুই সপ্তাহ ধরে আসেনি।' },
      }),
    });
    expect(ticket.status).toBe(201);
    await first.stop();

    // the CLI with no server running: it starts the embedded database itself, and leaves nothing behind
    const offline = await runCliOn(dataDir, ['token', 'create', '--email', 'asha@example.com', '--name', 'offline']);
    expect(offline.code, offline.stderr).toBe(0);
    const offlineToken = offline.stdout.trim().split('\n').pop() as string;

    const second = await startServer({ dataDir, keepData: true });
    servers.push(second);
    expect((await json(second, '/api/v1/setup/status')).body).toEqual({ needsSetup: false });
    const again = await json(second, `/api/v1/tickets/${ticket.body.id as string}`, { token });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ number: ticket.body.number, subject: 'অর্ডার এখনও আসেনি' });
    const found = await json(second, `/api/v1/search?q=${encodeURIComponent('অর্ডার')}`, { token: offlineToken });
    expect(found.status).toBe(200);
    expect((found.body.tickets as Array<{ id: string }>).map((x) => x.id)).toContain(ticket.body.id);
    await second.stop();
  });
});
