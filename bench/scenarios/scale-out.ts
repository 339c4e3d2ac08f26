import fs from 'node:fs/promises';
import path from 'node:path';
import { type LoadResult, runLoad } from '../load.ts';
import { startNginx } from '../support/nginx.ts';
import { procStats, type SevaProcess, startSeva } from '../support/seva-process.ts';

/**
 * One API process versus two, both behind nginx (same proxy hop in both runs), on the seeded database: the same
 * HTTP scenarios against each layout, and the ratio of throughputs. The processes run the `api,realtime` roles
 * only; the benchmark's main server (with the worker role) is stopped before this runs.
 */
export interface ScaleOutRun extends LoadResult {
  processes: number;
  cpuPercent: number[];
}

export interface ScaleOutResult {
  runs: ScaleOutRun[];
  ratios: Array<{ name: string; ratio: number }>;
}

export interface ScaleOutOptions {
  databaseUrl: string;
  dir: string;
  headers: Record<string, string>;
  duration: number;
  connections: number;
  scenarios: Array<{ name: string; method?: 'GET' | 'POST'; next: () => { path: string; body?: string } }>;
  env: Record<string, string>;
  log: (m: string) => void;
}

export async function runScaleOut(opts: ScaleOutOptions): Promise<ScaleOutResult> {
  const processes: SevaProcess[] = [];
  const runs: ScaleOutRun[] = [];
  try {
    for (const count of [1, 2]) {
      while (processes.length < count) {
        const i = processes.length;
        const dataDir = path.join(opts.dir, `scale-${i}`);
        await fs.mkdir(dataDir, { recursive: true });
        processes.push(
          await startSeva({
            label: `api ${i + 1}`,
            roles: 'api,realtime',
            databaseUrl: opts.databaseUrl,
            dataDir,
            env: opts.env,
          }),
        );
      }
      const nginx = await startNginx({
        dir: path.join(opts.dir, `nginx-${count}`),
        groups: Object.fromEntries(processes.map((p, i) => [`p${i}`, [p.port]])),
        workers: 1,
      });
      try {
        for (const s of opts.scenarios) {
          const before = processes.map((p) => procStats(p.pid).cpuTicks);
          const t0 = Date.now();
          const r = await runLoad({
            ...s,
            url: nginx.baseUrl,
            headers: opts.headers,
            duration: opts.duration,
            connections: opts.connections,
          });
          const seconds = (Date.now() - t0) / 1000;
          const cpuPercent = processes.map((p, i) =>
            Math.round(((procStats(p.pid).cpuTicks - (before[i] ?? 0)) / 100 / seconds) * 100),
          );
          runs.push({ ...r, processes: count, cpuPercent });
          opts.log(
            `scale-out ${count} process(es), ${s.name}: ${r.rps} req/s p99 ${r.p99} ms status ${JSON.stringify(r.statusCodes)} cpu ${cpuPercent.join('+')}%`,
          );
        }
      } finally {
        await nginx.stop();
      }
    }
  } finally {
    await Promise.all(processes.map((p) => p.stop()));
  }
  const ratios = opts.scenarios.map((s) => {
    const one = runs.find((r) => r.processes === 1 && r.name === s.name);
    const two = runs.find((r) => r.processes === 2 && r.name === s.name);
    return { name: s.name, ratio: one && two && one.rps > 0 ? Math.round((two.rps / one.rps) * 100) / 100 : 0 };
  });
  return { runs, ratios };
}
