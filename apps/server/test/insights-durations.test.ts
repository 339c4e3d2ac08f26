import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboard } from '../src/modules/insights/dashboard.service.ts';
import { bucketBounds, bucketOf, EDGES, WIDTH_BUCKET_THRESHOLDS } from '../src/modules/insights/duration-buckets.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api, insertCategory, insertTeam, openTicket } from './tickets-helpers.ts';

/**
 * Forty tickets over five weeks, answered and solved after varied delays, then edited (category, team, reopened and
 * solved again): the daily and monthly duration histograms must follow every change, equal a rebuild, and give the
 * dashboard's percentiles within one bucket of the exact ones (April from the monthly histograms, the days around
 * it from the daily ones, the first and last hours from the facts).
 */
const clock = new ManualClock(new Date('2026-03-28T00:00:00Z'));
let t: TestApp;
let sup: TestStaff;
let agent: TestStaff;
let other: string;
const ids: string[] = [];
// starts and ends mid-day, so the first and last days come from the facts and the days between from the histograms
const RANGE = { from: '2026-03-28T06:00:00Z', to: '2026-05-03T18:00:00Z' };

async function at<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  clock.set(new Date(ms));
  return fn();
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  sup = await createStaff(t, 'supervisor');
  agent = await createStaff(t, 'agent');
  const team = await insertTeam(t, 'Tier 1', [agent.id]);
  other = await insertCategory(t, 'Other');
  const start = Date.parse('2026-03-28T07:00:00Z');
  for (let i = 0; i < 40; i += 1) {
    const created = start + i * 21 * 3_600_000;
    const ticket = await at(created, () =>
      openTicket(t, sup, { channel: i % 2 ? 'email' : 'chat', teamId: team, assigneeId: agent.id }),
    );
    ids.push(ticket.id);
    // first responses from 2 minutes to ~6 hours, solves up to a day later
    const reply = await at(created + (120 + ((i * 7919) % 21_000)) * 1000, () =>
      api(t, agent, 'POST', `/tickets/${ticket.id}/messages`, { body: 'Looking into it' }),
    );
    expect(reply.statusCode, reply.body).toBe(201);
    if (i % 3 !== 0) {
      const solved = await at(created + (3_000 + ((i * 104_729) % 80_000)) * 1000, () =>
        api(t, agent, 'PATCH', `/tickets/${ticket.id}`, { status: 'solved' }),
      );
      expect(solved.statusCode, solved.body).toBe(200);
    }
  }
  clock.set(new Date('2026-05-05T00:00:00Z'));
}, 120_000);

afterAll(async () => {
  await t?.close();
});

async function histogramRows(): Promise<string[]> {
  const rows = async (table: string, time: string) =>
    (
      await t.deps.db.execute<Record<string, unknown>>(
        sql`SELECT ${sql.raw(time)}::text, metric, channel, category_key, team_key, assignee_key, language_key, bucket, count
              FROM ${sql.raw(table)} WHERE count <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8`,
      )
    ).rows.map((x) => JSON.stringify(x));
  return [...(await rows('insight_daily_durations', 'day')), ...(await rows('insight_monthly_durations', 'month'))];
}

describe('duration histograms', () => {
  it('put a duration in the same bucket in PostgreSQL as in the server', async () => {
    const values = [0, 1, 10, 11, 59, 60, 61, 299, 300, 301, 3600, 3601, 14_400, 14_401, 86_400, 2_000_000_000];
    const r = await t.deps.db.execute<{ v: number; b: number }>(
      sql`SELECT v, width_bucket(v, ${`{${WIDTH_BUCKET_THRESHOLDS.join(',')}}`}::int[]) AS b
            FROM unnest(${`{${values.join(',')}}`}::int[]) AS v`,
    );
    expect(r.rows.map((x) => [x.v, x.b])).toEqual(values.map((v) => [v, bucketOf(v)]));
    expect(EDGES.length).toBeLessThan(200);
  });

  /** The hourly rollup per key, summed over its shards (rollup-shards.ts): what every report reads. */
  async function hourlyRows(): Promise<string[]> {
    const r = await t.deps.db.execute<Record<string, unknown>>(
      sql`SELECT hour::text, channel, category_key, team_key, assignee_key, language_key, sum(created)::int AS created,
               sum(solved)::int AS solved, sum(first_responses)::int AS first_responses,
               sum(first_response_seconds_sum)::bigint AS frs, sum(resolution_seconds_sum)::bigint AS rs
          FROM insight_hourly GROUP BY 1, 2, 3, 4, 5, 6
         HAVING sum(created) <> 0 OR sum(solved) <> 0 OR sum(first_responses) <> 0 ORDER BY 1, 2, 3, 4, 5, 6`,
    );
    return r.rows.map((x) => JSON.stringify(x));
  }

  it('follow category, team, reopen and merge changes and equal a rebuild from the tickets', async () => {
    const before = await histogramRows();
    expect(before.length).toBeGreaterThan(0);
    for (const id of ids.slice(0, 3)) {
      const res = await api(t, agent, 'PATCH', `/tickets/${id}`, { categoryId: other, teamId: null });
      expect(res.statusCode, res.body).toBe(200);
    }
    // reopened and solved again later: the resolution moves to another day and bucket
    const reopened = ids[4] as string;
    expect((await api(t, agent, 'PATCH', `/tickets/${reopened}`, { status: 'open' })).statusCode).toBe(200);
    expect((await api(t, agent, 'PATCH', `/tickets/${reopened}`, { status: 'solved' })).statusCode).toBe(200);
    // a merged ticket leaves the reports (its conversation lives on in the target)
    const merged = await api(t, agent, 'POST', `/tickets/${ids[6]}/merge`, { targetTicketId: ids[7] });
    expect(merged.statusCode, merged.body).toBe(200);
    const incremental = await histogramRows();
    const incrementalHourly = await hourlyRows();
    expect(incremental).not.toEqual(before);

    const rebuilt = await api(t, await createStaff(t, 'admin'), 'POST', '/insights/rebuild');
    expect(rebuilt.statusCode, rebuilt.body).toBe(200);
    expect(await histogramRows()).toEqual(incremental);
    expect(await hourlyRows()).toEqual(incrementalHourly);
  });

  it('give the dashboard percentiles within a bucket of the exact ones, with exact counts, means and target rate', async () => {
    const exact = await dashboard(t.deps, RANGE, { exactPercentilesUpTo: Number.MAX_SAFE_INTEGER });
    const bucketed = await dashboard(t.deps, RANGE, { exactPercentilesUpTo: 0 });
    expect(exact.firstResponse.count).toBeGreaterThan(20);
    expect(bucketed.totals).toEqual(exact.totals);
    const close = (a: number | null, b: number | null, what: string) => {
      expect(a === null, what).toBe(b === null);
      if (a === null || b === null) return;
      // percentile_cont interpolates between two ranks, which may sit in neighbouring buckets: within the wider
      const b0 = bucketOf(Math.round(b));
      const width = Math.max(
        ...[b0 - 1, b0, b0 + 1].filter((x) => x >= 0).map((x) => bucketBounds(x).hi - bucketBounds(x).lo + 1),
      );
      expect(Math.abs(a - b), `${what}: ${a} vs exact ${b}`).toBeLessThanOrEqual(width);
    };
    const compare = (a: typeof exact.firstResponse, b: typeof exact.firstResponse, what: string) => {
      expect(a.count, what).toBe(b.count);
      expect(a.mean, what).toBe(b.mean);
      for (const p of ['median', 'p75', 'p90', 'p95'] as const) close(a[p], b[p], `${what} ${p}`);
    };
    compare(bucketed.firstResponse, exact.firstResponse, 'first response');
    compare(bucketed.resolution, exact.resolution, 'resolution');
    expect(bucketed.timesByTeam.map((r) => r.key)).toEqual(exact.timesByTeam.map((r) => r.key));
    for (const [i, r] of bucketed.timesByTeam.entries()) {
      const e = exact.timesByTeam[i] as (typeof exact.timesByTeam)[number];
      compare(r.firstResponse, e.firstResponse, `team ${r.label} first response`);
      compare(r.resolution, e.resolution, `team ${r.label} resolution`);
    }
    // everything but the duration statistics is the same answer
    const { firstResponse, resolution, timesByTeam, timesByAssignee, ...rest } = bucketed;
    const { firstResponse: a, resolution: b, timesByTeam: c, timesByAssignee: d, ...exactRest } = exact;
    expect(rest).toEqual(exactRest);
  });

  it('count first responses within a target between bucket edges exactly, from the facts', async () => {
    const res = await api(t, await createStaff(t, 'admin'), 'PATCH', '/insights/settings', {
      firstResponseTargetSeconds: 3_333,
    });
    expect(res.statusCode, res.body).toBe(200);
    const exact = await dashboard(t.deps, RANGE, { exactPercentilesUpTo: Number.MAX_SAFE_INTEGER });
    const bucketed = await dashboard(t.deps, RANGE, { exactPercentilesUpTo: 0 });
    expect(exact.totals.firstResponseTargetRate).not.toBeNull();
    expect(bucketed.totals.firstResponseTargetRate).toBe(exact.totals.firstResponseTargetRate);
  });
});
