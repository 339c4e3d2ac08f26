import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { bucketOf, WIDTH_BUCKET_THRESHOLDS } from './duration-buckets.ts';
import { secondsBetween, type TicketFacts } from './ticket-contributions.ts';

export interface DurationDelta {
  day: string;
  metric: 'first_response' | 'resolution';
  channel: string;
  categoryKey: string;
  teamKey: string;
  assigneeKey: string;
  languageKey: string;
  bucket: number;
  count: number;
}

const keyOf = (d: DurationDelta) =>
  [d.day, d.metric, d.channel, d.categoryKey, d.teamKey, d.assigneeKey, d.languageKey, String(d.bucket)].join('\u0000');

/** What one ticket adds to the duration histograms: its first response and its resolution, each in one bucket. */
export function durationContribution(f: TicketFacts, sign: 1 | -1): DurationDelta[] {
  const dims = {
    channel: f.channel,
    categoryKey: f.categoryId ?? '',
    teamKey: f.teamId ?? '',
    assigneeKey: f.assigneeId ?? '',
    languageKey: f.language ?? '',
  };
  const out: DurationDelta[] = [];
  const add = (metric: DurationDelta['metric'], at: Date) =>
    out.push({
      day: at.toISOString().slice(0, 10),
      metric,
      ...dims,
      bucket: bucketOf(secondsBetween(f.createdAt, at)),
      count: sign,
    });
  if (f.firstResponseAt) add('first_response', f.firstResponseAt);
  if (f.solvedAt) add('resolution', f.solvedAt);
  return out;
}

/** Merges deltas with the same key and drops those that cancel out. */
export function netDurations(deltas: DurationDelta[]): DurationDelta[] {
  const m = new Map<string, DurationDelta>();
  for (const d of deltas) {
    const cur = m.get(keyOf(d));
    if (cur) cur.count += d.count;
    else m.set(keyOf(d), { ...d });
  }
  return [...m.values()].filter((d) => d.count !== 0).sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
}

/**
 * Moves a ticket's first-response and resolution times between histogram buckets when its facts change (before →
 * after; null for a new or a removed ticket): the deltas, written with the rest of the transaction's insight rows
 * (insight-writes.ts).
 */
export function durationDeltas(before: TicketFacts | null, after: TicketFacts | null): DurationDelta[] {
  return [...(before ? durationContribution(before, -1) : []), ...(after ? durationContribution(after, 1) : [])];
}

/**
 * Rebuilds the daily and monthly histograms from insight_ticket_facts (part of rebuildInsights, after the facts are
 * rebuilt).
 */
export async function rebuildDurationHistograms(tx: DbOrTx): Promise<void> {
  const thresholds = sql`${`{${WIDTH_BUCKET_THRESHOLDS.join(',')}}`}::int[]`;
  await tx.execute(sql`DELETE FROM insight_daily_durations`);
  await tx.execute(sql`
    INSERT INTO insight_daily_durations (day, metric, channel, category_key, team_key, assignee_key, language_key, bucket, count)
    SELECT day, metric, channel, c, tm, a, l, bucket, count(*)
      FROM (
        SELECT (first_response_at AT TIME ZONE 'UTC')::date AS day, 'first_response' AS metric, channel,
               coalesce(category_id::text, '') AS c, coalesce(team_id::text, '') AS tm, coalesce(assignee_id::text, '') AS a,
               coalesce(language, '') AS l, width_bucket(first_response_seconds, ${thresholds}) AS bucket
          FROM insight_ticket_facts WHERE first_response_at IS NOT NULL
        UNION ALL
        SELECT (solved_at AT TIME ZONE 'UTC')::date, 'resolution', channel, coalesce(category_id::text, ''),
               coalesce(team_id::text, ''), coalesce(assignee_id::text, ''), coalesce(language, ''),
               width_bucket(resolution_seconds, ${thresholds})
          FROM insight_ticket_facts WHERE solved_at IS NOT NULL) x
     GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`);
  await tx.execute(sql`DELETE FROM insight_monthly_durations`);
  await tx.execute(sql`
    INSERT INTO insight_monthly_durations (month, metric, channel, category_key, team_key, assignee_key, language_key, bucket, count)
    SELECT date_trunc('month', day)::date, metric, channel, category_key, team_key, assignee_key, language_key, bucket, sum(count)
      FROM insight_daily_durations GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`);
}
