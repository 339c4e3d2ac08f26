import { type SQL, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { histogramSums } from '../src/modules/insights/dashboard-durations.ts';
import { rollupFilters } from '../src/modules/insights/insights-query.ts';
import { type Bucketing, rollupRows } from '../src/modules/insights/rollup-range.ts';
import { createTestDatabase, type TestDatabase } from './harness.ts';

/**
 * The rollup rows of a range (modules/insights/rollup-range.ts): whole UTC days from insight_daily, the rest from
 * insight_hourly; and the duration histograms of whole days (dashboard-durations.ts): whole months from
 * insight_monthly_durations, the rest from insight_daily_durations. Every sum, per bucket in every time zone, must equal the same sum over the hourly rows alone — for
 * ranges with and without whole days, edges off midnight, time zones half an hour or six hours off UTC and a
 * daylight-saving change (Europe/London, 29 March 2026).
 */
let t: TestDatabase;
const START = Date.parse('2026-03-24T00:00:00Z');
const HOURS = 14 * 24;

beforeAll(async () => {
  t = await createTestDatabase();
  // two channels, every hour for two weeks, counts that differ from hour to hour; written in two shards
  await t.database.db.execute(sql`
    INSERT INTO insight_hourly (hour, channel, category_key, team_key, assignee_key, language_key, shard, created, solved,
                                first_responses, first_response_seconds_sum, resolution_seconds_sum)
    SELECT ${new Date(START).toISOString()}::timestamptz + make_interval(hours => i), ch, '', '', '', 'bn', i % 2,
           (i * 7 + length(ch)) % 5, (i * 3) % 4, i % 3, (i % 3) * 60, ((i * 3) % 4) * 3600
      FROM generate_series(0, ${HOURS - 1}) AS i, unnest(ARRAY['email', 'web']) AS ch`);
  await t.database.db.execute(sql`
    INSERT INTO insight_daily (day, channel, category_key, team_key, assignee_key, language_key, shard, created, solved,
                               first_responses, first_response_seconds_sum, resolution_seconds_sum)
    SELECT date_trunc('day', hour, 'UTC'), channel, category_key, team_key, assignee_key, language_key, shard,
           sum(created), sum(solved), sum(first_responses), sum(first_response_seconds_sum), sum(resolution_seconds_sum)
      FROM insight_hourly GROUP BY 1, 2, 3, 4, 5, 6, 7`);
  // histograms for every day of five months, two people, two metrics, a few buckets each
  await t.database.db.execute(sql`
    INSERT INTO insight_daily_durations (day, metric, channel, category_key, team_key, assignee_key, language_key, bucket, count)
    SELECT '2026-01-01'::date + d, m, 'email', '', '', a, 'en', b, (d * 5 + b + length(a)) % 7
      FROM generate_series(0, 150) AS d, unnest(ARRAY['first_response', 'resolution']) AS m,
           unnest(ARRAY['a', 'b']) AS a, generate_series(1, 6) AS b`);
  await t.database.db.execute(sql`
    INSERT INTO insight_monthly_durations (month, metric, channel, category_key, team_key, assignee_key, language_key, bucket, count)
    SELECT date_trunc('month', day)::date, metric, channel, category_key, team_key, assignee_key, language_key, bucket, sum(count)
      FROM insight_daily_durations GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`);
});

afterAll(async () => {
  await t?.drop();
});

const at = (hoursFromStart: number) => new Date(START + hoursFromStart * 3_600_000);

async function sums(source: SQL, bucketing?: Bucketing) {
  const bucket = bucketing ? sql`date_trunc(${bucketing.interval}, hour, ${bucketing.tz})` : sql`NULL::timestamptz`;
  return (
    await t.database.db.execute(sql`
      SELECT ${bucket}::text AS bucket, channel, sum(created)::int AS created, sum(solved)::int AS solved,
             sum(first_responses)::int AS fr, sum(resolution_seconds_sum)::bigint AS rs, count(*)::int AS source_rows
        FROM ${source} r GROUP BY 1, 2 ORDER BY 1, 2`)
  ).rows as Array<Record<string, unknown>>;
}

const hourlyOnly = (from: Date | null, to: Date, filters: SQL[] = []) =>
  sql`(SELECT * FROM insight_hourly WHERE ${from ? sql`hour >= ${from.toISOString()}::timestamptz AND ` : sql``}
         hour < ${to.toISOString()}::timestamptz ${filters.length ? sql`AND ${sql.join(filters, sql` AND `)}` : sql``})`;

const withoutRowCounts = (rows: Array<Record<string, unknown>>) => rows.map(({ source_rows: _, ...r }) => r);
const rowsRead = (rows: Array<Record<string, unknown>>) => rows.reduce((n, r) => n + Number(r.source_rows), 0);

describe('rollup rows of a range', () => {
  const ranges: Array<[string, Date, Date]> = [
    ['whole days', at(0), at(10 * 24)],
    ['edges off midnight', at(5), at(12 * 24 + 17)],
    ['under a day, across midnight', at(20), at(30)],
    ['one day and a bit', at(23), at(49)],
  ];

  for (const [name, from, to] of ranges) {
    it(`sums as the hourly rows do over ${name}`, async () => {
      const daily = await sums(rollupRows({ from, to }, []));
      expect(withoutRowCounts(daily)).toEqual(withoutRowCounts(await sums(hourlyOnly(from, to))));
    });
  }

  it('reads whole days as one row per day, shard and key', async () => {
    const from = at(5);
    const to = at(12 * 24 + 17);
    const daily = await sums(rollupRows({ from, to }, []));
    const hourly = await sums(hourlyOnly(from, to));
    // 11 whole days × 2 shards × 2 channels, and 19 + 17 edge hours × 2 channels
    expect(rowsRead(daily)).toBe(11 * 2 * 2 + (19 + 17) * 2);
    expect(rowsRead(hourly)).toBe((12 * 24 + 12) * 2);
  });

  it('sums everything before a moment (no start), and applies the filters to both rollups', async () => {
    const to = at(9 * 24 + 13);
    expect(withoutRowCounts(await sums(rollupRows({ from: null, to }, [])))).toEqual(
      withoutRowCounts(await sums(hourlyOnly(null, to))),
    );
    const filters = rollupFilters({ channel: 'web' });
    const filtered = await sums(rollupRows({ from: at(3), to }, filters));
    expect(filtered.map((r) => r.channel)).toEqual(['web']);
    expect(withoutRowCounts(filtered)).toEqual(withoutRowCounts(await sums(hourlyOnly(at(3), to, filters))));
  });

  const zones = ['UTC', 'Asia/Dhaka', 'Asia/Kolkata', 'Europe/London', 'America/New_York'];
  for (const tz of zones) {
    for (const interval of ['hour', 'day', 'week'] as const) {
      it(`puts every hour in the bucket it falls in: ${interval}s in ${tz}`, async () => {
        const from = at(7);
        const to = at(13 * 24 + 2);
        const bucketing = { interval, tz };
        const daily = await sums(rollupRows({ from, to }, [], bucketing), bucketing);
        expect(withoutRowCounts(daily)).toEqual(withoutRowCounts(await sums(hourlyOnly(from, to), bucketing)));
        // in UTC a day never straddles a day or a week: only the edge hours come from the hourly rollup
        if (tz === 'UTC' && interval !== 'hour') expect(rowsRead(daily)).toBe(12 * 2 * 2 + (17 + 2) * 2);
      });
    }
  }
});

describe('duration histograms of whole days', () => {
  const histogram = async (source: SQL) =>
    (
      await t.database.db.execute(sql`
        SELECT assignee_k, bucket, sum(n)::int AS n, count(*)::int AS source_rows FROM (${source}) x
         GROUP BY 1, 2 ORDER BY 1, 2`)
    ).rows as Array<Record<string, unknown>>;
  const dailyOnly = (metric: string, from: string, to: string, filters: SQL[] = []) =>
    sql`SELECT team_key AS team_k, assignee_key AS assignee_k, bucket::int AS bucket, count AS n
          FROM insight_daily_durations
         WHERE metric = ${metric} AND day >= ${from}::date AND day < ${to}::date
           ${filters.length ? sql`AND ${sql.join(filters, sql` AND `)}` : sql``}`;

  const spans: Array<[string, string, string]> = [
    ['inside one month', '2026-02-03', '2026-02-20'],
    ['across a month boundary, no whole month', '2026-01-20', '2026-02-10'],
    ['whole months and days at both ends', '2026-01-12', '2026-04-17'],
    ['starting and ending on the first', '2026-02-01', '2026-05-01'],
  ];
  for (const [name, from, to] of spans) {
    it(`sums as the daily histograms do ${name}`, async () => {
      for (const metric of ['first_response', 'resolution'] as const) {
        const got = await histogram(
          histogramSums(metric, new Date(`${from}T00:00:00Z`), new Date(`${to}T00:00:00Z`), []),
        );
        const want = await histogram(dailyOnly(metric, from, to));
        expect(withoutRowCounts(got)).toEqual(withoutRowCounts(want));
        expect(got.length).toBeGreaterThan(0);
      }
    });
  }

  it('reads whole months from the monthly histograms and the rest from the daily ones', async () => {
    const total = async (from: string, to: string) =>
      (
        await histogram(histogramSums('resolution', new Date(`${from}T00:00:00Z`), new Date(`${to}T00:00:00Z`), []))
      ).reduce((n, r) => n + Number(r.n), 0);
    const before = { whole: await total('2026-02-01', '2026-05-01'), cut: await total('2026-01-12', '2026-03-15') };
    // March's monthly rows alone are made 1,000 higher per person and bucket (2 × 6 rows)
    await t.database.db.execute(
      sql`UPDATE insight_monthly_durations SET count = count + 1000 WHERE month = '2026-03-01' AND metric = 'resolution'`,
    );
    try {
      expect(await total('2026-02-01', '2026-05-01')).toBe(before.whole + 12_000);
      expect(await total('2026-01-12', '2026-03-15')).toBe(before.cut);
    } finally {
      await t.database.db.execute(
        sql`UPDATE insight_monthly_durations SET count = count - 1000 WHERE month = '2026-03-01' AND metric = 'resolution'`,
      );
    }
  });

  it('applies the filters to both histograms', async () => {
    const filters = [...rollupFilters({ channel: 'email', language: 'en' }), sql`assignee_key = 'b'`];
    const got = await histogram(
      histogramSums('resolution', new Date('2026-01-12T00:00:00Z'), new Date('2026-05-01T00:00:00Z'), filters),
    );
    expect(got.map((r) => r.assignee_k)).toEqual(Array(6).fill('b'));
    expect(withoutRowCounts(got)).toEqual(
      withoutRowCounts(await histogram(dailyOnly('resolution', '2026-01-12', '2026-05-01', [sql`assignee_key = 'b'`]))),
    );
  });
});
