import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Nginx, startNginx } from '../../../bench/support/nginx.ts';
import { freePort, type SevaProcess, startSeva } from '../../../bench/support/seva-process.ts';
import { createStaffUser } from '../src/modules/staff/staff.service.ts';
import { createApiToken } from '../src/modules/tokens/tokens.service.ts';
import { TOKEN_SCOPE_NAMES } from '../src/platform/auth/permissions.ts';
import { startSink } from './fakes/smtp-sink.ts';
import { createTestDatabase, type TestDatabase } from './harness.ts';
import { openSocket, type TestSocket } from './realtime-helpers.ts';

/**
 * Several real Seva processes (`seva serve` children, both with the api, realtime and worker roles) on one
 * PostgreSQL, behind Debian's nginx on loopback with a generated configuration. nginx routes a request to one
 * process when it carries `x-seva-pin: a|b`, else round robin. Without nginx this file fails; it never skips.
 */
let db: TestDatabase;
let nginx: Nginx;
let a: SevaProcess;
let b: SevaProcess;
let sink: Awaited<ReturnType<typeof startSink>>;
let dir: string;
let smtpPorts: { a: number; b: number };
let adminAuth: string;
let agentToken: string;
const processes: SevaProcess[] = [];

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline)
      throw new Error(`gave up waiting for ${what}\n${processes.map((p) => p.output()).join('\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function api(
  method: string,
  url: string,
  opts: { auth: string; pin?: 'a' | 'b'; body?: unknown },
): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${nginx.baseUrl}${url}`, {
    method,
    headers: {
      authorization: opts.auth,
      ...(opts.pin ? { 'x-seva-pin': opts.pin } : {}),
      ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as unknown) : null };
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'seva-multi-'));
  await fs.chmod(dir, 0o755);
  db = await createTestDatabase();
  const deps = { db: db.database.db };
  const admin = await createStaffUser(deps, {
    actor: { kind: 'system' },
    email: 'asha@multi.example.com',
    password: 'a long admin password',
    name: 'Asha Admin',
    role: 'admin',
  });
  const agent = await createStaffUser(deps, {
    actor: { kind: 'system' },
    email: 'ravi@multi.example.com',
    password: 'a long agent password',
    name: 'Ravi on B',
    role: 'agent',
  });
  adminAuth = `Bearer ${(await createApiToken(deps, { actor: { kind: 'system' }, userId: admin.id, name: 'multi', scopes: [...TOKEN_SCOPE_NAMES] })).token}`;
  agentToken = (
    await createApiToken(deps, {
      actor: { kind: 'system' },
      userId: agent.id,
      name: 'multi',
      scopes: [...TOKEN_SCOPE_NAMES],
    })
  ).token;
  sink = await startSink();
  smtpPorts = { a: await freePort(), b: await freePort() };
  // One SEVA_SECRET for every process: whatever one process seals (widget secrets, credentials) the others open.
  const shared = {
    SEVA_SECRET: randomBytes(32).toString('hex'),
    SEVA_SMTP_RELAY_URL: `smtp://127.0.0.1:${sink.port}`,
    SEVA_RATE_LIMIT_PER_MINUTE: '100000',
  };
  [a, b] = (await Promise.all(
    (['a', 'b'] as const).map(async (name) => {
      const dataDir = path.join(dir, `data-${name}`);
      await fs.mkdir(dataDir, { recursive: true });
      const p = await startSeva({
        label: `seva ${name}`,
        roles: 'api,realtime,worker',
        databaseUrl: db.url,
        dataDir,
        env: { ...shared, SEVA_SMTP_PORT: String(smtpPorts[name]) },
        // generous: the whole suite runs in parallel on small machines
        timeoutMs: 120_000,
      });
      processes.push(p);
      return p;
    }),
  )) as [SevaProcess, SevaProcess];
  nginx = await startNginx({ dir: path.join(dir, 'nginx'), groups: { a: [a.port], b: [b.port] } });
}, 180_000);

afterAll(async () => {
  await nginx?.stop();
  await Promise.all(processes.map((p) => p.stop()));
  await sink?.close();
  await db?.drop();
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

describe('several Seva processes on one database behind nginx', () => {
  it('proxies HTTP to both processes, each answering its own health check', async () => {
    for (const pin of ['a', 'b'] as const) {
      const res = await fetch(`${nginx.baseUrl}/health`, { headers: { 'x-seva-pin': pin } });
      expect(res.status, nginx.errorLog()).toBe(200);
      expect(await res.json()).toMatchObject({ status: 'ok', database: 'ok', realtime: 'ok' });
    }
  });

  it('lets a visitor on one process and an agent on the other talk live, both ways, through nginx', async () => {
    const created = await api('POST', '/api/v1/widgets', { auth: adminAuth, body: { name: 'Shop' } });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const key = (created.json as { publicKey: string }).publicKey;

    // the visitor goes through nginx to process A only
    const visitorRes = await fetch(`${nginx.baseUrl}/widget/v1/visitors`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-seva-pin': 'a' },
      body: JSON.stringify({ key }),
    });
    expect(visitorRes.status).toBe(200);
    const { visitorToken } = (await visitorRes.json()) as { visitorToken: string };
    const startRes = await fetch(`${nginx.baseUrl}/widget/v1/conversations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-seva-pin': 'a', 'x-seva-visitor': visitorToken },
      body: JSON.stringify({ clientId: `c-${randomUUID()}`, body: 'Hello, my parcel has not arrived' }),
    });
    expect(startRes.status).toBe(201);
    const { conversation } = (await startRes.json()) as { conversation: { id: string } };

    const wsBase = nginx.baseUrl.replace(/^http/, 'ws');
    const staff: TestSocket = await openSocket(`${wsBase}/api/v1/realtime?token=${encodeURIComponent(agentToken)}`, {
      headers: { 'x-seva-pin': 'b' },
    });
    const visitor: TestSocket = await openSocket(
      `${wsBase}/widget/v1/socket?key=${encodeURIComponent(key)}&token=${encodeURIComponent(visitorToken)}`,
      { headers: { 'x-seva-pin': 'a' } },
    );
    try {
      await staff.waitFor((m) => m.type === 'realtime.ready', 15_000);
      await visitor.waitFor((m) => m.type === 'ready', 15_000);
      visitor.ws.send(JSON.stringify({ type: 'subscribe', conversationId: conversation.id, afterSeq: 0 }));
      await visitor.waitFor((m) => m.type === 'subscribed', 15_000);

      // the staff socket really lives on B and not on A (each process counts its own sockets)
      const metrics = async (p: SevaProcess) => (await fetch(`${p.baseUrl}/metrics`)).text();
      expect(await metrics(b)).toMatch(/seva_websocket_connections\{role="agent"[^}]*\} 1\n/);
      expect(await metrics(a)).not.toMatch(/seva_websocket_connections\{role="agent"[^}]*\} 1\n/);

      // agent → visitor: written through B, pushed to the visitor's socket on A
      const reply = await api('POST', `/api/v1/tickets/${conversation.id}/messages`, {
        auth: `Bearer ${agentToken}`,
        pin: 'b',
        body: { body: 'Answer written on process B' },
      });
      expect(reply.status, JSON.stringify(reply.json)).toBe(201);
      const live = await visitor.waitFor(
        (m) => m.type === 'message' && (m.message as { authorType: string }).authorType === 'staff',
        15_000,
      );
      expect(live.message).toMatchObject({ bodyText: 'Answer written on process B', authorName: 'Ravi on B' });

      // visitor → agent: sent on A's socket, announced on B's staff socket, readable through B
      const before = staff.received.length;
      const clientId = `c-${randomUUID()}`;
      visitor.ws.send(
        JSON.stringify({ type: 'message', conversationId: conversation.id, clientId, body: 'Thanks, B!' }),
      );
      await visitor.waitFor((m) => m.type === 'ack' && m.clientId === clientId, 15_000);
      await staff.waitFor(
        (m) => m.type === 'message.added' && m.ticketId === conversation.id && staff.received.indexOf(m) >= before,
        15_000,
      );
      const list = await api('GET', `/api/v1/tickets/${conversation.id}/messages`, {
        auth: `Bearer ${agentToken}`,
        pin: 'b',
      });
      const bodies = (list.json as { items: Array<{ bodyText: string; authorType: string }> }).items.map((m) => [
        m.authorType,
        m.bodyText,
      ]);
      expect(bodies).toContainEqual(['customer', 'Thanks, B!']);
    } finally {
      visitor.ws.close();
      staff.ws.close();
    }
  });

  it('runs each job once across the worker processes: inbound mail on either listener, outbound replies', async () => {
    const mailbox = await api('POST', '/api/v1/mailboxes', {
      auth: adminAuth,
      body: { address: 'support@multi.example.com', name: 'Support' },
    });
    expect(mailbox.status, JSON.stringify(mailbox.json)).toBe(201);
    const marker = randomBytes(4).toString('hex');

    // one email into each process's own SMTP listener (both run the worker role)
    const subjects = { a: `Parcel ${marker} via A`, b: `Parcel ${marker} via B` };
    for (const name of ['a', 'b'] as const) {
      const smtp = nodemailer.createTransport({
        host: '127.0.0.1',
        port: smtpPorts[name],
        secure: false,
        ignoreTLS: true,
      });
      try {
        await smtp.sendMail({
          from: `Mina Roy <mina.${marker}@customer.example.org>`,
          to: 'support@multi.example.com',
          subject: subjects[name],
          text: 'Where is my parcel?',
          messageId: `<${marker}.${name}@customer.example.org>`,
        });
      } finally {
        smtp.close();
      }
    }
    const pool = db.database.pool;
    const tickets = await until('both emails to become tickets', async () => {
      const { rows } = await pool.query<{ id: string; subject: string; message_count: number }>(
        'SELECT id, subject, message_count FROM tickets WHERE subject = ANY($1::text[])',
        [Object.values(subjects)],
      );
      return rows.length === 2 ? rows : null;
    });
    // each email was processed by exactly one inbound job: one ticket, one customer message
    for (const t of tickets) {
      const { rows } = await pool.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM messages WHERE ticket_id = $1 AND author_type = 'customer'",
        [t.id],
      );
      expect(rows[0]?.n).toBe(1);
    }
    // taken from the inbound queue once: one attempt each, by whichever process's worker got it first
    const inbound = await pool.query<{ status: string; attempts: number }>(
      'SELECT status, attempts FROM inbound_emails WHERE message_id_header LIKE $1',
      [`%${marker}%`],
    );
    expect(inbound.rows).toHaveLength(2);
    for (const r of inbound.rows) expect(r).toMatchObject({ status: 'processed', attempts: 1 });

    // agent replies, spread round robin over both processes; each one queues exactly one send job
    const ticketA = tickets.find((t) => t.subject === subjects.a);
    if (!ticketA) throw new Error('no ticket');
    const replies = 6;
    const messageIds: string[] = [];
    for (let i = 0; i < replies; i += 1) {
      const res = await api('POST', `/api/v1/tickets/${ticketA.id}/messages`, {
        auth: `Bearer ${agentToken}`,
        body: { body: `Reply ${i} ${marker}: it left our warehouse today.` },
      });
      expect(res.status, JSON.stringify(res.json)).toBe(201);
      messageIds.push((res.json as { id: string }).id);
    }
    const keys = messageIds.map((id) => `reply:${id}`);
    const sendJobs = await until('every reply to be sent and its job completed', async () => {
      const { rows } = await pool.query<{ key: string; status: string; jobs: number; completed: number }>(
        `SELECT o.idempotency_key AS key, o.status,
                (SELECT count(*)::int FROM pgboss.job j WHERE j.name = 'email.send__v1' AND j.data->>'outboundEmailId' = o.id::text) AS jobs,
                (SELECT count(*)::int FROM pgboss.job j WHERE j.name = 'email.send__v1' AND j.data->>'outboundEmailId' = o.id::text AND j.state = 'completed') AS completed
           FROM outbound_emails o WHERE o.idempotency_key = ANY($1::text[])`,
        [keys],
      );
      return rows.length === replies && rows.every((r) => r.status === 'sent' && r.completed === r.jobs && r.jobs > 0)
        ? rows
        : null;
    });
    for (const r of sendJobs) expect(r.jobs).toBe(1);

    // the relay got every reply exactly once
    const received = sink.mails.filter((m) => m.raw.includes(marker) && /Reply \d/.test(m.raw));
    const counts = new Map<number, number>();
    for (const m of received) {
      const i = Number(/Reply (\d) /.exec(m.raw)?.[1]);
      counts.set(i, (counts.get(i) ?? 0) + 1);
    }
    expect([...counts.entries()].sort((x, y) => x[0] - y[0])).toEqual(
      Array.from({ length: replies }, (_, i) => [i, 1]),
    );
  });
});
