/**
 * `npm run bench -- [--scale 10000] [--duration 10] [--connections 10]`
 * Seeds data with bulk SQL, starts Seva as a separate process on real PostgreSQL, drives load over loopback with
 * autocannon, measures the machine's ceilings in the same run (bare Fastify; pgbench when installed) and writes
 * bench/results/latest.{json,md}.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { parseArgs } from '../apps/server/src/cli/args.ts';
import { connectDatabase } from '../apps/server/src/platform/db/client.ts';
import { startEmbeddedPostgres } from '../apps/server/src/platform/db/embedded.ts';
import { findFreePort } from '../apps/server/src/platform/db/free-port.ts';
import { runMigrations } from '../apps/server/src/platform/db/migrate.ts';
import { createStaffUser } from '../apps/server/src/modules/staff/staff.service.ts';
import { createApiToken } from '../apps/server/src/modules/tokens/tokens.service.ts';
import { type LoadResult, runLoad } from './load.ts';
import { seedTickets } from './seed.ts';
import { writeReport } from './report.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { flags } = parseArgs(process.argv.slice(2));
const scale = Number(flags.scale ?? 10_000);
const duration = Number(flags.duration ?? 10);
const connections = Number(flags.connections ?? 10);
const log = (m: string) => process.stdout.write(`[bench] ${m}\n`);

function procStats(pid: number): { cpuTicks: number; rssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  const cpuTicks = Number(stat[11]) + Number(stat[12]);
  const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpuTicks, rssMb: Math.round(Number(rss?.[1] ?? 0) / 1024) };
}

async function waitFor(url: string, child: ChildProcess, output: string[]): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${output.join('')}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not become ready at ${url}:\n${output.join('')}`);
}

async function main(): Promise<void> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'seva-bench-'));
  await fs.chmod(dataDir, 0o755);
  const handle = process.env.DATABASE_URL
    ? { url: process.env.DATABASE_URL, owned: false, stop: async () => {} }
    : await startEmbeddedPostgres({ dataDir });
  const children: ChildProcess[] = [];
  try {
    log(`database ready; migrating`);
    await runMigrations(handle.url);
    const client = new pg.Client({ connectionString: handle.url });
    await client.connect();
    const seed = await seedTickets(client, scale, log);
    log(`seeded ${seed.tickets} tickets in ${seed.seconds.toFixed(1)} s`);
    const dbSize = (await client.query<{ s: string }>('SELECT pg_size_pretty(pg_database_size(current_database())) AS s')).rows[0]?.s;
    await client.end();

    const database = connectDatabase(handle.url, { max: 2 });
    const admin = await createStaffUser({ db: database.db }, {
      actor: { kind: 'system' },
      email: `bench-${Date.now()}@example.com`,
      password: 'bench-password-123',
      name: 'Bench Admin',
      role: 'admin',
    });
    const { token } = await createApiToken({ db: database.db }, { actor: { kind: 'system' }, userId: admin.id, name: 'bench' });
    await database.close();

    const port = await findFreePort();
    const output: string[] = [];
    const server = spawn(process.execPath, [path.join(root, 'apps/server/bin/seva.js'), 'serve'], {
      env: {
        ...process.env,
        DATABASE_URL: handle.url,
        PORT: String(port),
        HOST: '127.0.0.1',
        SEVA_LOG_LEVEL: 'warn',
        SEVA_RATE_LIMIT_PER_MINUTE: '100000000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(server);
    server.stdout?.on('data', (d) => output.push(String(d)));
    server.stderr?.on('data', (d) => output.push(String(d)));
    const base = `http://127.0.0.1:${port}`;
    const startedAt = Date.now();
    await waitFor(`${base}/health`, server, output).catch(() => waitFor(`${base}/api/v1/openapi.json`, server, output));
    const coldStartMs = Date.now() - startedAt;
    const pid = server.pid as number;
    const idle = procStats(pid);

    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const rnd = (n: number) => 1 + Math.floor(Math.random() * n);
    const firstNumber = 1000;
    const scenarios: Array<Omit<Parameters<typeof runLoad>[0], 'url' | 'headers' | 'duration' | 'connections'>> = [
      { name: 'inbox: open tickets, newest first', next: () => ({ path: '/api/v1/tickets?view=all&status=open&limit=50' }) },
      { name: 'inbox: urgent, oldest first', next: () => ({ path: '/api/v1/tickets?view=all&priority=urgent&sort=updated_asc&limit=50' }) },
      { name: 'ticket page: ticket', next: () => ({ path: `/api/v1/tickets/${firstNumber + rnd(scale)}` }) },
      { name: 'ticket page: messages', next: () => ({ path: `/api/v1/tickets/${firstNumber + rnd(scale)}/messages` }) },
      { name: 'search: rare word', next: () => ({ path: `/api/v1/search?q=ord${String(rnd(scale)).padStart(7, '0')}` }) },
      { name: 'search: common English word', next: () => ({ path: '/api/v1/search?q=refund' }) },
      { name: 'search: common Bengali word', next: () => ({ path: `/api/v1/search?q=${encodeURIComponent('টাকা')}` }) },
      { name: 'search: common Hindi word', next: () => ({ path: `/api/v1/search?q=${encodeURIComponent('पैसे')}` }) },
      {
        name: 'ticket create',
        method: 'POST',
        next: () => ({
          path: '/api/v1/tickets',
          body: JSON.stringify({
            subject: `Bench ticket ${Math.random().toString(36).slice(2)}`,
            customer: { email: `load${rnd(5000)}@example.com`, name: 'Load Test' },
            message: { body: 'My refund has not arrived yet, please help.' },
          }),
        }),
      },
    ];
    const results: Array<LoadResult & { cpuPercent: number; rssMb: number }> = [];
    for (const s of scenarios) {
      const before = procStats(pid);
      const t0 = Date.now();
      const r = await runLoad({ ...s, url: base, headers, duration, connections });
      const after = procStats(pid);
      const cpuPercent = Math.round(((after.cpuTicks - before.cpuTicks) / 100 / ((Date.now() - t0) / 1000)) * 100);
      results.push({ ...r, cpuPercent, rssMb: after.rssMb });
      log(`${s.name}: ${r.rps} req/s p95 ${r.p95} ms p99 ${r.p99} ms errors ${r.errors} status ${JSON.stringify(r.statusCodes)}`);
    }
    if (results.some((r) => Object.keys(r.statusCodes).some((c) => c.startsWith('5')))) {
      log(`server errors seen; last server output:\n${output.join('').slice(-3000)}`);
    }
    server.kill('SIGTERM');

    // Ceiling 1: bare Fastify hello-world in its own process.
    const helloPort = await findFreePort();
    const hello = spawn(process.execPath, ['-e', `require('fastify')().get('/', async () => ({ hello: 'world' })).listen({ port: ${helloPort}, host: '127.0.0.1' })`], {
      cwd: root,
      stdio: 'ignore',
    });
    children.push(hello);
    await waitFor(`http://127.0.0.1:${helloPort}/`, hello, []);
    const helloResult = await runLoad({ name: 'ceiling: bare Fastify hello-world', url: `http://127.0.0.1:${helloPort}`, headers: {}, duration, connections, next: () => ({ path: '/' }) });
    hello.kill('SIGTERM');

    // Ceiling 2: pgbench running the equivalent insert transaction (ticket + first message + event), if installed.
    const pgbench = ['/usr/lib/postgresql/18/bin/pgbench', '/usr/lib/postgresql/17/bin/pgbench', '/usr/lib/postgresql/16/bin/pgbench', '/usr/lib/postgresql/15/bin/pgbench'].find((p) => existsSync(p));
    let pgbenchTps: number | null = null;
    if (pgbench) {
      const script = path.join(dataDir, 'insert.sql');
      await fs.writeFile(
        script,
        `BEGIN;
WITH t AS (INSERT INTO tickets (id, subject, channel, customer_id, search_text, last_seq, message_count) VALUES (gen_random_uuid(), 'pgbench ticket', 'api', (SELECT id FROM customers LIMIT 1), 'pgbench ticket', 1, 1) RETURNING id),
     m AS (INSERT INTO messages (ticket_id, seq, kind, author_type, channel, body_text, search_text) SELECT id, 1, 'public', 'customer', 'api', 'My refund has not arrived yet', 'my refund has not arrived yet' FROM t)
INSERT INTO events (type, ticket_id, actor_type) SELECT 'ticket.created', id, 'system' FROM t;
COMMIT;
`,
      );
      const out = execFileSync(pgbench, ['-n', '-c', String(connections), '-j', '2', '-T', String(duration), '-f', script, handle.url], { encoding: 'utf8' });
      pgbenchTps = Number(/tps = ([\d.]+)/.exec(out)?.[1] ?? 0);
      log(`pgbench insert transaction: ${pgbenchTps} tps`);
    } else {
      log('pgbench not installed (apt-get install postgresql): that ceiling is left out of this run');
    }

    await writeReport(path.join(root, 'bench/results'), {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? '', memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version },
      scale,
      duration,
      connections,
      seed,
      databaseSize: dbSize ?? '',
      coldStartMs,
      idleRssMb: idle.rssMb,
      results,
      ceilings: { fastifyHelloRps: helloResult.rps, pgbenchInsertTps: pgbenchTps },
    });
    log('report written to bench/results/latest.md');
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await handle.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
