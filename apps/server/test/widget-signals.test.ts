import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatSessions, chatVisitors } from '../src/platform/db/schema/index.ts';
import { recordEvent } from '../src/platform/events.ts';
import { type ChatSignal, ChatSignalListener } from '../src/platform/realtime/chat-signals.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { listenOnLoopback } from './realtime-helpers.ts';
import { api } from './tickets-helpers.ts';
import { insertWidget, newVisitor, sleep, startChat, type TestWidget, visitorSocket } from './widget-helpers.ts';

let t: TestApp;
let base: string;
let widget: TestWidget;
let agent: TestStaff;
let listener: ChatSignalListener;
const signals: ChatSignal[] = [];

async function signal(match: (s: ChatSignal) => boolean, timeoutMs = 5000): Promise<ChatSignal> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const hit = signals.find(match);
    if (hit) return hit;
    await sleep(25);
  }
  throw new Error(`no matching signal: ${JSON.stringify(signals)}`);
}

beforeAll(async () => {
  t = await createTestApp();
  base = await listenOnLoopback(t.app);
  widget = await insertWidget(t);
  agent = await createStaff(t, 'agent', { name: 'Dev Agent' });
  listener = new ChatSignalListener({ url: t.db.url, log: { warn: () => {} }, onSignal: (s) => signals.push(s) });
  await listener.start();
});
afterAll(async () => {
  await listener?.stop();
  await t?.close();
});

describe('typing, pages, presence, status and read receipts', () => {
  it("publishes the visitor's typing, page changes and presence for the staff side", async () => {
    const v = await newVisitor(t.app, widget.key, { page: { url: 'https://shop.example/', title: 'Home' } });
    const { conversation } = await startChat(t.app, v.visitorToken);
    const s = await visitorSocket(base, widget.key, v.visitorToken);
    await signal((x) => x.kind === 'presence' && x.visitorId === v.visitorId && x.online);
    expect(signals.find((x) => x.kind === 'presence' && x.visitorId === v.visitorId)).toMatchObject({
      ticketIds: [conversation.id],
    });

    s.ws.send(JSON.stringify({ type: 'typing', conversationId: conversation.id, isTyping: true }));
    // typing counts only on a conversation the socket subscribed to (visibility checked there)
    s.ws.send(JSON.stringify({ type: 'subscribe', conversationId: conversation.id, afterSeq: 0 }));
    await s.waitFor((m) => m.type === 'subscribed');
    s.ws.send(JSON.stringify({ type: 'typing', conversationId: conversation.id, isTyping: true }));
    const typing = await signal((x) => x.kind === 'typing' && x.ticketId === conversation.id);
    expect(typing).toMatchObject({ from: 'visitor', isTyping: true });
    expect(signals.filter((x) => x.kind === 'typing' && x.ticketId === conversation.id)).toHaveLength(1);
    // repeating the same state at once is not published again; a change is
    for (let i = 0; i < 5; i += 1)
      s.ws.send(JSON.stringify({ type: 'typing', conversationId: conversation.id, isTyping: true }));
    s.ws.send(JSON.stringify({ type: 'typing', conversationId: conversation.id, isTyping: false }));
    await signal((x) => x.kind === 'typing' && x.ticketId === conversation.id && !x.isTyping);
    expect(signals.filter((x) => x.kind === 'typing' && x.ticketId === conversation.id)).toHaveLength(2);

    s.ws.send(JSON.stringify({ type: 'page', page: { url: 'https://shop.example/checkout', title: 'Checkout' } }));
    const page = await signal((x) => x.kind === 'page' && x.visitorId === v.visitorId);
    expect(page).toMatchObject({
      url: 'https://shop.example/checkout',
      title: 'Checkout',
      ticketIds: [conversation.id],
    });
    const [row] = await t.deps.db.select().from(chatVisitors).where(eq(chatVisitors.id, v.visitorId));
    expect(row).toMatchObject({ lastPageUrl: 'https://shop.example/checkout', lastPageTitle: 'Checkout' });

    s.ws.close();
    await signal((x) => x.kind === 'presence' && x.visitorId === v.visitorId && !x.online);
  });

  it('tells the visitor when an agent accepts, reads and types', async () => {
    const v = await newVisitor(t.app, widget.key);
    const { conversation } = await startChat(t.app, v.visitorToken);
    const s = await visitorSocket(base, widget.key, v.visitorToken);
    s.ws.send(JSON.stringify({ type: 'subscribe', conversationId: conversation.id, afterSeq: 0 }));
    await s.waitFor((m) => m.type === 'subscribed');

    // what the staff side writes when an agent accepts and reads (its own module owns those routes)
    await t.deps.db.transaction(async (tx) => {
      await tx
        .update(chatSessions)
        .set({ status: 'active', acceptedById: agent.id, acceptedAt: new Date() })
        .where(eq(chatSessions.ticketId, conversation.id));
      await recordEvent(tx, {
        type: 'chat.accepted',
        actor: { kind: 'system' },
        ticketId: conversation.id,
        payload: { userId: agent.id },
      });
    });
    const status = await s.waitFor((m) => m.type === 'status');
    expect(status).toMatchObject({ conversationId: conversation.id, chatStatus: 'active', agentName: 'Dev Agent' });

    await t.deps.db.transaction(async (tx) => {
      await tx.update(chatSessions).set({ agentReadSeq: 1 }).where(eq(chatSessions.ticketId, conversation.id));
      await recordEvent(tx, {
        type: 'chat.read',
        actor: { kind: 'system' },
        ticketId: conversation.id,
        payload: { by: 'staff', seq: 1 },
      });
    });
    const read = await s.waitFor((m) => m.type === 'read');
    expect(read).toMatchObject({ conversationId: conversation.id, seq: 1 });

    const { publishChatSignal } = await import('../src/platform/realtime/chat-signals.ts');
    await publishChatSignal(t.deps.database.pool, {
      kind: 'typing',
      ticketId: conversation.id,
      from: 'staff',
      staffId: agent.id,
      name: 'Dev Agent',
      isTyping: true,
    });
    const typing = await s.waitFor((m) => m.type === 'typing');
    expect(typing).toMatchObject({ conversationId: conversation.id, name: 'Dev Agent', isTyping: true });
    // the visitor's own typing is never echoed back to it
    await publishChatSignal(t.deps.database.pool, {
      kind: 'typing',
      ticketId: conversation.id,
      from: 'visitor',
      name: null,
      isTyping: true,
    });
    await sleep(150);
    expect(s.received.filter((m) => m.type === 'typing')).toHaveLength(1);

    const list = await api(t, agent, 'GET', `/tickets/${conversation.id}`);
    expect(list.json().channel).toBe('chat');
    s.ws.close();
  });

  it('follows the staff chat API: accept, read and end reach the visitor live', async () => {
    const v = await newVisitor(t.app, widget.key);
    const { conversation } = await startChat(t.app, v.visitorToken, 'Anyone there?');
    const s = await visitorSocket(base, widget.key, v.visitorToken);
    s.ws.send(JSON.stringify({ type: 'subscribe', conversationId: conversation.id, afterSeq: 0 }));
    await s.waitFor((m) => m.type === 'subscribed');
    // only someone online takes chats
    expect((await api(t, agent, 'PUT', '/routing/me/availability', { status: 'online' })).statusCode).toBe(200);
    const accepted = await api(t, agent, 'POST', `/chats/${conversation.id}/accept`);
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(await s.waitFor((m) => m.type === 'status' && m.chatStatus === 'active')).toMatchObject({
      agentName: 'Dev Agent',
    });
    const read = await api(t, agent, 'POST', `/chats/${conversation.id}/read`, { seq: 1 });
    expect(read.statusCode, read.body).toBe(200);
    expect(await s.waitFor((m) => m.type === 'read')).toMatchObject({ seq: 1 });
    const ended = await api(t, agent, 'POST', `/chats/${conversation.id}/end`, {});
    expect(ended.statusCode, ended.body).toBe(200);
    await s.waitFor((m) => m.type === 'status' && m.chatStatus === 'ended');
    s.ws.close();
  });

  it('searches public help-centre articles for the widget', async () => {
    const admin = await createStaff(t, 'admin');
    const created = await api(t, admin, 'POST', '/kb/articles', {
      title: 'Track your parcel',
      body: 'Open My orders to see when your parcel arrives.',
      format: 'markdown',
      locale: 'en',
      status: 'published',
      visibility: 'public',
    });
    expect(created.statusCode, created.body).toBe(201);
    const internal = await api(t, admin, 'POST', '/kb/articles', {
      title: 'Parcel secrets for staff',
      body: 'Internal parcel procedure.',
      locale: 'en',
      status: 'published',
      visibility: 'internal',
    });
    expect(internal.statusCode, internal.body).toBe(201);
    const res = await t.app.inject({ method: 'GET', url: `/widget/v1/kb/search?key=${widget.key}&q=parcel&lang=en` });
    expect(res.statusCode, res.body).toBe(200);
    const titles = res.json().items.map((h: { title: string }) => h.title);
    expect(titles).toContain('Track your parcel');
    expect(titles).not.toContain('Parcel secrets for staff');
    expect((await t.app.inject({ method: 'GET', url: '/widget/v1/kb/search?key=missing&q=parcel' })).statusCode).toBe(
      404,
    );
  });
});
