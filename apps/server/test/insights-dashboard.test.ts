import { desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.ts';
import { messages, slaOutcomes } from '../src/platform/db/schema/index.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api, insertCategory, insertCustomField, insertTeam, openTicket } from './tickets-helpers.ts';

/**
 * Seeded desk, every number below computed by hand:
 *   t5  2026-03-01 12:00 email  Billing            never answered, open    (before the range: backlog 1)
 *   t1  2026-03-02 09:10 email  Billing  en [refund]       reply 09:40 (1800 s), solved 11:10 (7200 s)
 *   t2  2026-03-02 09:50 chat   Outage   bn [refund, vip]  reply 10:50 (3600 s), solved 03-03 09:50 (86400 s)
 *   t3  2026-03-03 14:00 email  Billing  hi [refund]       reply 14:10 (600 s), open
 *   t4  2026-03-03 15:00 web    (none)   en                open
 */
const clock = new ManualClock(new Date('2026-03-01T12:00:00Z'));
let t: TestApp;
let sup: TestStaff;
let agent: TestStaff;
let billing: string;
let outage: string;
let team: string;
const ids: Record<string, string> = {};
const RANGE = 'from=2026-03-02T00:00:00Z&to=2026-03-04T00:00:00Z';

async function at<T>(iso: string, fn: () => Promise<T>): Promise<T> {
  clock.set(new Date(iso));
  return fn();
}

async function reply(id: string, status?: string) {
  const res = await api(t, agent, 'POST', `/tickets/${id}/messages`, { body: 'On it', ...(status ? { status } : {}) });
  expect(res.statusCode, res.body).toBe(201);
}

async function setStatus(id: string, status: string) {
  const res = await api(t, agent, 'PATCH', `/tickets/${id}`, { status });
  expect(res.statusCode, res.body).toBe(200);
}

beforeAll(async () => {
  t = await createTestApp({ clock });
  sup = await createStaff(t, 'supervisor', { name: 'Sue Supervisor' });
  agent = await createStaff(t, 'agent', { name: 'Arun Agent' });
  billing = await insertCategory(t, 'Billing');
  outage = await insertCategory(t, 'Outage');
  team = await insertTeam(t, 'Tier 1', [agent.id]);
  await insertCustomField(t, { key: 'product', fieldType: 'text' });
  const common = { teamId: team, assigneeId: agent.id };
  ids.t5 = (
    await at('2026-03-01T12:00:00Z', () =>
      openTicket(t, sup, { channel: 'email', categoryId: billing, language: 'en', ...common }),
    )
  ).id;
  ids.t1 = (
    await at('2026-03-02T09:10:00Z', () =>
      openTicket(t, sup, {
        channel: 'email',
        categoryId: billing,
        language: 'en',
        tags: ['refund'],
        customFields: { product: 'router' },
        ...common,
      }),
    )
  ).id;
  await at('2026-03-02T09:40:00Z', () => reply(ids.t1 as string));
  ids.t2 = (
    await at('2026-03-02T09:50:00Z', () =>
      openTicket(t, sup, {
        channel: 'chat',
        categoryId: outage,
        language: 'bn',
        tags: ['refund', 'vip'],
        customFields: { product: 'modem' },
        ...common,
      }),
    )
  ).id;
  await at('2026-03-02T10:50:00Z', () => reply(ids.t2 as string));
  await at('2026-03-02T11:10:00Z', () => setStatus(ids.t1 as string, 'solved'));
  await at('2026-03-03T09:50:00Z', () => setStatus(ids.t2 as string, 'solved'));
  ids.t3 = (
    await at('2026-03-03T14:00:00Z', () =>
      openTicket(t, sup, {
        channel: 'email',
        categoryId: billing,
        language: 'hi',
        tags: ['refund'],
        customFields: { product: 'router' },
        ...common,
      }),
    )
  ).id;
  await at('2026-03-03T14:10:00Z', () => reply(ids.t3 as string));
  ids.t4 = (await at('2026-03-03T15:00:00Z', () => openTicket(t, sup, { channel: 'web', language: 'en' }))).id;
  clock.set(new Date('2026-03-04T08:00:00Z'));
});
afterAll(async () => {
  await t?.close();
});

describe('insights dashboard', () => {
  it('counts volume, backlog and response times exactly as computed by hand', async () => {
    const res = await api(t, sup, 'GET', `/insights/dashboard?${RANGE}&interval=day`);
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json();
    expect(d.totals).toEqual({
      created: 4,
      solved: 2,
      firstResponses: 3,
      backlogNow: 3,
      firstResponseTargetRate: 1,
      slaAchievementRate: null,
    });
    expect(d.series).toEqual([
      { bucket: '2026-03-02T00:00:00.000Z', created: 2, solved: 1, backlog: 2 },
      { bucket: '2026-03-03T00:00:00.000Z', created: 2, solved: 1, backlog: 3 },
    ]);
    const brief = (rows: Array<{ label: string; created: number; solved: number }>) =>
      rows.map((r) => [r.label, r.created, r.solved]);
    expect(brief(d.byChannel)).toEqual([
      ['email', 2, 1],
      ['chat', 1, 1],
      ['web', 1, 0],
    ]);
    expect(brief(d.byCategory)).toEqual([
      ['Billing', 2, 1],
      ['Outage', 1, 1],
      ['none', 1, 0],
    ]);
    expect(brief(d.byLanguage)).toEqual([
      ['en', 2, 1],
      ['bn', 1, 1],
      ['hi', 1, 0],
    ]);
    expect(brief(d.byTeam)).toEqual([
      ['Tier 1', 3, 2],
      ['none', 1, 0],
    ]);
    expect(brief(d.byAssignee)).toEqual([
      ['Arun Agent', 3, 2],
      ['none', 1, 0],
    ]);
    expect(d.byTag).toEqual([
      { key: 'refund', label: 'refund', created: 3 },
      { key: 'vip', label: 'vip', created: 1 },
    ]);
    // first responses 600, 1800, 3600; resolutions 7200, 86400 (percentile_cont, linear interpolation)
    expect(d.firstResponse).toEqual({ count: 3, mean: 2000, median: 1800, p75: 2700, p90: 3240, p95: 3420 });
    expect(d.resolution).toEqual({ count: 2, mean: 46800, median: 46800, p75: 66600, p90: 78480, p95: 82440 });
    const tier1 = d.timesByTeam.find((r: { label: string }) => r.label === 'Tier 1');
    expect(tier1.firstResponse.median).toBe(1800);
    expect(d.timesByAssignee.find((r: { label: string }) => r.label === 'Arun Agent').resolution.count).toBe(2);
  });

  it('narrows every number by the filters', async () => {
    const d = (await api(t, sup, 'GET', `/insights/dashboard?${RANGE}&channel=email`)).json();
    expect(d.totals.created).toBe(2);
    expect(d.totals.backlogNow).toBe(2); // t3 and t5
    expect(d.firstResponse.count).toBe(2);
    const none = (await api(t, sup, 'GET', `/insights/dashboard?${RANGE}&categoryId=none`)).json();
    expect(none.totals.created).toBe(1);
    expect(none.firstResponse.count).toBe(0);
    expect(none.firstResponse.median).toBeNull();
  });

  it('drills down from a number to the tickets behind it', async () => {
    const byCat = (
      await api(t, sup, 'GET', `/insights/drilldown?${RANGE}&metric=created&categoryId=${billing}`)
    ).json();
    expect(byCat).toEqual({ total: 2, ticketIds: [ids.t3, ids.t1] });
    const tagged = (await api(t, sup, 'GET', `/insights/drilldown?${RANGE}&tag=vip`)).json();
    expect(tagged.ticketIds).toEqual([ids.t2]);
    const solved = (await api(t, sup, 'GET', `/insights/drilldown?${RANGE}&metric=solved`)).json();
    expect(solved.ticketIds).toEqual([ids.t2, ids.t1]);
    const open = (await api(t, sup, 'GET', '/insights/drilldown?metric=open')).json();
    expect(new Set(open.ticketIds)).toEqual(new Set([ids.t3, ids.t4, ids.t5]));
    const field = (await api(t, sup, 'GET', `/insights/drilldown?${RANGE}&field=product:router`)).json();
    expect(field.ticketIds).toEqual([ids.t3, ids.t1]);
  });

  it('exports a dashboard table as CSV', async () => {
    const res = await api(t, sup, 'GET', `/insights/export?${RANGE}&report=channels`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.body).toBe('key,label,created,solved\r\nemail,email,2,1\r\nchat,chat,1,1\r\nweb,web,1,0\r\n');
  });

  it('ranks hot buttons with the trend against the previous period', async () => {
    const q = 'from=2026-03-03T00:00:00Z&to=2026-03-04T00:00:00Z';
    const cats = (await api(t, sup, 'GET', `/insights/hot-buttons?${q}&dimension=category`)).json();
    expect(cats.previousFrom).toBe('2026-03-02T00:00:00.000Z');
    expect(
      cats.items.map((i: { label: string; count: number; previous: number; change: number | null }) => [
        i.label,
        i.count,
        i.previous,
        i.change,
      ]),
    ).toEqual([
      ['Billing', 1, 1, 0],
      ['none', 1, 0, null],
    ]);
    const tags = (await api(t, sup, 'GET', `/insights/hot-buttons?${q}&dimension=tag`)).json();
    expect(tags.items).toEqual([{ key: 'refund', label: 'refund', count: 1, previous: 2, change: -0.5, share: 1 }]);
    const products = (await api(t, sup, 'GET', `/insights/hot-buttons?${RANGE}&dimension=field:product`)).json();
    expect(products.items.map((i: { key: string; count: number }) => [i.key, i.count])).toEqual([
      ['router', 2],
      ['modem', 1],
    ]);
  });

  it('draws the weekday × hour heatmap of arrivals', async () => {
    const h = (await api(t, sup, 'GET', `/insights/heatmap?${RANGE}`)).json();
    expect(h.cells[1][9]).toBe(2); // Monday 09:00 UTC: t1, t2
    expect(h.cells[2][14]).toBe(1);
    expect(h.cells[2][15]).toBe(1);
    expect(h.cells.flat().reduce((a: number, b: number) => a + b, 0)).toBe(4);
    const kolkata = (await api(t, sup, 'GET', `/insights/heatmap?${RANGE}&tz=Asia/Dhaka`)).json();
    expect(kolkata.cells[1][15]).toBe(2); // 09:00 UTC is 15:00 in Dhaka
  });

  it('moves a ticket between rollup rows when its category changes, and drops merged tickets', async () => {
    const res = await api(t, agent, 'PATCH', `/tickets/${ids.t3}`, { categoryId: outage });
    expect(res.statusCode, res.body).toBe(200);
    const d = (await api(t, sup, 'GET', `/insights/dashboard?${RANGE}`)).json();
    expect(
      d.byCategory.map((r: { label: string; created: number; solved: number }) => [r.label, r.created, r.solved]),
    ).toEqual([
      ['Outage', 2, 1],
      ['Billing', 1, 1],
      ['none', 1, 0],
    ]);
    // a rebuild from the tickets table gives exactly the incrementally maintained numbers
    const rebuilt = await api(t, await createStaff(t, 'admin'), 'POST', '/insights/rebuild');
    expect(rebuilt.json()).toEqual({ tickets: 5 });
    const again = (await api(t, sup, 'GET', `/insights/dashboard?${RANGE}`)).json();
    expect(again).toEqual(d);
  });

  it('shows SLA achievement from the SLA outcomes per team and channel, with the tickets behind a breach', async () => {
    const o = (
      ticketId: string,
      metric: string,
      achieved: boolean,
      at: string,
      teamId: string | null,
      channel: string,
    ) => ({
      ticketId,
      metric,
      cycle: 1,
      achieved,
      targetMinutes: 60,
      usedMinutes: achieved ? 30 : 90,
      teamId,
      assigneeId: teamId ? agent.id : null,
      channel,
      at: new Date(at),
    });
    await t.deps.db.insert(slaOutcomes).values([
      o(ids.t1 as string, 'first_response', true, '2026-03-02T09:40:00Z', team, 'email'),
      o(ids.t1 as string, 'resolution', false, '2026-03-02T11:10:00Z', team, 'email'),
      o(ids.t2 as string, 'first_response', false, '2026-03-02T10:50:00Z', team, 'chat'),
      o(ids.t3 as string, 'first_response', true, '2026-03-03T14:10:00Z', null, 'email'),
      // outside the range
      o(ids.t5 as string, 'first_response', false, '2026-03-01T13:00:00Z', team, 'email'),
    ]);
    const byTeam = (await api(t, sup, 'GET', `/insights/sla?${RANGE}&by=team`)).json();
    expect(byTeam.total).toEqual({ total: 4, achieved: 2, breached: 2, rate: 0.5 });
    expect(byTeam.rows).toEqual([
      { key: team, label: 'Tier 1', total: 3, achieved: 1, breached: 2, rate: 0.3333 },
      { key: 'none', label: 'none', total: 1, achieved: 1, breached: 0, rate: 1 },
    ]);
    const email = (await api(t, sup, 'GET', `/insights/sla?${RANGE}&by=metric&channel=email`)).json();
    expect(
      email.rows.map((r: { key: string; total: number; achieved: number }) => [r.key, r.total, r.achieved]),
    ).toEqual([
      ['first_response', 2, 2],
      ['resolution', 1, 0],
    ]);
    expect((await api(t, sup, 'GET', `/insights/dashboard?${RANGE}`)).json().totals.slaAchievementRate).toBe(0.5);
    const drill = (
      await api(t, sup, 'GET', `/insights/drilldown?${RANGE}&metric=sla_breached&slaBy=team&slaKey=${team}`)
    ).json();
    expect(drill).toEqual({ total: 2, ticketIds: [ids.t1, ids.t2] });
    const met = (
      await api(t, sup, 'GET', `/insights/drilldown?${RANGE}&metric=sla_achieved&slaBy=team&slaKey=none`)
    ).json();
    expect(met).toEqual({ total: 1, ticketIds: [ids.t3] });
    expect((await api(t, agent, 'GET', `/insights/sla?${RANGE}`)).statusCode).toBe(403);
  });

  it('refuses reports to agents and bad ranges', async () => {
    expect((await api(t, agent, 'GET', '/insights/dashboard')).statusCode).toBe(403);
    expect(
      (await api(t, sup, 'GET', '/insights/dashboard?from=2026-03-04T00:00:00Z&to=2026-03-02T00:00:00Z')).statusCode,
    ).toBe(400);
    expect((await api(t, sup, 'GET', '/insights/dashboard?tz=Mars/Olympus')).statusCode).toBe(400);
  });
});

describe('handle time', () => {
  it('records the composer’s timer on a reply sent through a macro', async () => {
    const m = await api(t, sup, 'POST', '/macros', {
      name: 'Looking into it',
      bodies: { en: 'We are looking into it.' },
    });
    expect(m.statusCode, m.body).toBe(201);
    const res = await api(t, sup, 'POST', `/tickets/${ids.t4}/macros/${m.json().id}/apply`, {
      body: 'We are looking into it now.',
      handleSeconds: 95,
    });
    expect(res.statusCode, res.body).toBe(200);
    const [row] = await t.deps.db
      .select({ body: messages.bodyText, seconds: messages.handleSeconds })
      .from(messages)
      .where(eq(messages.ticketId, ids.t4 as string))
      .orderBy(desc(messages.seq))
      .limit(1);
    expect(row).toEqual({ body: 'We are looking into it now.', seconds: 95 });
    const bad = await api(t, sup, 'POST', `/tickets/${ids.t4}/macros/${m.json().id}/apply`, {
      body: 'x',
      handleSeconds: -1,
    });
    expect(bad.statusCode).toBe(400);
  });
});
