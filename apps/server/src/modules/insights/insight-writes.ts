import { getTableColumns, type SQL, sql } from 'drizzle-orm';
import { beforeCommit, defersToCommit } from '../../platform/db/before-commit.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import { insightTicketFacts } from '../../platform/db/schema/index.ts';
import { type DurationDelta, netDurations } from './maintain-duration-histograms.ts';
import { netOpen, type OpenDelta } from './maintain-open-counts.ts';
import { ADD_TO_DAILY, ADD_TO_HOURLY, SHARD } from './rollup-shards.ts';
import { type HourlyDelta, netHourly, netTags, type TagDelta } from './ticket-contributions.ts';

/** A fact row as the sync computed it. In an update, reopenCount and negativeMessages are increments. */
export type FactWrite = typeof insightTicketFacts.$inferSelect;

/** What a ticket's facts sync writes: its fact row (insert, update or delete) and the rollup deltas that moved. */
export interface InsightWrites {
  factInserts: FactWrite[];
  factUpdates: FactWrite[];
  factDeletes: string[];
  hourly: HourlyDelta[];
  tags: TagDelta[];
  durations: DurationDelta[];
  open: OpenDelta[];
}

export function emptyWrites(): InsightWrites {
  return { factInserts: [], factUpdates: [], factDeletes: [], hourly: [], tags: [], durations: [], open: [] };
}

const hourlyKey = (d: HourlyDelta) =>
  [d.hour, d.channel, d.categoryKey, d.teamKey, d.assigneeKey, d.languageKey].join('\u0000');
const tagKey = (d: TagDelta) => [d.hour, d.tag, d.channel].join('\u0000');
const byKey =
  <T>(key: (d: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

/** The columns the sync sets (a column added to the table later keeps its default on insert). */
const FACT_COLUMNS = [
  'ticketId',
  'createdAt',
  'channel',
  'categoryId',
  'teamId',
  'assigneeId',
  'language',
  'tags',
  'customerId',
  'customFields',
  'status',
  'firstResponseAt',
  'firstResponseSeconds',
  'solvedAt',
  'resolutionSeconds',
  'reopenCount',
  'negativeMessages',
  'updatedAt',
] as const;
const factColumns = getTableColumns(insightTicketFacts);
const FACT_NAMES = FACT_COLUMNS.map((c) => factColumns[c].name);
const COUNTERS = new Set(['reopen_count', 'negative_messages']);
const factList = sql.raw(FACT_NAMES.join(', '));
const factSet = sql.raw(
  FACT_NAMES.filter((n) => n !== 'ticket_id')
    .map((n) => (COUNTERS.has(n) ? `${n} = f.${n} + v.${n}` : `${n} = v.${n}`))
    .join(', '),
);

/** A fact row as JSON keyed by column name (jsonb_populate_recordset reads it; dates go as ISO strings). */
const factJson = (rows: FactWrite[]) =>
  JSON.stringify(rows.map((r) => Object.fromEntries(FACT_COLUMNS.map((c, i) => [FACT_NAMES[i], r[c]]))));

const hourlyJson = (rows: HourlyDelta[]) =>
  JSON.stringify(
    rows.map((d) => ({
      hour: d.hour,
      channel: d.channel,
      category_key: d.categoryKey,
      team_key: d.teamKey,
      assignee_key: d.assigneeKey,
      language_key: d.languageKey,
      created: d.created,
      solved: d.solved,
      first_responses: d.firstResponses,
      first_response_seconds_sum: d.firstResponseSecondsSum,
      resolution_seconds_sum: d.resolutionSecondsSum,
    })),
  );
const tagJson = (rows: TagDelta[]) =>
  JSON.stringify(rows.map((d) => ({ hour: d.hour, tag: d.tag, channel: d.channel, created: d.created })));
const durationJson = (rows: DurationDelta[]) =>
  JSON.stringify(
    rows.map((d) => ({
      day: d.day,
      metric: d.metric,
      channel: d.channel,
      category_key: d.categoryKey,
      team_key: d.teamKey,
      assignee_key: d.assigneeKey,
      language_key: d.languageKey,
      bucket: d.bucket,
      count: d.count,
    })),
  );
const openJson = (rows: OpenDelta[]) =>
  JSON.stringify(
    rows.map((d) => ({
      channel: d.channel,
      category_key: d.categoryKey,
      team_key: d.teamKey,
      assignee_key: d.assigneeKey,
      language_key: d.languageKey,
      open: d.open,
    })),
  );

/**
 * All of it in one statement: the fact rows, then the upserts of insight_hourly, insight_daily (the hourly deltas
 * summed per UTC day), insight_hourly_tags, insight_daily_durations, insight_monthly_durations (the histogram
 * deltas summed per month) and insight_open_counts, each fed a JSON array and inserting its rows in the array's
 * order (the deltas are netted and sorted by key first; the daily and monthly sums are ordered by the statement). Before, each of these was its own statement — on a ticket create the facts insert, the
 * hourly upsert and the open-count upsert were three round trips (five with tags and a solved ticket), now one. The
 * text is the same for every batch (an empty array writes nothing), so it is one prepared statement
 * (platform/db/auto-prepare.ts).
 *
 * The order the shared rows are locked in is what keeps concurrent writers from deadlocking, and PostgreSQL runs
 * the parts of a WITH in no promised order: each part waits for the one before it by reading its count in a
 * condition that does not depend on the row (a one-time filter, run once before its first row), so the tables are
 * locked facts → hourly → daily → tags → daily and monthly durations → open counts, as when they were separate statements, and every
 * table's rows in key order.
 */
function insightWritesStatement(w: InsightWrites): SQL {
  return sql`
    WITH fi AS (
      INSERT INTO insight_ticket_facts (${factList})
      SELECT ${factList} FROM jsonb_populate_recordset(NULL::insight_ticket_facts, ${factJson(w.factInserts)}::jsonb)
      RETURNING 1),
    fu AS (
      UPDATE insight_ticket_facts f SET ${factSet}
        FROM jsonb_populate_recordset(NULL::insight_ticket_facts, ${factJson(w.factUpdates)}::jsonb) v
       WHERE f.ticket_id = v.ticket_id AND (SELECT count(*) FROM fi) >= 0
      RETURNING 1),
    fd AS (
      DELETE FROM insight_ticket_facts
       WHERE ticket_id = ANY(${sql.param(w.factDeletes)}::uuid[]) AND (SELECT count(*) FROM fu) >= 0
      RETURNING 1),
    hd AS (
      SELECT * FROM jsonb_populate_recordset(NULL::insight_hourly, ${hourlyJson(w.hourly)}::jsonb) WITH ORDINALITY),
    h AS (
      INSERT INTO insight_hourly (hour, channel, category_key, team_key, assignee_key, language_key, shard,
                                  created, solved, first_responses, first_response_seconds_sum, resolution_seconds_sum)
      SELECT hour, channel, category_key, team_key, assignee_key, language_key, ${SHARD},
             created, solved, first_responses, first_response_seconds_sum, resolution_seconds_sum
        FROM hd
       WHERE (SELECT count(*) FROM fd) >= 0
       ORDER BY hd.ordinality
      ${ADD_TO_HOURLY}
      RETURNING 1),
    dy AS (
      INSERT INTO insight_daily (day, channel, category_key, team_key, assignee_key, language_key, shard,
                                 created, solved, first_responses, first_response_seconds_sum, resolution_seconds_sum)
      SELECT date_trunc('day', hour, 'UTC'), channel, category_key, team_key, assignee_key, language_key, ${SHARD},
             sum(created), sum(solved), sum(first_responses), sum(first_response_seconds_sum), sum(resolution_seconds_sum)
        FROM hd
       WHERE (SELECT count(*) FROM h) >= 0
       GROUP BY 1, 2, 3, 4, 5, 6
      HAVING sum(created) <> 0 OR sum(solved) <> 0 OR sum(first_responses) <> 0
          OR sum(first_response_seconds_sum) <> 0 OR sum(resolution_seconds_sum) <> 0
       ORDER BY 1, 2, 3, 4, 5, 6
      ${ADD_TO_DAILY}
      RETURNING 1),
    tg AS (
      INSERT INTO insight_hourly_tags (hour, tag, channel, shard, created)
      SELECT hour, tag, channel, ${SHARD}, created
        FROM jsonb_populate_recordset(NULL::insight_hourly_tags, ${tagJson(w.tags)}::jsonb) WITH ORDINALITY AS d
       WHERE (SELECT count(*) FROM dy) >= 0
       ORDER BY d.ordinality
      ON CONFLICT (hour, tag, channel, shard) DO UPDATE SET created = insight_hourly_tags.created + EXCLUDED.created
      RETURNING 1),
    dd AS (
      SELECT * FROM jsonb_populate_recordset(NULL::insight_daily_durations, ${durationJson(w.durations)}::jsonb) WITH ORDINALITY),
    du AS (
      INSERT INTO insight_daily_durations (day, metric, channel, category_key, team_key, assignee_key, language_key, bucket, count)
      SELECT day, metric, channel, category_key, team_key, assignee_key, language_key, bucket, count
        FROM dd
       WHERE (SELECT count(*) FROM tg) >= 0
       ORDER BY dd.ordinality
      ON CONFLICT (day, metric, channel, category_key, team_key, assignee_key, language_key, bucket)
      DO UPDATE SET count = insight_daily_durations.count + EXCLUDED.count
      RETURNING 1),
    mu AS (
      INSERT INTO insight_monthly_durations (month, metric, channel, category_key, team_key, assignee_key, language_key, bucket, count)
      SELECT date_trunc('month', day)::date, metric, channel, category_key, team_key, assignee_key, language_key, bucket, sum(count)
        FROM dd
       WHERE (SELECT count(*) FROM du) >= 0
       GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
      HAVING sum(count) <> 0
       ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
      ON CONFLICT (month, metric, channel, category_key, team_key, assignee_key, language_key, bucket)
      DO UPDATE SET count = insight_monthly_durations.count + EXCLUDED.count
      RETURNING 1),
    oc AS (
      INSERT INTO insight_open_counts (channel, category_key, team_key, assignee_key, language_key, shard, open)
      SELECT channel, category_key, team_key, assignee_key, language_key, ${SHARD}, open
        FROM jsonb_populate_recordset(NULL::insight_open_counts, ${openJson(w.open)}::jsonb) WITH ORDINALITY AS d
       WHERE (SELECT count(*) FROM mu) >= 0
       ORDER BY d.ordinality
      ON CONFLICT (channel, category_key, team_key, assignee_key, language_key, shard)
      DO UPDATE SET open = insight_open_counts.open + EXCLUDED.open
      RETURNING 1)
    SELECT count(*)::int AS n FROM oc`;
}

/** Nets the deltas (an unchanged key writes nothing) and puts every table's rows in key order, the lock order. */
function netted(w: InsightWrites): InsightWrites {
  return {
    factInserts: w.factInserts,
    factUpdates: w.factUpdates,
    factDeletes: w.factDeletes,
    hourly: netHourly(w.hourly).sort(byKey(hourlyKey)),
    tags: netTags(w.tags).sort(byKey(tagKey)),
    durations: netDurations(w.durations),
    open: netOpen(w.open),
  };
}

async function writeNow(tx: DbOrTx, w: InsightWrites): Promise<void> {
  const n = netted(w);
  const empty =
    n.factInserts.length + n.factUpdates.length + n.factDeletes.length === 0 &&
    n.hourly.length + n.tags.length + n.durations.length + n.open.length === 0;
  if (!empty) await tx.execute(insightWritesStatement(n));
}

interface Pending {
  writes: InsightWrites;
  /** tickets whose fact row has a write queued */
  tickets: Set<string>;
}

const pending = new WeakMap<object, Pending>();

/**
 * Writes one ticket's facts and rollup deltas. Every new ticket of the same hour, channel and team adds to the same
 * rollup rows, so an upsert locks rows that all concurrent ticket writes need: inside a transaction the writes are
 * gathered and sent just before COMMIT (platform/db/before-commit.ts), all in one statement, so the locks are held
 * for the commit alone. Outside one they are written at once (one statement too).
 */
export async function queueInsightWrites(tx: DbOrTx, ticketId: string, w: InsightWrites): Promise<void> {
  if (!defersToCommit(tx)) {
    await writeNow(tx, w);
    return;
  }
  let p = pending.get(tx);
  if (!p) {
    const queued: Pending = { writes: emptyWrites(), tickets: new Set() };
    p = queued;
    pending.set(tx, queued);
    await beforeCommit(tx, async () => {
      if (pending.get(tx) === queued) pending.delete(tx);
      await writeNow(tx, queued.writes);
    });
  }
  const all = p.writes;
  all.factInserts.push(...w.factInserts);
  all.factUpdates.push(...w.factUpdates);
  all.factDeletes.push(...w.factDeletes);
  all.hourly.push(...w.hourly);
  all.tags.push(...w.tags);
  all.durations.push(...w.durations);
  all.open.push(...w.open);
  if (w.factInserts.length + w.factUpdates.length + w.factDeletes.length > 0) p.tickets.add(ticketId);
}

/**
 * Before a ticket's fact row is read again in a transaction that still has a write of it queued: writes what is
 * queued now, so the read sees it (one statement cannot insert a row and then update it).
 */
export async function writeQueuedFactsOf(tx: DbOrTx, ticketId: string): Promise<void> {
  const p = pending.get(tx);
  if (!p?.tickets.has(ticketId)) return;
  const writes = p.writes;
  p.writes = emptyWrites();
  p.tickets.clear();
  await writeNow(tx, writes);
}
