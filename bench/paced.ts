import http from 'node:http';
import type { LoadResult } from './load.ts';

export interface PacedOptions {
  name: string;
  url: string;
  headers: Record<string, string>;
  duration: number;
  /** requests per second, evenly spaced */
  rate: number;
  /** keep-alive connections at most (a request due while all are busy waits for one, and that wait counts) */
  maxConnections: number;
  next: () => { path: string };
}

/**
 * An open-model load: requests leave at a steady rate whether or not earlier ones were answered, and each one's
 * latency is measured from the moment it was due — so a slow answer that holds up the next ones is counted in full
 * (no coordinated omission). autocannon's rate option cannot do this: it sends each connection's quota for the
 * second flat out and then waits for the next second, and corrects latencies as if requests were 1 ms apart.
 */
export async function runPaced(opts: PacedOptions): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.maxConnections });
  const base = new URL(opts.url);
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let errors = 0;
  const interval = 1000 / opts.rate;
  const total = Math.round(opts.rate * opts.duration);
  const start = performance.now();
  const inFlight = new Set<Promise<void>>();

  const send = (due: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const req = http.request(
        {
          agent,
          host: base.hostname,
          port: base.port,
          path: opts.next().path,
          method: 'GET',
          headers: opts.headers,
          timeout: 10_000,
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            const code = String(res.statusCode ?? 0);
            statusCodes[code] = (statusCodes[code] ?? 0) + 1;
            latencies.push(performance.now() - due);
            resolve();
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        errors += 1;
        resolve();
      });
      req.end();
    });

  for (let i = 0; i < total; i += 1) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const p = send(due).finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - start) / 1000;
  agent.destroy();

  latencies.sort((a, b) => a - b);
  const pct = (q: number) => {
    if (latencies.length === 0) return 0;
    return Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  };
  const ok = Object.entries(statusCodes)
    .filter(([c]) => c.startsWith('2'))
    .reduce((n, [, v]) => n + v, 0);
  return {
    name: opts.name,
    requests: latencies.length,
    rps: Math.round(latencies.length / elapsed),
    p50: pct(0.5),
    p95: pct(0.95),
    p99: pct(0.99),
    errors,
    non2xx: latencies.length - ok,
    statusCodes,
  };
}
