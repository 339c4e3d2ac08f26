import fs from 'node:fs/promises';
import path from 'node:path';
import type { LoadResult } from './load.ts';

export interface BenchReport {
  date: string;
  machine: { cpus: number; model: string; memoryGb: number; node: string };
  scale: number;
  duration: number;
  connections: number;
  seed: { tickets: number; messages: number; customers: number; seconds: number };
  databaseSize: string;
  coldStartMs: number;
  idleRssMb: number;
  results: Array<LoadResult & { cpuPercent: number; rssMb: number }>;
  ceilings: { fastifyHelloRps: number; pgbenchInsertTps: number | null };
}

/** Targets from the performance issue (at 1M tickets on 2 cores); shown next to each result. */
const TARGETS: Array<[RegExp, string]> = [
  [/^inbox/, 'p95 < 10 ms'],
  [/^ticket page/, 'p95 < 15 ms'],
  [/^search: rare/, 'p95 < 50 ms'],
  [/^search: common/, 'p99 < 200 ms'],
  [/^ticket create/, '≥ 1,500 req/s and ≥ 40% of pgbench'],
];

export async function writeReport(dir: string, report: BenchReport): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
  const create = report.results.find((r) => r.name === 'ticket create');
  const lines = [
    `# Seva benchmark — ${report.date}`,
    '',
    `Machine: ${report.machine.cpus} cores (${report.machine.model}), ${report.machine.memoryGb} GiB, Node ${report.machine.node}.`,
    `Scale: ${report.seed.tickets.toLocaleString('en')} tickets, ${report.seed.messages.toLocaleString('en')} messages, ${report.seed.customers.toLocaleString('en')} customers (seeded in ${report.seed.seconds.toFixed(1)} s); database ${report.databaseSize}.`,
    `Load: autocannon, ${report.connections} connections, ${report.duration} s per scenario, same machine (loopback).`,
    `Cold start to ready: ${report.coldStartMs} ms; idle RSS ${report.idleRssMb} MB.`,
    '',
    '| scenario | req/s | p50 ms | p95 ms | p99 ms | errors | non-2xx | server CPU % | RSS MB | target |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...report.results.map(
      (r) =>
        `| ${r.name} | ${r.rps} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.errors} | ${r.non2xx} | ${r.cpuPercent} | ${r.rssMb} | ${TARGETS.find(([re]) => re.test(r.name))?.[1] ?? ''} |`,
    ),
    '',
    '## Ceilings measured in the same run',
    `- bare Fastify hello-world: ${report.ceilings.fastifyHelloRps} req/s`,
    `- pgbench, the equivalent insert transaction (ticket + message + event): ${report.ceilings.pgbenchInsertTps ?? 'not measured (pgbench not installed)'} tps`,
    create && report.ceilings.pgbenchInsertTps
      ? `- ticket create through the API is ${Math.round((create.rps / report.ceilings.pgbenchInsertTps) * 100)}% of pgbench`
      : '',
    '',
  ];
  await fs.writeFile(path.join(dir, 'latest.md'), lines.join('\n'));
}
