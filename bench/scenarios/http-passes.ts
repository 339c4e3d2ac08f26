import type pg from 'pg';
import { runLoad } from '../load.ts';
import { runPaced } from '../paced.ts';
import type { BenchReport } from '../report.ts';
import { procStats } from '../support/seva-process.ts';
import type { HttpScenario } from './http.ts';

/** the paced (half-load) pass never offers more than this many requests per second */
const PACED_MAX_RATE = 500;

export interface HttpPassContext {
  /** the server's base URL */
  base: string;
  headers: Record<string, string>;
  /** the server's process: its CPU and RSS are measured around each scenario */
  pid: number;
  /** everything the server printed so far */
  serverOutput: () => string;
  /** a pool on the server's database, to watch pg_stat_activity */
  pool: pg.Pool;
  /** HTTP results are pushed to report.results */
  report: BenchReport;
  /** seconds each measured run lasts */
  duration: number;
  log: (m: string) => void;
}

/**
 * The HTTP passes over one running server, and the helpers every scenario of the run shares: `measured` (the server's
 * CPU and RSS around a scenario), `settle` (wait for the server's queries to finish) and `runHttp` (autocannon runs
 * recorded in the report).
 */
export function httpPasses(ctx: HttpPassContext) {
  const { base, headers, pid, serverOutput, pool, report, duration, log } = ctx;

  const measured = async <T>(fn: () => Promise<T>): Promise<{ value: T; cpuPercent: number; rssMb: number }> => {
    const before = procStats(pid);
    const t0 = Date.now();
    let value: T;
    try {
      value = await fn();
    } catch (err) {
      // what the server said is the first thing to read when a scenario fails
      log(`scenario failed; the server's last output:\n${serverOutput().slice(-6000)}`);
      throw err;
    }
    const after = procStats(pid);
    return {
      value,
      cpuPercent: Math.round(((after.cpuTicks - before.cpuTicks) / 100 / ((Date.now() - t0) / 1000)) * 100),
      rssMb: after.rssMb,
    };
  };

  // Lets the server finish what a scenario left behind (slow queries still running after the client gave up)
  // before the next one starts, so one scenario's backlog is not charged to the next.
  const settle = async (): Promise<number> => {
    const t0 = Date.now();
    let quiet = 0;
    while (Date.now() - t0 < 180_000 && quiet < 3) {
      const { rows } = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()
            AND query NOT ILIKE '%pgboss%' AND query NOT ILIKE 'LISTEN%'`,
      );
      quiet = (rows[0]?.n ?? 0) === 0 ? quiet + 1 : 0;
      await new Promise((r) => setTimeout(r, 200));
    }
    const ms = Date.now() - t0;
    if (ms > 2000) log(`waited ${Math.round(ms / 1000)} s for the server's queries to finish`);
    return ms;
  };

  const runHttp = async (scenarios: HttpScenario[], conns: number, opts: { warmup?: number } = {}) => {
    for (const s of scenarios) {
      await settle();
      if (opts.warmup) {
        // Not measured: the scenario's code is compiled by V8's optimising tiers and every pooled connection has
        // prepared its statements before the clock starts, so the numbers are the running server's, not its first
        // seconds' (a CPU profile of ticket create 6 s after start still had 7% of the server in the JIT compiler).
        await runLoad({ ...s, url: base, headers, duration: opts.warmup, connections: conns });
        await settle();
      }
      const {
        value: r,
        cpuPercent,
        rssMb,
      } = await measured(() => runLoad({ ...s, url: base, headers, duration, connections: conns }));
      const settleMs = await settle();
      report.results.push({
        ...r,
        cpuPercent,
        rssMb,
        settleMs,
        connections: conns,
      });
      log(
        `${s.name}: ${r.rps} req/s p95 ${r.p95} ms p99 ${r.p99} ms errors ${r.errors} status ${JSON.stringify(r.statusCodes)}`,
      );
    }
    if (report.results.some((r) => Object.keys(r.statusCodes).some((c) => c.startsWith('5')))) {
      log(`server errors seen; last server output:\n${serverOutput().slice(-3000)}`);
    }
  };

  /**
   * The HTTP scenarios whose name contains `wanted`, three ways: flat out over `connections` (after `warmup` seconds
   * unmeasured), then the reads (all but `write`) from one connection, then the reads paced at half the flat-out rate.
   */
  const runHttpScenarios = async (
    scenarios: HttpScenario[],
    opts: { connections: number; warmup: number; wanted: string; write: HttpScenario },
  ) => {
    const { connections, warmup, wanted, write } = opts;
    await runHttp(
      scenarios.filter((s) => s.name.includes(wanted)),
      connections,
      { warmup },
    );
    // The same reads from one connection: the latency of a request that does not queue behind nine others. With
    // 10 connections flat out, p95 is mostly queueing (connections ÷ throughput), whatever one request costs.
    const reads = scenarios.filter((s) => s !== write && s.name.includes(wanted));
    const flatOut = new Map(report.results.map((r) => [r.name, r.rps]));
    await runHttp(
      reads.map((s) => ({ ...s, name: `${s.name} (one connection)` })),
      1,
    );
    // And under load that is not saturation: requests leaving at half the throughput measured flat out, evenly
    // spaced (bench/paced.ts), so p95 is a request's latency on a busy server, not queueing behind nine others.
    // At most 500/s: node:http in this process costs far more per request than autocannon, and above that the
    // pacer's own CPU on the two shared cores is what p95 measures (1M run of the sixth session: 1,926/s, p95 162 ms).
    for (const s of reads) {
      const rate = Math.max(1, Math.min(PACED_MAX_RATE, Math.round((flatOut.get(s.name) ?? 0) / 2)));
      await settle();
      const {
        value: r,
        cpuPercent,
        rssMb,
      } = await measured(() =>
        runPaced({ ...s, name: `${s.name} (half load)`, url: base, headers, duration, rate, maxConnections: 32 }),
      );
      const settleMs = await settle();
      report.results.push({ ...r, cpuPercent, rssMb, settleMs, connections: 32, rate });
      log(
        `${r.name}: ${r.rps} req/s offered ${rate} p50 ${r.p50} ms p95 ${r.p95} ms p99 ${r.p99} ms errors ${r.errors}`,
      );
    }
  };

  return { measured, settle, runHttp, runHttpScenarios };
}
