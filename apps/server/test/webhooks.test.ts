import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deliverDueWebhooks, fanOutWebhookEvents } from '../src/modules/webhooks/index.ts';
import { webhookSecretBox } from '../src/modules/webhooks/index.ts';
import { MAX_ATTEMPTS, verifyWebhook } from '../src/modules/webhooks/sign-webhook.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api, openTicket } from './tickets-helpers.ts';

interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

let t: TestApp;
let clock: ManualClock;
let admin: TestStaff;
let agent: TestStaff;
let receiver: http.Server;
let port: number;
let received: Received[] = [];
/** what the receiver answers next, per path (default 200) */
let plan: Record<string, Array<{ status: number; location?: string }>> = {};

async function tick() {
  await fanOutWebhookEvents(t.deps.db, clock.now());
  const deps = { db: t.deps.db, box: webhookSecretBox(t.deps), now: () => clock.now(), net: { allowLoopbackPorts: [port], timeoutMs: 5000 } };
  return deliverDueWebhooks(deps);
}

async function hook(path: string, events: string[], name = path) {
  const res = await api(t, admin, 'POST', '/webhooks', { name, url: `http://127.0.0.1:${port}${path}`, events });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; secret: string };
}

async function log(id: string) {
  return (await api(t, admin, 'GET', `/webhooks/${id}/deliveries`)).json().items as Array<Record<string, unknown>>;
}

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const path = req.url ?? '/';
      received.push({ path, headers: req.headers, body });
      const next = plan[path]?.shift() ?? { status: 200 };
      res.writeHead(next.status, next.location ? { location: next.location } : {});
      res.end(next.status === 200 ? 'ok' : 'nope');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  port = (receiver.address() as AddressInfo).port;
  t = await createTestApp({ clock: new ManualClock(new Date('2026-03-02T06:00:00Z')), env: { SEVA_UNSAFE_ALLOW_LOOPBACK_PORTS: String(port) } });
  clock = t.clock as ManualClock;
  admin = await createStaff(t, 'admin');
  agent = await createStaff(t, 'agent');
});

afterAll(async () => {
  await t?.close();
  await new Promise((r) => receiver?.close(r));
});

beforeEach(async () => {
  received = [];
  plan = {};
  // earlier tests' webhooks stay, but switched off, so each test sees only its own
  for (const w of (await api(t, admin, 'GET', '/webhooks')).json().items) await api(t, admin, 'PATCH', `/webhooks/${w.id}`, { active: false });
});

describe('outgoing webhooks', () => {
  it('delivers subscribed events, signed with a secret shown only once', async () => {
    const w = await hook('/created', ['ticket.created']);
    expect(w.secret).toMatch(/^whsec_/);
    const listed = (await api(t, admin, 'GET', '/webhooks')).json().items.find((x: { id: string }) => x.id === w.id);
    expect(listed).not.toHaveProperty('secret');

    const ticket = await openTicket(t, agent, { subject: 'রাউটার কাজ করছে না' });
    await api(t, agent, 'POST', `/tickets/${ticket.id}/messages`, { body: 'Looking', internal: true });
    expect(await tick()).toBe(1);
    expect(received).toHaveLength(1);
    const [got] = received;
    const body = JSON.parse(got?.body ?? '{}');
    expect(body).toMatchObject({ type: 'ticket.created', ticket: { number: ticket.number, subject: 'রাউটার কাজ করছে না' } });
    expect(got?.headers['x-seva-event']).toBe('ticket.created');
    expect(got?.headers['x-seva-delivery']).toBe(body.id);
    expect(verifyWebhook(w.secret, String(got?.headers['x-seva-signature']), got?.body ?? '', Math.floor(clock.now().getTime() / 1000))).toBe(true);
    expect(verifyWebhook('whsec_wrong', String(got?.headers['x-seva-signature']), got?.body ?? '', Math.floor(clock.now().getTime() / 1000))).toBe(false);
    expect((await log(w.id))[0]).toMatchObject({ status: 'delivered', attempts: 1, lastStatusCode: 200, eventType: 'ticket.created' });
    // nothing twice
    expect(await tick()).toBe(0);
    expect(received).toHaveLength(1);
  });

  it('retries a failing receiver with backoff, then delivers', async () => {
    const w = await hook('/flaky', ['ticket.created']);
    plan['/flaky'] = [{ status: 500 }, { status: 503 }];
    await openTicket(t, agent);
    await tick();
    let [d] = await log(w.id);
    expect(d).toMatchObject({ status: 'failed', attempts: 1, lastStatusCode: 500, lastError: 'the receiver answered 500' });
    expect(d?.nextAttemptAt).toBe(new Date(clock.now().getTime() + 30_000).toISOString());
    clock.advance(10_000);
    expect(await tick()).toBe(0);
    clock.advance(21_000);
    await tick();
    [d] = await log(w.id);
    expect(d).toMatchObject({ status: 'failed', attempts: 2, lastStatusCode: 503 });
    clock.advance(61_000);
    await tick();
    [d] = await log(w.id);
    expect(d).toMatchObject({ status: 'delivered', attempts: 3, lastStatusCode: 200 });
    expect(received.filter((r) => r.path === '/flaky')).toHaveLength(3);
  });

  it('never follows a redirect to a private or other local address, and gives up in the end', async () => {
    const w = await hook('/redirect', ['ticket.created']);
    plan['/redirect'] = Array.from({ length: MAX_ATTEMPTS }, (_, i) => ({
      status: 302,
      location: i % 2 === 0 ? 'http://10.1.2.3/steal' : `http://127.0.0.1:${port + 1}/admin`,
    }));
    await openTicket(t, agent);
    await tick();
    let [d] = await log(w.id);
    expect(d).toMatchObject({ status: 'failed', attempts: 1 });
    expect(String(d?.lastError)).toContain('BLOCKED_ADDRESS');
    for (let i = 1; i < MAX_ATTEMPTS; i += 1) {
      clock.advance(7 * 3600_000);
      await tick();
    }
    [d] = await log(w.id);
    expect(d).toMatchObject({ status: 'gave_up', attempts: MAX_ATTEMPTS, nextAttemptAt: null });
    expect(received.every((r) => r.path === '/redirect')).toBe(true);
    const listed = (await api(t, admin, 'GET', '/webhooks')).json().items.find((x: { id: string }) => x.id === w.id);
    expect(listed.consecutiveFailures).toBe(MAX_ATTEMPTS);

    // after the receiver is fixed, one click sends it again
    const again = await api(t, admin, 'POST', `/webhooks/${w.id}/deliveries/${d?.id}/redeliver`);
    expect(again.json()).toMatchObject({ status: 'pending', attempts: 0 });
    await tick();
    expect((await log(w.id))[0]).toMatchObject({ status: 'delivered' });
  });

  it('refuses URLs that point inside, and keeps webhooks to admins', async () => {
    for (const url of ['http://169.254.169.254/latest/meta-data', 'http://10.0.0.5/hook', 'ftp://example.com/x', 'http://user:pw@example.com/x', 'http://127.0.0.1:9/x']) {
      const res = await api(t, admin, 'POST', '/webhooks', { name: `bad ${url}`, url, events: ['ticket.created'] });
      expect(res.statusCode, url).toBe(400);
    }
    expect((await api(t, agent, 'POST', '/webhooks', { name: 'mine', url: 'https://example.com/x', events: [] })).statusCode).toBe(403);
    expect((await api(t, agent, 'GET', '/webhooks')).statusCode).toBe(403);
    expect((await api(t, admin, 'POST', '/webhooks', { name: 'typo', url: 'https://example.com/x', events: ['ticket.exploded'] })).statusCode).toBe(400);
  });

  it('sends a test ping on demand, and nothing to a switched-off webhook', async () => {
    const w = await hook('/ping', ['ticket.created']);
    const ping = await api(t, admin, 'POST', `/webhooks/${w.id}/ping`);
    expect(ping.statusCode).toBe(202);
    await tick();
    expect(JSON.parse(received.at(-1)?.body ?? '{}')).toMatchObject({ type: 'webhook.ping', data: { hello: 'Seva' } });
    await api(t, admin, 'PATCH', `/webhooks/${w.id}`, { active: false });
    received = [];
    await openTicket(t, agent);
    await tick();
    expect(received).toHaveLength(0);
    const rotated = await api(t, admin, 'POST', `/webhooks/${w.id}/rotate-secret`);
    expect(rotated.json().secret).not.toBe(w.secret);
  });
});
