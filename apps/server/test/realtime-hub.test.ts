import { eq } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { connectDatabase } from '../src/platform/db/client.ts';
import { sessions, staffUsers } from '../src/platform/db/schema/index.ts';
import { findRealtimeHub } from '../src/platform/realtime/index.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { insertTicket, listenOnLoopback, openSocket, type TestSocket, writeEvent } from './realtime-helpers.ts';

let t: TestApp;
let base: string;
let origin: string;
let agent: TestStaff;
let collaborator: TestStaff;
const sockets: TestSocket[] = [];

async function connect(
  path: string,
  headers: Record<string, string>,
  opts: { origin?: string; autoPong?: boolean } = {},
) {
  const s = await openSocket(`${base}${path}`, {
    headers,
    ...(opts.origin ? { origin: opts.origin } : {}),
    autoPong: opts.autoPong ?? true,
  });
  sockets.push(s);
  await s.waitFor((m) => m.type === 'realtime.ready');
  return s;
}

function hub() {
  const h = findRealtimeHub(t.deps);
  if (!h) throw new Error('no realtime hub');
  return h;
}

beforeAll(async () => {
  t = await createTestApp();
  base = await listenOnLoopback(t.app);
  origin = base.replace(/^ws/, 'http');
  agent = await createStaff(t, 'agent');
  collaborator = await createStaff(t, 'collaborator');
});

afterAll(async () => {
  for (const s of sockets) s.ws.terminate();
  await t?.close();
});

describe('realtime WebSocket', () => {
  it('pushes message.added live to an agent signed in with a session cookie', async () => {
    const s = await connect('/api/v1/realtime', { cookie: agent.session.cookie }, { origin });
    const { ticketId } = await insertTicket(t.deps.db);
    const eventId = await writeEvent(t.deps.db, 'message.added', ticketId);
    const m = await s.waitFor((x) => x.eventId === eventId);
    expect(m).toEqual({ type: 'message.added', ticketId, eventId });
  });

  it('announces a reply posted through the tickets API to every agent, and never to an uninvolved collaborator', async () => {
    const watcher = await connect('/api/v1/realtime', { cookie: agent.session.cookie }, { origin });
    const outsider = await connect('/api/v1/realtime', { cookie: collaborator.session.cookie }, { origin });
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tickets',
      headers: agent.bearer,
      payload: {
        subject: 'Geyser not heating',
        customer: { email: 'mina@example.com', name: 'Mina' },
        message: { body: 'It stays cold.' },
      },
    });
    expect(created.statusCode).toBe(201);
    const ticketId = created.json().id as string;
    await watcher.waitFor((x) => x.type === 'ticket.created' && x.ticketId === ticketId);
    const reply = await t.app.inject({
      method: 'POST',
      url: `/api/v1/tickets/${ticketId}/messages`,
      headers: agent.bearer,
      payload: { body: 'A plumber is on the way.' },
    });
    expect(reply.statusCode).toBe(201);
    await watcher.waitFor((x) => x.type === 'message.added' && x.ticketId === ticketId);
    // a later event the collaborator may see proves the earlier ones were decided and withheld
    const mine = await insertTicket(t.deps.db, { assigneeId: collaborator.id });
    const marker = await writeEvent(t.deps.db, 'ticket.updated', mine.ticketId);
    await outsider.waitFor((x) => x.eventId === marker);
    expect(outsider.received.some((x) => x.ticketId === ticketId)).toBe(false);
  });

  it('accepts an API token as ?token= for clients that cannot set headers', async () => {
    const token = agent.bearer.authorization.slice('Bearer '.length);
    const s = await connect(`/api/v1/realtime?token=${encodeURIComponent(token)}`, {});
    const { ticketId } = await insertTicket(t.deps.db);
    const eventId = await writeEvent(t.deps.db, 'ticket.created', ticketId);
    expect((await s.waitFor((x) => x.eventId === eventId)).type).toBe('ticket.created');
  });

  it('never tells a collaborator about tickets they are not assigned to or collaborating on', async () => {
    const s = await connect('/api/v1/realtime', { cookie: collaborator.session.cookie }, { origin });
    const hidden = await insertTicket(t.deps.db);
    const assigned = await insertTicket(t.deps.db, { assigneeId: collaborator.id });
    const invited = await insertTicket(t.deps.db, { collaboratorIds: [collaborator.id] });
    const hiddenEvent = await writeEvent(t.deps.db, 'message.added', hidden.ticketId);
    const customerEvent = await writeEvent(t.deps.db, 'customer.updated', null, hidden.customerId);
    const assignedEvent = await writeEvent(t.deps.db, 'message.added', assigned.ticketId);
    const invitedEvent = await writeEvent(t.deps.db, 'ticket.status_changed', invited.ticketId);
    // delivery is in order, so once the last one arrives the earlier ones have been decided
    await s.waitFor((x) => x.eventId === invitedEvent);
    const ids = s.received.map((x) => x.eventId);
    expect(ids).toContain(assignedEvent);
    expect(ids).not.toContain(hiddenEvent);
    expect(ids).not.toContain(customerEvent);
  });

  it('refuses an upgrade without credentials', async () => {
    await expect(openSocket(`${base}/api/v1/realtime`, { origin })).rejects.toMatchObject({ statusCode: 401 });
  });

  it('refuses an upgrade with an invalid token', async () => {
    await expect(openSocket(`${base}/api/v1/realtime?token=seva_not-a-token`)).rejects.toMatchObject({
      statusCode: 401,
    });
  });

  it('refuses an upgrade from another site even with a valid session cookie', async () => {
    await expect(
      openSocket(`${base}/api/v1/realtime`, {
        headers: { cookie: agent.session.cookie },
        origin: 'https://evil.example',
      }),
    ).rejects.toMatchObject({ statusCode: 403 });
  });

  it('answers a plain HTTP request to the realtime endpoint with 400', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/realtime', headers: agent.bearer });
    expect(res.statusCode).toBe(400);
  });

  it('delivers an event written through one app instance to a socket on another', async () => {
    const database2 = connectDatabase(t.db.url, { max: 4 });
    const app2 = await buildApp({ config: t.config, database: database2, clock: t.clock, logger: false });
    try {
      const base2 = await listenOnLoopback(app2);
      const s = await openSocket(`${base2}/api/v1/realtime`, {
        headers: { cookie: agent.session.cookie },
        origin: base2.replace(/^ws/, 'http'),
      });
      sockets.push(s);
      await s.waitFor((x) => x.type === 'realtime.ready');
      const { ticketId } = await insertTicket(t.deps.db);
      const eventId = await writeEvent(t.deps.db, 'message.added', ticketId);
      expect((await s.waitFor((x) => x.eventId === eventId)).ticketId).toBe(ticketId);
    } finally {
      await app2.close();
      await database2.close();
    }
  });

  it('replays events written while its database listener was down', async () => {
    const s = await connect('/api/v1/realtime', { cookie: agent.session.cookie }, { origin });
    const listener = hub().eventListener;
    const pid = listener.backendPid;
    expect(pid).not.toBeNull();
    const down = new Promise<void>((resolve) => {
      const onState = (state: string) => {
        if (state === 'down') {
          listener.off('state', onState);
          resolve();
        }
      };
      listener.on('state', onState);
    });
    const replayed = new Promise<number>((resolve) => listener.once('replayed', resolve));
    const admin = new pg.Client({ connectionString: t.db.url });
    await admin.connect();
    try {
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    } finally {
      await admin.end();
    }
    await down;
    const { ticketId } = await insertTicket(t.deps.db);
    const missed = await writeEvent(t.deps.db, 'message.added', ticketId);
    expect(await replayed).toBeGreaterThanOrEqual(1);
    expect((await s.waitFor((x) => x.eventId === missed, 10_000)).ticketId).toBe(ticketId);
    expect(listener.backendPid).not.toBe(pid);
  });

  it('replays what a reconnecting client missed when it passes ?since=', async () => {
    const first = await connect('/api/v1/realtime', { cookie: agent.session.cookie }, { origin });
    const ready = await first.waitFor((x) => x.type === 'realtime.ready');
    first.ws.close();
    await first.closed;
    const { ticketId } = await insertTicket(t.deps.db);
    const a = await writeEvent(t.deps.db, 'message.added', ticketId);
    const b = await writeEvent(t.deps.db, 'ticket.status_changed', ticketId);
    const since = Number(ready.eventId ?? 0);
    const again = await connect(`/api/v1/realtime?since=${since}`, { cookie: agent.session.cookie }, { origin });
    const ids = again.received
      .filter((x) => typeof x.eventId === 'number' && x.type !== 'realtime.ready')
      .map((x) => x.eventId);
    expect(ids).toEqual(expect.arrayContaining([a, b]));
    expect(ids.indexOf(a)).toBeLessThan(ids.indexOf(b));
    const readyAgain = again.received.find((x) => x.type === 'realtime.ready');
    expect(Number(readyAgain?.eventId)).toBeGreaterThanOrEqual(b);
  });

  it('answers an application-level ping from browsers', async () => {
    const s = await connect('/api/v1/realtime', { cookie: agent.session.cookie }, { origin });
    s.ws.send(JSON.stringify({ type: 'ping' }));
    await s.waitFor((x) => x.type === 'realtime.pong');
  });

  it('closes the socket of a staff member whose session was signed out', async () => {
    const other = await createStaff(t, 'agent');
    const s = await connect('/api/v1/realtime', { cookie: other.session.cookie }, { origin });
    await t.deps.db.delete(sessions).where(eq(sessions.userId, other.id));
    await hub().revalidate();
    expect((await s.closed).code).toBe(4401);
  });

  it('closes the socket of a staff member who was disabled', async () => {
    const other = await createStaff(t, 'supervisor');
    const token = other.bearer.authorization.slice('Bearer '.length);
    const s = await connect(`/api/v1/realtime?token=${encodeURIComponent(token)}`, {});
    await t.deps.db.update(staffUsers).set({ status: 'disabled' }).where(eq(staffUsers.id, other.id));
    await hub().revalidate();
    expect((await s.closed).code).toBe(4401);
  });

  it('closes the socket of a revoked token at once, without waiting for the next heartbeat', async () => {
    const other = await createStaff(t, 'agent');
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: other.session,
      payload: { name: 'socket', scopes: ['tickets:read'] },
    });
    expect(created.statusCode).toBe(201);
    const { token, record } = created.json();
    const s = await connect(`/api/v1/realtime?token=${encodeURIComponent(token)}`, {});
    const revoked = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/tokens/${record.id}`,
      headers: other.session,
    });
    expect(revoked.statusCode).toBe(204);
    // no sweep() here: the credential change itself makes the hub check its sockets
    expect((await s.closed).code).toBe(4401);
  });

  it('terminates a socket that stops answering pings', async () => {
    const silent = await connect('/api/v1/realtime', { cookie: agent.session.cookie }, { origin, autoPong: false });
    const healthy = await connect('/api/v1/realtime', { cookie: agent.session.cookie }, { origin });
    await hub().sweep();
    await new Promise((resolve) => setTimeout(resolve, 150));
    await hub().sweep();
    expect((await silent.closed).code).toBe(1006);
    expect(healthy.ws.readyState).toBe(healthy.ws.OPEN);
  });

  it('counts open sockets by role', async () => {
    const stats = hub().stats();
    expect(stats.connections).toBeGreaterThan(0);
    expect(stats.byRole.agent).toBeGreaterThan(0);
  });
});
