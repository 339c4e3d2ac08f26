import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refreshRiskSnapshots } from '../src/modules/insights/risk-snapshots.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { until } from './fakes/until.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api, openTicket } from './tickets-helpers.ts';

/**
 * The customers-at-risk lists come from a snapshot a worker computes every five minutes: served while fresh (15
 * minutes) and computed under the current settings, with the customers' current names; otherwise, or when asked to
 * refresh, computed on the request. A worker makes the first snapshots as it starts.
 */
const clock = new ManualClock(new Date('2026-05-01T09:00:00Z'));
let t: TestApp;
let sup: TestStaff;
let admin: TestStaff;

const ANGRY = 'This is terrible, I am very frustrated and angry';

/** three angry tickets within the hour: repeat contacts and negative messages bring the health below 75 */
async function unhappy(email: string, name: string): Promise<void> {
  for (let i = 0; i < 3; i++) await openTicket(t, sup, { email, name, body: `${ANGRY} (${i + 1})` });
}

async function atRisk(query = '') {
  const res = await api(t, sup, 'GET', `/insights/customers-at-risk?days=30${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    asOf: string;
    atRisk: Array<{ customerId: string; name: string; health: number }>;
    lowEngagement: unknown[];
  };
}
const names = (r: { atRisk: Array<{ name: string }> }) => r.atRisk.map((c) => c.name).sort();

beforeAll(async () => {
  t = await createTestApp({ clock });
  sup = await createStaff(t, 'supervisor');
  admin = await createStaff(t, 'admin');
  await unhappy('rina@example.com', 'Rina Roy');
});
afterAll(async () => {
  await t?.close();
});

describe('customers-at-risk snapshots', () => {
  it('computes on the request while there is no snapshot', async () => {
    clock.set(new Date('2026-05-01T10:00:00Z'));
    const r = await atRisk();
    expect(names(r)).toEqual(['Rina Roy']);
    expect(r.asOf).toBe('2026-05-01T10:00:00.000Z');
    expect(r.atRisk[0]?.health).toBeLessThan(75);
  });

  it('serves the snapshot while it is fresh, with current names, cut to the limit', async () => {
    await refreshRiskSnapshots(t.deps);
    const stored = await t.deps.database.pool.query<{ days: number; n: number }>(
      `SELECT days, jsonb_array_length(at_risk)::int AS n FROM insight_risk_snapshots ORDER BY days`,
    );
    expect(stored.rows).toEqual([
      { days: 30, n: 1 },
      { days: 90, n: 1 },
    ]);
    // names are not kept in the snapshot
    const raw = await t.deps.database.pool.query<{ at_risk: unknown }>(
      'SELECT at_risk FROM insight_risk_snapshots WHERE days = 30',
    );
    expect(JSON.stringify(raw.rows[0]?.at_risk)).not.toContain('Rina');

    // a second unhappy customer after the snapshot: not listed until the next one
    clock.set(new Date('2026-05-01T10:05:00Z'));
    await unhappy('sabbir@example.com', 'Sabbir Sen');
    const served = await atRisk();
    expect(served.asOf).toBe('2026-05-01T10:00:00.000Z');
    expect(names(served)).toEqual(['Rina Roy']);

    // a rename shows at once
    const rina = served.atRisk[0]?.customerId;
    const renamed = await api(t, sup, 'PATCH', `/customers/${rina}`, { name: 'Rina Roy-Das' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(names(await atRisk())).toEqual(['Rina Roy-Das']);
  });

  it('computes now when asked to refresh, and keeps that as the snapshot', async () => {
    clock.set(new Date('2026-05-01T10:06:00Z'));
    const fresh = await atRisk('&refresh=true');
    expect(fresh.asOf).toBe('2026-05-01T10:06:00.000Z');
    expect(names(fresh)).toEqual(['Rina Roy-Das', 'Sabbir Sen']);
    clock.set(new Date('2026-05-01T10:07:00Z'));
    const next = await atRisk();
    expect(next.asOf).toBe('2026-05-01T10:06:00.000Z');
    expect(names(next)).toEqual(['Rina Roy-Das', 'Sabbir Sen']);
    // the limit cuts the stored list
    const one = await atRisk('&limit=1');
    expect(one.atRisk.map((c) => c.name)).toEqual([next.atRisk[0]?.name]);
    expect(one.asOf).toBe('2026-05-01T10:06:00.000Z');
    // an older computation finishing late does not replace a newer snapshot
    clock.set(new Date('2026-05-01T10:03:00Z'));
    await refreshRiskSnapshots(t.deps);
    const kept = await t.deps.database.pool.query<{ computed_at: Date }>(
      'SELECT computed_at FROM insight_risk_snapshots WHERE days = 30',
    );
    expect(kept.rows[0]?.computed_at.toISOString()).toBe('2026-05-01T10:06:00.000Z');
  });

  it('leaves out a customer merged into another since the snapshot', async () => {
    clock.set(new Date('2026-05-01T10:08:00Z'));
    const before = await atRisk();
    const sabbir = before.atRisk.find((c) => c.name === 'Sabbir Sen')?.customerId;
    const other = await openTicket(t, sup, { email: 'sabbir.work@example.com', name: 'Sabbir (work)' });
    const merged = await api(t, sup, 'POST', `/customers/${other.customer.id}/merge`, { duplicateId: sabbir });
    expect(merged.statusCode, merged.body).toBe(200);
    const after = await atRisk();
    expect(after.asOf).toBe('2026-05-01T10:06:00.000Z');
    expect(names(after)).toEqual(['Rina Roy-Das']);
  });

  it('computes on the request once the snapshot is older than 15 minutes', async () => {
    clock.set(new Date('2026-05-01T10:20:00Z'));
    await unhappy('tara@example.com', 'Tara Tiwari');
    clock.set(new Date('2026-05-01T10:21:01Z'));
    const r = await atRisk();
    expect(r.asOf).toBe('2026-05-01T10:21:01.000Z');
    expect(names(r)).toContain('Tara Tiwari');
  });

  it('does not serve a snapshot computed under other settings', async () => {
    clock.set(new Date('2026-05-01T10:22:00Z'));
    await refreshRiskSnapshots(t.deps);
    clock.set(new Date('2026-05-01T10:23:00Z'));
    expect((await atRisk()).asOf).toBe('2026-05-01T10:22:00.000Z');
    const changed = await api(t, admin, 'PATCH', '/insights/settings', { firstResponseTargetSeconds: 7200 });
    expect(changed.statusCode, changed.body).toBe(200);
    expect((await atRisk()).asOf).toBe('2026-05-01T10:23:00.000Z');
    const surveys = await api(t, admin, 'PATCH', '/surveys/settings', { badAtOrBelow: 1 });
    expect(surveys.statusCode, surveys.body).toBe(200);
    await refreshRiskSnapshots(t.deps);
    clock.set(new Date('2026-05-01T10:24:00Z'));
    expect((await atRisk()).asOf).toBe('2026-05-01T10:23:00.000Z');
    const again = await api(t, admin, 'PATCH', '/surveys/settings', { badAtOrBelow: 2 });
    expect(again.statusCode, again.body).toBe(200);
    expect((await atRisk()).asOf).toBe('2026-05-01T10:24:00.000Z');
  });

  it('computes the snapshots again after a rebuild of the facts', async () => {
    clock.set(new Date('2026-05-01T10:25:00Z'));
    const rebuilt = await api(t, admin, 'POST', '/insights/rebuild');
    expect(rebuilt.statusCode, rebuilt.body).toBe(200);
    const r = await t.deps.database.pool.query<{ days: number; computed_at: Date }>(
      'SELECT days, computed_at FROM insight_risk_snapshots ORDER BY days',
    );
    expect(r.rows.map((x) => [x.days, x.computed_at.toISOString()])).toEqual([
      [30, '2026-05-01T10:25:00.000Z'],
      [90, '2026-05-01T10:25:00.000Z'],
    ]);
    clock.set(new Date('2026-05-01T10:26:00Z'));
    const served = await atRisk();
    expect(served.asOf).toBe('2026-05-01T10:25:00.000Z');
    // the customer Sabbir was merged into now has his tickets
    expect(names(served)).toEqual(['Rina Roy-Das', 'Sabbir (work)', 'Tara Tiwari']);
  });

  it('rejects a refresh value that is not true or false', async () => {
    const res = await api(t, sup, 'GET', '/insights/customers-at-risk?days=30&refresh=yes');
    expect(res.statusCode).toBe(400);
  });
});

describe('the snapshot worker', () => {
  let w: TestApp | undefined;
  afterAll(async () => {
    await w?.close();
  });

  it('makes the snapshots of every offered period as it starts', async () => {
    w = await createTestApp({ env: { SEVA_ROLES: 'api,realtime,worker' } });
    const app = w;
    const days = await until(async () => {
      const r = await app.deps.database.pool.query<{ days: number }>(
        'SELECT days FROM insight_risk_snapshots ORDER BY days',
      );
      return r.rows.length === 2 ? r.rows.map((x) => x.days) : null;
    }, 30_000);
    expect(days).toEqual([30, 90]);
  });
});
