import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatClientMessages, chatSessions, events, messages, tickets } from '../src/platform/db/schema/index.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { listenOnLoopback, openSocket } from './realtime-helpers.ts';
import { api } from './tickets-helpers.ts';
import {
  insertWidget,
  newVisitor,
  seqsOf,
  sleep,
  startChat,
  type TestWidget,
  visitorRequest,
  visitorSocket,
} from './widget-helpers.ts';

let t: TestApp;
let base: string;
let widget: TestWidget;
let agent: TestStaff;

beforeAll(async () => {
  t = await createTestApp();
  base = await listenOnLoopback(t.app);
  widget = await insertWidget(t);
  agent = await createStaff(t, 'agent', { name: 'Asha Agent' });
});
afterAll(async () => {
  await t?.close();
});

async function agentReply(ticketId: string, body: string, internal = false) {
  const res = await api(t, agent, 'POST', `/tickets/${ticketId}/messages`, {
    body,
    ...(internal ? { internal: true } : {}),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; seq: number };
}

describe('live chat over the visitor socket', () => {
  it('starts a chat as a ticket of channel chat and talks both ways live', async () => {
    const v = await newVisitor(t.app, widget.key, {
      locale: 'bn-BD',
      page: { url: 'https://shop.example/cart', title: 'Cart' },
    });
    const { conversation, message } = await startChat(t.app, v.visitorToken, 'Where is my parcel?');
    expect(message.seq).toBe(1);
    const [ticket] = await t.deps.db.select().from(tickets).where(eq(tickets.id, conversation.id));
    expect(ticket).toMatchObject({ channel: 'chat', subject: 'Where is my parcel?', language: 'bn' });
    const [session] = await t.deps.db.select().from(chatSessions).where(eq(chatSessions.ticketId, conversation.id));
    expect(session).toMatchObject({ status: 'waiting', visitorId: v.visitorId, pageUrl: 'https://shop.example/cart' });
    const [created] = await t.deps.db
      .select()
      .from(events)
      .where(and(eq(events.ticketId, conversation.id), eq(events.type, 'ticket.created')));
    expect(created?.payload).toEqual({
      number: conversation.number,
      subject: 'Where is my parcel?',
      channel: 'chat',
      customerId: ticket?.customerId,
      priority: 'normal',
      type: 'question',
      widgetId: widget.id,
    });
    expect(created?.createdAt).toEqual(ticket?.createdAt);

    const s = await visitorSocket(base, widget.key, v.visitorToken);
    await s.waitFor((m) => m.type === 'ready');
    s.ws.send(JSON.stringify({ type: 'subscribe', conversationId: conversation.id, afterSeq: 0 }));
    const sub = await s.waitFor((m) => m.type === 'subscribed');
    expect(sub).toMatchObject({ lastSeq: 1, chatStatus: 'waiting' });
    expect(seqsOf(s.received, conversation.id)).toEqual([1]);

    const clientId = `c-${randomUUID()}`;
    s.ws.send(
      JSON.stringify({ type: 'message', conversationId: conversation.id, clientId, body: 'It was due Monday 🙂' }),
    );
    const ack = await s.waitFor((m) => m.type === 'ack');
    expect(ack).toMatchObject({ conversationId: conversation.id, clientId, seq: 2 });
    const own = await s.waitFor((m) => m.type === 'message' && (m.message as { seq: number }).seq === 2);
    expect(own.message).toMatchObject({ clientId, authorType: 'customer', bodyText: 'It was due Monday 🙂' });

    await agentReply(conversation.id, 'Let me check that for you.');
    const reply = await s.waitFor(
      (m) => m.type === 'message' && (m.message as { authorType: string }).authorType === 'staff',
    );
    expect(reply.message).toMatchObject({
      seq: 3,
      authorName: 'Asha Agent',
      bodyText: 'Let me check that for you.',
      clientId: null,
    });

    const history = await visitorRequest(
      t.app,
      v.visitorToken,
      'GET',
      `/conversations/${conversation.id}/messages?afterSeq=1`,
    );
    expect(history.statusCode).toBe(200);
    expect(history.json().items.map((m: { seq: number }) => m.seq)).toEqual([2, 3]);
    s.ws.close();
  });

  it('replays after a reconnect with messages in flight: nothing lost, doubled or reordered', async () => {
    const v = await newVisitor(t.app, widget.key);
    const { conversation } = await startChat(t.app, v.visitorToken);
    const a = await visitorSocket(base, widget.key, v.visitorToken);
    a.ws.send(JSON.stringify({ type: 'subscribe', conversationId: conversation.id, afterSeq: 0 }));
    await a.waitFor((m) => m.type === 'subscribed');
    await agentReply(conversation.id, 'First answer');
    await a.waitFor((m) => m.type === 'message' && (m.message as { seq: number }).seq === 2);

    // the visitor sends and loses the connection before any ack can arrive
    const unacked = `c-${randomUUID()}`;
    a.ws.send(
      JSON.stringify({ type: 'message', conversationId: conversation.id, clientId: unacked, body: 'Are you there?' }),
    );
    a.ws.terminate();
    const lastSeen = Math.max(...seqsOf(a.received, conversation.id));

    // the agent keeps writing while the visitor is away
    await agentReply(conversation.id, 'Second answer');
    await agentReply(conversation.id, 'A note for us', true);
    await agentReply(conversation.id, 'Third answer');

    const b = await visitorSocket(base, widget.key, v.visitorToken);
    b.ws.send(JSON.stringify({ type: 'subscribe', conversationId: conversation.id, afterSeq: lastSeen }));
    // more replies race the replay
    const racing = Promise.all([
      agentReply(conversation.id, 'Fourth answer'),
      agentReply(conversation.id, 'Fifth answer'),
    ]);
    // the client resends what was never acknowledged
    b.ws.send(
      JSON.stringify({ type: 'message', conversationId: conversation.id, clientId: unacked, body: 'Are you there?' }),
    );
    const ack = await b.waitFor((m) => m.type === 'ack' && m.clientId === unacked);
    await racing;
    await b.waitFor((m) => m.type === 'message' && (m.message as { bodyText: string }).bodyText === 'Fifth answer');

    const stored = await t.deps.db
      .select()
      .from(chatClientMessages)
      .where(and(eq(chatClientMessages.ticketId, conversation.id), eq(chatClientMessages.clientId, unacked)));
    expect(stored).toHaveLength(1);
    expect(stored[0]?.seq).toBe(ack.seq);

    const visible = (
      await visitorRequest(t.app, v.visitorToken, 'GET', `/conversations/${conversation.id}/messages`)
    ).json().items as Array<{ seq: number; bodyText: string }>;
    expect(visible.map((m) => m.bodyText)).not.toContain('A note for us');
    expect(visible.filter((m) => m.bodyText === 'Are you there?')).toHaveLength(1);
    await sleep(100);
    const seen = [...seqsOf(a.received, conversation.id), ...seqsOf(b.received, conversation.id)];
    expect(seen).toEqual(visible.map((m) => m.seq));
    expect(seen).toEqual([...seen].sort((x, y) => x - y));
    b.ws.close();
  });

  it('stores a resent clientId once and answers it with the same ack, over the socket and over HTTP', async () => {
    const v = await newVisitor(t.app, widget.key);
    const { conversation } = await startChat(t.app, v.visitorToken);
    const s = await visitorSocket(base, widget.key, v.visitorToken);
    const clientId = `c-${randomUUID()}`;
    for (let i = 0; i < 3; i += 1)
      s.ws.send(JSON.stringify({ type: 'message', conversationId: conversation.id, clientId, body: 'Once only' }));
    await s.waitFor(() => s.received.filter((m) => m.type === 'ack').length === 3);
    const acks = s.received.filter((m) => m.type === 'ack');
    expect(new Set(acks.map((a) => `${a.seq}/${a.messageId}`)).size).toBe(1);
    const http = await visitorRequest(t.app, v.visitorToken, 'POST', `/conversations/${conversation.id}/messages`, {
      clientId,
      body: 'Once only',
    });
    expect(http.statusCode).toBe(200);
    expect(http.json().id).toBe(acks[0]?.messageId);
    const rows = await t.deps.db
      .select()
      .from(messages)
      .where(and(eq(messages.ticketId, conversation.id), eq(messages.bodyText, 'Once only')));
    expect(rows).toHaveLength(1);
    s.ws.close();
  });

  it('starts one conversation when the first message is submitted twice at once', async () => {
    const v = await newVisitor(t.app, widget.key);
    const body = { clientId: `c-${randomUUID()}`, body: 'Double click' };
    const [a, b] = await Promise.all([
      visitorRequest(t.app, v.visitorToken, 'POST', '/conversations', body),
      visitorRequest(t.app, v.visitorToken, 'POST', '/conversations', body),
    ]);
    expect([a.statusCode, b.statusCode]).toEqual([201, 201]);
    expect(a.json().conversation.id).toBe(b.json().conversation.id);
    const sessions = await t.deps.db.select().from(chatSessions).where(eq(chatSessions.visitorId, v.visitorId));
    expect(sessions).toHaveLength(1);
  });

  it('never shows internal notes or replies awaiting approval, live or in the history', async () => {
    const v = await newVisitor(t.app, widget.key);
    const { conversation } = await startChat(t.app, v.visitorToken);
    const admin = await createStaff(t, 'admin');
    const settings = await api(t, admin, 'PATCH', '/settings', { collaboratorRepliesNeedApproval: true });
    expect(settings.statusCode, settings.body).toBe(200);
    const collaborator = await createStaff(t, 'collaborator');
    await api(t, agent, 'PATCH', `/tickets/${conversation.id}`, { assigneeId: collaborator.id });
    const s = await visitorSocket(base, widget.key, v.visitorToken);
    s.ws.send(JSON.stringify({ type: 'subscribe', conversationId: conversation.id, afterSeq: 0 }));
    await s.waitFor((m) => m.type === 'subscribed');

    await agentReply(conversation.id, 'SECRET internal note', true);
    const pending = await api(t, collaborator, 'POST', `/tickets/${conversation.id}/messages`, {
      body: 'SECRET draft awaiting approval',
    });
    expect(pending.statusCode, pending.body).toBe(201);
    expect(pending.json().status).toBe('pending_approval');
    await agentReply(conversation.id, 'Public answer');
    await s.waitFor((m) => m.type === 'message' && (m.message as { bodyText: string }).bodyText === 'Public answer');
    await sleep(150);
    expect(JSON.stringify(s.received)).not.toContain('SECRET');
    const history = await visitorRequest(t.app, v.visitorToken, 'GET', `/conversations/${conversation.id}/messages`);
    expect(history.body).not.toContain('SECRET');
    const list = await visitorRequest(t.app, v.visitorToken, 'GET', '/conversations');
    expect(list.body).not.toContain('SECRET');
    s.ws.close();
  });

  it("keeps one anonymous visitor out of another one's conversation (404 everywhere)", async () => {
    const owner = await newVisitor(t.app, widget.key);
    const other = await newVisitor(t.app, widget.key);
    const { conversation } = await startChat(t.app, owner.visitorToken, 'My private question');
    const msgs = await visitorRequest(t.app, other.visitorToken, 'GET', `/conversations/${conversation.id}/messages`);
    expect(msgs.statusCode).toBe(404);
    const post = await visitorRequest(t.app, other.visitorToken, 'POST', `/conversations/${conversation.id}/messages`, {
      clientId: 'c-intruder-1',
      body: 'hi',
    });
    expect(post.statusCode).toBe(404);
    const end = await visitorRequest(t.app, other.visitorToken, 'POST', `/conversations/${conversation.id}/end`);
    expect(end.statusCode).toBe(404);
    const list = await visitorRequest(t.app, other.visitorToken, 'GET', '/conversations');
    expect(list.json().items).toEqual([]);
    const s = await visitorSocket(base, widget.key, other.visitorToken);
    s.ws.send(JSON.stringify({ type: 'subscribe', conversationId: conversation.id, afterSeq: 0 }));
    s.ws.send(
      JSON.stringify({ type: 'message', conversationId: conversation.id, clientId: 'c-intruder-2', body: 'hi' }),
    );
    const err = await s.waitFor((m) => m.type === 'error' && m.code === 'NOT_FOUND' && m.clientId === undefined);
    expect(err.conversationId).toBe(conversation.id);
    await s.waitFor((m) => m.type === 'error' && m.clientId === 'c-intruder-2');
    expect(JSON.stringify(s.received)).not.toContain('My private question');
    const none = await visitorRequest(t.app, null, 'GET', '/conversations');
    expect(none.statusCode).toBe(401);
    s.ws.close();
  });

  it('ends a chat for the visitor and tells the socket', async () => {
    const v = await newVisitor(t.app, widget.key);
    const { conversation } = await startChat(t.app, v.visitorToken);
    const s = await visitorSocket(base, widget.key, v.visitorToken);
    s.ws.send(JSON.stringify({ type: 'subscribe', conversationId: conversation.id, afterSeq: 0 }));
    await s.waitFor((m) => m.type === 'subscribed');
    const res = await visitorRequest(t.app, v.visitorToken, 'POST', `/conversations/${conversation.id}/end`);
    expect(res.json()).toMatchObject({ chatStatus: 'ended' });
    await s.waitFor((m) => m.type === 'status' && m.chatStatus === 'ended');
    const [session] = await t.deps.db.select().from(chatSessions).where(eq(chatSessions.ticketId, conversation.id));
    expect(session).toMatchObject({ status: 'ended', endedBy: 'visitor' });
    s.ws.close();
  });

  it('records read receipts from the visitor and answers pings', async () => {
    const v = await newVisitor(t.app, widget.key);
    const { conversation } = await startChat(t.app, v.visitorToken);
    await agentReply(conversation.id, 'Read me');
    const s = await visitorSocket(base, widget.key, v.visitorToken);
    s.ws.send(JSON.stringify({ type: 'subscribe', conversationId: conversation.id, afterSeq: 0 }));
    await s.waitFor((m) => m.type === 'subscribed');
    s.ws.send(JSON.stringify({ type: 'read', conversationId: conversation.id, seq: 2 }));
    s.ws.send(JSON.stringify({ type: 'ping' }));
    await s.waitFor((m) => m.type === 'pong');
    const [session] = await t.deps.db.select().from(chatSessions).where(eq(chatSessions.ticketId, conversation.id));
    expect(session?.visitorReadSeq).toBe(2);
    s.ws.close();
  });

  it('refuses a foreign origin and an unknown visitor token', async () => {
    const v = await newVisitor(t.app, widget.key);
    const http = await visitorRequest(t.app, v.visitorToken, 'GET', '/conversations', undefined, {
      origin: 'https://evil.example',
    });
    expect(http.statusCode).toBe(403);
    expect(http.headers['content-type']).toContain('application/problem+json');
    await expect(
      openSocket(`${base}/widget/v1/socket?key=${widget.key}&token=${v.visitorToken}`, {
        origin: 'https://evil.example',
      }),
    ).rejects.toMatchObject({ statusCode: 403 });
    const bad = await visitorSocket(base, widget.key, 'x'.repeat(43));
    expect((await bad.closed).code).toBe(4401);
    const wrongKey = await visitorSocket(base, 'wk_other', v.visitorToken);
    expect((await wrongKey.closed).code).toBe(4401);
  });
});
