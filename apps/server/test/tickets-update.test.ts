import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManualClock } from '../src/platform/clock.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api, insertTeam, openTicket } from './tickets-helpers.ts';

let t: TestApp;
let clock: ManualClock;
let admin: TestStaff;
let agent: TestStaff;
let collaborator: TestStaff;

async function eventsOf(who: TestStaff, id: string) {
  const res = await api(t, who, 'GET', `/tickets/${id}/events`);
  expect(res.statusCode).toBe(200);
  return res.json().items as Array<{
    type: string;
    payload: Record<string, unknown>;
    actor: { id: string; name: string } | null;
  }>;
}

beforeAll(async () => {
  t = await createTestApp();
  clock = t.clock as ManualClock;
  admin = await createStaff(t, 'admin');
  agent = await createStaff(t, 'agent', { name: 'Arjun' });
  collaborator = await createStaff(t, 'collaborator');
});
afterAll(async () => {
  await t?.close();
});

describe('PATCH /tickets/:id', () => {
  it('records one event per kind of change', async () => {
    const ticket = await openTicket(t, agent, { tags: ['a'] });
    const team = await insertTeam(t, 'Escalations');
    clock.advance(60_000);
    const res = await api(t, agent, 'PATCH', `/tickets/${ticket.number}`, {
      subject: 'Renamed',
      priority: 'urgent',
      tags: ['a', 'B ', 'b'],
      assigneeId: agent.id,
      teamId: team,
      status: 'open',
      language: 'bn',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      subject: 'Renamed',
      priority: 'urgent',
      tags: ['a', 'b'],
      assigneeId: agent.id,
      teamId: team,
      status: 'open',
      language: 'bn',
    });
    expect(Date.parse(res.json().updatedAt)).toBeGreaterThan(Date.parse(ticket.updatedAt));
    const evs = await eventsOf(agent, ticket.id);
    const byType = Object.fromEntries(evs.map((e) => [e.type, e]));
    expect(byType['ticket.updated']?.payload).toEqual({
      changes: { subject: { from: ticket.subject, to: 'Renamed' }, language: { from: 'en', to: 'bn' } },
    });
    expect(byType['ticket.priority_changed']?.payload).toEqual({ from: 'normal', to: 'urgent' });
    expect(byType['ticket.tags_changed']?.payload).toEqual({ added: ['b'], removed: [], tags: ['a', 'b'] });
    expect(byType['ticket.assigned']?.payload).toEqual({
      assigneeId: { from: null, to: agent.id },
      teamId: { from: null, to: team },
    });
    expect(byType['ticket.status_changed']?.payload).toEqual({ from: 'new', to: 'open' });
    expect(byType['ticket.status_changed']?.actor).toMatchObject({ id: agent.id, name: 'Arjun' });
  });

  it('records nothing when nothing changes', async () => {
    const ticket = await openTicket(t, agent);
    const before = (await eventsOf(agent, ticket.id)).length;
    const res = await api(t, agent, 'PATCH', `/tickets/${ticket.id}`, {
      priority: 'normal',
      tags: [],
      subject: ticket.subject,
    });
    expect(res.statusCode).toBe(200);
    expect((await eventsOf(agent, ticket.id)).length).toBe(before);
  });

  it('keeps solved_at and closed_at and refuses moves the state machine does not allow', async () => {
    const ticket = await openTicket(t, agent);
    const bad = await api(t, agent, 'PATCH', `/tickets/${ticket.id}`, { status: 'closed' });
    expect(bad.statusCode).toBe(409);
    expect(bad.json()).toMatchObject({ code: 'INVALID_TRANSITION', details: { from: 'new', to: 'closed' } });
    const solved = (await api(t, agent, 'PATCH', `/tickets/${ticket.id}`, { status: 'solved' })).json();
    expect(solved.solvedAt).not.toBeNull();
    const reopened = (await api(t, agent, 'PATCH', `/tickets/${ticket.id}`, { status: 'open' })).json();
    expect(reopened.solvedAt).toBeNull();
    await api(t, agent, 'PATCH', `/tickets/${ticket.id}`, { status: 'solved' });
    const closed = (await api(t, agent, 'PATCH', `/tickets/${ticket.id}`, { status: 'closed' })).json();
    expect(closed).toMatchObject({ status: 'closed' });
    expect(closed.closedAt).not.toBeNull();
    expect(closed.solvedAt).not.toBeNull();
    const again = await api(t, agent, 'PATCH', `/tickets/${ticket.id}`, { priority: 'high' });
    expect(again.statusCode).toBe(409);
    expect((await api(t, agent, 'PATCH', `/tickets/${ticket.id}`, { status: 'open' })).statusCode).toBe(409);
  });

  it('refuses collaborators (403) and hides tickets they cannot see (404)', async () => {
    const mine = await openTicket(t, agent, { assigneeId: collaborator.id });
    expect((await api(t, collaborator, 'PATCH', `/tickets/${mine.id}`, { priority: 'low' })).statusCode).toBe(403);
    const res = await api(t, agent, 'PATCH', '/tickets/00000000-0000-4000-8000-000000000000', { priority: 'low' });
    expect(res.statusCode).toBe(404);
  });

  it('names unknown assignees and teams as field errors', async () => {
    const ticket = await openTicket(t, agent);
    const res = await api(t, agent, 'PATCH', `/tickets/${ticket.id}`, {
      assigneeId: '00000000-0000-4000-8000-000000000000',
      teamId: '00000000-0000-4000-8000-000000000001',
    });
    expect(res.statusCode).toBe(400);
    expect(
      res
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['assigneeId', 'teamId']);
  });

  it('needs the tickets:assign permission to assign', async () => {
    const ticket = await openTicket(t, agent);
    const { createApiToken } = await import('../src/modules/tokens/tokens.service.ts');
    const { token } = await createApiToken(t.deps, {
      actor: { kind: 'system' },
      userId: agent.id,
      name: 'read only',
      scopes: ['tickets:read'],
    });
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/tickets/${ticket.id}`,
      headers: { authorization: `Bearer ${token}` },
      payload: { assigneeId: agent.id },
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('problems and incidents', () => {
  it('links an incident only to a problem ticket', async () => {
    const question = await openTicket(t, agent);
    const problem = await openTicket(t, agent, { type: 'problem', subject: 'Payments are down' });
    const incident = await openTicket(t, agent, { type: 'incident', problemId: problem.id });
    expect(incident.problemId).toBe(problem.id);

    const notProblem = await api(t, agent, 'PATCH', `/tickets/${incident.id}`, { problemId: question.id });
    expect(notProblem.statusCode).toBe(400);
    expect(notProblem.json().errors[0].path).toBe('problemId');
    const notIncident = await api(t, agent, 'PATCH', `/tickets/${question.id}`, { problemId: problem.id });
    expect(notIncident.statusCode).toBe(400);
    const self = await api(t, agent, 'PATCH', `/tickets/${problem.id}`, { type: 'incident', problemId: problem.id });
    expect(self.statusCode).toBe(400);
    const created = await api(t, agent, 'POST', '/tickets', {
      subject: 'x',
      customer: { email: 'x@example.com' },
      message: { body: 'x' },
      problemId: problem.id,
    });
    expect(created.statusCode).toBe(400);

    expect((await api(t, agent, 'GET', `/tickets/${problem.id}`)).json().incidentCount).toBe(1);
    const blocked = await api(t, agent, 'PATCH', `/tickets/${problem.id}`, { type: 'question' });
    expect(blocked.statusCode).toBe(400);
    const unlinked = await api(t, agent, 'PATCH', `/tickets/${incident.id}`, { type: 'question' });
    expect(unlinked.json()).toMatchObject({ type: 'question', problemId: null });
  });

  it('replies to every unresolved incident of a problem at once', async () => {
    const problem = await openTicket(t, agent, { type: 'problem' });
    const a = await openTicket(t, agent, { type: 'incident', problemId: problem.id });
    const b = await openTicket(t, agent, { type: 'incident', problemId: problem.id });
    await api(t, agent, 'PATCH', `/tickets/${b.id}`, { status: 'pending' });
    const solved = await openTicket(t, agent, { type: 'incident', problemId: problem.id });
    await api(t, agent, 'PATCH', `/tickets/${solved.id}`, { status: 'solved' });

    const res = await api(t, agent, 'POST', `/tickets/${problem.id}/notify-incidents`, {
      html: '<p>Fixed!<script>x()</script></p>',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items.map((i: { ticketId: string }) => i.ticketId)).toEqual([a.id, b.id]);

    const aMsgs = (await api(t, agent, 'GET', `/tickets/${a.id}/messages`)).json().items;
    expect(aMsgs[1]).toMatchObject({
      kind: 'public',
      authorType: 'staff',
      bodyHtml: '<p>Fixed!</p>',
      bodyText: 'Fixed!',
      status: 'sent',
    });
    expect((await api(t, agent, 'GET', `/tickets/${a.id}`)).json().status).toBe('open');
    expect((await api(t, agent, 'GET', `/tickets/${b.id}`)).json().status).toBe('pending');
    expect((await api(t, agent, 'GET', `/tickets/${solved.id}/messages`)).json().items).toHaveLength(1);
    expect((await eventsOf(agent, a.id)).map((e) => e.type)).toContain('message.added');
    expect((await eventsOf(agent, problem.id)).at(-1)).toMatchObject({
      type: 'ticket.incidents_notified',
      payload: { count: 2 },
    });

    const notAProblem = await api(t, agent, 'POST', `/tickets/${a.id}/notify-incidents`, { body: 'x' });
    expect(notAProblem.statusCode).toBe(409);
    expect(
      (await api(t, collaborator, 'POST', `/tickets/${problem.id}/notify-incidents`, { body: 'x' })).statusCode,
    ).toBe(403);
  });
});

describe('collaborators', () => {
  it('adds and removes collaborators, who then see or lose the ticket', async () => {
    const ticket = await openTicket(t, agent);
    expect((await api(t, collaborator, 'GET', `/tickets/${ticket.id}`)).statusCode).toBe(404);
    const added = await api(t, agent, 'POST', `/tickets/${ticket.id}/collaborators`, { userId: collaborator.id });
    expect(added.statusCode).toBe(200);
    expect(added.json().items).toEqual([{ id: collaborator.id, name: collaborator.name }]);
    await api(t, agent, 'POST', `/tickets/${ticket.id}/collaborators`, { userId: collaborator.id });
    const seen = await api(t, collaborator, 'GET', `/tickets/${ticket.id}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.json().collaborators).toEqual([{ id: collaborator.id, name: collaborator.name }]);
    expect((await api(t, collaborator, 'GET', `/tickets/${ticket.id}/collaborators`)).json().items).toHaveLength(1);
    expect(
      (await api(t, collaborator, 'POST', `/tickets/${ticket.id}/collaborators`, { userId: admin.id })).statusCode,
    ).toBe(403);

    const removed = await api(t, agent, 'DELETE', `/tickets/${ticket.id}/collaborators/${collaborator.id}`);
    expect(removed.json().items).toEqual([]);
    expect((await api(t, collaborator, 'GET', `/tickets/${ticket.id}`)).statusCode).toBe(404);
    const types = (await eventsOf(agent, ticket.id)).map((e) => e.type);
    expect(types.filter((x) => x === 'ticket.collaborator_added')).toHaveLength(1);
    expect(types).toContain('ticket.collaborator_removed');
  });

  it('refuses unknown users', async () => {
    const ticket = await openTicket(t, agent);
    const res = await api(t, agent, 'POST', `/tickets/${ticket.id}/collaborators`, {
      userId: '00000000-0000-4000-8000-000000000000',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toBe('userId');
  });
});

describe('GET /tickets/:id/events', () => {
  it('is hidden from collaborators who cannot see the ticket', async () => {
    const ticket = await openTicket(t, agent);
    expect((await api(t, collaborator, 'GET', `/tickets/${ticket.id}/events`)).statusCode).toBe(404);
    expect((await eventsOf(admin, ticket.id)).map((e) => e.type)).toEqual(['ticket.created', 'message.added']);
  });
});

describe('POST /tickets/bulk-update', () => {
  it('changes each ticket it can and reports the ones it cannot', async () => {
    const a = await openTicket(t, agent);
    const b = await openTicket(t, agent);
    const closed = await openTicket(t, agent);
    await api(t, agent, 'PATCH', `/tickets/${closed.id}`, { status: 'solved' });
    await api(t, agent, 'PATCH', `/tickets/${closed.id}`, { status: 'closed' });
    const res = await api(t, agent, 'POST', '/tickets/bulk-update', {
      ticketIds: [a.id, String(b.number), closed.id, '00000000-0000-4000-8000-000000000000'],
      changes: { status: 'pending', priority: 'high', assigneeId: agent.id },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items.map((i: { ok: boolean; code: string | null }) => [i.ok, i.code])).toEqual([
      [true, null],
      [true, null],
      [false, 'CONFLICT'],
      [false, 'NOT_FOUND'],
    ]);
    expect((await api(t, agent, 'GET', `/tickets/${b.id}`)).json()).toMatchObject({
      status: 'pending',
      priority: 'high',
      assigneeId: agent.id,
    });
    expect(
      (await api(t, collaborator, 'POST', '/tickets/bulk-update', { ticketIds: [a.id], changes: { priority: 'low' } }))
        .statusCode,
    ).toBe(403);
  });
});
