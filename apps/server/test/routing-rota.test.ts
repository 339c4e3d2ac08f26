import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api, insertTeam, openTicket } from './tickets-helpers.ts';

/**
 * The rota screen's API: time off and duty shifts listed, edited (no overlaps) and cancelled, and repeating duty
 * shifts whose occurrences decide who gets work (adding one-off periods is also in routing.test.ts).
 */
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

const tickets = {
  async assigneeOf(teamId: string): Promise<string | null> {
    const created = await openTicket(t, admin, { teamId });
    return (await api(t, admin, 'GET', `/tickets/${created.id}`)).json().assigneeId;
  },
};

async function onlineIn(teamName: string, role: 'agent' | 'collaborator', name: string) {
  const who = await createStaff(t, role, { name });
  expect((await api(t, admin, 'PATCH', `/routing/staff/${who.id}`, { status: 'online' })).statusCode).toBe(200);
  const team = await insertTeam(t, teamName, [who.id]);
  expect((await api(t, admin, 'PUT', `/routing/teams/${team}`, { strategy: 'least_loaded' })).statusCode).toBe(204);
  return { who, team };
}

describe('editing time off', () => {
  it('moves time off and changes its note, so routing follows the new period', async () => {
    clock.set(new Date('2026-04-06T08:00:00.000Z'));
    const { who, team } = await onlineIn('Edit off team', 'agent', 'Edit Off Esha');
    expect(
      (
        await api(t, admin, 'POST', `/routing/staff/${who.id}/time-off`, {
          startsAt: at(24),
          endsAt: at(48),
          note: 'trip',
        })
      ).statusCode,
    ).toBe(204);
    const entry = (await api(t, admin, 'GET', '/routing/time-off'))
      .json()
      .items.find((x: { userId: string }) => x.userId === who.id);
    expect(await tickets.assigneeOf(team)).toBe(who.id);

    // moved to cover now: she gets no work
    const moved = await api(t, admin, 'PATCH', `/routing/time-off/${entry.id}`, {
      startsAt: at(-1),
      note: 'trip, left early',
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toEqual({
      id: entry.id,
      userId: who.id,
      name: 'Edit Off Esha',
      startsAt: at(-1),
      endsAt: at(48),
      note: 'trip, left early',
    });
    expect(await tickets.assigneeOf(team)).toBeNull();

    // shortened so it is over: she gets work again
    expect((await api(t, admin, 'PATCH', `/routing/time-off/${entry.id}`, { endsAt: at(-0.5) })).statusCode).toBe(200);
    expect(await tickets.assigneeOf(team)).toBe(who.id);
    expect(
      (await api(t, admin, 'GET', '/routing/time-off')).json().items.some((x: { id: string }) => x.id === entry.id),
    ).toBe(false);
  });

  it('refuses an end before the start, an overlap with their other time off (409), and unknown ones', async () => {
    const { who } = await onlineIn('Overlap off team', 'agent', 'Overlap Omar');
    for (const [from, to] of [
      [10, 20],
      [30, 40],
    ] as const)
      expect(
        (await api(t, admin, 'POST', `/routing/staff/${who.id}/time-off`, { startsAt: at(from), endsAt: at(to) }))
          .statusCode,
      ).toBe(204);
    const [first, second] = (await api(t, admin, 'GET', '/routing/time-off'))
      .json()
      .items.filter((x: { userId: string }) => x.userId === who.id);

    const backwards = await api(t, admin, 'PATCH', `/routing/time-off/${first.id}`, { endsAt: at(5) });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().errors).toEqual([{ path: 'body.endsAt', message: 'time off ends after it starts' }]);

    const overlap = await api(t, admin, 'PATCH', `/routing/time-off/${first.id}`, { endsAt: at(31) });
    expect(overlap.statusCode).toBe(409);
    expect(overlap.json()).toMatchObject({
      code: 'CONFLICT',
      details: { reason: 'overlap', conflictId: second.id, startsAt: at(30), endsAt: at(40) },
    });
    // adding one that overlaps is refused the same way; touching end to start is fine
    expect(
      (await api(t, admin, 'POST', `/routing/staff/${who.id}/time-off`, { startsAt: at(15), endsAt: at(35) }))
        .statusCode,
    ).toBe(409);
    expect((await api(t, admin, 'PATCH', `/routing/time-off/${first.id}`, { endsAt: at(30) })).statusCode).toBe(200);
    // someone else's time off at the same time is no clash
    const other = await createStaff(t, 'agent');
    expect(
      (await api(t, admin, 'POST', `/routing/staff/${other.id}/time-off`, { startsAt: at(15), endsAt: at(35) }))
        .statusCode,
    ).toBe(204);

    expect(
      (await api(t, admin, 'PATCH', '/routing/time-off/00000000-0000-4000-8000-000000000001', { note: 'x' }))
        .statusCode,
    ).toBe(404);
    expect((await api(t, admin, 'PATCH', `/routing/time-off/${first.id}`, {})).statusCode).toBe(400);
    expect(
      (
        await api(t, admin, 'POST', '/routing/staff/00000000-0000-4000-8000-000000000001/time-off', {
          startsAt: at(1),
          endsAt: at(2),
        })
      ).statusCode,
    ).toBe(404);
  });
});

describe('editing duty shifts', () => {
  it('moves a shift and changes its team; the person outside support gets work only inside it', async () => {
    clock.set(new Date('2026-04-06T08:00:00.000Z'));
    const { who, team } = await onlineIn('Edit shift team', 'collaborator', 'Shift Chandra');
    const other = await insertTeam(t, 'Edit shift other', [who.id]);
    expect(
      (
        await api(t, admin, 'POST', '/routing/shifts', {
          userId: who.id,
          teamId: other,
          startsAt: at(2),
          endsAt: at(3),
        })
      ).statusCode,
    ).toBe(204);
    const shift = (await api(t, admin, 'GET', '/routing/shifts'))
      .json()
      .items.find((x: { userId: string }) => x.userId === who.id);
    expect(await tickets.assigneeOf(team)).toBeNull();

    const moved = await api(t, admin, 'PATCH', `/routing/shifts/${shift.id}`, {
      teamId: team,
      startsAt: at(-1),
      note: 'covering',
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({
      id: shift.id,
      teamId: team,
      teamName: 'Edit shift team',
      startsAt: at(-1),
      endsAt: at(3),
      note: 'covering',
      seriesId: null,
    });
    expect(await tickets.assigneeOf(team)).toBe(who.id);
    // in another team only, she is not on duty for this one
    expect((await api(t, admin, 'PATCH', `/routing/shifts/${shift.id}`, { teamId: other })).statusCode).toBe(200);
    expect(await tickets.assigneeOf(team)).toBeNull();
    // any team
    expect((await api(t, admin, 'PATCH', `/routing/shifts/${shift.id}`, { teamId: null })).json()).toMatchObject({
      teamId: null,
      teamName: null,
    });
    expect(await tickets.assigneeOf(team)).toBe(who.id);
  });

  it('refuses overlapping shifts of one person (409), an unknown team or person, and an end before the start', async () => {
    const who = await createStaff(t, 'collaborator', { name: 'Overlap Shift Sam' });
    expect(
      (await api(t, admin, 'POST', '/routing/shifts', { userId: who.id, startsAt: at(10), endsAt: at(12) })).statusCode,
    ).toBe(204);
    expect(
      (await api(t, admin, 'POST', '/routing/shifts', { userId: who.id, startsAt: at(14), endsAt: at(16) })).statusCode,
    ).toBe(204);
    const [a, b] = (await api(t, admin, 'GET', '/routing/shifts'))
      .json()
      .items.filter((x: { userId: string }) => x.userId === who.id);
    expect(
      (await api(t, admin, 'POST', '/routing/shifts', { userId: who.id, startsAt: at(11), endsAt: at(15) })).statusCode,
    ).toBe(409);
    const clash = await api(t, admin, 'PATCH', `/routing/shifts/${a.id}`, { endsAt: at(14.5) });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().details).toMatchObject({ conflictId: b.id });
    expect((await api(t, admin, 'PATCH', `/routing/shifts/${a.id}`, { startsAt: at(12) })).statusCode).toBe(400);
    expect(
      (await api(t, admin, 'PATCH', `/routing/shifts/${a.id}`, { teamId: '00000000-0000-4000-8000-000000000001' }))
        .statusCode,
    ).toBe(400);
    expect(
      (
        await api(t, admin, 'POST', '/routing/shifts', {
          userId: '00000000-0000-4000-8000-000000000001',
          startsAt: at(1),
          endsAt: at(2),
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (await api(t, admin, 'PATCH', '/routing/shifts/00000000-0000-4000-8000-000000000001', { note: 'x' })).statusCode,
    ).toBe(404);
  });

  it('lets two simultaneous overlapping additions through only once', async () => {
    const who = await createStaff(t, 'collaborator');
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        api(t, admin, 'POST', '/routing/shifts', { userId: who.id, startsAt: at(50 + i * 0.1), endsAt: at(52) }),
      ),
    );
    expect(results.map((r) => r.statusCode).sort()).toEqual([204, 409, 409, 409, 409, 409]);
  });
});

describe('repeating duty shifts', () => {
  const series = (body: Record<string, unknown>) => api(t, admin, 'POST', '/routing/shift-series', body);

  it("routes work to someone outside support only during the occurrences, in the shift's time zone", async () => {
    // Monday 6 April 2026, 10:00 in Dhaka (UTC+6)
    clock.set(new Date('2026-04-06T04:00:00.000Z'));
    const { who, team } = await onlineIn('Weekday desk', 'collaborator', 'Weekday Wasim');
    expect(await tickets.assigneeOf(team)).toBeNull();
    const res = await series({
      userId: who.id,
      teamId: team,
      weekdays: [5, 1, 2, 3, 4, 1],
      startTime: '09:00',
      endTime: '17:00',
      timeZone: 'Asia/Dhaka',
      startsOn: '2026-04-06',
      until: '2026-04-17',
      note: 'new hire, first two weeks',
    });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({
      userId: who.id,
      name: 'Weekday Wasim',
      teamId: team,
      teamName: 'Weekday desk',
      weekdays: [1, 2, 3, 4, 5],
      startTime: '09:00',
      endTime: '17:00',
      timeZone: 'Asia/Dhaka',
      startsOn: '2026-04-06',
      until: '2026-04-17',
      nextStartsAt: '2026-04-06T03:00:00.000Z',
      upcoming: 10,
    });
    expect(await tickets.assigneeOf(team)).toBe(who.id);

    // the occurrences are listed as shifts of the series, unless only one-off shifts are asked for
    const occurrences = (await api(t, admin, 'GET', '/routing/shifts'))
      .json()
      .items.filter((x: { seriesId: string | null }) => x.seriesId === created.id);
    expect(occurrences.map((x: { startsAt: string }) => x.startsAt.slice(0, 10))).toEqual([
      '2026-04-06',
      '2026-04-07',
      '2026-04-08',
      '2026-04-09',
      '2026-04-10',
      '2026-04-13',
      '2026-04-14',
      '2026-04-15',
      '2026-04-16',
      '2026-04-17',
    ]);
    expect(
      (await api(t, admin, 'GET', '/routing/shifts?oneOff=true'))
        .json()
        .items.some((x: { seriesId: string | null }) => x.seriesId),
    ).toBe(false);
    expect(
      (await api(t, admin, 'GET', '/routing/shift-series')).json().items.map((x: { id: string }) => x.id),
    ).toContain(created.id);

    // 18:00 in Dhaka: off duty; Saturday: off duty; next Monday 09:30: on duty
    clock.set(new Date('2026-04-06T12:00:00.000Z'));
    expect(await tickets.assigneeOf(team)).toBeNull();
    clock.set(new Date('2026-04-11T04:00:00.000Z'));
    expect(await tickets.assigneeOf(team)).toBeNull();
    clock.set(new Date('2026-04-13T03:30:00.000Z'));
    expect(await tickets.assigneeOf(team)).toBe(who.id);
    // after the last day: off duty, and the series drops out of the list
    clock.set(new Date('2026-04-20T04:00:00.000Z'));
    expect(await tickets.assigneeOf(team)).toBeNull();
    expect(
      (await api(t, admin, 'GET', '/routing/shift-series')).json().items.map((x: { id: string }) => x.id),
    ).not.toContain(created.id);
  });

  it('rewrites the coming occurrences when changed, keeps past ones, and stops when cancelled', async () => {
    // Wednesday 8 April 2026, 12:00 in Kolkata (UTC+5:30)
    clock.set(new Date('2026-04-08T06:30:00.000Z'));
    const { who, team } = await onlineIn('Evening desk', 'collaborator', 'Evening Esha');
    const created = (
      await series({
        userId: who.id,
        teamId: team,
        weekdays: [1, 3, 5],
        startTime: '10:00',
        endTime: '14:00',
        timeZone: 'Asia/Kolkata',
        startsOn: '2026-04-06',
        until: '2026-04-30',
      })
    ).json();
    // Monday the 6th has ended: not written out; today's is under way
    expect(created).toMatchObject({ nextStartsAt: '2026-04-08T04:30:00.000Z', upcoming: 10 });
    expect(await tickets.assigneeOf(team)).toBe(who.id);

    // a single occurrence can be moved or cancelled (e.g. a holiday) like any shift
    const friday = (await api(t, admin, 'GET', '/routing/shifts'))
      .json()
      .items.find(
        (x: { seriesId: string; startsAt: string }) => x.seriesId === created.id && x.startsAt.startsWith('2026-04-10'),
      );
    expect((await api(t, admin, 'DELETE', `/routing/shifts/${friday.id}`)).statusCode).toBe(204);
    expect(
      (await api(t, admin, 'GET', '/routing/shift-series'))
        .json()
        .items.find((x: { id: string }) => x.id === created.id).upcoming,
    ).toBe(9);

    // evenings and night from now on: 22:00–02:00, Mondays only; the rewrite brings the Friday back too
    const changed = await api(t, admin, 'PATCH', `/routing/shift-series/${created.id}`, {
      weekdays: [1],
      startTime: '22:00',
      endTime: '02:00',
      note: 'nights',
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({
      weekdays: [1],
      startTime: '22:00',
      endTime: '02:00',
      note: 'nights',
      nextStartsAt: '2026-04-13T16:30:00.000Z',
      upcoming: 3,
    });
    expect(await tickets.assigneeOf(team)).toBeNull();
    const nights = (await api(t, admin, 'GET', '/routing/shifts'))
      .json()
      .items.filter((x: { seriesId: string }) => x.seriesId === created.id);
    expect(
      nights.map((x: { startsAt: string; endsAt: string; note: string }) => [x.startsAt, x.endsAt, x.note]),
    ).toEqual([
      ['2026-04-13T16:30:00.000Z', '2026-04-13T20:30:00.000Z', 'nights'],
      ['2026-04-20T16:30:00.000Z', '2026-04-20T20:30:00.000Z', 'nights'],
      ['2026-04-27T16:30:00.000Z', '2026-04-27T20:30:00.000Z', 'nights'],
    ]);
    clock.set(new Date('2026-04-13T19:00:00.000Z'));
    expect(await tickets.assigneeOf(team)).toBe(who.id);

    // a one-off shift or another series over an occurrence is refused
    expect(
      (
        await api(t, admin, 'POST', '/routing/shifts', {
          userId: who.id,
          startsAt: '2026-04-20T20:00:00.000Z',
          endsAt: '2026-04-20T22:00:00.000Z',
        })
      ).statusCode,
    ).toBe(409);
    // Tuesdays 01:00–03:00 meet the end of the Monday nights
    const overlapping = await series({
      userId: who.id,
      weekdays: [2],
      startTime: '01:00',
      endTime: '03:00',
      timeZone: 'Asia/Kolkata',
      startsOn: '2026-04-14',
      until: '2026-04-30',
    });
    expect(overlapping.statusCode).toBe(409);
    expect(overlapping.json().details).toMatchObject({ reason: 'overlap', startsAt: '2026-04-13T16:30:00.000Z' });

    // cancelled under way: off duty at once; the occurrences gone
    expect((await api(t, admin, 'DELETE', `/routing/shift-series/${created.id}`)).statusCode).toBe(204);
    expect(await tickets.assigneeOf(team)).toBeNull();
    expect(
      (await api(t, admin, 'GET', '/routing/shifts'))
        .json()
        .items.filter((x: { userId: string }) => x.userId === who.id),
    ).toEqual([]);
    expect((await api(t, admin, 'DELETE', `/routing/shift-series/${created.id}`)).statusCode).toBe(404);
  });

  it('refuses series that cannot work, with the reason at the field', async () => {
    clock.set(new Date('2026-04-06T08:00:00.000Z'));
    const who = await createStaff(t, 'collaborator');
    const base = {
      userId: who.id,
      weekdays: [1, 2, 3, 4, 5],
      startTime: '09:00',
      endTime: '17:00',
      timeZone: 'Asia/Dhaka',
      startsOn: '2026-04-06',
      until: '2026-06-30',
    };
    const problem = async (patch: Record<string, unknown>) => {
      const res = await series({ ...base, ...patch });
      expect(res.statusCode, JSON.stringify(patch)).toBe(400);
      return res.json().errors[0];
    };
    expect(await problem({ until: '2026-04-05' })).toEqual({
      path: 'body.until',
      message: 'the last day comes on or after the first',
    });
    // a year at most: 6 April to 6 April is 366 days, one more is too many
    expect((await problem({ until: '2027-04-07' })).path).toBe('body.until');
    expect(await problem({ timeZone: 'Mars/Olympus' })).toEqual({
      path: 'body.timeZone',
      message: 'an IANA time zone such as Asia/Dhaka or Asia/Kolkata',
    });
    expect((await problem({ endTime: '09:00' })).path).toBe('body.endTime');
    expect((await problem({ startTime: '9:00' })).path).toBe('body.startTime');
    expect((await problem({ weekdays: [] })).path).toBe('body.weekdays');
    expect((await problem({ weekdays: [7] })).path).toBe('body.weekdays.0');
    expect((await problem({ startsOn: '2026-02-30' })).path).toBe('body.startsOn');
    expect((await problem({ startsOn: '2026-03-01', until: '2026-03-31' })).path).toBe('body.until');
    expect((await series({ ...base, teamId: '00000000-0000-4000-8000-000000000001' })).statusCode).toBe(400);
    const ok = (await series(base)).json();
    expect((await api(t, admin, 'PATCH', `/routing/shift-series/${ok.id}`, { until: '2026-04-01' })).statusCode).toBe(
      400,
    );
    expect(
      (await api(t, admin, 'PATCH', `/routing/shift-series/${ok.id}`, { startsOn: '2026-04-06', until: '2027-05-01' }))
        .statusCode,
    ).toBe(400);
    expect((await api(t, admin, 'PATCH', `/routing/shift-series/${ok.id}`, {})).statusCode).toBe(400);
    expect(
      (await api(t, admin, 'PATCH', '/routing/shift-series/00000000-0000-4000-8000-000000000001', { note: 'x' }))
        .statusCode,
    ).toBe(404);
  });

  it('is for those who manage teams', async () => {
    const someone = await createStaff(t, 'collaborator');
    expect((await api(t, agent, 'GET', '/routing/shift-series')).statusCode).toBe(403);
    expect(
      (
        await api(t, agent, 'POST', '/routing/shift-series', {
          userId: someone.id,
          weekdays: [1],
          startTime: '09:00',
          endTime: '10:00',
          timeZone: 'UTC',
          startsOn: '2026-05-04',
          until: '2026-05-04',
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (await api(t, agent, 'PATCH', '/routing/time-off/00000000-0000-4000-8000-000000000001', { note: 'x' }))
        .statusCode,
    ).toBe(403);
    expect(
      (await api(t, agent, 'PATCH', '/routing/shifts/00000000-0000-4000-8000-000000000001', { note: 'x' })).statusCode,
    ).toBe(403);
  });
});
