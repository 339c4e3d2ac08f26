import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManualClock } from '../src/platform/clock.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api, insertCategory, insertTeam, openTicket } from './tickets-helpers.ts';

let t: TestApp;
let clock: ManualClock;
let agent: TestStaff;
let other: TestStaff;
let collaborator: TestStaff;
let teamId: string;
let categoryId: string;
const made: Array<{ id: string; number: number; priority: string }> = [];

async function list(who: TestStaff, qs: string) {
  const res = await api(t, who, 'GET', `/tickets${qs}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    items: Array<Record<string, unknown> & { id: string; number: number }>;
    nextCursor: string | null;
  };
}

async function collect(who: TestStaff, qs: string, limit: number) {
  const numbers: number[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = qs.includes('?') ? '&' : '?';
    const page = await list(who, `${qs}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    numbers.push(...page.items.map((i) => i.number));
    cursor = page.nextCursor;
    pages += 1;
  } while (cursor && pages < 50);
  return numbers;
}

beforeAll(async () => {
  t = await createTestApp();
  clock = t.clock as ManualClock;
  agent = await createStaff(t, 'agent', { name: 'Anika Agent' });
  other = await createStaff(t, 'agent');
  collaborator = await createStaff(t, 'collaborator');
  teamId = await insertTeam(t, 'Payments', [agent.id]);
  categoryId = await insertCategory(t, 'Refunds');
  const priorities = ['low', 'normal', 'high', 'urgent', 'normal', 'high', 'low', 'urgent', 'normal', 'normal', 'high'];
  for (const [i, priority] of priorities.entries()) {
    clock.advance(1000);
    const ticket = await openTicket(t, agent, {
      priority,
      email: i % 3 === 0 ? 'repeat@example.com' : undefined,
      tags: i % 2 === 0 ? ['even', 'all'] : ['odd', 'all'],
      channel: i % 4 === 0 ? 'email' : 'api',
      ...(i === 0 ? { assigneeId: agent.id, teamId, categoryId } : {}),
      ...(i === 1 ? { assigneeId: other.id } : {}),
      ...(i === 2 ? { assigneeId: collaborator.id } : {}),
      ...(i === 3 ? { type: 'incident', body: 'আমার অর্ডার এখনও আসেনি', subject: 'অর্ডার' } : {}),
    });
    made.push({ id: ticket.id, number: ticket.number, priority });
  }
  // two tickets share one instant to exercise the id tie-break
  const a = await openTicket(t, agent);
  const b = await openTicket(t, agent);
  made.push({ id: a.id, number: a.number, priority: 'normal' }, { id: b.id, number: b.number, priority: 'normal' });
});
afterAll(async () => {
  await t?.close();
});

describe('GET /tickets', () => {
  it('lists the most recently updated first with assignee and customer joined in', async () => {
    const page = await list(agent, '');
    expect(page.items).toHaveLength(made.length);
    expect(page.nextCursor).toBeNull();
    const first = page.items.find((i) => i.id === made[0]?.id);
    expect(first).toMatchObject({
      assignee: { id: agent.id, name: 'Anika Agent' },
      customer: { email: 'repeat@example.com' },
    });
    const updated = page.items.map((i) => Date.parse(i.updatedAt as string));
    expect([...updated].sort((x, y) => y - x)).toEqual(updated);
  });

  it('walks every page with cursors without repeating or skipping a ticket, for every sort', async () => {
    const all = made.map((m) => m.number).sort((x, y) => x - y);
    for (const sort of ['updated_desc', 'updated_asc', 'created_desc', 'created_asc', 'priority_desc']) {
      const numbers = await collect(agent, `?sort=${sort}`, 3);
      expect(
        [...numbers].sort((x, y) => x - y),
        sort,
      ).toEqual(all);
      const full = (await list(agent, `?sort=${sort}&limit=200`)).items.map((i) => i.number);
      expect(numbers, sort).toEqual(full);
    }
  });

  it('sorts by priority, most urgent first', async () => {
    const rank: Record<string, number> = { urgent: 4, high: 3, normal: 2, low: 1 };
    const items = (await list(agent, '?sort=priority_desc')).items;
    const ranks = items.map((i) => rank[i.priority as string] ?? 0);
    expect([...ranks].sort((x, y) => y - x)).toEqual(ranks);
  });

  it('refuses a cursor from another sort or a forged one', async () => {
    const page = await list(agent, '?limit=2');
    expect(page.nextCursor).not.toBeNull();
    const res = await api(t, agent, 'GET', `/tickets?sort=created_asc&cursor=${page.nextCursor}`);
    expect(res.statusCode).toBe(400);
    expect((await api(t, agent, 'GET', '/tickets?cursor=bm9wZQ')).statusCode).toBe(400);
  });

  it('filters by status, priority, type, channel, language, tag, category, team, assignee and customer', async () => {
    const count = async (qs: string) => (await list(agent, qs)).items.length;
    expect(await count('?status=new')).toBe(made.length);
    expect(await count('?status=open,pending')).toBe(0);
    expect(await count('?priority=urgent')).toBe(2);
    expect(await count('?priority=urgent,high')).toBe(5);
    expect(await count('?type=incident')).toBe(1);
    expect(await count('?channel=email')).toBe(3);
    expect(await count('?language=bn')).toBe(1);
    expect(await count('?tag=even')).toBe(6);
    expect(await count('?tag=EVEN,all')).toBe(6);
    expect(await count('?tag=even,odd')).toBe(0);
    expect(await count(`?categoryId=${categoryId}`)).toBe(1);
    expect(await count(`?teamId=${teamId}`)).toBe(1);
    expect(await count(`?assigneeId=${other.id}`)).toBe(1);
    expect(await count('?assigneeId=none')).toBe(made.length - 3);
    const repeat = (await list(agent, '?limit=200')).items.find(
      (i) => (i.customer as { email: string }).email === 'repeat@example.com',
    );
    const repeatId = (repeat?.customer as { id: string } | undefined)?.id;
    expect(repeatId).toBeDefined();
    expect(await count(`?customerId=${repeatId}`)).toBe(4);
  });

  it('answers the views mine, unassigned, my_teams and collaborating', async () => {
    const ids = async (who: TestStaff, view: string) => (await list(who, `?view=${view}`)).items.map((i) => i.id);
    expect(await ids(agent, 'mine')).toEqual([made[0]?.id]);
    expect(await ids(other, 'mine')).toEqual([made[1]?.id]);
    expect(await ids(agent, 'my_teams')).toEqual([made[0]?.id]);
    expect(await ids(other, 'my_teams')).toEqual([]);
    expect((await ids(agent, 'unassigned')).length).toBe(made.length - 3);
    await api(t, agent, 'POST', `/tickets/${made[5]?.id}/collaborators`, { userId: other.id });
    expect(await ids(other, 'collaborating')).toEqual([made[5]?.id]);
  });

  it('shows a collaborator only tickets assigned to them or where they collaborate', async () => {
    await api(t, agent, 'POST', `/tickets/${made[6]?.id}/collaborators`, { userId: collaborator.id });
    const seen = (await list(collaborator, '?limit=200')).items.map((i) => i.id).sort();
    expect(seen).toEqual([made[2]?.id, made[6]?.id].sort());
    expect((await list(collaborator, '?view=all')).items).toHaveLength(2);
    expect((await list(collaborator, '?view=unassigned')).items.map((i) => i.id)).toEqual([made[6]?.id]);
    expect((await api(t, collaborator, 'GET', `/tickets/${made[1]?.id}`)).statusCode).toBe(404);
    expect((await api(t, collaborator, 'GET', `/tickets/${made[1]?.number}`)).statusCode).toBe(404);
    expect((await api(t, collaborator, 'GET', `/tickets/${made[2]?.number}`)).statusCode).toBe(200);
  });

  it('refuses unknown filter values and oversize pages', async () => {
    expect((await api(t, agent, 'GET', '/tickets?status=lost')).statusCode).toBe(400);
    expect((await api(t, agent, 'GET', '/tickets?limit=500')).statusCode).toBe(400);
    expect((await api(t, agent, 'GET', '/tickets?view=everyone')).statusCode).toBe(400);
    expect((await api(t, null, 'GET', '/tickets')).statusCode).toBe(401);
  });
});

describe('the OpenAPI document', () => {
  it('describes the ticket, message and attachment routes', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys(res.json().paths);
    for (const p of [
      '/api/v1/tickets',
      '/api/v1/tickets/{id}',
      '/api/v1/tickets/{id}/messages',
      '/api/v1/tickets/{id}/merge',
      '/api/v1/attachments',
      '/api/v1/attachments/{id}/download',
    ]) {
      expect(paths, p).toContain(p);
    }
  });
});

describe('GET /tickets/counts', () => {
  it('counts unresolved tickets per view, within what the actor may see', async () => {
    const res = await api(t, agent, 'GET', '/tickets/counts');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      mine: 1,
      unassigned: made.length - 3,
      myTeams: 1,
      collaborating: 0,
      all: made.length,
    });
    // brought in on one ticket (made[5]) and assigned another
    expect((await api(t, other, 'GET', '/tickets/counts')).json()).toEqual({
      mine: 1,
      unassigned: made.length - 3,
      myTeams: 0,
      collaborating: 1,
      all: made.length,
    });
    expect((await api(t, collaborator, 'GET', '/tickets/counts')).json()).toEqual({
      mine: 1,
      unassigned: 1,
      myTeams: 0,
      collaborating: 1,
      all: 2,
    });
  });
});
