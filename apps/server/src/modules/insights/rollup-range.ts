import { type SQL, sql } from 'drizzle-orm';
import { and } from './insights-query.ts';

const DAY_MS = 86_400_000;
const COLUMNS = sql.raw(
  'channel, category_key, team_key, assignee_key, language_key, created, solved, first_responses, first_response_seconds_sum, resolution_seconds_sum',
);
const iso = (ms: number) => new Date(ms).toISOString();

/** How a series groups the rows: by hour, or by days or weeks of wall time in a time zone. */
export interface Bucketing {
  interval: 'hour' | 'day' | 'week';
  tz: string;
}

const hours = (from: number | null, to: number): SQL =>
  from === null
    ? sql`hour < ${iso(to)}::timestamptz`
    : sql`hour >= ${iso(from)}::timestamptz AND hour < ${iso(to)}::timestamptz`;

/**
 * The rollup rows of [from, to) (from null: everything before `to`) as one row source with the columns of
 * insight_hourly — `hour`, the five dimensions and the counts — to be used as `FROM ${rollupRows(…)} r` and summed:
 * the whole UTC days of the range come from insight_daily (`hour` is then the day's midnight), only the hours at its
 * edges from insight_hourly. `filters` (rollupFilters) apply to both. A year is then ~365 rows per combination of
 * dimensions instead of ~8,760 — the year-long dashboard's statements each summed ~88,000 hourly rows at 1M tickets.
 *
 * With a bucketing, a daily row stands for its day only where the whole day falls in one bucket (in the bucket's
 * time zone); the days that a bucket boundary cuts — every day in a time zone whose offset is not a whole number of
 * days, with daily buckets — are read by their hours, so every hour lands in the bucket it did before. By the hour,
 * everything comes from insight_hourly.
 */
export function rollupRows(range: { from: Date | null; to: Date }, filters: SQL[], bucketing?: Bucketing): SQL {
  const from = range.from ? range.from.getTime() : null;
  const to = range.to.getTime();
  const dayFrom = from === null ? null : Math.ceil(from / DAY_MS) * DAY_MS;
  const dayTo = Math.floor(to / DAY_MS) * DAY_MS;
  const where = and(filters);
  const hourly = (when: SQL) => sql`SELECT hour, ${COLUMNS} FROM insight_hourly WHERE ${when} AND ${where}`;
  if (bucketing?.interval === 'hour' || (dayFrom !== null && dayFrom >= dayTo))
    return sql`(${hourly(hours(from, to))})`;

  const edges =
    from === null || dayFrom === null ? hours(dayTo, to) : sql`((${hours(from, dayFrom)}) OR (${hours(dayTo, to)}))`;
  const days =
    dayFrom === null
      ? sql`day < ${iso(dayTo)}::timestamptz`
      : sql`day >= ${iso(dayFrom)}::timestamptz AND day < ${iso(dayTo)}::timestamptz`;
  if (!bucketing || dayFrom === null) {
    return sql`(SELECT day AS hour, ${COLUMNS} FROM insight_daily WHERE ${days} AND ${where}
                UNION ALL ${hourly(edges)})`;
  }
  const { interval, tz } = bucketing;
  // whether each day of the range lies in one bucket, worked out once per day (not per rollup row: date_trunc in a
  // time zone costs a zone lookup each time)
  const daysOf = (whole: boolean) =>
    sql`SELECT d FROM generate_series(${iso(dayFrom)}::timestamptz, ${iso(dayTo - DAY_MS)}::timestamptz, interval '1 day') AS s(d)
         WHERE ${whole ? sql`` : sql`NOT`} (date_trunc(${interval}, d, ${tz}) = date_trunc(${interval}, d + interval '1 day' - interval '1 microsecond', ${tz}))`;
  return sql`(SELECT day AS hour, ${COLUMNS} FROM insight_daily WHERE ${days} AND day IN (${daysOf(true)}) AND ${where}
              UNION ALL ${hourly(edges)}
              UNION ALL
              SELECT h.hour, ${COLUMNS}
                FROM (${daysOf(false)}) AS cut JOIN insight_hourly h ON h.hour >= cut.d AND h.hour < cut.d + interval '1 day'
               WHERE ${where})`;
}
