import type { CustomersAtRisk } from '@seva/contracts';
import { sql } from 'drizzle-orm';
import type { Deps } from '../../platform/deps.ts';
import { getSurveySettings } from '../surveys/index.ts';
import { type ComputedRisk, computeCustomersAtRisk, type RiskBasis } from './customers-at-risk.ts';
import { rows } from './insights-query.ts';
import { getInsightsSettings } from './insights-settings.ts';

/** the periods the insights page offers; a worker keeps a snapshot of each */
export const RISK_SNAPSHOT_DAYS = [30, 90] as const;
/** every five minutes */
export const RISK_SNAPSHOT_CRON = '*/5 * * * *';
/** a snapshot older than this is not served (three missed refreshes): the lists are computed on the request */
export const RISK_SNAPSHOT_MAX_AGE_MS = 15 * 60_000;
/** rows kept per list: the most the API hands out (CustomersAtRiskQuery's limit) */
const SNAPSHOT_ROWS = 500;

/**
 * Computes the lists for `days` as of now and keeps them as that period's snapshot, without the customers' names
 * (read with the snapshot, so renames and merges show at once).
 */
export async function refreshRiskSnapshot(deps: Pick<Deps, 'db' | 'clock'>, days: number): Promise<ComputedRisk> {
  const now = deps.clock.now();
  const r = await computeCustomersAtRisk(deps, { days, limit: SNAPSHOT_ROWS, now });
  const atRisk = r.atRisk.map(({ name: _name, ...rest }) => rest);
  const lowEngagement = r.lowEngagement.map(({ name: _name, ...rest }) => rest);
  // an older computation finishing late does not replace a newer one
  await deps.db.execute(sql`
    INSERT INTO insight_risk_snapshots (days, computed_at, basis, at_risk, low_engagement)
    VALUES (${days}, ${now.toISOString()}::timestamptz, ${JSON.stringify(r.basis)}::jsonb,
            ${JSON.stringify(atRisk)}::jsonb, ${JSON.stringify(lowEngagement)}::jsonb)
    ON CONFLICT (days) DO UPDATE
      SET computed_at = excluded.computed_at, basis = excluded.basis, at_risk = excluded.at_risk,
          low_engagement = excluded.low_engagement
      WHERE insight_risk_snapshots.computed_at <= excluded.computed_at`);
  return r;
}

/** The background job: every offered period, one after the other (they read the same facts). */
export async function refreshRiskSnapshots(deps: Pick<Deps, 'db' | 'clock'>): Promise<void> {
  for (const days of RISK_SNAPSHOT_DAYS) await refreshRiskSnapshot(deps, days);
}

interface SnapshotRow {
  computed_at: Date;
  basis: RiskBasis;
  at_risk: CustomersAtRisk['atRisk'];
  low_engagement: CustomersAtRisk['lowEngagement'];
}

/**
 * A fresh snapshot's first `limit` entries of each list with the customers' current names, in the snapshot's order;
 * customers merged into another since are left out. One statement, by primary keys.
 */
async function readSnapshot(
  db: Deps['db'],
  q: { days: number; limit: number; freshFrom: Date; now: Date },
): Promise<SnapshotRow | null> {
  const named = (list: 'at_risk' | 'low_engagement') => sql`(
    SELECT coalesce(jsonb_agg(n.v ORDER BY n.i), '[]'::jsonb)
      FROM (SELECT e.v || jsonb_build_object('name', c.name) AS v, e.i
              FROM jsonb_array_elements(s.${sql.raw(list)}) WITH ORDINALITY AS e(v, i)
              JOIN customers c ON c.id = (e.v->>'customerId')::uuid AND c.merged_into_id IS NULL
             ORDER BY e.i LIMIT ${q.limit}) n)`;
  const [row] = await rows<SnapshotRow>(
    db,
    sql`SELECT s.computed_at, s.basis, ${named('at_risk')} AS at_risk, ${named('low_engagement')} AS low_engagement
          FROM insight_risk_snapshots s
         WHERE s.days = ${q.days} AND s.computed_at >= ${q.freshFrom.toISOString()}::timestamptz
           AND s.computed_at <= ${q.now.toISOString()}::timestamptz`,
  );
  return row ?? null;
}

/**
 * Customers at risk for the insights page and the API: from the period's snapshot when one is fresh and was computed
 * under the current settings, else computed now. `refresh` computes now and keeps the result as the snapshot.
 */
export async function customersAtRisk(
  deps: Pick<Deps, 'db' | 'clock'>,
  q: { days: number; limit: number; refresh?: 'true' | 'false' | undefined },
): Promise<CustomersAtRisk> {
  const now = deps.clock.now();
  const live = (r: ComputedRisk): CustomersAtRisk => ({
    days: r.days,
    asOf: now.toISOString(),
    atRisk: r.atRisk.slice(0, q.limit),
    lowEngagement: r.lowEngagement.slice(0, q.limit),
  });
  if (q.refresh === 'true') return live(await refreshRiskSnapshot(deps, q.days));
  const [snap, cfg, surveys] = await Promise.all([
    readSnapshot(deps.db, { ...q, freshFrom: new Date(now.getTime() - RISK_SNAPSHOT_MAX_AGE_MS), now }),
    getInsightsSettings(deps.db),
    getSurveySettings(deps.db),
  ]);
  if (
    snap &&
    snap.basis.firstResponseTargetSeconds === cfg.firstResponseTargetSeconds &&
    snap.basis.badAtOrBelow === surveys.badAtOrBelow
  )
    return {
      days: q.days,
      asOf: new Date(snap.computed_at).toISOString(),
      atRisk: snap.at_risk,
      lowEngagement: snap.low_engagement,
    };
  return live(await computeCustomersAtRisk(deps, { days: q.days, limit: q.limit, now }));
}
