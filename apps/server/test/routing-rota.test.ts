import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api, insertTeam, openTicket } from './tickets-helpers.ts';

/** The rota screen's API: listing and cancelling time off and duty shifts (adding them is in routing.test.ts). */
let t: TestApp;
let clock: ManualClock;
let admin: TestStaff;
let agent: TestStaff;
const HOUR = 3_600_000;
const at = (offsetHours: number) => new Date(clock.now().getTime() + offsetHours * HOUR).toISOString();

beforeAll(async () => {
  clock = new ManualClock(new Date('2026-04-06T08:00:00.000Z'));
  t = await createTestApp({ clock });
  admin = await createStaff(t, 'admin', { name: 'Rota Admin' });
  agent = await createStaff(t, 'agent', { name: 'Rota Agent' });
});
afterAll(async () => {
  await t?.close();
});

describe('time off and duty shifts', () => {
  it('lists time off that has not ended, soonest first, and cancelling it gives the person work again', async () => {
    const nadia = await createStaff(t, 'agent', { name: 'Nadia Off' });
    expect((await api(t, admin, 'PATCH', `/routing/staff/${nadia.id}`, { status: 'online' })).statusCode).toBe(200);
    const team = await insertTeam(t, 'Rota team', [nadia.id]);
    expect((await api(t, admin, 'PUT', `/routing/teams/${team}`, { strategy: 'round_robin' })).statusCode).toBe(204);
    for (const [from, to, note] of [
      [-48, -24, 'last week'],
      [24, 48, 'wedding'],
      [-1, 2, 'doctor'],
    ] as const) {
      const res = await api(t, admin, 'POST', `/routing/staff/${nadia.id}/time-off`, {
        startsAt: at(from),
        endsAt: at(to),
        note,
      });
      expect(res.statusCode, res.body).toBe(204);
    }
    const list = await api(t, admin, 'GET', '/routing/time-off');
    expect(list.statusCode, list.body).toBe(200);
    const mine = list.json().items.filter((x: { userId: string }) => x.userId === nadia.id);
    expect(mine.map((x: { note: string }) => x.note)).toEqual(['doctor', 'wedding']);
    expect(mine[0]).toMatchObject({ name: 'Nadia Off', startsAt: at(-1), endsAt: at(2) });

    // on time off now: a new ticket in her team waits
    expect(
      (await api(t, admin, 'GET', `/tickets/${(await openTicket(t, admin, { teamId: team })).id}`)).json().assigneeId,
    ).toBeNull();
    const cancel = await api(t, admin, 'DELETE', `/routing/time-off/${mine[0].id}`);
    expect(cancel.statusCode, cancel.body).toBe(204);
    expect(
      (await api(t, admin, 'GET', `/tickets/${(await openTicket(t, admin, { teamId: team })).id}`)).json().assigneeId,
    ).toBe(nadia.id);
    expect((await api(t, admin, 'GET', '/routing/time-off')).json().items.map((x: { note: string }) => x.note)).toEqual(
      ['wedding'],
    );
    expect((await api(t, admin, 'DELETE', `/routing/time-off/${mine[0].id}`)).statusCode).toBe(404);
  });

  it('lists duty shifts with the team, and cancels one', async () => {
    const ceo = await createStaff(t, 'agent', { name: 'Chief Rota' });
    const team = await insertTeam(t, 'Everyone answers', []);
    expect(
      (
        await api(t, admin, 'POST', '/routing/shifts', {
          userId: ceo.id,
          teamId: team,
          startsAt: at(1),
          endsAt: at(2),
          note: 'Friday hour',
        })
      ).statusCode,
    ).toBe(204);
    expect(
      (await api(t, admin, 'POST', '/routing/shifts', { userId: ceo.id, startsAt: at(-3), endsAt: at(-2) })).statusCode,
    ).toBe(204);
    const list = await api(t, admin, 'GET', '/routing/shifts');
    expect(list.statusCode, list.body).toBe(200);
    const shifts = list.json().items.filter((x: { userId: string }) => x.userId === ceo.id);
    expect(shifts).toHaveLength(1);
    expect(shifts[0]).toMatchObject({
      name: 'Chief Rota',
      teamId: team,
      teamName: 'Everyone answers',
      note: 'Friday hour',
      startsAt: at(1),
    });
    expect((await api(t, admin, 'DELETE', `/routing/shifts/${shifts[0].id}`)).statusCode).toBe(204);
    expect(
      (await api(t, admin, 'GET', '/routing/shifts'))
        .json()
        .items.filter((x: { userId: string }) => x.userId === ceo.id),
    ).toEqual([]);
  });

  it('is for those who manage teams', async () => {
    expect((await api(t, agent, 'GET', '/routing/time-off')).statusCode).toBe(403);
    expect((await api(t, agent, 'GET', '/routing/shifts')).statusCode).toBe(403);
    expect((await api(t, agent, 'DELETE', '/routing/shifts/00000000-0000-4000-8000-000000000001')).statusCode).toBe(
      403,
    );
  });
});
