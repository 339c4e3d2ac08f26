import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.ts';
import { sessionOf, setRouting, ticketRow, visitorStartsChat } from './chat-helpers.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api, insertTeam } from './tickets-helpers.ts';
import { insertWidget, type TestWidget } from './widget-helpers.ts';

let t: TestApp;
let admin: TestStaff;
let ana: TestStaff;
let bo: TestStaff;
let collab: TestStaff;
let team: string;
let w: TestWidget;

beforeAll(async () => {
  t = await createTestApp({ clock: new ManualClock(new Date('2026-03-02T06:00:00Z')) });
  admin = await createStaff(t, 'admin');
  ana = await createStaff(t, 'agent', { name: 'Ana Agent' });
  bo = await createStaff(t, 'agent', { name: 'Bo Agent' });
  collab = await createStaff(t, 'collaborator', { name: 'Cal Collaborator' });
  team = await insertTeam(t, 'Chat floor', [ana.id, bo.id]);
  w = await insertWidget(t, { teamId: team });
  await setRouting(t, admin, admin, { status: 'offline' });
});
afterAll(async () => {
  await t?.close();
});
beforeEach(async () => {
  await t.deps.db.execute(sql`UPDATE chat_sessions SET status = 'ended', offered_to_id = NULL`);
  await setRouting(t, admin, ana, { status: 'online', maxChats: 3 });
  await setRouting(t, admin, bo, { status: 'online', maxChats: 3 });
});

describe('accepting, ending and handing on chats', () => {
  it('lets exactly one of two agents accepting at once win; the loser gets 409', async () => {
    const chat = await visitorStartsChat(t, w.key);
    const [ra, rb] = await Promise.all([
      api(t, ana, 'POST', `/chats/${chat.ticketId}/accept`),
      api(t, bo, 'POST', `/chats/${chat.ticketId}/accept`),
    ]);
    const codes = [ra.statusCode, rb.statusCode].sort();
    expect(codes).toEqual([200, 409]);
    const winner = ra.statusCode === 200 ? ana : bo;
    const s = await sessionOf(t, chat.ticketId);
    expect(s).toMatchObject({ status: 'active', acceptedById: winner.id, offeredToId: null });
    const ticket = await ticketRow(t, chat.ticketId);
    expect(ticket).toMatchObject({ assigneeId: winner.id, status: 'open' });
    const body = (ra.statusCode === 200 ? ra : rb).json();
    expect(body).toMatchObject({
      ticketId: chat.ticketId,
      status: 'active',
      acceptedById: winner.id,
      acceptedByName: winner.id === ana.id ? 'Ana Agent' : 'Bo Agent',
    });
    const accepted = await t.deps.db.execute<{ payload: Record<string, unknown> }>(
      sql`SELECT payload FROM events WHERE ticket_id = ${chat.ticketId} AND type = 'chat.accepted'`,
    );
    expect(accepted.rows).toEqual([
      { payload: { userId: winner.id, name: winner.id === ana.id ? 'Ana Agent' : 'Bo Agent' } },
    ]);
  });

  it('refuses an accept past the chat capacity', async () => {
    await setRouting(t, admin, ana, { status: 'online', maxChats: 1 });
    await setRouting(t, admin, bo, { status: 'away' });
    const first = await visitorStartsChat(t, w.key);
    expect((await api(t, ana, 'POST', `/chats/${first.ticketId}/accept`)).statusCode).toBe(200);
    const second = await visitorStartsChat(t, w.key);
    expect((await sessionOf(t, second.ticketId)).offeredToId).toBeNull();
    const res = await api(t, ana, 'POST', `/chats/${second.ticketId}/accept`);
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('shows the visitor, the page and earlier conversations in the chat detail', async () => {
    const chat = await visitorStartsChat(t, w.key, { email: 'mina@example.com', name: 'Mina' });
    const again = await visitorStartsChat(t, w.key, { visitor: chat, body: 'Me again' });
    const d = await api(t, ana, 'GET', `/chats/${again.ticketId}`);
    expect(d.statusCode, d.body).toBe(200);
    const detail = d.json();
    expect(detail.visitor).toMatchObject({ visitorId: again.visitorId, isOnline: true });
    expect(detail.unread).toBe(1);
    // the same customer (by email) chatted before
    expect(detail.customerId).toBe((await ticketRow(t, chat.ticketId)).customerId);
    expect(detail.earlier.map((e: { ticketId: string }) => e.ticketId)).toContain(chat.ticketId);
    // reading clears the unread count; a seq past the end is refused naming the field
    const bad = await api(t, ana, 'POST', `/chats/${again.ticketId}/read`, { seq: 99 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('seq');
    expect((await api(t, ana, 'POST', `/chats/${again.ticketId}/read`, { seq: 1 })).json()).toEqual({
      agentReadSeq: 1,
    });
    expect((await api(t, ana, 'GET', `/chats/${again.ticketId}`)).json()).toMatchObject({ unread: 0, agentReadSeq: 1 });
  });

  it('ends a chat: solved without keepOpen, open as a normal ticket with keepOpen (needs an email)', async () => {
    const solved = await visitorStartsChat(t, w.key);
    expect((await api(t, ana, 'POST', `/chats/${solved.ticketId}/accept`)).statusCode).toBe(200);
    const end = await api(t, ana, 'POST', `/chats/${solved.ticketId}/end`, {});
    expect(end.statusCode, end.body).toBe(200);
    expect(end.json()).toMatchObject({ status: 'ended' });
    expect((await ticketRow(t, solved.ticketId)).status).toBe('solved');
    expect((await sessionOf(t, solved.ticketId)).endedBy).toBe('agent');
    expect((await api(t, ana, 'POST', `/chats/${solved.ticketId}/end`, {})).statusCode).toBe(409);

    const anonymous = await visitorStartsChat(t, w.key);
    expect((await api(t, ana, 'POST', `/chats/${anonymous.ticketId}/accept`)).statusCode).toBe(200);
    const refused = await api(t, ana, 'POST', `/chats/${anonymous.ticketId}/end`, { keepOpen: true });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0].path).toBe('keepOpen');
    expect((await sessionOf(t, anonymous.ticketId)).status).toBe('active');
    expect((await api(t, ana, 'POST', `/chats/${anonymous.ticketId}/end`)).statusCode).toBe(200);

    const kept = await visitorStartsChat(t, w.key, { email: 'keep@example.com' });
    expect((await api(t, bo, 'POST', `/chats/${kept.ticketId}/accept`)).statusCode).toBe(200);
    expect((await api(t, bo, 'POST', `/chats/${kept.ticketId}/end`, { keepOpen: true })).statusCode).toBe(200);
    expect(await ticketRow(t, kept.ticketId)).toMatchObject({ status: 'open', assigneeId: bo.id, channel: 'chat' });
    const ended = await t.deps.db.execute<{ payload: Record<string, unknown> }>(
      sql`SELECT payload FROM events WHERE ticket_id = ${kept.ticketId} AND type = 'chat.ended'`,
    );
    expect(ended.rows).toEqual([{ payload: { endedBy: 'agent', keepOpen: true } }]);
    // an ended chat frees a slot, and a queued chat is offered to the person who ended theirs
    await setRouting(t, admin, ana, { status: 'away' });
    await setRouting(t, admin, bo, { status: 'online', maxChats: 1 });
    const busy = await visitorStartsChat(t, w.key);
    expect((await api(t, bo, 'POST', `/chats/${busy.ticketId}/accept`)).statusCode).toBe(200);
    const waiting = await visitorStartsChat(t, w.key);
    expect((await sessionOf(t, waiting.ticketId)).offeredToId).toBeNull();
    expect((await api(t, bo, 'POST', `/chats/${busy.ticketId}/end`, {})).statusCode).toBe(200);
    expect((await sessionOf(t, waiting.ticketId)).offeredToId).toBe(bo.id);
  });

  it('sends the chats of someone who goes away back to the queue and offers them to the next person', async () => {
    const chat = await visitorStartsChat(t, w.key);
    expect((await api(t, ana, 'POST', `/chats/${chat.ticketId}/accept`)).statusCode).toBe(200);
    await setRouting(t, admin, bo, { status: 'offline' });
    const offered = await visitorStartsChat(t, w.key);
    expect((await sessionOf(t, offered.ticketId)).offeredToId).toBe(ana.id);
    await setRouting(t, admin, bo, { status: 'online' });
    expect((await api(t, ana, 'PUT', '/routing/me/availability', { status: 'away' })).statusCode).toBe(200);
    expect(await sessionOf(t, chat.ticketId)).toMatchObject({
      status: 'waiting',
      acceptedById: null,
      offeredToId: bo.id,
    });
    expect((await ticketRow(t, chat.ticketId)).assigneeId).toBeNull();
    expect((await sessionOf(t, offered.ticketId)).offeredToId).toBe(bo.id);
    const requeued = await t.deps.db.execute<{ payload: Record<string, unknown> }>(
      sql`SELECT payload FROM events WHERE ticket_id = ${chat.ticketId} AND type = 'chat.requeued'`,
    );
    expect(requeued.rows).toEqual([{ payload: { fromUserId: ana.id, reason: 'away' } }]);
    // while away, Ana cannot take a chat from the queue (the sweep would only hand it back): a clear 409, nothing changes
    const refused = await api(t, ana, 'POST', `/chats/${chat.ticketId}/accept`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({
      title: 'Set yourself online to take chats',
      details: { reason: 'not_available' },
    });
    expect(await sessionOf(t, chat.ticketId)).toMatchObject({ status: 'waiting', acceptedById: null });
  });

  it('offers a transferred chat to the person it was handed to', async () => {
    const chat = await visitorStartsChat(t, w.key);
    expect((await api(t, ana, 'POST', `/chats/${chat.ticketId}/accept`)).statusCode).toBe(200);
    const res = await api(t, ana, 'POST', `/tickets/${chat.ticketId}/transfer`, {
      toUserId: bo.id,
      note: 'Bo knows refunds',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(await sessionOf(t, chat.ticketId)).toMatchObject({
      status: 'waiting',
      offeredToId: bo.id,
      acceptedById: null,
    });
    expect((await api(t, bo, 'POST', `/chats/${chat.ticketId}/accept`)).statusCode).toBe(200);
    expect(await ticketRow(t, chat.ticketId)).toMatchObject({ assigneeId: bo.id });
  });
});

describe('who may see and act on chats', () => {
  it('hides chats from collaborators who are not on them (404), and admins-only widgets from agents', async () => {
    const chat = await visitorStartsChat(t, w.key);
    expect((await api(t, collab, 'GET', `/chats/${chat.ticketId}`)).statusCode).toBe(404);
    expect((await api(t, collab, 'POST', `/chats/${chat.ticketId}/accept`)).statusCode).toBe(404);
    expect((await api(t, collab, 'GET', '/chats?scope=all')).json().items).toEqual([]);
    expect(
      (await api(t, ana, 'GET', '/chats?scope=all')).json().items.map((c: { ticketId: string }) => c.ticketId),
    ).toContain(chat.ticketId);
    expect((await api(t, ana, 'GET', `/chats/00000000-0000-4000-8000-000000000009`)).statusCode).toBe(404);
    expect((await api(t, ana, 'GET', '/chats/not-a-uuid')).statusCode).toBe(400);
    expect((await api(t, ana, 'GET', '/widgets')).statusCode).toBe(403);
    expect((await api(t, collab, 'GET', '/widgets')).statusCode).toBe(403);
  });
});

describe('widgets admin', () => {
  it('creates a widget with a random key and snippet, validates fields, rotates the identity secret (shown once)', async () => {
    const bad = await api(t, admin, 'POST', '/widgets', {
      name: 'Shop',
      primaryColor: 'red',
      allowedOrigins: ['https://shop.example/path'],
    });
    expect(bad.statusCode).toBe(400);
    const paths = bad.json().errors.map((e: { path: string }) => e.path);
    expect(paths.some((p: string) => p.includes('primaryColor'))).toBe(true);
    expect(paths.some((p: string) => p.includes('allowedOrigins'))).toBe(true);
    const missingTeam = await api(t, admin, 'POST', '/widgets', {
      name: 'Shop',
      teamId: '00000000-0000-4000-8000-000000000009',
    });
    expect(missingTeam.statusCode).toBe(400);
    expect(missingTeam.json().errors[0].path).toBe('teamId');

    const res = await api(t, admin, 'POST', '/widgets', {
      name: 'Shop',
      greetings: { en: 'Hi!', bn: 'নমস্কার!', hi: 'नमस्ते!' },
      allowedOrigins: ['https://shop.example'],
      teamId: team,
      preChatFields: [{ key: 'email', kind: 'email', label: { en: 'Email' }, required: true }],
    });
    expect(res.statusCode, res.body).toBe(201);
    const widget = res.json();
    expect(widget.publicKey).toMatch(/^wk_[A-Za-z0-9_-]{20,}$/);
    expect(widget.snippet).toMatch(
      /^<script src="https?:\/\/[^"]+\/widget\.js" data-seva-key="wk_[^"]+" async><\/script>$/,
    );
    expect(widget.hasIdentitySecret).toBe(false);
    const other = (await api(t, admin, 'POST', '/widgets', { name: 'Other' })).json();
    expect(other.publicKey).not.toBe(widget.publicKey);

    const secret = await api(t, admin, 'POST', `/widgets/${widget.id}/identity-secret`);
    expect(secret.statusCode).toBe(200);
    expect(secret.json().secret.length).toBeGreaterThanOrEqual(40);
    const got = await api(t, admin, 'GET', `/widgets/${widget.id}`);
    expect(got.json().hasIdentitySecret).toBe(true);
    expect(got.body).not.toContain(secret.json().secret);
    expect((await api(t, admin, 'GET', '/widgets')).body).not.toContain(secret.json().secret);
    const [row] = (
      await t.deps.db.execute<{ enc: string }>(
        sql`SELECT identity_secret_enc AS enc FROM widgets WHERE id = ${widget.id}`,
      )
    ).rows;
    expect(row?.enc).not.toContain(secret.json().secret);

    const patched = await api(t, admin, 'PATCH', `/widgets/${widget.id}`, {
      status: 'disabled',
      offerTimeoutSeconds: 20,
    });
    expect(patched.json()).toMatchObject({ status: 'disabled', offerTimeoutSeconds: 20, name: 'Shop' });
    expect((await api(t, admin, 'DELETE', `/widgets/${other.id}`)).statusCode).toBe(204);
    expect((await api(t, admin, 'GET', `/widgets/${other.id}`)).statusCode).toBe(404);
  });
});
