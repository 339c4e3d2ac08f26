import { type LatencySummary, summarise } from '../support/stats.ts';

/**
 * Every insights dashboard query, over HTTP as the reports screen asks for it, at the seeded scale: one warm-up,
 * then `runs` timed requests one after another (no concurrency: this is the latency one person waits for).
 */
export interface ReportTiming extends LatencySummary {
  name: string;
  path: string;
  status: number;
  bytes: number;
  /** the work of a background job (timed through its on-demand route), not a query a page waits for */
  background?: boolean;
}

export function reportQueries(now: Date): Array<{ name: string; path: string; background?: boolean }> {
  const iso = (d: Date) => encodeURIComponent(d.toISOString());
  const to = iso(now);
  const from30 = iso(new Date(now.getTime() - 30 * 86_400_000));
  const from365 = iso(new Date(now.getTime() - 365 * 86_400_000));
  return [
    { name: 'dashboard, last 30 days by day', path: `/api/v1/insights/dashboard?from=${from30}&to=${to}&interval=day` },
    {
      name: 'dashboard, last 365 days by week',
      path: `/api/v1/insights/dashboard?from=${from365}&to=${to}&interval=week`,
    },
    {
      name: 'dashboard, 30 days, one channel, Asia/Kolkata',
      path: `/api/v1/insights/dashboard?from=${from30}&to=${to}&channel=email&tz=Asia%2FKolkata`,
    },
    { name: 'drill-down: created', path: `/api/v1/insights/drilldown?from=${from30}&to=${to}&metric=created` },
    { name: 'drill-down: solved', path: `/api/v1/insights/drilldown?from=${from30}&to=${to}&metric=solved` },
    {
      name: 'drill-down: first response',
      path: `/api/v1/insights/drilldown?from=${from30}&to=${to}&metric=first_response`,
    },
    { name: 'drill-down: open now', path: '/api/v1/insights/drilldown?metric=open' },
    { name: 'drill-down: tag vip', path: `/api/v1/insights/drilldown?from=${from30}&to=${to}&tag=vip` },
    { name: 'hot buttons: category', path: `/api/v1/insights/hot-buttons?from=${from30}&to=${to}&dimension=category` },
    { name: 'hot buttons: tag', path: `/api/v1/insights/hot-buttons?from=${from30}&to=${to}&dimension=tag` },
    { name: 'alerts', path: '/api/v1/insights/alerts' },
    { name: 'heatmap, 30 days', path: `/api/v1/insights/heatmap?from=${from30}&to=${to}` },
    { name: 'staffing plan, 4 weeks', path: '/api/v1/insights/staffing?weeks=4' },
    { name: 'cost', path: `/api/v1/insights/cost?from=${from30}&to=${to}` },
    // the page reads a snapshot a worker computes every five minutes; the last two rows time that computation
    { name: 'customers at risk, 30 days', path: '/api/v1/insights/customers-at-risk?days=30' },
    { name: 'customers at risk, 90 days', path: '/api/v1/insights/customers-at-risk?days=90' },
    { name: 'export: series CSV', path: `/api/v1/insights/export?from=${from30}&to=${to}&report=series` },
    { name: 'export: tags CSV', path: `/api/v1/insights/export?from=${from30}&to=${to}&report=tags` },
    { name: 'export: heatmap CSV', path: `/api/v1/insights/export?from=${from30}&to=${to}&report=heatmap` },
    { name: 'shifts', path: '/api/v1/insights/shifts' },
    { name: 'settings', path: '/api/v1/insights/settings' },
    {
      name: 'background: customers at risk computed, 30 days',
      path: '/api/v1/insights/customers-at-risk?days=30&refresh=true',
      background: true,
    },
    {
      name: 'background: customers at risk computed, 90 days',
      path: '/api/v1/insights/customers-at-risk?days=90&refresh=true',
      background: true,
    },
  ];
}

export async function runReportsScenario(opts: {
  baseUrl: string;
  token: string;
  runs: number;
}): Promise<ReportTiming[]> {
  const headers = { authorization: `Bearer ${opts.token}` };
  const out: ReportTiming[] = [];
  for (const q of reportQueries(new Date())) {
    const warm = await fetch(`${opts.baseUrl}${q.path}`, { headers });
    const body = await warm.arrayBuffer();
    const samples: number[] = [];
    let status = warm.status;
    for (let i = 0; i < opts.runs; i += 1) {
      const t0 = performance.now();
      const res = await fetch(`${opts.baseUrl}${q.path}`, { headers });
      await res.arrayBuffer();
      samples.push(performance.now() - t0);
      if (res.status !== 200) status = res.status;
    }
    out.push({
      name: q.name,
      path: q.path,
      status,
      bytes: body.byteLength,
      ...(q.background ? { background: true } : {}),
      ...summarise(samples),
    });
  }
  return out;
}
