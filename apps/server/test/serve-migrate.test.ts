import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, SEVA_BIN, type SevaProcess, startSeva } from '../../../bench/support/seva-process.ts';
import { MIGRATIONS_DIR } from '../src/platform/db/migrate.ts';
import { createEmptyDatabase } from './harness.ts';

/**
 * What `npm start` runs: the precompiled server (`apps/server/dist/seva.mjs`, built when missing or stale) as
 * `seva serve --migrate`, which migrates and serves in one process. Two processes starting together on an empty
 * database take turns on the migration lock, so every migration is applied exactly once.
 */
const created: Array<{ drop(): Promise<void> }> = [];
const processes: SevaProcess[] = [];
let dir = '';

async function emptyDatabase(): Promise<string> {
  const db = await createEmptyDatabase();
  created.push(db);
  return db.url;
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'seva-serve-migrate-'));
  // the same check npm start makes: builds dist/seva.mjs unless it is newer than every source file
  execFileSync(process.execPath, [path.join(ROOT, 'scripts/ensure-web-build.mjs'), 'server'], {
    cwd: ROOT,
    stdio: 'ignore',
  });
}, 120_000);

afterAll(async () => {
  for (const p of processes) await p.stop().catch(() => undefined);
  for (const db of created) await db.drop();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

describe('seva serve --migrate', () => {
  it('two processes started together on an empty database migrate it once and both serve, precompiled', async () => {
    const url = await emptyDatabase();
    const start = (label: string) =>
      startSeva({
        label,
        roles: 'api,realtime',
        databaseUrl: url,
        dataDir: path.join(dir, label),
        args: ['--migrate'],
        env: { SEVA_SECRET: randomBytes(32).toString('hex'), SEVA_LOG_LEVEL: 'info' },
        timeoutMs: 90_000,
      });
    const both = await Promise.allSettled([start('a'), start('b')]);
    for (const r of both) if (r.status === 'fulfilled') processes.push(r.value);
    for (const r of both) if (r.status === 'rejected') throw r.reason;
    for (const p of processes.slice(-2)) {
      expect(p.output()).toContain('(precompiled server)');
      expect((await fetch(`${p.baseUrl}/health`)).status).toBe(200);
      // the ready line says where start-up time went: ms from the start of serve() to the end of each phase
      const ready = p
        .output()
        .split('\n')
        .find((l) => l.includes('"msg":"Seva is ready"'));
      const phases = JSON.parse(ready?.slice(ready.indexOf('{')) ?? '{}').startupMs as Record<string, number>;
      expect(Object.keys(phases)).toEqual(['database', 'migrations', 'built', 'listening']);
      const at = Object.values(phases);
      expect(at.every((ms, i) => ms >= 0 && (i === 0 || ms >= (at[i - 1] ?? 0)))).toBe(true);
    }
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ hash: string; n: number }>(
        'SELECT hash, count(*)::int AS n FROM drizzle.__drizzle_migrations GROUP BY hash',
      );
      const onDisk = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).length;
      expect(rows.length).toBe(onDisk);
      expect(rows.every((r) => r.n === 1)).toBe(true);
    } finally {
      await client.end();
    }
  }, 180_000);

  it('without --migrate, serving an unmigrated database fails with the command to run', async () => {
    const url = await emptyDatabase();
    let out = '';
    try {
      execFileSync(process.execPath, [SEVA_BIN, 'serve'], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: url, SEVA_DATA_DIR: path.join(dir, 'c'), PORT: '0', SEVA_ROLES: 'api' },
        stdio: 'pipe',
        timeout: 60_000,
      });
      expect.unreachable('seva serve should have refused');
    } catch (err) {
      const e = err as { status?: number; stderr?: Buffer };
      out = e.stderr?.toString() ?? '';
      expect(e.status).toBe(1);
    }
    expect(out).toMatch(/migration\(s\) not applied: run `npx seva migrate` first/);
    expect(out).toContain('seva serve --migrate');
  }, 90_000);
});
