import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A real Seva server for one browser test file: its own data directory (embedded PostgreSQL inside), migrated with
 * `seva migrate`, then `seva serve` as a child process on a free port. `stop()` ends the server and makes sure its
 * PostgreSQL is gone too.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SEVA_BIN = path.join(ROOT, 'apps', 'server', 'bin', 'seva.js');
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 20_000;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface SevaServer {
  baseUrl: string;
  dataDir: string;
  /** Runs `seva <args>` against the same data directory (and the running database). */
  runCli(args: string[]): Promise<CliResult>;
  /** Everything the server printed so far, for failure messages. */
  output(): string;
  stop(): Promise<void>;
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

function baseEnv(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SEVA_DATA_DIR: dataDir,
    NODE_ENV: 'production',
    SEVA_LOG_LEVEL: 'warn',
    SEVA_SECURE_COOKIES: 'false',
    // The worker's SMTP listener on a free port, so parallel servers (and anyone's dev server on 2525) never clash;
    // a journey that sends mail in picks the port itself.
    SEVA_SMTP_PORT: process.env.SEVA_SMTP_PORT ?? '0',
  };
  // Always the embedded database in our own directory: a first-run journey needs an empty desk.
  delete env.DATABASE_URL;
  delete env.PORT;
  return env;
}

function run(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SEVA_BIN, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`seva ${args.join(' ')} did not finish within ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** PIDs of postgres processes whose command line names this data directory (the embedded server and its workers). */
export function postgresPidsFor(dataDir: string): number[] {
  const pgDir = path.join(dataDir, 'pg');
  const pids: number[] = [];
  let entries: string[] = [];
  try {
    entries = readdirSync('/proc');
  } catch {
    return pids;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ');
      if (cmdline.includes('postgres') && cmdline.includes(pgDir)) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  // The postmaster's own pid is in postmaster.pid even when /proc cmdlines are unreadable.
  const pidFile = path.join(pgDir, 'postmaster.pid');
  if (existsSync(pidFile)) {
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (Number.isInteger(pid) && pid > 0 && isAlive(pid) && !pids.includes(pid)) pids.push(pid);
  }
  return pids;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true;
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Polls until the server answers: /health once it exists, else the OpenAPI document (served since the start). */
async function waitUntilReady(baseUrl: string, child: ChildProcess, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`the server exited (code ${child.exitCode}, signal ${child.signalCode})`);
    for (const probe of ['/health', '/api/v1/openapi.json']) {
      try {
        const res = await fetch(`${baseUrl}${probe}`, { signal: AbortSignal.timeout(2_000) });
        if (res.ok) return;
      } catch {
        // not listening yet
      }
    }
    await sleep(250);
  }
  throw new Error(`the server did not answer within ${START_TIMEOUT_MS / 1000} s`);
}

export interface StartServerOptions {
  /** reuse this data directory (a restart); default: a new temporary one */
  dataDir?: string;
  /** leave the data directory in place on stop(), so a later startServer({ dataDir }) finds the same desk */
  keepData?: boolean;
}

/** Runs `seva <args>` against a data directory with no server running on it (the CLI starts the database itself). */
export function runCliOn(dataDir: string, args: string[]): Promise<CliResult> {
  return run(args, baseEnv(dataDir));
}

export async function startServer(opts: StartServerOptions = {}): Promise<SevaServer> {
  const dataDir = opts.dataDir ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'seva-e2e-')));
  // As root, embedded PostgreSQL runs as its own user, which must be able to enter this directory.
  await fs.chmod(dataDir, 0o755);
  const env = baseEnv(dataDir);
  const migrated = await run(['migrate'], env);
  if (migrated.code !== 0) {
    await fs.rm(dataDir, { recursive: true, force: true });
    throw new Error(`seva migrate failed (code ${migrated.code}):\n${migrated.stdout}\n${migrated.stderr}`);
  }

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [SEVA_BIN, 'serve'], {
    cwd: ROOT,
    env: { ...env, PORT: String(port), HOST: '127.0.0.1', SEVA_PUBLIC_URL: baseUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: Buffer) => {
    out += d.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);

  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, STOP_TIMEOUT_MS))) {
        child.kill('SIGKILL');
        await waitForExit(child, 5_000);
      }
    }
    // The server stops its embedded PostgreSQL on SIGTERM; give it a moment, then make sure nothing is left.
    let left = postgresPidsFor(dataDir);
    for (let i = 0; i < 40 && left.length > 0; i++) {
      await sleep(250);
      left = postgresPidsFor(dataDir);
    }
    if (left.length > 0) {
      for (const pid of left) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // already gone
        }
      }
      await sleep(1_000);
      if (!opts.keepData) await fs.rm(dataDir, { recursive: true, force: true }).catch(() => undefined);
      throw new Error(
        `PostgreSQL was still running for ${dataDir} after the server stopped (pids ${left.join(', ')}).\n${out.slice(-4000)}`,
      );
    }
    if (!opts.keepData) await fs.rm(dataDir, { recursive: true, force: true });
  };

  try {
    await waitUntilReady(baseUrl, child, Date.now() + START_TIMEOUT_MS);
  } catch (err) {
    let message = `Seva did not start: ${(err as Error).message}\n--- server output ---\n${out.slice(-8000)}`;
    await stop().catch((stopErr: Error) => {
      message += `\n--- while stopping ---\n${stopErr.message}`;
    });
    throw new Error(message);
  }

  return {
    baseUrl,
    dataDir,
    output: () => out,
    runCli: (args) => run(args, env),
    stop,
  };
}

/**
 * The address of the embedded PostgreSQL a running server uses (its data directory's credentials file and
 * `pg/postmaster.pid`, TCP on loopback) — for a journey that needs a desk bigger than the API could fill in time,
 * seeded with bulk SQL as the benchmark does.
 */
export async function databaseUrlOf(server: SevaServer): Promise<string> {
  const creds = JSON.parse(await fs.readFile(path.join(server.dataDir, 'pg-credentials.json'), 'utf8')) as {
    user: string;
    password: string;
  };
  const port = Number((await fs.readFile(path.join(server.dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[3]);
  if (!Number.isInteger(port) || port <= 0)
    throw new Error(`no PostgreSQL port in ${server.dataDir}/pg/postmaster.pid`);
  return `postgres://${encodeURIComponent(creds.user)}:${encodeURIComponent(creds.password)}@127.0.0.1:${port}/seva`;
}

/** Creates the first admin through the CLI and an API token of theirs with these scopes (comma-separated); answers the token. */
export async function createAdminWithToken(
  server: SevaServer,
  admin: { email: string; password: string; name: string },
  scopes: string,
): Promise<string> {
  const created = await server.runCli([
    'admin',
    'create',
    '--email',
    admin.email,
    '--password',
    admin.password,
    '--name',
    admin.name,
  ]);
  if (created.code !== 0) throw new Error(`seva admin create failed (${created.code}): ${created.stderr}`);
  const tok = await server.runCli(['token', 'create', '--email', admin.email, '--name', 'e2e', '--scopes', scopes]);
  if (tok.code !== 0) throw new Error(`seva token create failed (${tok.code}): ${tok.stderr}`);
  return tok.stdout.trim().split('\n').pop() as string;
}
