import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Real `seva serve` processes for the benchmark and the multi-process test: each is a child process on its own
 * loopback port, started with the roles and environment given, and counted ready only when `/health` answers 200.
 * A process that exits or never answers fails loudly with what it printed.
 */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SEVA_BIN = path.join(ROOT, 'apps', 'server', 'bin', 'seva.js');

export interface SevaProcess {
  label: string;
  pid: number;
  port: number;
  baseUrl: string;
  child: ChildProcess;
  /** milliseconds from spawn to the first 200 from /health */
  readyMs: number;
  /** everything the process printed so far */
  output(): string;
  stop(): Promise<void>;
}

export interface StartSevaOptions {
  label: string;
  /** e.g. 'api,realtime' or 'worker' (SEVA_ROLES) */
  roles: string;
  databaseUrl?: string;
  dataDir: string;
  port?: number;
  env?: Record<string, string>;
  timeoutMs?: number;
  /** more arguments after `serve`, e.g. ['--migrate'] */
  args?: string[];
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      if (address === null || typeof address === 'string') {
        probe.close();
        reject(new Error('could not read the port of a probe socket'));
        return;
      }
      probe.close(() => resolve(address.port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `url` until it answers 200; throws (with the process output) if the child exits or time runs out. */
export async function waitForHealth(
  url: string,
  child: ChildProcess,
  output: () => string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `process exited before it was ready (code ${child.exitCode}, signal ${child.signalCode}):\n${output()}`,
      );
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  throw new Error(`no 200 from ${url} within ${timeoutMs} ms:\n${output()}`);
}

function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Ends a child: SIGTERM, then SIGKILL if it has not exited after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  if (!(await exited(child, graceMs))) {
    child.kill('SIGKILL');
    await exited(child, 5000);
  }
}

export async function startSeva(opts: StartSevaOptions): Promise<SevaProcess> {
  const port = opts.port ?? (await freePort());
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    SEVA_LOG_LEVEL: 'warn',
    SEVA_SECURE_COOKIES: 'false',
    SEVA_SMTP_PORT: '0',
    ...opts.env,
    SEVA_ROLES: opts.roles,
    SEVA_DATA_DIR: opts.dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
  };
  if (opts.databaseUrl) env.DATABASE_URL = opts.databaseUrl;
  else delete env.DATABASE_URL;
  const started = Date.now();
  // BENCH_SERVER_NODE_ARGS passes flags to the server's node only (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`,
  // which NODE_OPTIONS refuses), so a scenario can be profiled without profiling the load generator too.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, SEVA_BIN, 'serve', ...(opts.args ?? [])], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: Buffer) => {
    out += d.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const output = () => `[${opts.label}] ${out}`;
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(`${baseUrl}/health`, child, output, opts.timeoutMs ?? 60_000);
  } catch (err) {
    await stopChild(child, 2000);
    throw err;
  }
  return {
    label: opts.label,
    pid: child.pid as number,
    port,
    baseUrl,
    child,
    readyMs: Date.now() - started,
    output,
    stop: () => stopChild(child),
  };
}

/** CPU time (user + system, in clock ticks of 1/100 s) and resident memory of a process, from /proc. */
export function procStats(pid: number): { cpuTicks: number; rssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  const cpuTicks = Number(stat[11]) + Number(stat[12]);
  const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return { cpuTicks, rssMb: Math.round(Number(rss?.[1] ?? 0) / 1024) };
}
