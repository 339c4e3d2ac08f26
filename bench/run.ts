/**
 * `npm run bench -- [--scale 10000] [--duration 10] [--connections 10] [--only http,reports,email,chat,search,scaleout,coldstart]
 *                   [--chat-visitors 5000] [--chat-agents 100] [--chat-rate 1000] [--chat-conversations N]
 *                   [--email-concurrency 8] [--report-runs 5] [--search-connections N] [--cold-start-runs 3] [--note "…"] [--out latest]
 *                   [--warmup 3] [--http-scenario "ticket create"]`  (the last: only the HTTP scenarios whose name contains it, e.g. to profile one)
 * Seeds data with bulk SQL, starts Seva as a separate process on real PostgreSQL, drives every scenario from this
 * process over loopback, measures the machine's ceilings in the same run (bare Fastify; pgbench when installed) and
 * writes bench/results/latest.{json,md}. See docs/performance.md.
 */
import { type ChildProcess, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { parseArgs } from '../apps/server/src/cli/args.ts';
import { createStaffUser } from '../apps/server/src/modules/staff/staff.service.ts';
import { createApiToken } from '../apps/server/src/modules/tokens/tokens.service.ts';
import { TOKEN_SCOPE_NAMES } from '../apps/server/src/platform/auth/permissions.ts';
import { connectDatabase } from '../apps/server/src/platform/db/client.ts';
import { startEmbeddedPostgres } from '../apps/server/src/platform/db/embedded.ts';
import { runMigrations } from '../apps/server/src/platform/db/migrate.ts';
import { staffUsers } from '../apps/server/src/platform/db/schema/index.ts';
import { startSink } from '../apps/server/test/fakes/smtp-sink.ts';
import { type BenchReport, writeReport } from './report.ts';
import { measureCeilings } from './scenarios/ceilings.ts';
import { runChatScenario } from './scenarios/chat.ts';
import { checkNpmStartRunsThisCheckout, runColdStart } from './scenarios/cold-start.ts';
import { runEmailScenario } from './scenarios/email.ts';
import { httpScenarios } from './scenarios/http.ts';
import { httpPasses } from './scenarios/http-passes.ts';
import { runReportsScenario } from './scenarios/reports.ts';
import { runScaleOut } from './scenarios/scale-out.ts';
import { seedTickets } from './seed.ts';
import { findNginx } from './support/nginx.ts';
import { freePort, procStats, ROOT, startSeva } from './support/seva-process.ts';

const { flags } = parseArgs(process.argv.slice(2));
const num = (name: string, fallback: number) => (typeof flags[name] === 'string' ? Number(flags[name]) : fallback);
const scale = num('scale', 10_000);
const duration = num('duration', 10);
const connections = num('connections', 10);
/** seconds of unmeasured load before each flat-out HTTP scenario (0: none) */
const warmup = num('warmup', 3);
const GROUPS = ['http', 'reports', 'email', 'chat', 'search', 'scaleout', 'coldstart'] as const;
const only = new Set(typeof flags.only === 'string' ? flags.only.split(',').map((s) => s.trim()) : GROUPS);
for (const g of only)
  if (!(GROUPS as readonly string[]).includes(g))
    throw new Error(`--only: unknown scenario group ${g} (${GROUPS.join(', ')})`);
const chatVisitors = num('chat-visitors', 5000);
const chatAgents = num('chat-agents', 100);
const chatRate = num('chat-rate', 1000);
const chatConversations = num('chat-conversations', Math.min(chatVisitors, Math.max(chatAgents, chatRate)));
const emailConcurrency = num('email-concurrency', 8);
const reportRuns = num('report-runs', 5);
const searchConnections = num('search-connections', connections);
const out = typeof flags.out === 'string' ? flags.out : 'latest';
if (!/^[a-z0-9-]+$/.test(out)) throw new Error('--out: letters, digits and dashes');
const coldStartRuns = num('cold-start-runs', 3);
const log = (m: string) => process.stdout.write(`[bench] ${new Date().toISOString().slice(11, 19)} ${m}\n`);

async function main(): Promise<void> {
  // what a scenario group needs from the machine is checked before the (long) seed, not when the group's turn comes
  if (only.has('coldstart')) checkNpmStartRunsThisCheckout();
  if (only.has('scaleout')) findNginx();
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'seva-bench-'));
  await fs.chmod(dataDir, 0o755);
  // the server runs as `npm start` runs it: precompiled (built here when missing or older than its sources)
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'ensure-web-build.mjs'), 'server'], { stdio: 'inherit' });
  const handle = process.env.DATABASE_URL
    ? { url: process.env.DATABASE_URL, owned: false, stop: async () => {} }
    : await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'pg-root') });
  const children: ChildProcess[] = [];
  const stopLater: Array<() => Promise<void>> = [];
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    for (const s of stopLater.reverse()) await s().catch(() => {});
    await handle.stop();
    await fs.rm(dataDir, { recursive: true, force: true });
  };
  // Ctrl-C or a kill still stops the server, the database and the temporary directory
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: cleaning up`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  const report: BenchReport = {
    date: new Date().toISOString(),
    note: typeof flags.note === 'string' ? flags.note : '',
    machine: {
      cpus: os.cpus().length,
      model: os.cpus()[0]?.model ?? '',
      memoryGb: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
    },
    scale,
    duration,
    warmup,
    connections,
    seed: { tickets: 0, messages: 0, customers: 0, seconds: 0 },
    databaseSize: '',
    serverStartMs: 0,
    idleRssMb: 0,
    results: [],
    ceilings: { fastifyHelloRps: 0, pgbenchInsertTps: null },
  };
  try {
    log('database ready; migrating');
    await runMigrations(handle.url);
    const client = new pg.Client({ connectionString: handle.url });
    await client.connect();
    report.seed = await seedTickets(client, scale, log);
    log(`seeded ${report.seed.tickets} tickets in ${report.seed.seconds.toFixed(1)} s`);
    report.databaseSize =
      (await client.query<{ s: string }>('SELECT pg_size_pretty(pg_database_size(current_database())) AS s')).rows[0]
        ?.s ?? '';
    await client.end();

    const database = connectDatabase(handle.url, { max: 4 });
    stopLater.push(() => database.close());
    const admin = await createStaffUser(
      { db: database.db },
      {
        actor: { kind: 'system' },
        email: `bench-${Date.now()}@example.com`,
        password: 'bench-password-123',
        name: 'Bench Admin',
        role: 'admin',
      },
    );
    const scopes = [...TOKEN_SCOPE_NAMES];
    const { token } = await createApiToken(
      { db: database.db },
      { actor: { kind: 'system' }, userId: admin.id, name: 'bench', scopes },
    );

    const sink = await startSink();
    stopLater.push(() => sink.close());
    const smtpPort = await freePort();
    const serverEnv = {
      SEVA_RATE_LIMIT_PER_MINUTE: '100000000',
      SEVA_SECRET: randomBytes(32).toString('hex'),
      SEVA_SMTP_RELAY_URL: `smtp://127.0.0.1:${sink.port}`,
    };
    const server = await startSeva({
      label: 'seva',
      roles: 'api,realtime,worker',
      databaseUrl: handle.url,
      dataDir: path.join(dataDir, 'server'),
      env: { ...serverEnv, SEVA_SMTP_PORT: String(smtpPort) },
      timeoutMs: 120_000,
    });
    children.push(server.child);
    report.serverStartMs = server.readyMs;
    const base = server.baseUrl;
    const pid = server.pid;
    report.idleRssMb = procStats(pid).rssMb;
    log(`server ready in ${server.readyMs} ms, RSS ${report.idleRssMb} MB`);

    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const { measured, settle, runHttp, runHttpScenarios } = httpPasses({
      base,
      headers,
      pid,
      serverOutput: () => server.output(),
      pool: database.pool,
      report,
      duration,
      log,
    });

    if (only.has('reports')) {
      const t0 = Date.now();
      const rebuilt = await fetch(`${base}/api/v1/insights/rebuild`, {
        method: 'POST',
        headers: { authorization: headers.authorization },
      });
      if (rebuilt.status !== 200) throw new Error(`insights rebuild: ${rebuilt.status} ${await rebuilt.text()}`);
      const rebuildMs = Date.now() - t0;
      log(`insights rebuilt from the seeded tickets in ${rebuildMs} ms`);
      const timings = await runReportsScenario({ baseUrl: base, token, runs: reportRuns });
      for (const r of timings) log(`report ${r.name}: p50 ${r.p50} ms max ${r.max} ms (status ${r.status})`);
      report.reports = { runs: reportRuns, rebuildMs, timings };
    }

    const { rnd, ticketCreate, inboxOpen, scenarios } = httpScenarios(scale);
    if (only.has('http')) {
      const wanted = typeof flags['http-scenario'] === 'string' ? flags['http-scenario'] : '';
      await runHttpScenarios(scenarios, { connections, warmup, wanted, write: ticketCreate });
    }
    if (only.has('email')) {
      await settle();
      const mailbox = 'support@bench.example.com';
      const res = await fetch(`${base}/api/v1/mailboxes`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ address: mailbox, name: 'Bench support' }),
      });
      if (res.status !== 201) throw new Error(`mailbox: ${res.status} ${await res.text()}`);
      const { value, cpuPercent, rssMb } = await measured(() =>
        runEmailScenario({
          baseUrl: base,
          token,
          smtpPort,
          mailbox,
          duration,
          concurrency: emailConcurrency,
          pool: database.pool,
          log,
        }),
      );
      report.email = { ...value, cpuPercent, rssMb };
      log(
        `email: ${value.acceptPerSecond} accepted/s, ${value.visiblePerSecond} visible/s, accept-to-visible p95 ${value.acceptToVisible.p95} ms`,
      );
    }

    if (only.has('chat')) {
      await settle();
      const agentTokens: string[] = [];
      for (let i = 0; i < chatAgents; i += 1) {
        const [u] = await database.db
          .insert(staffUsers)
          .values({
            email: `agent${i}-${randomBytes(3).toString('hex')}@bench.example.com`,
            name: `Agent ${i}`,
            role: 'agent',
            status: 'active',
          })
          .returning({ id: staffUsers.id });
        if (!u) throw new Error('no agent');
        agentTokens.push(
          (
            await createApiToken(
              { db: database.db },
              { actor: { kind: 'system' }, userId: u.id, name: 'bench', scopes },
            )
          ).token,
        );
      }
      const { value, cpuPercent, rssMb } = await measured(() =>
        runChatScenario({
          baseUrl: base,
          adminToken: token,
          agentTokens,
          visitors: chatVisitors,
          conversations: chatConversations,
          rate: chatRate,
          duration,
          pool: database.pool,
          log,
        }),
      );
      report.chat = { ...value, cpuPercent, rssMb };
      log(`chat: ${value.achievedRate} msg/s, delivered ${value.delivered}/${value.sent}, p99 ${value.all.p99} ms`);
    }
    if (only.has('search')) {
      // last of the single-server scenarios: at scale a slow search leaves a backlog that would distort the others
      await runHttp(
        [
          {
            name: 'search: rare word',
            next: () => ({ path: `/api/v1/search?q=ord${String(rnd(scale)).padStart(7, '0')}` }),
          },
          { name: 'search: common English word', next: () => ({ path: '/api/v1/search?q=refund' }) },
          {
            name: 'search: common Bengali word',
            next: () => ({ path: `/api/v1/search?q=${encodeURIComponent('টাকা')}` }),
          },
          { name: 'search: common Hindi word', next: () => ({ path: `/api/v1/search?q=${encodeURIComponent('पैसे')}` }) },
          // newest first: the recency walk pages exactly instead of ranking windows (docs/api.md)
          {
            name: 'search: common Bengali word, newest first',
            next: () => ({ path: `/api/v1/search?q=${encodeURIComponent('টাকা')}&sort=recent` }),
          },
          {
            name: 'search: common English word, newest first',
            next: () => ({ path: '/api/v1/search?q=refund&sort=recent' }),
          },
        ],
        searchConnections,
      );
    }
    await server.stop();

    if (only.has('scaleout')) {
      report.scaleOut = await runScaleOut({
        databaseUrl: handle.url,
        dir: path.join(dataDir, 'scale-out'),
        headers,
        duration,
        connections: Math.max(connections, 20),
        scenarios: [ticketCreate, inboxOpen],
        env: serverEnv,
        log,
      });
    }

    report.ceilings = await measureCeilings({
      databaseUrl: handle.url,
      dir: dataDir,
      duration,
      connections,
      track: (c) => children.push(c),
      log,
    });

    if (only.has('coldstart')) {
      report.coldStart = await runColdStart({ runs: coldStartRuns, idleSeconds: 10, log });
    }

    await writeReport(path.join(ROOT, 'bench/results'), report, out);
    log(`report written to bench/results/${out}.md`);
  } finally {
    await cleanup();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
