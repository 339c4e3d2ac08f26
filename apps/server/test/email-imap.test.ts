import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { emailRuntime } from '../src/modules/email/email-runtime.ts';
import { systemClock } from '../src/platform/clock.ts';
import { connectDatabase } from '../src/platform/db/client.ts';
import { inboundEmails, tickets } from '../src/platform/db/schema/index.ts';
import { type Dovecot, startDovecot } from './email-imap-dovecot.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';

const SECRET = 'imap-test-secret-0123456789abcdef0123456789';
const MAX_BYTES = 200 * 1024;
const USERS = ['basic', 'thread', 'twice', 'idle', 'offline', 'outage', 'tls', 'starttls', 'poison', 'settings', 'badpass', 'pair'];

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false>, ms = 20_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A worker process: its own pool, pg-boss, SMTP listener and IMAP fetcher on the shared test database. */
interface Worker {
  app: FastifyInstance;
  running(): string[];
  refresh(): Promise<void>;
  close(): Promise<void>;
}

async function openWorker(dbUrl: string): Promise<Worker> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'seva-imap-worker-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    SEVA_DATA_DIR: dataDir,
    SEVA_LOG_LEVEL: 'silent',
    SEVA_ROLES: 'worker',
    SEVA_SECRET: SECRET,
    SEVA_SMTP_MAX_MESSAGE_BYTES: String(MAX_BYTES),
    HOST: '127.0.0.1',
  });
  const database = connectDatabase(dbUrl, { max: 10 });
  const app = await buildApp({ config, database, clock: systemClock, logger: false });
  await app.ready();
  const fetcher = () => {
    const f = emailRuntime(app.deps, () => {}).imap;
    if (!f) throw new Error('the worker did not start the IMAP fetcher');
    return f;
  };
  return {
    app,
    running: () => fetcher().running(),
    refresh: () => fetcher().refresh(),
    close: async () => {
      await app.close();
      await database.close();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

let t: TestApp;
let admin: TestStaff;
let dovecot: Dovecot;
let worker: Worker;
const extraWorkers: Worker[] = [];

beforeAll(async () => {
  dovecot = await startDovecot({ users: USERS });
  // the API process: the admin screen's endpoints; fetching and processing happen in worker processes
  t = await createTestApp({ env: { SEVA_SECRET: SECRET, SEVA_SMTP_MAX_MESSAGE_BYTES: String(MAX_BYTES) } });
  admin = await createStaff(t, 'admin');
  worker = await openWorker(t.db.url);
}, 60_000);

afterAll(async () => {
  for (const w of extraWorkers) await w.close().catch(() => {});
  await worker?.close().catch(() => {});
  await t?.close();
  await dovecot?.close();
}, 60_000);

interface MailboxDto {
  id: string;
  status: string;
  lastError: string | null;
  imap: { enabled: boolean; security: string; lastSyncAt: string | null };
}

async function createImapMailbox(user: string, imap: Record<string, unknown> = {}): Promise<MailboxDto> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/mailboxes',
    headers: admin.bearer,
    payload: {
      address: `${user}@support.example.com`,
      name: `IMAP ${user}`,
      ackEnabled: false,
      imap: { enabled: true, host: '127.0.0.1', port: dovecot.port, user, password: dovecot.password(user), security: 'plain', ...imap },
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  const mb = res.json() as MailboxDto;
  await worker.refresh();
  return mb;
}

async function getMailbox(id: string): Promise<MailboxDto> {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/mailboxes/${id}`, headers: admin.bearer });
  expect(res.statusCode).toBe(200);
  return res.json() as MailboxDto;
}

async function synced(id: string): Promise<MailboxDto> {
  return waitFor('a completed IMAP pass', async () => {
    const mb = await getMailbox(id);
    return mb.imap.lastSyncAt && mb.status === 'active' ? mb : null;
  });
}

async function processedInbound(mailboxId: string, messageId: string) {
  return waitFor(`inbound ${messageId}`, async () => {
    const rows = await t.deps.db.select().from(inboundEmails).where(eq(inboundEmails.messageIdHeader, messageId));
    const row = rows.find((r) => r.mailboxId === mailboxId);
    return row && row.status !== 'received' ? row : null;
  });
}

function mail(opts: { from?: string; to: string; subject: string; messageId: string; body?: string; headers?: string }): string {
  return [
    `From: ${opts.from ?? 'Customer <customer@example.net>'}`,
    `To: ${opts.to}`,
    `Subject: ${opts.subject}`,
    `Message-ID: <${opts.messageId}>`,
    'Date: Sat, 05 Dec 2026 10:00:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    ...(opts.headers ? [opts.headers] : []),
    '',
    opts.body ?? 'Hello, I need help with my order.',
    '',
  ].join('\r\n');
}

async function isSeen(user: string, uid: number): Promise<boolean> {
  return (await dovecot.flags(user)).get(uid)?.has('\\Seen') ?? false;
}

describe('the IMAP fetcher against dovecot', () => {
  it('turns a new mail into a ticket, then marks it \\Seen, and shows the mailbox as healthy', async () => {
    const mb = await createImapMailbox('basic');
    expect(mb.imap.security).toBe('plain');
    const uid = await dovecot.deliver('basic', mail({ to: 'basic@support.example.com', subject: 'My order is late', messageId: 'basic-1@example.net' }));
    const inbound = await processedInbound(mb.id, 'basic-1@example.net');
    expect(inbound).toMatchObject({ source: 'imap', status: 'processed', outcome: 'ticket_created' });
    const [ticket] = await t.deps.db.select().from(tickets).where(eq(tickets.id, inbound.ticketId as string));
    expect(ticket).toMatchObject({ subject: 'My order is late', channel: 'email' });
    await waitFor('\\Seen on the server', () => isSeen('basic', uid));
    const health = await synced(mb.id);
    expect(health.lastError).toBeNull();
  });

  it('threads a reply onto its ticket', async () => {
    const mb = await createImapMailbox('thread');
    await dovecot.deliver('thread', mail({ to: 'thread@support.example.com', subject: 'Refund please', messageId: 'thread-1@example.net' }));
    const first = await processedInbound(mb.id, 'thread-1@example.net');
    expect(first.outcome).toBe('ticket_created');
    await dovecot.deliver(
      'thread',
      mail({
        to: 'thread@support.example.com',
        subject: 'Re: Refund please',
        messageId: 'thread-2@example.net',
        headers: 'In-Reply-To: <thread-1@example.net>\r\nReferences: <thread-1@example.net>',
        body: 'Any news?',
      }),
    );
    const reply = await processedInbound(mb.id, 'thread-2@example.net');
    expect(reply.outcome).toBe('message_added');
    expect(reply.ticketId).toBe(first.ticketId);
  });

  it('stores the same message delivered twice only once, and marks both copies \\Seen', async () => {
    const mb = await createImapMailbox('twice');
    await synced(mb.id);
    const raw = mail({ to: 'twice@support.example.com', subject: 'Twice', messageId: 'twice-1@example.net' });
    const uid1 = await dovecot.deliver('twice', raw);
    const uid2 = await dovecot.deliver('twice', `Received: from mx2.example.net by mx.example.com; Sat, 05 Dec 2026 10:00:01 +0000\r\n${raw}`);
    await processedInbound(mb.id, 'twice-1@example.net');
    await waitFor('both copies \\Seen', async () => (await isSeen('twice', uid1)) && (await isSeen('twice', uid2)));
    const rows = await t.deps.db.select().from(inboundEmails).where(eq(inboundEmails.mailboxId, mb.id));
    expect(rows).toHaveLength(1);
    const ticketRows = await t.deps.db.select().from(tickets).where(eq(tickets.subject, 'Twice'));
    expect(ticketRows).toHaveLength(1);
  });

  it('picks up a new mail through IDLE within a few seconds (the fallback poll is 30 s)', async () => {
    const mb = await createImapMailbox('idle');
    await synced(mb.id);
    const started = Date.now();
    await dovecot.deliver('idle', mail({ to: 'idle@support.example.com', subject: 'Idle news', messageId: 'idle-1@example.net' }));
    await waitFor('the IDLE pick-up', async () => {
      const [row] = await t.deps.db.select().from(inboundEmails).where(eq(inboundEmails.messageIdHeader, 'idle-1@example.net'));
      return row;
    }, 10_000);
    expect(Date.now() - started).toBeLessThan(8_000);
  });
});
