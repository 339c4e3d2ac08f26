import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateSettings } from '../src/modules/staff/settings.service.ts';
import { findVisibleTicket, recordCustomerMessage, toCustomerVisibleMessages } from '../src/modules/tickets/index.ts';
import { loadMessageDtos } from '../src/modules/tickets/tickets.repository.ts';
import type { ManualClock } from '../src/platform/clock.ts';
import { messages, tickets } from '../src/platform/db/schema/index.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api, openTicket } from './tickets-helpers.ts';

let t: TestApp;
let clock: ManualClock;
let agent: TestStaff;
let supervisor: TestStaff;
let collaborator: TestStaff;

async function msgs(who: TestStaff, id: string) {
  const res = await api(t, who, 'GET', `/tickets/${id}/messages`);
  expect(res.statusCode).toBe(200);
  return res.json().items as Array<Record<string, unknown> & { id: string; seq: number; kind: string; status: string }>;
}

async function setApproval(on: boolean) {
  await t.deps.db.transaction((tx) =>
    updateSettings(tx, {
      actor: { kind: 'system' },
      changes: { collaboratorRepliesNeedApproval: on },
      now: new Date(),
    }),
  );
}

beforeAll(async () => {
  t = await createTestApp();
  clock = t.clock as ManualClock;
  agent = await createStaff(t, 'agent', { name: 'Asha' });
  supervisor = await createStaff(t, 'supervisor');
  collaborator = await createStaff(t, 'collaborator', { name: 'Colin' });
});
afterAll(async () => {
  await t?.close();
});

describe('POST /tickets/:id/messages', () => {
  it('numbers messages in order and opens a new ticket on the first public reply', async () => {
    const ticket = await openTicket(t, agent);
    clock.advance(5 * 60_000);
    const note = await api(t, agent, 'POST', `/tickets/${ticket.id}/messages`, {
      body: 'Checking with the warehouse',
      internal: true,
    });
    expect(note.statusCode).toBe(201);
    expect(note.json()).toMatchObject({
      seq: 2,
      kind: 'internal',
      authorType: 'staff',
      author: { id: agent.id, name: 'Asha' },
      status: 'sent',
    });
    let fresh = (await api(t, agent, 'GET', `/tickets/${ticket.id}`)).json();
    expect(fresh.status).toBe('new');
    expect(fresh.firstResponseAt).toBeNull();

    clock.advance(60_000);
    const reply = await api(t, agent, 'POST', `/tickets/${ticket.id}/messages`, { body: 'We are on it.' });
    expect(reply.statusCode).toBe(201);
    expect(reply.json()).toMatchObject({ seq: 3, kind: 'public', status: 'sent', channel: 'api' });
    fresh = (await api(t, agent, 'GET', `/tickets/${ticket.id}`)).json();
    expect(fresh).toMatchObject({
      status: 'open',
      messageCount: 3,
      firstResponseAt: reply.json().createdAt,
      lastMessageAt: reply.json().createdAt,
    });

    clock.advance(60_000);
    await api(t, agent, 'POST', `/tickets/${ticket.id}/messages`, { body: 'Second reply' });
    expect((await api(t, agent, 'GET', `/tickets/${ticket.id}`)).json().firstResponseAt).toBe(reply.json().createdAt);
    expect((await msgs(agent, ticket.id)).map((m) => m.seq)).toEqual([1, 2, 3, 4]);
  });

  it('applies the status the agent picks with a reply, and refuses impossible ones', async () => {
    const ticket = await openTicket(t, agent);
    const r = await api(t, agent, 'POST', `/tickets/${ticket.id}/messages`, {
      body: 'Solved, I think',
      status: 'solved',
    });
    expect(r.statusCode).toBe(201);
    expect((await api(t, agent, 'GET', `/tickets/${ticket.id}`)).json().status).toBe('solved');
    const bad = await api(t, agent, 'POST', `/tickets/${ticket.id}/messages`, { body: 'x', status: 'on_hold' });
    expect(bad.statusCode).toBe(409);
    expect(bad.json().code).toBe('INVALID_TRANSITION');
    expect(await msgs(agent, ticket.id)).toHaveLength(2);
  });

  it('keeps the seq gap-free when many replies arrive at once', async () => {
    const ticket = await openTicket(t, agent);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        api(t, agent, 'POST', `/tickets/${ticket.id}/messages`, { body: `parallel ${i}`, internal: i % 2 === 0 }),
      ),
    );
    expect(results.every((r) => r.statusCode === 201)).toBe(true);
    expect((await msgs(agent, ticket.id)).map((m) => m.seq)).toEqual(Array.from({ length: 11 }, (_, i) => i + 1));
    const [row] = await t.deps.db.select().from(tickets).where(eq(tickets.id, ticket.id));
    expect(row).toMatchObject({ lastSeq: 11, messageCount: 11 });
  });

  it('refuses public replies on closed tickets but still takes notes', async () => {
    const ticket = await openTicket(t, agent);
    await api(t, agent, 'PATCH', `/tickets/${ticket.id}`, { status: 'solved' });
    await api(t, agent, 'PATCH', `/tickets/${ticket.id}`, { status: 'closed' });
    expect((await api(t, agent, 'POST', `/tickets/${ticket.id}/messages`, { body: 'hello' })).statusCode).toBe(409);
    expect(
      (await api(t, agent, 'POST', `/tickets/${ticket.id}/messages`, { body: 'for the record', internal: true }))
        .statusCode,
    ).toBe(201);
  });

  it('sanitises XSS in replies', async () => {
    const ticket = await openTicket(t, agent);
    const res = await api(t, agent, 'POST', `/tickets/${ticket.id}/messages`, {
      body: 'plain <script>stays text</script>',
      html: '<p onclick="steal()">Hi</p><svg><script>alert(1)</script></svg><a href="javascript:alert(1)">x</a><iframe src="//evil"></iframe>',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().bodyHtml).toBe('<p>Hi</p><a target="_blank" rel="noopener noreferrer nofollow">x</a>');
    expect(res.json().bodyText).toBe('plain <script>stays text</script>');
  });

  it('refuses empty replies and unknown tickets', async () => {
    const ticket = await openTicket(t, agent);
    expect((await api(t, agent, 'POST', `/tickets/${ticket.id}/messages`, { body: ' ' })).statusCode).toBe(400);
    expect((await api(t, agent, 'POST', '/tickets/424242/messages', { body: 'x' })).statusCode).toBe(404);
  });
});

describe('collaborators and messages', () => {
  it('lets a collaborator read and write (notes included) only on their tickets', async () => {
    const theirs = await openTicket(t, agent, { assigneeId: collaborator.id });
    const other = await openTicket(t, agent);
    await api(t, agent, 'POST', `/tickets/${theirs.id}/messages`, {
      body: 'internal context for Colin',
      internal: true,
    });
    await api(t, agent, 'POST', `/tickets/${other.id}/messages`, { body: 'secret elsewhere', internal: true });

    const seen = await msgs(collaborator, theirs.id);
    expect(seen.map((m) => m.kind)).toEqual(['public', 'internal']);
    expect((await api(t, collaborator, 'GET', `/tickets/${other.id}/messages`)).statusCode).toBe(404);
    expect((await api(t, collaborator, 'POST', `/tickets/${other.id}/messages`, { body: 'x' })).statusCode).toBe(404);
    expect(
      (await api(t, collaborator, 'POST', `/tickets/${other.id}/messages`, { body: 'x', internal: true })).statusCode,
    ).toBe(404);
    const note = await api(t, collaborator, 'POST', `/tickets/${theirs.id}/messages`, {
      body: 'my note',
      internal: true,
    });
    expect(note.statusCode).toBe(201);
  });

  it('holds a collaborator reply for approval when the desk asks, then sends it when a supervisor approves', async () => {
    await setApproval(true);
    const ticket = await openTicket(t, agent, { assigneeId: collaborator.id });
    const res = await api(t, collaborator, 'POST', `/tickets/${ticket.id}/messages`, {
      body: 'Draft answer',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().status).toBe('pending_approval');
    let fresh = (await api(t, agent, 'GET', `/tickets/${ticket.id}`)).json();
    expect(fresh).toMatchObject({ status: 'new', firstResponseAt: null });

    // never shown to the customer while waiting
    const dtos = await loadMessageDtos(t.deps.db, { ticketId: ticket.id });
    expect(toCustomerVisibleMessages(dtos).map((m) => m.bodyText)).not.toContain('Draft answer');

    expect((await api(t, agent, 'POST', `/tickets/${ticket.id}/messages/${res.json().id}/approve`)).statusCode).toBe(
      403,
    );
    expect(
      (await api(t, collaborator, 'POST', `/tickets/${ticket.id}/messages/${res.json().id}/approve`)).statusCode,
    ).toBe(403);
    const approved = await api(
      t,
      supervisor,
      'POST',
      `/tickets/${ticket.id}/messages/${res.json().id}/approve`,
      undefined,
      { via: 'session' },
    );
    expect(approved.statusCode).toBe(200);
    expect(approved.json().status).toBe('sent');
    fresh = (await api(t, agent, 'GET', `/tickets/${ticket.id}`)).json();
    expect(fresh.status).toBe('open');
    expect(fresh.firstResponseAt).not.toBeNull();
    const again = await api(
      t,
      supervisor,
      'POST',
      `/tickets/${ticket.id}/messages/${res.json().id}/approve`,
      undefined,
      { via: 'session' },
    );
    expect(again.statusCode).toBe(409);
    const types = (await api(t, agent, 'GET', `/tickets/${ticket.id}/events`))
      .json()
      .items.map((e: { type: string }) => e.type);
    expect(types).toContain('message.approved');

    const dtosAfter = await loadMessageDtos(t.deps.db, { ticketId: ticket.id });
    expect(toCustomerVisibleMessages(dtosAfter).map((m) => m.bodyText)).toContain('Draft answer');
    await setApproval(false);
  });

  it('lets a supervisor reject a held reply, which the customer never sees', async () => {
    await setApproval(true);
    const ticket = await openTicket(t, agent, { assigneeId: collaborator.id });
    const res = await api(t, collaborator, 'POST', `/tickets/${ticket.id}/messages`, { body: 'Wrong answer' });
    const rejected = await api(
      t,
      supervisor,
      'POST',
      `/tickets/${ticket.id}/messages/${res.json().id}/reject`,
      { reason: 'Tone' },
      { via: 'session' },
    );
    expect(rejected.statusCode).toBe(200);
    expect(rejected.json()).toMatchObject({ status: 'rejected', meta: { rejection: { reason: 'Tone' } } });
    const dtos = await loadMessageDtos(t.deps.db, { ticketId: ticket.id });
    expect(toCustomerVisibleMessages(dtos).map((m) => m.bodyText)).toEqual([expect.stringContaining('Hello')]);
    expect((await api(t, agent, 'GET', `/tickets/${ticket.id}`)).json().status).toBe('new');
    // the message must belong to the ticket in the URL
    const elsewhere = await openTicket(t, agent);
    const wrong = await api(
      t,
      supervisor,
      'POST',
      `/tickets/${elsewhere.id}/messages/${res.json().id}/reject`,
      undefined,
      { via: 'session' },
    );
    expect(wrong.statusCode, wrong.body).toBe(404);
    await setApproval(false);
  });

  it('does not let a collaborator change the status through a reply', async () => {
    const ticket = await openTicket(t, agent, { assigneeId: collaborator.id });
    const res = await api(t, collaborator, 'POST', `/tickets/${ticket.id}/messages`, {
      body: 'done',
      status: 'solved',
    });
    expect(res.statusCode).toBe(403);
  });

  it('sends collaborator replies straight away when approval is off, and agents are never held', async () => {
    await setApproval(true);
    const ticket = await openTicket(t, agent, { assigneeId: collaborator.id });
    expect((await api(t, agent, 'POST', `/tickets/${ticket.id}/messages`, { body: 'agent reply' })).json().status).toBe(
      'sent',
    );
    await setApproval(false);
    expect(
      (await api(t, collaborator, 'POST', `/tickets/${ticket.id}/messages`, { body: 'colin reply' })).json().status,
    ).toBe('sent');
  });

  it('never hands internal notes or system entries to customer-facing code', async () => {
    const ticket = await openTicket(t, agent);
    await api(t, agent, 'POST', `/tickets/${ticket.id}/messages`, { body: 'TOP SECRET note', internal: true });
    await api(t, agent, 'POST', `/tickets/${ticket.id}/messages`, { body: 'Public answer' });
    const all = await loadMessageDtos(t.deps.db, { ticketId: ticket.id });
    const visible = toCustomerVisibleMessages(all);
    expect(visible.map((m) => m.bodyText)).toEqual([expect.stringContaining('Hello'), 'Public answer']);
    expect(JSON.stringify(visible)).not.toContain('TOP SECRET');
    const rows = await t.deps.db.select().from(messages).where(eq(messages.ticketId, ticket.id));
    expect(rows).toHaveLength(3);
  });
});

describe('customer messages from channels', () => {
  it('reopens a solved ticket when the customer writes again', async () => {
    const ticket = await openTicket(t, agent);
    await api(t, agent, 'POST', `/tickets/${ticket.id}/messages`, { body: 'Fixed', status: 'solved' });
    await t.deps.db.transaction(async (tx) => {
      const row = await findVisibleTicket(tx, { kind: 'system' }, ticket.id, { forUpdate: true });
      if (!row) throw new Error('missing');
      await recordCustomerMessage(tx, {
        ticket: row,
        channel: 'email',
        body: 'Still broken!',
        actor: { kind: 'system' },
        now: clock.now(),
      });
    });
    const fresh = (await api(t, agent, 'GET', `/tickets/${ticket.id}`)).json();
    expect(fresh).toMatchObject({ status: 'open', solvedAt: null, messageCount: 3 });
    const last = (await msgs(agent, ticket.id)).at(-1);
    expect(last).toMatchObject({
      kind: 'public',
      authorType: 'customer',
      status: 'received',
      channel: 'email',
      bodyText: 'Still broken!',
    });
    const evs = (await api(t, agent, 'GET', `/tickets/${ticket.id}/events`)).json().items;
    expect(evs.at(-1)).toMatchObject({
      type: 'ticket.status_changed',
      payload: { from: 'solved', to: 'open' },
      actor: null,
    });
  });
});
