import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compactRollupShards, ROLLUP_SHARDS } from '../src/modules/insights/rollup-shards.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api, openTicket } from './tickets-helpers.ts';

/**
 * Sharded rollup rows (modules/insights/rollup-shards.ts): concurrent ticket writes add to different rows of the
 * same hour (and day) and dimensions, reports sum them, and the compaction folds past hours and ended days into one
 * row per key without changing any sum.
 */
const clock = new ManualClock(new Date('2026-05-04T09:10:00Z'));
let t: TestApp;
let agent: TestStaff;

beforeAll(async () => {
  t = await createTestApp({ clock });
  agent = await createStaff(t, 'supervisor');
});

afterAll(async () => {
  await t?.close();
});

const sums = async () =>
  (
    await t.deps.db.execute<Record<string, unknown>>(sql`
      SELECT hour::text, channel, language_key, sum(created)::int AS created, sum(solved)::int AS solved
        FROM insight_hourly GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`)
  ).rows;
const tagSums = async () =>
  (
    await t.deps.db.execute<Record<string, unknown>>(
      sql`SELECT hour::text, tag, sum(created)::int AS created FROM insight_hourly_tags GROUP BY 1, 2 ORDER BY 1, 2`,
    )
  ).rows;
const shardsInUse = async (table: 'insight_hourly' | 'insight_hourly_tags') =>
  (await t.deps.db.execute<{ shard: number }>(sql`SELECT DISTINCT shard FROM ${sql.raw(table)} ORDER BY 1`)).rows.map(
    (r) => r.shard,
  );

describe('sharded hourly rollups', () => {
  it('writes each connection to its own shard, and the reports see the sum', async () => {
    // enough connections at once that their backends fall in several shards
    const opened = await Promise.all(
      Array.from({ length: 12 }, (_, i) => openTicket(t, agent, { subject: `Rush ${i}`, tags: ['rush'] })),
    );
    expect(opened).toHaveLength(12);
    const shards = await shardsInUse('insight_hourly');
    expect(shards.length).toBeGreaterThan(1);
    expect(Math.max(...shards)).toBeLessThan(ROLLUP_SHARDS);
    const [row] = await sums();
    expect(row).toMatchObject({ created: 12, solved: 0 });
    const dash = await api(t, agent, 'GET', '/insights/dashboard?from=2026-05-04T00:00:00Z&to=2026-05-05T00:00:00Z');
    expect(dash.statusCode, dash.body).toBe(200);
    expect(dash.json().totals.created).toBe(12);
  });

  it('folds past hours into shard 0 without changing a sum, and leaves recent hours alone', async () => {
    clock.set(new Date('2026-05-04T12:20:00Z'));
    const later = await openTicket(t, agent, { subject: 'Later', tags: ['rush'] });
    const solved = await api(t, agent, 'PATCH', `/tickets/${later.id}`, { status: 'solved' });
    expect(solved.statusCode, solved.body).toBe(200);
    const before = await sums();
    const tagsBefore = await tagSums();
    expect(tagsBefore).toEqual([
      { hour: '2026-05-04 09:00:00+00', tag: 'rush', created: 12 },
      { hour: '2026-05-04 12:00:00+00', tag: 'rush', created: 1 },
    ]);

    const folded = await compactRollupShards(t.deps.db, new Date('2026-05-04T11:00:00Z'));
    expect(folded).toBeGreaterThan(0);
    expect(await sums()).toEqual(before);
    expect(await tagSums()).toEqual(tagsBefore);
    const perHour = await t.deps.db.execute<{ hour: string; shards: number[] }>(sql`
      SELECT hour::text, array_agg(DISTINCT shard ORDER BY shard) AS shards FROM insight_hourly GROUP BY 1 ORDER BY 1`);
    expect(perHour.rows[0]?.shards).toEqual([0]);
    // the 12:00 hour was not folded: written from this connection's own shard
    const noon = perHour.rows.find((r) => r.hour.startsWith('2026-05-04 12'));
    expect(noon).toBeDefined();

    // folding again finds nothing; a rebuild from the tickets gives the same sums
    expect(await compactRollupShards(t.deps.db, new Date('2026-05-04T11:00:00Z'))).toBe(0);
    const admin = await createStaff(t, 'admin');
    expect((await api(t, admin, 'POST', '/insights/rebuild')).statusCode).toBe(200);
    expect(await sums()).toEqual(before);
    expect(await tagSums()).toEqual(tagsBefore);
  });

  it('folds the daily rows of UTC days that have ended, and not of today', async () => {
    clock.set(new Date('2026-05-05T08:30:00Z'));
    await Promise.all(Array.from({ length: 12 }, (_, i) => openTicket(t, agent, { subject: `Next day ${i}` })));
    const daySums = async () =>
      (
        await t.deps.db.execute<Record<string, unknown>>(sql`
          SELECT day::text, channel, sum(created)::int AS created, sum(solved)::int AS solved
            FROM insight_daily GROUP BY 1, 2 ORDER BY 1, 2`)
      ).rows;
    const dayShards = async () =>
      (
        await t.deps.db.execute<{ shards: number[] }>(sql`
          SELECT array_agg(DISTINCT shard ORDER BY shard) AS shards FROM insight_daily WHERE day = '2026-05-05T00:00:00Z'`)
      ).rows[0]?.shards ?? [];
    const before = await daySums();
    expect(before.find((r) => String(r.day).startsWith('2026-05-05'))).toMatchObject({ created: 12 });
    expect((await dayShards()).length).toBeGreaterThan(1);

    // past hours of a day that has not ended: its hours are folded, the day is not
    await compactRollupShards(t.deps.db, new Date('2026-05-05T20:00:00Z'));
    expect((await dayShards()).length).toBeGreaterThan(1);
    // once it has ended, it is one row per key, with the same sums
    expect(await compactRollupShards(t.deps.db, new Date('2026-05-06T01:00:00Z'))).toBeGreaterThan(0);
    expect(await dayShards()).toEqual([0]);
    expect(await daySums()).toEqual(before);
  });

  it('a write racing the compaction is neither lost nor counted twice', async () => {
    const other = new pg.Client({ connectionString: t.db.url });
    await other.connect();
    try {
      const before = await sums();
      // an old hour gets a late change in some shard while the compaction folds that hour
      await other.query(`INSERT INTO insight_hourly (hour, channel, category_key, team_key, assignee_key, language_key, shard, created)
        VALUES ('2026-05-04T09:00:00Z', 'api', '', '', '', 'en', 5, 1)`);
      await Promise.all([
        compactRollupShards(t.deps.db, new Date('2026-05-04T11:00:00Z')),
        other.query(`INSERT INTO insight_hourly (hour, channel, category_key, team_key, assignee_key, language_key, shard, created)
          VALUES ('2026-05-04T09:00:00Z', 'api', '', '', '', 'en', 5, 1)
          ON CONFLICT (hour, channel, category_key, team_key, assignee_key, language_key, shard)
          DO UPDATE SET created = insight_hourly.created + 1`),
      ]);
      const nine = (rows: Array<Record<string, unknown>>) =>
        rows.filter((r) => String(r.hour).startsWith('2026-05-04 09')).reduce((n, r) => n + Number(r.created), 0);
      expect(nine(await sums())).toBe(nine(before) + 2);
    } finally {
      await other.end();
    }
  });
});
