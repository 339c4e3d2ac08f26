import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.ts';
import { ChatSignalListener, publishChatSignal } from '../src/platform/realtime/chat-signals.ts';
import { sessionOf, setRouting, visitorStartsChat } from './chat-helpers.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { listenOnLoopback, openSocket, type TestSocket } from './realtime-helpers.ts';
import { api, insertTeam } from './tickets-helpers.ts';
import { insertWidget, sleep, type TestWidget, visitorSocket } from './widget-helpers.ts';

let t: TestApp;
let base: string;
let admin: TestStaff;
let ana: TestStaff;
let bo: TestStaff;
let collab: TestStaff;
let w: TestWidget;
const sockets: TestSocket[] = [];

async function staffSocket(who: TestStaff) {
  const s = await openSocket(`${base}/api/v1/realtime`, { headers: who.bearer });
  sockets.push(s);
  await s.waitFor((m) => m.type === 'realtime.ready');
  return s;
}

beforeAll(async () => {
  t = await createTestApp({ clock: new ManualClock(new Date()) });
  base = await listenOnLoopback(t.app);
  admin = await createStaff(t, 'admin');
  ana = await createStaff(t, 'agent', { name: 'Ana Live' });
  bo = await createStaff(t, 'agent', { name: 'Bo Live' });
  collab = await createStaff(t, 'collaborator', { name: 'Cy Collab' });
  const team = await insertTeam(t, 'Live team', [ana.id]);
  w = await insertWidget(t, { teamId: team });
  await setRouting(t, admin, admin, { status: 'offline' });
  await setRouting(t, admin, ana, { status: 'online' });
});
afterAll(async () => {
  for (const s of sockets) s.ws.terminate();
  await t?.close();
});

describe('the staff socket and live chat', () => {
  it('announces chat.offered with its payload, and chat.accepted with who took it', async () => {
    const s = await staffSocket(ana);
    const chat = await visitorStartsChat(t, w.key);
    const offered = await s.waitFor((m) => m.type === 'chat.offered' && m.ticketId === chat.ticketId);
    expect(offered.payload).toEqual({ userId: ana.id });
    expect(typeof offered.eventId).toBe('number');
    expect((await api(t, ana, 'POST', `/chats/${chat.ticketId}/accept`)).statusCode).toBe(200);
    const accepted = await s.waitFor((m) => m.type === 'chat.accepted' && m.ticketId === chat.ticketId);
    expect(accepted.payload).toEqual({ userId: ana.id, name: 'Ana Live' });

    // a socket resuming from before the offer gets the payloads in the replay too
    const again = await openSocket(`${base}/api/v1/realtime?since=${(offered.eventId as number) - 1}`, { headers: bo.bearer });
    sockets.push(again);
    const replayed = await again.waitFor((m) => m.type === 'chat.offered' && m.ticketId === chat.ticketId);
    expect(replayed.payload).toEqual({ userId: ana.id });
  });

  it('relays the visitor typing and their page to staff who may see the chat, not to collaborators outside it', async () => {
    const chat = await visitorStartsChat(t, w.key);
    const agentSocket = await staffSocket(bo);
    const outsider = await staffSocket(collab);
    const v = await visitorSocket(base, w.key, chat.visitorToken);
    sockets.push(v);
    v.ws.send(JSON.stringify({ type: 'subscribe', conversationId: chat.ticketId, afterSeq: 0 }));
    await v.waitFor((m) => m.type === 'subscribed');
    v.ws.send(JSON.stringify({ type: 'typing', conversationId: chat.ticketId, isTyping: true }));
    const typing = await agentSocket.waitFor((m) => m.type === 'chat.typing' && m.ticketId === chat.ticketId);
    expect(typing).toMatchObject({ type: 'chat.typing', ticketId: chat.ticketId, from: 'visitor', isTyping: true });
    v.ws.send(JSON.stringify({ type: 'page', page: { url: 'https://shop.example/cart', title: 'Your cart' } }));
    const page = await agentSocket.waitFor((m) => m.type === 'chat.page' && m.ticketId === chat.ticketId);
    expect(page).toEqual({ type: 'chat.page', ticketId: chat.ticketId, url: 'https://shop.example/cart', title: 'Your cart' });
    await sleep(200);
    expect(outsider.received.filter((m) => String(m.type).startsWith('chat.') && m.ticketId === chat.ticketId)).toEqual([]);
  });

  it('publishes staff typing (with their name) for chats they may see, ignores it for others, and takes read receipts', async () => {
    const chat = await visitorStartsChat(t, w.key);
    const heard: unknown[] = [];
    const onSignal = (s: unknown) => heard.push(s);
    // listen on the shared channel as the visitor side does
    const listener = new ChatSignalListener({ url: t.db.url, log: { warn() {} }, onSignal });
    await listener.start();
    try {
      const s = await staffSocket(ana);
      const outsider = await staffSocket(collab);
      outsider.ws.send(JSON.stringify({ type: 'chat.typing', ticketId: chat.ticketId, isTyping: true }));
      s.ws.send(JSON.stringify({ type: 'chat.typing', ticketId: chat.ticketId, isTyping: true }));
      const deadline = Date.now() + 3000;
      while (heard.length === 0 && Date.now() < deadline) await sleep(20);
      await sleep(200);
      expect(heard).toEqual([{ kind: 'typing', ticketId: chat.ticketId, from: 'staff', staffId: ana.id, name: 'Ana Live', isTyping: true }]);
      // another agent on the chat sees Ana typing; Ana herself is not echoed
      const other = await staffSocket(bo);
      await publishChatSignal(t.deps.database.pool, { kind: 'typing', ticketId: chat.ticketId, from: 'staff', staffId: ana.id, name: 'Ana Live', isTyping: false });
      expect(await other.waitFor((m) => m.type === 'chat.typing' && m.isTyping === false)).toMatchObject({ from: 'staff', name: 'Ana Live' });
      await sleep(100);
      expect(s.received.filter((m) => m.type === 'chat.typing' && m.ticketId === chat.ticketId)).toEqual([]);

      s.ws.send(JSON.stringify({ type: 'chat.read', ticketId: chat.ticketId, seq: 1 }));
      const read = await s.waitFor((m) => m.type === 'chat.read' && m.ticketId === chat.ticketId);
      expect(read.payload).toEqual({ by: 'staff', seq: 1 });
      expect((await sessionOf(t, chat.ticketId)).agentReadSeq).toBe(1);
      // a collaborator outside the chat cannot mark it read
      outsider.ws.send(JSON.stringify({ type: 'chat.read', ticketId: chat.ticketId, seq: 1 }));
      await sleep(200);
      const reads = await t.deps.db.execute(sql`SELECT actor_id FROM events WHERE ticket_id = ${chat.ticketId} AND type = 'chat.read'`);
      expect(reads.rows).toEqual([{ actor_id: ana.id }]);
    } finally {
      await listener.stop();
    }
  });
});
