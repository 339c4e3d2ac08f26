import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findWidgetHub } from '../src/modules/widget/index.ts';
import type { ManualClock } from '../src/platform/clock.ts';
import { chatClientMessages, chatSessions, messages } from '../src/platform/db/schema/index.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { listenOnLoopback } from './realtime-helpers.ts';
import { api, multipart } from './tickets-helpers.ts';
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

// Counts the widget's message reads (loadWidgetMessages) as they reach PostgreSQL.
let widgetReads = 0;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const q = args[0] as string | { text?: string } | undefined;
  const text = typeof q === 'string' ? q : (q?.text ?? '');
  if (/FROM messages m\b/.test(text) && text.includes('json_agg')) widgetReads += 1;
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as never;

beforeAll(async () => {
  t = await createTestApp();
  base = await listenOnLoopback(t.app);
  widget = await insertWidget(t);
  agent = await createStaff(t, 'agent', { name: 'Asha Agent' });
});
afterAll(async () => {
  pg.Client.prototype.query = query;
  await t?.close();
});

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);

async function upload(token: string, filename: string, size: number) {
  const body = multipart('file', filename, 'image/png', Buffer.concat([PNG, Buffer.alloc(size - PNG.length, 2)]));
  const res = await t.app.inject({
    method: 'POST',
    url: '/widget/v1/uploads',
    headers: { 'x-seva-visitor': token, ...body.headers },
    payload: body.payload,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string };
}

async function subscribed(token: string, conversationId: string) {
  const s = await visitorSocket(base, widget.key, token);
  s.ws.send(JSON.stringify({ type: 'subscribe', conversationId, afterSeq: 0 }));
  await s.waitFor((m) => m.type === 'subscribed');
  return s;
}

const bodyOf = (m: Record<string, unknown>) => (m.message as { bodyText?: string } | undefined)?.bodyText;

describe('delivering chat messages to the widget', () => {
  it('sends each message with its attachments, oldest first, live and in the history', async () => {
    const v = await newVisitor(t.app, widget.key);
    const { conversation } = await startChat(t.app, v.visitorToken);
    const s = await subscribed(v.visitorToken, conversation.id);
    const first = await upload(v.visitorToken, 'first.png', 100);
    (t.deps.clock as ManualClock).advance(1000);
    const second = await upload(v.visitorToken, 'second.png', 200);
    const clientId = `c-${randomUUID()}`;
    s.ws.send(
      JSON.stringify({
        type: 'message',
        conversationId: conversation.id,
        clientId,
        body: 'Two photos',
        attachmentIds: [second.id, first.id],
      }),
    );
    const live = (await s.waitFor((m) => bodyOf(m) === 'Two photos')).message as { seq: number; attachments: unknown };
    const expected = [
      {
        id: first.id,
        filename: 'first.png',
        contentType: 'image/png',
        sizeBytes: 100,
        url: `/widget/v1/attachments/${first.id}`,
      },
      {
        id: second.id,
        filename: 'second.png',
        contentType: 'image/png',
        sizeBytes: 200,
        url: `/widget/v1/attachments/${second.id}`,
      },
    ];
    expect(live.attachments).toEqual(expected);

    const history = await visitorRequest(t.app, v.visitorToken, 'GET', `/conversations/${conversation.id}/messages`);
    const items = history.json().items as Array<{ seq: number; attachments: unknown }>;
    expect(items.find((m) => m.seq === live.seq)?.attachments).toEqual(expected);
    expect(
      items.filter((m) => m.seq !== live.seq).every((m) => Array.isArray(m.attachments) && m.attachments.length === 0),
    ).toBe(true);
    s.ws.close();
  });

  it("reads an agent's reply once for all of a visitor's sockets, and each gets it once, in order", async () => {
    const v = await newVisitor(t.app, widget.key);
    const { conversation } = await startChat(t.app, v.visitorToken);
    const a = await subscribed(v.visitorToken, conversation.id);
    const b = await subscribed(v.visitorToken, conversation.id);
    await findWidgetHub(t.deps)?.idle();
    widgetReads = 0;
    const res = await api(t, agent, 'POST', `/tickets/${conversation.id}/messages`, { body: 'One read for both' });
    expect(res.statusCode, res.body).toBe(201);
    await a.waitFor((m) => bodyOf(m) === 'One read for both');
    await b.waitFor((m) => bodyOf(m) === 'One read for both');
    await sleep(100);
    expect(widgetReads).toBe(1);

    for (const body of ['second', 'third']) {
      expect((await api(t, agent, 'POST', `/tickets/${conversation.id}/messages`, { body })).statusCode).toBe(201);
    }
    await a.waitFor((m) => bodyOf(m) === 'third');
    await b.waitFor((m) => bodyOf(m) === 'third');
    await sleep(100);
    expect(seqsOf(a.received, conversation.id)).toEqual([1, 2, 3, 4]);
    expect(seqsOf(b.received, conversation.id)).toEqual([1, 2, 3, 4]);
    a.ws.close();
    b.ws.close();
  });

  it("pushes the visitor's own message once, read once, and moves the chat's updated_at", async () => {
    const v = await newVisitor(t.app, widget.key);
    const { conversation } = await startChat(t.app, v.visitorToken);
    const s = await subscribed(v.visitorToken, conversation.id);
    const long = new Date('2000-01-01T00:00:00Z');
    await t.deps.db.update(chatSessions).set({ updatedAt: long }).where(eq(chatSessions.ticketId, conversation.id));
    await findWidgetHub(t.deps)?.idle();
    widgetReads = 0;
    const clientId = `c-${randomUUID()}`;
    s.ws.send(JSON.stringify({ type: 'message', conversationId: conversation.id, clientId, body: 'Mine' }));
    const ack = await s.waitFor((m) => m.type === 'ack');
    await s.waitFor((m) => bodyOf(m) === 'Mine');
    // past the fallback of pushNew: it must not read what the NOTIFY already delivered
    await sleep(700);
    expect(widgetReads).toBe(1);
    expect(s.received.filter((m) => bodyOf(m) === 'Mine')).toHaveLength(1);
    const [after] = await t.deps.db.select().from(chatSessions).where(eq(chatSessions.ticketId, conversation.id));
    expect(after?.updatedAt.toISOString()).toBe(t.deps.clock.now().toISOString());
    const stored = await t.deps.db
      .select()
      .from(chatClientMessages)
      .where(and(eq(chatClientMessages.ticketId, conversation.id), eq(chatClientMessages.clientId, clientId)));
    expect(stored).toMatchObject([{ seq: ack.seq, messageId: ack.messageId }]);
    s.ws.close();
  });

  it('answers a resend that waited for the original with the same ack and stores nothing twice', async () => {
    const v = await newVisitor(t.app, widget.key);
    const { conversation } = await startChat(t.app, v.visitorToken);
    const [original] = await t.deps.db.select().from(messages).where(eq(messages.ticketId, conversation.id));
    if (!original) throw new Error('no first message');
    const clientId = `c-${randomUUID()}`;
    // the original send, still in its transaction: the ticket locked, its clientId stored but not committed
    const holder = await t.deps.database.pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT id FROM tickets WHERE id = $1 FOR UPDATE', [conversation.id]);
      await holder.query(
        'INSERT INTO chat_client_messages (ticket_id, client_id, message_id, seq) VALUES ($1, $2, $3, $4)',
        [conversation.id, clientId, original.id, original.seq],
      );
      const resend = visitorRequest(t.app, v.visitorToken, 'POST', `/conversations/${conversation.id}/messages`, {
        clientId,
        body: 'Sent twice',
      });
      for (let i = 0; ; i += 1) {
        const { rows } = await t.deps.database.pool.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
        );
        if (rows[0].n > 0) break;
        if (i > 200) throw new Error('the resend never waited for the lock');
        await sleep(10);
      }
      await holder.query('COMMIT');
      const res = await resend;
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ id: original.id, seq: original.seq });
    } finally {
      holder.release();
    }
    const rows = await t.deps.db.select().from(messages).where(eq(messages.ticketId, conversation.id));
    expect(rows.map((m) => m.bodyText)).not.toContain('Sent twice');
  });

  it('still pushes the visitor its own message when the NOTIFY never comes', async () => {
    const hub = findWidgetHub(t.deps);
    if (!hub) throw new Error('no widget hub');
    const v = await newVisitor(t.app, widget.key);
    const { conversation } = await startChat(t.app, v.visitorToken);
    const s = await subscribed(v.visitorToken, conversation.id);
    const h = hub as unknown as { dispatch: (note: unknown) => void };
    const dispatch = h.dispatch;
    h.dispatch = () => {};
    try {
      s.ws.send(
        JSON.stringify({
          type: 'message',
          conversationId: conversation.id,
          clientId: 'c-lost-note',
          body: 'Lost note',
        }),
      );
      await s.waitFor((m) => bodyOf(m) === 'Lost note');
    } finally {
      h.dispatch = dispatch;
    }
    // and at once while the listener is down
    await hub.eventListener.stop();
    s.ws.send(
      JSON.stringify({
        type: 'message',
        conversationId: conversation.id,
        clientId: 'c-no-listener',
        body: 'No listener',
      }),
    );
    const started = Date.now();
    await s.waitFor((m) => bodyOf(m) === 'No listener');
    expect(Date.now() - started).toBeLessThan(400);
    expect(seqsOf(s.received, conversation.id)).toEqual([1, 2, 3]);
    s.ws.close();
  });
});
