import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api, openTicket, upload } from './tickets-helpers.ts';

let t: TestApp;
let agent: TestStaff;
let supervisor: TestStaff;
let collaborator: TestStaff;

beforeAll(async () => {
  t = await createTestApp();
  agent = await createStaff(t, 'agent');
  supervisor = await createStaff(t, 'supervisor');
  collaborator = await createStaff(t, 'collaborator');
});
afterAll(async () => {
  await t?.close();
});

describe('tickets a collaborator cannot see', () => {
  it('answer 404 on every ticket route (by id and by number) and change nothing', async () => {
    const hidden = await openTicket(t, agent, { type: 'problem' });
    const target = await openTicket(t, agent, { assigneeId: collaborator.id });
    const [firstMessage] = (await api(t, agent, 'GET', `/tickets/${hidden.id}/messages`)).json().items;
    const before = (await api(t, agent, 'GET', `/tickets/${hidden.id}/events`)).json().items.length;

    for (const ref of [hidden.id, String(hidden.number)]) {
      const calls: Array<[string, string, unknown, number[]]> = [
        ['GET', `/tickets/${ref}`, undefined, [404]],
        ['GET', `/tickets/${ref}/messages`, undefined, [404]],
        ['GET', `/tickets/${ref}/events`, undefined, [404]],
        ['GET', `/tickets/${ref}/collaborators`, undefined, [404]],
        ['POST', `/tickets/${ref}/messages`, { body: 'x' }, [404]],
        ['POST', `/tickets/${ref}/messages`, { body: 'x', internal: true }, [404]],
        // whole actions a collaborator may never take answer 403 before any lookup
        ['PATCH', `/tickets/${ref}`, { priority: 'low' }, [403]],
        ['POST', `/tickets/${ref}/merge`, { targetTicketId: target.id }, [403]],
        ['POST', `/tickets/${ref}/split`, { messageId: firstMessage.id }, [403]],
        ['POST', `/tickets/${ref}/collaborators`, { userId: collaborator.id }, [403]],
        ['DELETE', `/tickets/${ref}/collaborators/${agent.id}`, undefined, [403]],
        ['POST', `/tickets/${ref}/notify-incidents`, { body: 'x' }, [403]],
        ['POST', `/tickets/${ref}/messages/${firstMessage.id}/approve`, undefined, [403]],
      ];
      for (const [method, url, body, expected] of calls) {
        const res = await api(t, collaborator, method as 'GET', url, body);
        expect(expected, `${method} ${url} → ${res.statusCode}`).toContain(res.statusCode);
        expect(res.body).not.toContain(hidden.subject);
      }
    }
    const after = (await api(t, agent, 'GET', `/tickets/${hidden.id}/events`)).json().items.length;
    expect(after).toBe(before);
  });

  it('answers 404 to a supervisor approving a message that is not on the ticket in the URL', async () => {
    const a = await openTicket(t, agent);
    const b = await openTicket(t, agent);
    const [m] = (await api(t, agent, 'GET', `/tickets/${a.id}/messages`)).json().items;
    const res = await api(t, supervisor, 'POST', `/tickets/${b.id}/messages/${m.id}/approve`, undefined, {
      via: 'session',
    });
    expect(res.statusCode).toBe(404);
  });

  it('lets a collaborator upload and attach files only on tickets they can see', async () => {
    const hidden = await openTicket(t, agent);
    const mine = await openTicket(t, agent, { assigneeId: collaborator.id });
    const up = await upload(t, collaborator, 'log.txt', 'text/plain', 'log');
    expect(up.statusCode).toBe(201);
    const id = up.json().id;
    expect(
      (await api(t, collaborator, 'POST', `/tickets/${hidden.id}/messages`, { body: 'x', attachmentIds: [id] }))
        .statusCode,
    ).toBe(404);
    expect(
      (await api(t, collaborator, 'POST', `/tickets/${mine.id}/messages`, { body: 'x', attachmentIds: [id] }))
        .statusCode,
    ).toBe(201);
  });
});

describe('API token scopes', () => {
  it('lets a read-only token read tickets but not write them', async () => {
    const ticket = await openTicket(t, agent);
    const { createApiToken } = await import('../src/modules/tokens/tokens.service.ts');
    const { token } = await createApiToken(t.deps, {
      actor: { kind: 'system' },
      userId: agent.id,
      name: 'ro',
      scopes: ['tickets:read'],
    });
    const headers = { authorization: `Bearer ${token}` };
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}`, headers })).statusCode).toBe(200);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/tickets/${ticket.id}/messages`,
          headers,
          payload: { body: 'x' },
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/tickets/${ticket.id}/messages`,
          headers,
          payload: { body: 'x', internal: true },
        })
      ).statusCode,
    ).toBe(403);
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/tickets',
          headers,
          payload: { subject: 'x', customer: { email: 'a@example.com' }, message: { body: 'x' } },
        })
      ).statusCode,
    ).toBe(403);
  });
});
