import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort, procStats, ROOT, SEVA_BIN, stopChild, waitForHealth } from '../support/seva-process.ts';
import { sleep } from '../support/stats.ts';

/**
 * Start-up on an existing data directory (embedded PostgreSQL, migrated, started before): `npm start` (web and
 * server build check, then `seva serve --migrate`: the precompiled server, nothing left to migrate) and, to show
 * where the time goes, `seva serve` alone — each timed from spawn
 * to the first 200 from /health, after one uncounted warm-up. After `idleSeconds` with no requests: the resident
 * memory of the `seva serve` process, and the proportional memory (PSS, shared pages split) of the embedded
 * PostgreSQL's processes.
 */
export interface ColdStartResult {
  npmStartMs: number[];
  serveOnlyMs: number[];
  idleSeconds: number;
  seva: { rssMb: number };
  postgres: { processes: number; pssMb: number };
}

function parentOf(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
  } catch {
    return -1;
  }
}

function descendants(root: number): number[] {
  const pids = readdirSync('/proc')
    .filter((e) => /^\d+$/.test(e))
    .map(Number);
  const byParent = new Map<number, number[]>();
  for (const p of pids) {
    const parent = parentOf(p);
    byParent.set(parent, [...(byParent.get(parent) ?? []), p]);
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const c of byParent.get(queue.shift() as number) ?? []) {
      out.push(c);
      queue.push(c);
    }
  }
  return out;
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return '';
  }
}

function pssMb(pid: number): number {
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return Number(m?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/** Waits until a process has exited (or is a zombie waiting to be reaped); false after `ms`. */
async function gone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      if (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z')) return true;
    } catch {
      return true;
    }
    await sleep(50);
  }
  return false;
}

/** the node process running `seva serve` (not the shell npm starts it through) */
function serveProcess(tree: number[]): number | undefined {
  return tree.find((p) => {
    const argv = cmdline(p);
    return /seva(\.js)? serve/.test(argv) && /node/.test(argv.split(' ')[0] ?? '');
  });
}

/**
 * `npm start` runs `node_modules/.bin/seva`, which must be this checkout's server. In a worktree whose
 * node_modules is a link to another checkout's, it is that checkout's — run from its TypeScript sources when that
 * checkout has no fresh build, about a second slower (seen here: 2.5–3.5 s against 1.5–2 s). Checked before
 * anything is seeded, so a run never reports another checkout's start-up time.
 */
export function checkNpmStartRunsThisCheckout(): void {
  const link = path.join(ROOT, 'node_modules', '.bin', 'seva');
  let target: string;
  try {
    target = realpathSync(link);
  } catch {
    throw new Error(`cold start: ${link} is missing; run npm install in ${ROOT} first`);
  }
  const root = realpathSync(ROOT);
  if (!target.startsWith(root + path.sep)) {
    throw new Error(
      `cold start: npm start here would run ${target}, another checkout's server (is node_modules a link?); ` +
        'run npm install in this checkout, or leave coldstart out of --only',
    );
  }
}

export async function runColdStart(opts: {
  runs: number;
  idleSeconds: number;
  log: (m: string) => void;
}): Promise<ColdStartResult> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'seva-bench-cold-'));
  await fs.chmod(dataDir, 0o755);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SEVA_DATA_DIR: dataDir,
    SEVA_LOG_LEVEL: 'warn',
    SEVA_SMTP_PORT: '0',
    HOST: '127.0.0.1',
  };
  delete env.DATABASE_URL;
  const result: ColdStartResult = {
    npmStartMs: [],
    serveOnlyMs: [],
    idleSeconds: opts.idleSeconds,
    seva: { rssMb: 0 },
    postgres: { processes: 0, pssMb: 0 },
  };

  const startOnce = async (mode: 'npm start' | 'seva serve', measureIdle: boolean): Promise<number> => {
    const port = await freePort();
    const started = performance.now();
    const [cmd, args] = mode === 'npm start' ? ['npm', ['start', '--silent']] : [process.execPath, [SEVA_BIN, 'serve']];
    const child = spawn(cmd as string, args as string[], {
      cwd: ROOT,
      env: { ...env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    let tree: number[] = [];
    try {
      await waitForHealth(`http://127.0.0.1:${port}/health`, child, () => out, 600_000);
      const ms = Math.round(performance.now() - started);
      if (measureIdle) {
        await sleep(opts.idleSeconds * 1000);
        tree = [child.pid as number, ...descendants(child.pid as number)];
        const serve = serveProcess(tree);
        const pgs = tree.filter((p) => /postgres/.test(cmdline(p).split(' ')[0] ?? ''));
        result.seva = { rssMb: serve ? procStats(serve).rssMb : 0 };
        result.postgres = { processes: pgs.length, pssMb: Math.round(pgs.reduce((s, p) => s + pssMb(p), 0)) };
      }
      return ms;
    } finally {
      tree = [child.pid as number, ...descendants(child.pid as number)];
      // `seva serve` stops its embedded PostgreSQL on SIGTERM; npm and its shell end with it
      const serve = serveProcess(tree);
      if (serve) {
        // let it close the server and stop PostgreSQL before npm goes: killed halfway, the postmaster is left a
        // zombie where nothing reaps orphans (containers), and the next start finds its lock file "in use"
        process.kill(serve, 'SIGTERM');
        await gone(serve, 30_000);
      }
      await stopChild(child, 30_000);
      for (const p of tree) {
        try {
          process.kill(p, 0);
          process.kill(p, 'SIGKILL');
        } catch {
          // ended cleanly
        }
      }
    }
  };

  try {
    const first = spawn(process.execPath, [SEVA_BIN, 'migrate'], { cwd: ROOT, env, stdio: 'ignore' });
    await new Promise((r) => first.on('exit', r));
    for (const mode of ['npm start', 'seva serve'] as const) {
      for (let run = 0; run <= opts.runs; run += 1) {
        const ms = await startOnce(mode, mode === 'npm start' && run === opts.runs);
        // run 0 warms the file cache (and builds the web app if it is missing); it is not counted
        if (run > 0) (mode === 'npm start' ? result.npmStartMs : result.serveOnlyMs).push(ms);
        opts.log(
          `${mode} on an existing data directory, ${run === 0 ? 'warm-up (not counted)' : `run ${run}`}: ${ms} ms`,
        );
      }
    }
  } finally {
    await fs.rm(dataDir, { recursive: true, force: true });
  }
  return result;
}
