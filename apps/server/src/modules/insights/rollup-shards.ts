import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';

/**
 * Rollup rows (insight_hourly, insight_hourly_tags) per hour and dimensions are split into this many shards, one
 * chosen by the writing connection (`pg_backend_pid() % ROLLUP_SHARDS`). Every new ticket of the same hour,
 * channel and team adds to "the same" numbers; with one row per key, concurrent ticket writes queued for its row
 * lock through each other's COMMIT (measured under concurrent creates: waiting on another transaction was the
 * largest wait of all). A connection runs one transaction at a time, so two writers share a row only when their
 * backends fall in the same shard. Every reader sums over the rows of a key. The rebuild writes shard 0, and
 * compactRollupShards (an hourly job) folds the shards of past hours back into it, so reports over long ranges
 * read one row per key.
 */
export const ROLLUP_SHARDS = 16;
export const SHARD = sql.raw(`(pg_backend_pid() % ${ROLLUP_SHARDS})::smallint`);

/** An insert into `insight_hourly` adds its counts to the row of its hour, dimensions and shard. */
export const ADD_TO_HOURLY =
  sql.raw(`ON CONFLICT (hour, channel, category_key, team_key, assignee_key, language_key, shard) DO UPDATE SET
        created = insight_hourly.created + EXCLUDED.created,
        solved = insight_hourly.solved + EXCLUDED.solved,
        first_responses = insight_hourly.first_responses + EXCLUDED.first_responses,
        first_response_seconds_sum = insight_hourly.first_response_seconds_sum + EXCLUDED.first_response_seconds_sum,
        resolution_seconds_sum = insight_hourly.resolution_seconds_sum + EXCLUDED.resolution_seconds_sum`);

/** Folds the shards of every hour before `before` into shard 0; returns how many rows were folded. */
export async function compactRollupShards(db: DbOrTx, before: Date): Promise<number> {
  const at = before.toISOString();
  const hourly = await db.execute<{ n: number }>(sql`
    WITH moved AS (
      DELETE FROM insight_hourly WHERE shard <> 0 AND hour < ${at}::timestamptz
      RETURNING hour, channel, category_key, team_key, assignee_key, language_key,
                created, solved, first_responses, first_response_seconds_sum, resolution_seconds_sum),
    folded AS (
      INSERT INTO insight_hourly (hour, channel, category_key, team_key, assignee_key, language_key, shard,
                                  created, solved, first_responses, first_response_seconds_sum, resolution_seconds_sum)
      SELECT hour, channel, category_key, team_key, assignee_key, language_key, 0,
             sum(created), sum(solved), sum(first_responses), sum(first_response_seconds_sum), sum(resolution_seconds_sum)
        FROM moved GROUP BY hour, channel, category_key, team_key, assignee_key, language_key
      ${ADD_TO_HOURLY}
      RETURNING 1)
    SELECT (SELECT count(*) FROM moved)::int AS n`);
  const tags = await db.execute<{ n: number }>(sql`
    WITH moved AS (
      DELETE FROM insight_hourly_tags WHERE shard <> 0 AND hour < ${at}::timestamptz
      RETURNING hour, tag, channel, created),
    folded AS (
      INSERT INTO insight_hourly_tags (hour, tag, channel, shard, created)
      SELECT hour, tag, channel, 0, sum(created) FROM moved GROUP BY hour, tag, channel
      ON CONFLICT (hour, tag, channel, shard) DO UPDATE SET created = insight_hourly_tags.created + EXCLUDED.created
      RETURNING 1)
    SELECT (SELECT count(*) FROM moved)::int AS n`);
  return (hourly.rows[0]?.n ?? 0) + (tags.rows[0]?.n ?? 0);
}
