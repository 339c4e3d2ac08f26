import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';

/**
 * Rollup rows (insight_hourly, insight_daily, insight_hourly_tags) per hour or day and dimensions are split into
 * this many shards, one chosen by the writing connection (`pg_backend_pid() % ROLLUP_SHARDS`). Every new ticket of
 * the same hour, channel and team adds to "the same" numbers; with one row per key, concurrent ticket writes queued
 * for its row lock through each other's COMMIT (measured under concurrent creates: waiting on another transaction
 * was the largest wait of all). A connection runs one transaction at a time, so two writers share a row only when
 * their backends fall in the same shard. Every reader sums over the rows of a key. The rebuild writes shard 0, and
 * compactRollupShards (an hourly job) folds the shards of past hours and days back into it, so reports over long
 * ranges read one row per key.
 */
export const ROLLUP_SHARDS = 16;
export const SHARD = sql.raw(`(pg_backend_pid() % ${ROLLUP_SHARDS})::smallint`);

const ROLLUP_DIMENSIONS = 'channel, category_key, team_key, assignee_key, language_key';
const ROLLUP_COUNTS = 'created, solved, first_responses, first_response_seconds_sum, resolution_seconds_sum';

/** An insert into `insight_hourly` or `insight_daily` adds its counts to the row of its time, dimensions and shard. */
const addTo = (table: 'insight_hourly' | 'insight_daily', time: 'hour' | 'day') =>
  sql.raw(`ON CONFLICT (${time}, ${ROLLUP_DIMENSIONS}, shard) DO UPDATE SET
        ${ROLLUP_COUNTS.split(', ')
          .map((c) => `${c} = ${table}.${c} + EXCLUDED.${c}`)
          .join(',\n        ')}`);
export const ADD_TO_HOURLY = addTo('insight_hourly', 'hour');
export const ADD_TO_DAILY = addTo('insight_daily', 'day');

/** Folds the shards of a rollup's rows before `at` into shard 0; returns how many rows were folded. */
async function foldShards(db: DbOrTx, table: 'insight_hourly' | 'insight_daily', at: string): Promise<number> {
  const time = table === 'insight_hourly' ? 'hour' : 'day';
  const r = await db.execute<{ n: number }>(sql`
    WITH moved AS (
      DELETE FROM ${sql.raw(table)} WHERE shard <> 0 AND ${sql.raw(time)} < ${at}::timestamptz
      RETURNING ${sql.raw(`${time}, ${ROLLUP_DIMENSIONS}, ${ROLLUP_COUNTS}`)}),
    folded AS (
      INSERT INTO ${sql.raw(table)} (${sql.raw(`${time}, ${ROLLUP_DIMENSIONS}, shard, ${ROLLUP_COUNTS}`)})
      SELECT ${sql.raw(
        `${time}, ${ROLLUP_DIMENSIONS}, 0, ${ROLLUP_COUNTS.split(', ')
          .map((c) => `sum(${c})`)
          .join(', ')}`,
      )}
        FROM moved GROUP BY ${sql.raw(`${time}, ${ROLLUP_DIMENSIONS}`)}
      ${table === 'insight_hourly' ? ADD_TO_HOURLY : ADD_TO_DAILY}
      RETURNING 1)
    SELECT (SELECT count(*) FROM moved)::int AS n`);
  return r.rows[0]?.n ?? 0;
}

/**
 * Folds the shards of every hour before `before` into shard 0, and of every UTC day that ended by then; returns how
 * many rows were folded.
 */
export async function compactRollupShards(db: DbOrTx, before: Date): Promise<number> {
  const at = before.toISOString();
  const hourly = await foldShards(db, 'insight_hourly', at);
  const daily = await foldShards(
    db,
    'insight_daily',
    new Date(Math.floor(before.getTime() / 86_400_000) * 86_400_000).toISOString(),
  );
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
  return hourly + daily + (tags.rows[0]?.n ?? 0);
}
