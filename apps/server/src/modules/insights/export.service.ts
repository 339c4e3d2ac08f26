import type { Deps } from '../../platform/deps.ts';
import { type DashboardQuery, dashboard, dashboardSeries, dashboardTags } from './dashboard.service.ts';
import { toCsv } from './insights-query.ts';
import { heatmap } from './operations.service.ts';

export type ExportReport =
  | 'series'
  | 'channels'
  | 'categories'
  | 'languages'
  | 'teams'
  | 'assignees'
  | 'tags'
  | 'heatmap';

/** A dashboard table as CSV. */
export async function exportCsv(deps: Deps, q: DashboardQuery & { report: ExportReport }): Promise<string> {
  if (q.report === 'heatmap') {
    const h = await heatmap(deps, q);
    const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
    return toCsv(
      ['weekday', ...Array.from({ length: 24 }, (_, i) => String(i))],
      h.cells.map((r, d) => [days[d] ?? String(d), ...r]),
    );
  }
  // the chart and the tag table need only their own reads, not the whole dashboard
  if (q.report === 'series')
    return toCsv(
      ['bucket', 'created', 'solved', 'backlog'],
      (await dashboardSeries(deps, q)).map((r) => [r.bucket, r.created, r.solved, r.backlog]),
    );
  if (q.report === 'tags')
    return toCsv(
      ['tag', 'created'],
      (await dashboardTags(deps, q)).map((r) => [r.label, r.created]),
    );
  const d = await dashboard(deps, q);
  const src = {
    channels: d.byChannel,
    categories: d.byCategory,
    languages: d.byLanguage,
    teams: d.byTeam,
    assignees: d.byAssignee,
  }[q.report];
  return toCsv(
    ['key', 'label', 'created', 'solved'],
    src.map((r) => [r.key, r.label, r.created, r.solved]),
  );
}
