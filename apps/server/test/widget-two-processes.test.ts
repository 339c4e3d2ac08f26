import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { connectDatabase, type Database } from '../src/platform/db/client.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { listenOnLoopback, openSocket } from './realtime-helpers.ts';
import { insertWidget, newVisitor, startChat, type TestWidget, visitorSocket } from './widget-helpers.ts';

/**
 * Two Seva processes (two apps, each with its own pool and listeners) on one PostgreSQL: a visitor connected to
 * one and an agent working through the other still talk, carried by LISTEN/NOTIFY.
 */
let t: TestApp;
let second: FastifyInstance;
let secondDb: Database;
let secondDir: string;
let baseA: string;
let baseB: string;
let widget: TestWidget;
let agent: TestStaff;

beforeAll(async () => {
  t = await createTestApp();
  secondDir = await fs.mkdtemp(path.join(os.tmpdir(), 'seva-test-second-'));
  secondDb = connectDatabase(t.db.url, { max: 5 });
  second = await buildApp({
    config: loadConfig({
      NODE_ENV: 'test',
      SEVA_DATA_DIR: secondDir,
      SEVA_LOG_LEVEL: 'silent',
      SEVA_ROLES: 'api,realtime',
    }),
    database: secondDb,
    clock: t.clock,
    logger: false,
  });
  await second.ready();
  baseA = await listenOnLoopback(t.app);
  baseB = await listenOnLoopback(second);
  widget = await insertWidget(t);
  agent = await createStaff(t, 'agent', { name: 'Ravi on B' });
});
afterAll(async () => {
  await second?.close();
  await secondDb?.close();
  await t?.close();
  await fs.rm(secondDir, { recursive: true, force: true });
});

describe('two Seva processes on one database', () => {
  it('delivers an agent reply made on one process to a visitor connected to the other, and back', async () => {
    const v = await newVisitor(t.app, widget.key);
    const { conversation } = await startChat(t.app, v.visitorToken, 'Hello from process A');
    const token = agent.bearer.authorization.slice('Bearer '.length);
    const staff = await openSocket(`${baseB}/api/v1/realtime?token=${encodeURIComponent(token)}`);
    await staff.waitFor((m) => m.type === 'realtime.ready');

    const visitor = await visitorSocket(baseA, widget.key, v.visitorToken);
    visitor.ws.send(JSON.stringify({ type: 'subscribe', conversationId: conversation.id, afterSeq: 0 }));
    await visitor.waitFor((m) => m.type === 'subscribed');

    const reply = await second.inject({
      method: 'POST',
      url: `/api/v1/tickets/${conversation.id}/messages`,
      headers: agent.bearer,
      payload: { body: 'Answer written on process B' },
    });
    expect(reply.statusCode, reply.body).toBe(201);
    const live = await visitor.waitFor(
      (m) => m.type === 'message' && (m.message as { authorType: string }).authorType === 'staff',
    );
    expect(live.message).toMatchObject({ bodyText: 'Answer written on process B', authorName: 'Ravi on B' });

    const clientId = `c-${randomUUID()}`;
    visitor.ws.send(JSON.stringify({ type: 'message', conversationId: conversation.id, clientId, body: 'Thanks, B!' }));
    await visitor.waitFor((m) => m.type === 'ack' && m.clientId === clientId);
    // B's staff socket hears both: the reply it carried itself and the visitor's message stored through A
    const addedOnB = () =>
      staff.received.filter((x) => x.type === 'message.added' && x.ticketId === conversation.id).length;
    await staff.waitFor(() => addedOnB() >= 2);
    expect(addedOnB()).toBe(2);

    // staff typing published through B's pool reaches the visitor on A
    const { publishChatSignal } = await import('../src/platform/realtime/chat-signals.ts');
    await publishChatSignal(secondDb.pool, {
      kind: 'typing',
      ticketId: conversation.id,
      from: 'staff',
      name: 'Ravi on B',
      isTyping: true,
    });
    const typing = await visitor.waitFor((m) => m.type === 'typing');
    expect(typing).toMatchObject({ conversationId: conversation.id, name: 'Ravi on B', isTyping: true });
    visitor.ws.close();
    staff.ws.close();
  });
});
