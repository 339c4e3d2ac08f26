import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WIDGET_CLOSE } from '@seva/contracts';
import { attachments } from '../src/platform/db/schema/index.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { listenOnLoopback } from './realtime-helpers.ts';
import { multipart } from './tickets-helpers.ts';
import {
  insertWidget,
  newVisitor,
  startChat,
  type TestWidget,
  visitorRequest,
  visitorSocket,
} from './widget-helpers.ts';

let t: TestApp;
let base: string;
let widget: TestWidget;
const MAX = 64 * 1024;

beforeAll(async () => {
  t = await createTestApp({ env: { SEVA_MAX_ATTACHMENT_BYTES: String(MAX) } });
  base = await listenOnLoopback(t.app);
  widget = await insertWidget(t);
});
afterAll(async () => {
  await t?.close();
});

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);

function uploadAs(token: string, filename: string, type: string, content: Buffer) {
  const body = multipart('file', filename, type, content);
  return t.app.inject({
    method: 'POST',
    url: '/widget/v1/uploads',
    headers: { 'x-seva-visitor': token, ...body.headers },
    payload: body.payload,
  });
}

describe('abuse limits', () => {
  it('limits new conversations per visitor', async () => {
    const v = await newVisitor(t.app, widget.key);
    for (let i = 0; i < 5; i += 1) await startChat(t.app, v.visitorToken, `Question ${i}`);
    const sixth = await visitorRequest(t.app, v.visitorToken, 'POST', '/conversations', {
      clientId: `c-${randomUUID()}`,
      body: 'One more',
    });
    expect(sixth.statusCode).toBe(429);
    expect(sixth.headers['content-type']).toContain('application/problem+json');
  });

  it('limits new conversations per address across visitors', async () => {
    const ip = '203.0.113.99';
    let created = 0;
    let refused = 0;
    for (let i = 0; i < 7; i += 1) {
      const v = await newVisitor(t.app, widget.key, {}, ip);
      for (let j = 0; j < 5; j += 1) {
        const res = await visitorRequest(
          t.app,
          v.visitorToken,
          'POST',
          '/conversations',
          { clientId: `c-${randomUUID()}`, body: 'Hi' },
          { 'x-forwarded-for': ip },
        );
        if (res.statusCode === 201) created += 1;
        else if (res.statusCode === 429) refused += 1;
      }
    }
    expect(created).toBe(30);
    expect(refused).toBe(5);
  });

  it('limits new visitors per address', async () => {
    const ip = '203.0.113.150';
    const codes: number[] = [];
    for (let i = 0; i < 61; i += 1) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/widget/v1/visitors',
        headers: { 'x-forwarded-for': ip },
        payload: { key: widget.key },
      });
      codes.push(res.statusCode);
    }
    expect(codes.filter((c) => c === 200)).toHaveLength(60);
    expect(codes.at(-1)).toBe(429);
  });

  it('refuses a burst of socket messages with RATE_LIMITED and closes a socket that keeps going (4429)', async () => {
    const v = await newVisitor(t.app, widget.key);
    const { conversation } = await startChat(t.app, v.visitorToken);
    const s = await visitorSocket(base, widget.key, v.visitorToken);
    for (let i = 0; i < 40; i += 1) {
      s.ws.send(
        JSON.stringify({
          type: 'message',
          conversationId: conversation.id,
          clientId: `burst-${i}-${randomUUID()}`,
          body: `flood ${i}`,
        }),
      );
    }
    const closed = await s.closed;
    expect(closed.code).toBe(WIDGET_CLOSE.rateLimited);
    const acks = s.received.filter((m) => m.type === 'ack').length;
    const limited = s.received.filter((m) => m.type === 'error' && m.code === 'RATE_LIMITED').length;
    expect(acks).toBeGreaterThanOrEqual(10);
    expect(acks).toBeLessThan(20);
    expect(limited).toBeGreaterThan(0);
  });

  it('drops a flood of other frames too, and closes the socket that keeps flooding', async () => {
    const v = await newVisitor(t.app, widget.key);
    const s = await visitorSocket(base, widget.key, v.visitorToken);
    // a lively but reasonable client is answered every time
    for (let i = 0; i < 30; i += 1) s.ws.send(JSON.stringify({ type: 'ping' }));
    await s.waitFor(() => s.received.filter((m) => m.type === 'pong').length === 30);
    for (let i = 0; i < 120; i += 1) s.ws.send(JSON.stringify({ type: 'ping' }));
    expect((await s.closed).code).toBe(WIDGET_CLOSE.rateLimited);
    expect(s.received.some((m) => m.type === 'error' && m.code === 'RATE_LIMITED')).toBe(true);
  });

  it('refuses messages over 5000 characters on the socket and over HTTP, naming the field', async () => {
    const v = await newVisitor(t.app, widget.key);
    const { conversation } = await startChat(t.app, v.visitorToken);
    const long = 'x'.repeat(5001);
    const http = await visitorRequest(t.app, v.visitorToken, 'POST', `/conversations/${conversation.id}/messages`, {
      clientId: 'c-too-long-1',
      body: long,
    });
    expect(http.statusCode).toBe(400);
    expect(http.body).toContain('body');
    const s = await visitorSocket(base, widget.key, v.visitorToken);
    s.ws.send(
      JSON.stringify({ type: 'message', conversationId: conversation.id, clientId: 'c-too-long-2', body: long }),
    );
    const err = await s.waitFor((m) => m.type === 'error' && m.clientId === 'c-too-long-2');
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(String(err.message)).toContain('body');
    s.ws.close();
  });
});

describe('visitor uploads', () => {
  it('accepts an image by its bytes, whatever type was declared, and attaches it to a message', async () => {
    const v = await newVisitor(t.app, widget.key);
    const { conversation } = await startChat(t.app, v.visitorToken);
    const up = await uploadAs(v.visitorToken, 'photo.html', 'text/html', PNG);
    expect(up.statusCode, up.body).toBe(201);
    expect(up.json()).toMatchObject({ contentType: 'image/png' });
    const sent = await visitorRequest(t.app, v.visitorToken, 'POST', `/conversations/${conversation.id}/messages`, {
      clientId: 'c-photo-1',
      body: '',
      attachmentIds: [up.json().id],
    });
    expect(sent.statusCode, sent.body).toBe(201);
    expect(sent.json().attachments[0]).toMatchObject({
      id: up.json().id,
      url: `/widget/v1/attachments/${up.json().id}`,
    });

    const own = await visitorRequest(t.app, v.visitorToken, 'GET', `/attachments/${up.json().id}`);
    expect(own.statusCode).toBe(200);
    expect(own.headers['content-disposition']).toMatch(/^attachment/);
    expect(own.headers['x-content-type-options']).toBe('nosniff');
    expect(own.rawPayload.equals(PNG)).toBe(true);

    const other = await newVisitor(t.app, widget.key);
    expect((await visitorRequest(t.app, other.visitorToken, 'GET', `/attachments/${up.json().id}`)).statusCode).toBe(
      404,
    );
    expect((await visitorRequest(t.app, null, 'GET', `/attachments/${up.json().id}`)).statusCode).toBe(401);
  });

  it("never lets a visitor put someone else's upload on a message", async () => {
    const owner = await newVisitor(t.app, widget.key);
    const up = await uploadAs(owner.visitorToken, 'a.png', 'image/png', PNG);
    const thief = await newVisitor(t.app, widget.key);
    const res = await visitorRequest(t.app, thief.visitorToken, 'POST', '/conversations', {
      clientId: `c-${randomUUID()}`,
      body: 'look',
      attachmentIds: [up.json().id],
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('attachmentIds');
    const [row] = await t.deps.db.select().from(attachments).where(eq(attachments.id, up.json().id));
    expect(row?.messageId).toBeNull();
  });

  it('refuses SVG, HTML and executables, and files over the limit with 413', async () => {
    const v = await newVisitor(t.app, widget.key);
    const svg = await uploadAs(
      v.visitorToken,
      'x.svg',
      'image/svg+xml',
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    );
    expect(svg.statusCode).toBe(415);
    const html = await uploadAs(
      v.visitorToken,
      'x.txt',
      'text/plain',
      Buffer.from('<!doctype html><html><body onload=alert(1)>'),
    );
    expect(html.statusCode).toBe(415);
    const exe = await uploadAs(
      v.visitorToken,
      'x.png',
      'image/png',
      Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0)]),
    );
    expect(exe.statusCode).toBe(415);
    const text = await uploadAs(
      v.visitorToken,
      'notes.txt',
      'application/octet-stream',
      Buffer.from('অর্ডার নম্বর 1234\nthanks'),
    );
    expect(text.statusCode).toBe(201);
    expect(text.json().contentType).toBe('text/plain');
    const big = await uploadAs(v.visitorToken, 'big.png', 'image/png', Buffer.concat([PNG, Buffer.alloc(MAX, 2)]));
    expect(big.statusCode).toBe(413);
  });
});
