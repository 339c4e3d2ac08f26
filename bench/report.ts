import fs from 'node:fs/promises';
import path from 'node:path';
import type { LoadResult } from './load.ts';
import type { ChatResult } from './scenarios/chat.ts';
import type { ColdStartResult } from './scenarios/cold-start.ts';
import type { EmailResult } from './scenarios/email.ts';
import type { ReportTiming } from './scenarios/reports.ts';
import type { ScaleOutResult } from './scenarios/scale-out.ts';

export interface BenchReport {
  date: string;
  /** free text, e.g. "machine shared with other test runs" */
  note: string;
  machine: { cpus: number; model: string; memoryGb: number; node: string; loadAverage: number[] };
  scale: number;
  duration: number;
  /** seconds of unmeasured load before each flat-out HTTP scenario (absent in reports written before it existed) */
  warmup?: number;
  connections: number;
  seed: { tickets: number; messages: number; customers: number; seconds: number };
  databaseSize: string;
  /** spawn of `seva serve` (seeded database, DATABASE_URL) to the first 200 from /health */
  serverStartMs: number;
  /** RSS of that process right after it became ready */
  idleRssMb: number;
  /** settleMs: how long the server's queries kept running after the scenario ended (its backlog) */
  /** rate: requests per second offered (absent: as fast as the server answers) */
  results: Array<
    LoadResult & { cpuPercent: number; rssMb: number; settleMs?: number; connections?: number; rate?: number }
  >;
  reports?: { runs: number; rebuildMs: number; timings: ReportTiming[] };
  email?: EmailResult & { cpuPercent: number; rssMb: number };
  chat?: ChatResult & { cpuPercent: number; rssMb: number };
  scaleOut?: ScaleOutResult;
  coldStart?: ColdStartResult;
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

const verdict = (ok: boolean) => (ok ? 'meets' : '**misses**');
const n = (x: number) => x.toLocaleString('en');

function httpVerdict(r: LoadResult, pgbench: number | null): string {
  // nothing answered (every request timed out) or some failed: no latency figure can meet a target
  if (r.requests === 0 || r.errors > 0) return verdict(false);
  if (/^inbox/.test(r.name)) return verdict(r.p95 < 10);
  if (/^ticket page/.test(r.name)) return verdict(r.p95 < 15);
  if (/^search: rare/.test(r.name)) return verdict(r.p95 < 50);
  if (/^search: common/.test(r.name)) return verdict(r.p99 < 200);
  if (/^ticket create/.test(r.name)) return verdict(r.rps >= 1500 && (pgbench === null || r.rps >= 0.4 * pgbench));
  return '';
}

export function renderReport(report: BenchReport): string {
  const lines: string[] = [
    `# Seva benchmark — ${report.date}`,
    '',
    `Machine: ${report.machine.cpus} cores (${report.machine.model}), ${report.machine.memoryGb} GiB, Node ${report.machine.node}; load average at the start ${report.machine.loadAverage.join(' / ')}.`,
    ...(report.note ? [`Note: ${report.note}`] : []),
    `Scale: ${n(report.seed.tickets)} tickets, ${n(report.seed.messages)} messages, ${n(report.seed.customers)} customers (seeded with bulk SQL in ${report.seed.seconds.toFixed(1)} s); database ${report.databaseSize}.`,
    `Load generators run in the benchmark process on the same machine as the server and PostgreSQL (loopback); ${report.duration} s per timed scenario.`,
    `Server (all roles, seeded database): ready ${n(report.serverStartMs)} ms after spawn; RSS ${report.idleRssMb} MB when ready.`,
    '',
  ];
  if (report.results.length > 0) {
    lines.push(
      '## HTTP API (autocannon)',
      '',
      `${report.warmup ? `Each flat-out scenario first runs ${report.warmup} s unmeasured (V8 optimises its code, every pooled connection prepares its statements); then ` : ''}${report.connections} connections unless the table says otherwise, each sending its next request as soon as the last is answered — except the "half load" rows, where requests leave evenly spaced at half the throughput measured flat out, at most 500/s (the offered rate is shown; up to 32 keep-alive connections; latency counted from when each request was due), so that p95 is a request's latency on a busy server rather than queueing behind nine others. A request unanswered after 10 s counts as an error (timeout). "Backlog s" is how long the server's queries kept running after the scenario ended (the next scenario starts only when they have).`,
      '',
      '| scenario | connections | offered req/s | req/s | p50 ms | p95 ms | p99 ms | errors | non-2xx | server CPU % | RSS MB | backlog s | target | |',
      '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
      ...report.results.map(
        (r) =>
          `| ${r.name} | ${r.connections ?? report.connections} | ${r.rate ?? 'max'} | ${r.rps} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.errors} | ${r.non2xx} | ${r.cpuPercent} | ${r.rssMb} | ${Math.round((r.settleMs ?? 0) / 1000)} | ${TARGETS.find(([re]) => re.test(r.name))?.[1] ?? ''} | ${httpVerdict(r, report.ceilings.pgbenchInsertTps)} |`,
      ),
      '',
    );
  }
  if (report.reports) {
    const r = report.reports;
    lines.push(
      '## Reports (insights dashboard queries)',
      '',
      `Each query once to warm up, then ${r.runs} times one after another; target < 200 ms each, judged on the slowest run. Rows marked "background" time the work of a background job through its on-demand route (customers at risk: the page reads the snapshot a worker computes every five minutes); they have no target. Rebuilding the insight facts and rollups from the seeded tickets (as after any bulk import) took ${n(r.rebuildMs)} ms.`,
      '',
      '| query | status | p50 ms | slowest ms | bytes | target < 200 ms |',
      '|---|---|---|---|---|---|',
      ...r.timings.map(
        (t) =>
          `| ${t.name} | ${t.status} | ${t.p50} | ${t.max} | ${n(t.bytes)} | ${t.background ? `background${t.status === 200 ? '' : ' (failed)'}` : verdict(t.status === 200 && t.max < 200)} |`,
      ),
      '',
    );
  }
  if (report.email) {
    const e = report.email;
    lines.push(
      '## Email ingest, end to end',
      '',
      `nodemailer in the benchmark process → Seva's SMTP listener (${e.concurrency} connections, ${e.duration} s) → stored and queued → worker parses, threads and writes the ticket → \`ticket.created\` on a staff WebSocket. Acknowledgements go out to a local SMTP sink as the relay.`,
      '',
      '| measure | value | target | |',
      '|---|---|---|---|',
      `| accepted (SMTP 250) | ${n(e.accepted)} (${e.refused} refused) | | |`,
      `| accept rate | ${n(e.acceptPerSecond)} messages/s | ≥ 300 messages/s | ${verdict(e.acceptPerSecond >= 300)} |`,
      `| tickets visible | ${n(e.visible)} (${e.notVisibleAfterWait} not visible after 2 min) | | |`,
      `| end-to-end rate (first accept → last ticket seen) | ${n(e.visiblePerSecond)} tickets/s | ≥ 300 messages/s | ${verdict(e.visiblePerSecond >= 300)} |`,
      `| SMTP transaction time p50 / p95 / p99 | ${e.acceptLatency.p50} / ${e.acceptLatency.p95} / ${e.acceptLatency.p99} ms | | |`,
      `| accept → visible p50 / p95 / p99 / max | ${n(e.acceptToVisible.p50)} / ${n(e.acceptToVisible.p95)} / ${n(e.acceptToVisible.p99)} / ${n(e.acceptToVisible.max)} ms | p95 < 2,000 ms | ${verdict(e.acceptToVisible.p95 < 2000 && e.notVisibleAfterWait === 0)} |`,
      `| server CPU / RSS | ${e.cpuPercent}% / ${e.rssMb} MB | | |`,
      '',
    );
  }
  if (report.chat) {
    const c = report.chat;
    lines.push(
      '## Live chat',
      '',
      `${n(c.visitorSockets)} visitor sockets (${n(c.conversations)} of them in a conversation) and ${c.agentSockets} agent sockets, opened from the benchmark process (setup ${c.setupSeconds} s: visitors, conversations and sockets through the real widget API). For ${c.duration} s messages were sent at ${n(c.targetRate)}/s in total, alternating per conversation: visitor on its socket → the conversation's agent socket hears \`message.added\`; agent over HTTP (\`POST /api/v1/tickets/:id/messages\`) → the visitor's socket gets the message. Every agent socket hears about every ticket, so fan-out is agents × messages.`,
      '',
      '| measure | value | target | |',
      '|---|---|---|---|',
      `| visitor sockets | ${n(c.visitorSockets)} | 5,000 | ${verdict(c.visitorSockets >= 5000)} |`,
      `| agent sockets | ${c.agentSockets} | 100 | ${verdict(c.agentSockets >= 100)} |`,
      `| messages sent / delivered / stored | ${n(c.sent)} / ${n(c.delivered)} / ${n(c.persisted)} (${c.lost} never arrived, ${c.refused} refused) | all | ${verdict(c.lost === 0 && c.refused === 0 && c.delivered === c.sent)} |`,
      `| message rate achieved | ${n(c.achievedRate)} msg/s | 1,000 msg/s | ${verdict(c.achievedRate >= 1000)} |`,
      `| frames to agent sockets | ${n(c.agentFramesPerSecond)}/s | | |`,
      `| delivery p50 / p95 / p99 / max, both ways | ${c.all.p50} / ${c.all.p95} / ${c.all.p99} / ${c.all.max} ms | p99 < 30 ms | ${verdict(c.all.p99 < 30)} |`,
      `| visitor → agent p50 / p99 | ${c.visitorToAgent.p50} / ${c.visitorToAgent.p99} ms | | |`,
      `| agent (HTTP) → visitor p50 / p99 | ${c.agentToVisitor.p50} / ${c.agentToVisitor.p99} ms | | |`,
      `| agent's 201 (stored) → visitor p50 / p99 | ${c.agentCommitToVisitor.p50} / ${c.agentCommitToVisitor.p99} ms | | |`,
      `| visitor message acknowledged (stored) p50 / p99 | ${c.visitorAck.p50} / ${c.visitorAck.p99} ms | | |`,
      `| server CPU / RSS | ${c.cpuPercent}% / ${c.rssMb} MB | | |`,
      '',
    );
  }
  if (report.scaleOut) {
    const s = report.scaleOut;
    lines.push(
      '## One API process vs two behind nginx',
      '',
      'Processes with the `api,realtime` roles on the same seeded database, behind Debian nginx (generated config, keep-alive upstreams) in both layouts.',
      '',
      '| scenario | processes | req/s | p50 ms | p99 ms | non-2xx | CPU % per process |',
      '|---|---|---|---|---|---|---|',
      ...s.runs.map(
        (r) =>
          `| ${r.name} | ${r.processes} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${r.cpuPercent.join(' + ')} |`,
      ),
      '',
      ...s.ratios.map((r) => `- ${r.name}: two processes give ${r.ratio}× the throughput of one.`),
      '',
    );
  }
  if (report.coldStart) {
    const c = report.coldStart;
    const worst = (xs: number[]) => (xs.length > 0 ? Math.max(...xs) : Number.POSITIVE_INFINITY);
    lines.push(
      '## Cold start and idle memory',
      '',
      `On an existing data directory (embedded PostgreSQL, migrated, started before), from spawn to the first 200 from /health; one warm-up run of each not counted. \`npm start\` runs the build check (web app, widget, precompiled server) and \`seva serve --migrate\` (nothing left to migrate); \`seva serve\` alone shows how much of that is the server. Memory after ${c.idleSeconds} s idle.`,
      '',
      '| measure | value | target | |',
      '|---|---|---|---|',
      `| npm start → ready | ${c.npmStartMs.map(n).join(', ')} ms | < 3,000 ms | ${verdict(worst(c.npmStartMs) < 3000)} |`,
      `| seva serve → ready | ${c.serveOnlyMs.map(n).join(', ')} ms | | |`,
      `| idle RSS of \`seva serve\` | ${c.seva.rssMb} MB | < 250 MB | ${verdict(c.seva.rssMb > 0 && c.seva.rssMb < 250)} |`,
      `| idle memory of the embedded PostgreSQL (PSS over ${c.postgres.processes} processes) | ${c.postgres.pssMb} MB | | |`,
      '',
    );
  }
  const create = report.results.find((r) => r.name === 'ticket create');
  lines.push(
    '## Ceilings measured in the same run',
    '',
    `- bare Fastify hello-world: ${report.ceilings.fastifyHelloRps} req/s`,
    `- pgbench, the equivalent insert transaction (ticket + message + event): ${report.ceilings.pgbenchInsertTps ?? 'not measured (pgbench not installed)'} tps`,
    create && report.ceilings.pgbenchInsertTps
      ? `- ticket create through the API is ${Math.round((create.rps / report.ceilings.pgbenchInsertTps) * 100)}% of pgbench`
      : '',
  );
  while (lines[lines.length - 1] === '') lines.pop();
  lines.push('');
  return alignTables(lines.join('\n'));
}

/** Pads Markdown table cells to their column's width, as the repository's formatter (biome) writes tables. */
export function alignTables(markdown: string): string {
  const out: string[] = [];
  let block: string[] = [];
  const flush = () => {
    if (block.length === 0) return;
    const rows = block.map((l) =>
      l
        .slice(1, -1)
        .split('|')
        .map((c) => c.trim()),
    );
    const isRule = (r: string[]) => r.every((c) => /^-+$/.test(c));
    const widths: number[] = [];
    for (const r of rows) {
      if (isRule(r)) continue;
      r.forEach((c, i) => {
        widths[i] = Math.max(widths[i] ?? 3, [...c].length);
      });
    }
    for (const r of rows) {
      const cells = widths.map((w, i) =>
        isRule(r) ? '-'.repeat(w) : (r[i] ?? '').padEnd(w - [...(r[i] ?? '')].length + (r[i] ?? '').length),
      );
      out.push(`| ${cells.join(' | ')} |`);
    }
    block = [];
  };
  for (const line of markdown.split('\n')) {
    if (line.startsWith('|') && line.endsWith('|')) block.push(line);
    else {
      flush();
      out.push(line);
    }
  }
  flush();
  return out.join('\n');
}

/** JSON.stringify with arrays of numbers on one line, as the repository's formatter (biome) writes them */
export function toJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    /\[\s*(-?[\d.e+-]+(?:,\s*-?[\d.e+-]+)*)\s*\]/g,
    (_m, items: string) => `[${items.split(/,\s*/).join(', ')}]`,
  );
}

/** Writes `<name>.json` and `<name>.md` (`latest` unless `--out` says otherwise). */
export async function writeReport(dir: string, report: BenchReport, name = 'latest'): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, `${name}.json`), `${toJson(report)}\n`);
  await fs.writeFile(path.join(dir, `${name}.md`), renderReport(report));
}
