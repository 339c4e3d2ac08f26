import autocannon from 'autocannon';

export interface LoadResult {
  name: string;
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  non2xx: number;
  statusCodes: Record<string, number>;
}

export interface LoadOptions {
  name: string;
  url: string;
  method?: 'GET' | 'POST';
  headers: Record<string, string>;
  duration: number;
  connections: number;
  /** called per request to vary the path/body */
  next: () => { path: string; body?: string };
}

/** Drives one scenario with autocannon (the load generator runs in this process, the server in another). */
export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: opts.url,
    duration: opts.duration,
    connections: opts.connections,
    headers: opts.headers,
    requests: [
      {
        method: opts.method ?? 'GET',
        setupRequest: (req) => {
          const n = opts.next();
          return { ...req, path: n.path, ...(n.body ? { body: n.body } : {}) };
        },
      },
    ],
  });
  const lat = result.latency as unknown as Record<string, number>;
  return {
    name: opts.name,
    requests: result.requests.total,
    rps: Math.round(result.requests.average),
    p50: lat.p50 ?? 0,
    p95: lat.p97_5 !== undefined && lat.p95 === undefined ? lat.p97_5 : (lat.p95 ?? 0),
    p99: lat.p99 ?? 0,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    statusCodes: Object.fromEntries(
      Object.entries(
        (result as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {},
      ).map(([k, v]) => [k, v.count]),
    ),
  };
}
