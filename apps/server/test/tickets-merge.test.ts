import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManualClock } from '../src/platform/clock.ts';
import { ticketLinks } from '../src/platform/db/schema/index.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api, openTicket } from './tickets-helpers.ts';

let t: TestApp;
let clock: ManualClock;
let agent: TestStaff;
let collaborator: TestStaff;

type Msg = { id: string; seq: number; kind: string; bodyText: string; ticketId: string };

async function msgs(id: string): Promise<Msg[]> {
  return (await api(t, agent, 'GET', `/tickets/${id}/messages`)).json().items;
}

async function say(id: string, body: string, internal = false) {
  clock.advance(1000);
  const res = await api(t, agent, 'POST', `/tickets/${id}/messages`, { body, internal });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Msg;
}

beforeAll(async () => {
  t = await createTestApp();
  clock = t.clock as ManualClock;
  agent = await createStaff(t, 'agent');
  collaborator = await createStaff(t, 'collaborator');
});
afterAll(async () => {
  await t?.close();
});

describe('POST /tickets/:id/merge', () => {
  it('moves the conversation after the target, keeping its order, and closes the source with links', async () => {
    const target = await openTicket(t, agent, { body: 'T1' });
    await say(target.id, 'T2');
    const source = await openTicket(t, agent, { body: 'S1' });
    await say(source.id, 'S2', true);
    await say(source.id, 'S3');
    await api(t, agent, 'POST', `/tickets/${source.id}/collaborators`, { userId: collaborator.id });

    clock.advance(1000);
    const res = await api(t, agent, 'POST', `/tickets/${source.id}/merge`, { targetTicketId: String(target.number) });
    expect(res.statusCode, res.body).toBe(200);
    const merged = res.json();
    expect(merged.id).toBe(target.id);
    expect(merged.messageCount).toBe(5);
    expect(merged.links).toEqual([{ kind: 'merged_from', ticketId: source.id, number: source.number }]);
    expect(merged.collaborators.map((c: { id: string }) => c.id)).toEqual([collaborator.id]);

    const inTarget = await msgs(target.id);
    expect(inTarget.map((m) => [m.seq, m.bodyText.slice(0, 2)])).toEqual([
      [1, 'T1'],
      [2, 'T2'],
      [3, 'S1'],
      [4, 'S2'],
      [5, 'S3'],
      [6, 'Ti'],
    ]);
    expect(inTarget[5]).toMatchObject({ kind: 'system' });
    expect(inTarget[5]?.bodyText).toContain(`#${source.number}`);

    const src = (await api(t, agent, 'GET', `/tickets/${source.id}`)).json();
    expect(src).toMatchObject({
      status: 'closed',
      mergedIntoId: target.id,
      messageCount: 0,
      links: [{ kind: 'merged_into', ticketId: target.id }],
    });
    expect(src.closedAt).not.toBeNull();
    const left = await msgs(source.id);
    expect(left).toHaveLength(1);
    expect(left[0]).toMatchObject({ kind: 'system', seq: 4 });
    expect(left[0]?.bodyText).toContain(`#${target.number}`);

    const srcEvents = (await api(t, agent, 'GET', `/tickets/${source.id}/events`))
      .json()
      .items.map((e: { type: string; payload: Record<string, unknown> }) => [
        e.type,
        e.payload.to ?? e.payload.role ?? null,
      ]);
    expect(srcEvents).toContainEqual(['ticket.merged', 'source']);
    expect(srcEvents).toContainEqual(['ticket.status_changed', 'closed']);
    const tgtEvents = (await api(t, agent, 'GET', `/tickets/${target.id}/events`))
      .json()
      .items.map((e: { type: string; payload: Record<string, unknown> }) => [e.type, e.payload.role ?? null]);
    expect(tgtEvents).toContainEqual(['ticket.merged', 'target']);

    // a new message on the target continues the sequence
    expect((await say(target.id, 'after')).seq).toBe(7);
  });

  it('refuses to merge a ticket into itself, into a closed ticket, or twice', async () => {
    const a = await openTicket(t, agent);
    const b = await openTicket(t, agent);
    expect((await api(t, agent, 'POST', `/tickets/${a.id}/merge`, { targetTicketId: a.id })).statusCode).toBe(400);
    expect((await api(t, agent, 'POST', `/tickets/${a.id}/merge`, { targetTicketId: '999999' })).statusCode).toBe(400);
    expect((await api(t, agent, 'POST', `/tickets/${a.id}/merge`, { targetTicketId: b.id })).statusCode).toBe(200);
    expect((await api(t, agent, 'POST', `/tickets/${a.id}/merge`, { targetTicketId: b.id })).statusCode).toBe(409);
    const c = await openTicket(t, agent);
    expect((await api(t, agent, 'POST', `/tickets/${c.id}/merge`, { targetTicketId: a.id })).statusCode).toBe(409);
  });

  it('is not allowed to collaborators', async () => {
    const a = await openTicket(t, agent, { assigneeId: collaborator.id });
    const b = await openTicket(t, agent, { assigneeId: collaborator.id });
    expect((await api(t, collaborator, 'POST', `/tickets/${a.id}/merge`, { targetTicketId: b.id })).statusCode).toBe(
      403,
    );
  });

  it('survives two opposite merges at the same time (one wins, nothing is lost)', async () => {
    const a = await openTicket(t, agent, { body: 'A' });
    const b = await openTicket(t, agent, { body: 'B' });
    const [x, y] = await Promise.all([
      api(t, agent, 'POST', `/tickets/${a.id}/merge`, { targetTicketId: b.id }),
      api(t, agent, 'POST', `/tickets/${b.id}/merge`, { targetTicketId: a.id }),
    ]);
    expect([x.statusCode, y.statusCode].sort()).toEqual([200, 409]);
    const all = [...(await msgs(a.id)), ...(await msgs(b.id))]
      .filter((m) => m.kind !== 'system')
      .map((m) => m.bodyText.slice(0, 1));
    expect(all.sort()).toEqual(['A', 'B']);
  });
});

describe('POST /tickets/:id/split', () => {
  it('moves one message into a new ticket for the same customer, linked both ways', async () => {
    const original = await openTicket(t, agent, { body: 'First issue', tags: ['x'] });
    const second = await say(original.id, 'Also, a second unrelated issue');
    await say(original.id, 'Reply to the first');
    const res = await api(t, agent, 'POST', `/tickets/${original.id}/split`, {
      messageId: second.id,
      subject: 'Second issue',
    });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({
      subject: 'Second issue',
      status: 'new',
      customer: { id: original.customer.id },
      tags: ['x'],
      messageCount: 1,
      links: [{ kind: 'split_from', ticketId: original.id, number: original.number }],
    });
    const moved = await msgs(created.id);
    expect(moved.map((m) => [m.seq, m.kind])).toEqual([
      [1, 'public'],
      [2, 'system'],
    ]);
    expect(moved[0]?.id).toBe(second.id);
    const rest = await msgs(original.id);
    expect(rest.map((m) => m.seq)).toEqual([1, 3, 4]);
    expect(rest.at(-1)?.kind).toBe('system');
    const orig = (await api(t, agent, 'GET', `/tickets/${original.id}`)).json();
    expect(orig.messageCount).toBe(2);
    expect(orig.links).toEqual([{ kind: 'split_into', ticketId: created.id, number: created.number }]);
    const links = await t.deps.db.select().from(ticketLinks).where(eq(ticketLinks.ticketId, created.id));
    expect(links).toHaveLength(1);
    const types = (await api(t, agent, 'GET', `/tickets/${original.id}/events`))
      .json()
      .items.map((e: { type: string }) => e.type);
    expect(types).toContain('ticket.split');
    const newTypes = (await api(t, agent, 'GET', `/tickets/${created.id}/events`))
      .json()
      .items.map((e: { type: string }) => e.type);
    expect(newTypes[0]).toBe('ticket.created');
  });

  it('refuses to split the only message, a system entry or a message of another ticket', async () => {
    const lone = await openTicket(t, agent);
    const only = (await msgs(lone.id))[0];
    expect((await api(t, agent, 'POST', `/tickets/${lone.id}/split`, { messageId: only?.id })).statusCode).toBe(400);
    const other = await openTicket(t, agent);
    await say(other.id, 'x');
    expect((await api(t, agent, 'POST', `/tickets/${other.id}/split`, { messageId: only?.id })).statusCode).toBe(400);
    expect((await api(t, collaborator, 'POST', `/tickets/${other.id}/split`, { messageId: only?.id })).statusCode).toBe(
      403,
    );
  });
});
