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
const USERS = [
  'basic',
  'thread',
  'twice',
  'idle',
  'offline',
  'outage',
  'uidvalidity',
  'tls',
  'starttls',
  'poison',
  'nostore',
  'settings',
  'lockloss',
  'pair',
];

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
    SEVA_LOG_LEVEL: process.env.SEVA_TEST_LOG === '1' ? 'info' : 'silent',
    SEVA_ROLES: 'worker',
    SEVA_SECRET: SECRET,
    SEVA_SMTP_MAX_MESSAGE_BYTES: String(MAX_BYTES),
    HOST: '127.0.0.1',
  });
  const database = connectDatabase(dbUrl, { max: 10 });
  const app = await buildApp({ config, database, clock: systemClock, logger: process.env.SEVA_TEST_LOG === '1' });
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
      imap: {
        enabled: true,
        host: '127.0.0.1',
        port: dovecot.port,
        user,
        password: dovecot.password(user),
        security: 'plain',
        ...imap,
      },
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

function mail(opts: {
  from?: string;
  to: string;
  subject: string;
  messageId: string;
  body?: string;
  headers?: string;
}): string {
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
    const uid = await dovecot.deliver(
      'basic',
      mail({ to: 'basic@support.example.com', subject: 'My order is late', messageId: 'basic-1@example.net' }),
    );
    const inbound = await processedInbound(mb.id, 'basic-1@example.net');
    expect(inbound).toMatchObject({ source: 'imap', status: 'processed', outcome: 'ticket_created' });
    const [ticket] = await t.deps.db
      .select()
      .from(tickets)
      .where(eq(tickets.id, inbound.ticketId as string));
    expect(ticket).toMatchObject({ subject: 'My order is late', channel: 'email' });
    await waitFor('\\Seen on the server', () => isSeen('basic', uid));
    const health = await synced(mb.id);
    expect(health.lastError).toBeNull();
  });

  it('threads a reply onto its ticket', async () => {
    const mb = await createImapMailbox('thread');
    await dovecot.deliver(
      'thread',
      mail({ to: 'thread@support.example.com', subject: 'Refund please', messageId: 'thread-1@example.net' }),
    );
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
    const uid2 = await dovecot.deliver(
      'twice',
      `Received: from mx2.example.net by mx.example.com; Sat, 05 Dec 2026 10:00:01 +0000\r\n${raw}`,
    );
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
    await dovecot.deliver(
      'idle',
      mail({ to: 'idle@support.example.com', subject: 'Idle news', messageId: 'idle-1@example.net' }),
    );
    await waitFor(
      'the IDLE pick-up',
      async () => {
        const [row] = await t.deps.db
          .select()
          .from(inboundEmails)
          .where(eq(inboundEmails.messageIdHeader, 'idle-1@example.net'));
        return row;
      },
      10_000,
    );
    expect(Date.now() - started).toBeLessThan(8_000);
  });
});

describe('the IMAP fetcher under faults', () => {
  it('fetches on start the mail that arrived while Seva was stopped', async () => {
    const mb = await createImapMailbox('offline');
    await synced(mb.id);
    await worker.close();
    const uid1 = await dovecot.deliver(
      'offline',
      mail({ to: 'offline@support.example.com', subject: 'While you were away 1', messageId: 'offline-1@example.net' }),
    );
    const uid2 = await dovecot.deliver(
      'offline',
      mail({ to: 'offline@support.example.com', subject: 'While you were away 2', messageId: 'offline-2@example.net' }),
    );
    expect(await isSeen('offline', uid1)).toBe(false);
    worker = await openWorker(t.db.url);
    expect((await processedInbound(mb.id, 'offline-1@example.net')).outcome).toBe('ticket_created');
    expect((await processedInbound(mb.id, 'offline-2@example.net')).outcome).toBe('ticket_created');
    await waitFor('both \\Seen', async () => (await isSeen('offline', uid1)) && (await isSeen('offline', uid2)));
  });

  it('shows the error while dovecot is down, reconnects when it is back, and loses nothing', async () => {
    const mb = await createImapMailbox('outage');
    await synced(mb.id);
    await dovecot.stop();
    const failing = await waitFor('the error on the mailbox', async () => {
      const m = await getMailbox(mb.id);
      return m.status === 'error' ? m : null;
    });
    expect(failing.lastError).toMatch(/^IMAP: /);
    await dovecot.start();
    const uid = await dovecot.deliver(
      'outage',
      mail({ to: 'outage@support.example.com', subject: 'After the outage', messageId: 'outage-1@example.net' }),
    );
    expect((await processedInbound(mb.id, 'outage-1@example.net')).outcome).toBe('ticket_created');
    await waitFor('\\Seen after the outage', () => isSeen('outage', uid));
    const healthy = await waitFor(
      'the error cleared',
      async () => {
        const m = await getMailbox(mb.id);
        return m.status === 'active' ? m : null;
      },
      30_000,
    );
    expect(healthy.lastError).toBeNull();
  }, 60_000);

  it('re-scans after a UIDVALIDITY change without storing anything twice', async () => {
    const mb = await createImapMailbox('uidvalidity');
    await synced(mb.id);
    const to = 'uidvalidity@support.example.com';
    await dovecot.deliver('uidvalidity', mail({ to, subject: 'Before the reset 1', messageId: 'uidv-1@example.net' }));
    await dovecot.deliver('uidvalidity', mail({ to, subject: 'Before the reset 2', messageId: 'uidv-2@example.net' }));
    await processedInbound(mb.id, 'uidv-1@example.net');
    await processedInbound(mb.id, 'uidv-2@example.net');
    const before = await t.db.database.pool.query<{ v: string }>(
      'SELECT imap_uid_validity AS v FROM mailboxes WHERE id = $1',
      [mb.id],
    );
    await dovecot.resetUidValidity('uidvalidity');
    const uid3 = await dovecot.deliver(
      'uidvalidity',
      mail({ to, subject: 'After the reset', messageId: 'uidv-3@example.net' }),
    );
    expect((await processedInbound(mb.id, 'uidv-3@example.net')).outcome).toBe('ticket_created');
    await waitFor('\\Seen after the reset', () => isSeen('uidvalidity', uid3));
    const after = await waitFor('the new UIDVALIDITY stored', async () => {
      const r = await t.db.database.pool.query<{ v: string; last: string }>(
        'SELECT imap_uid_validity AS v, imap_last_uid AS last FROM mailboxes WHERE id = $1',
        [mb.id],
      );
      return r.rows[0]?.v !== before.rows[0]?.v ? r.rows[0] : null;
    });
    expect(Number(after.last)).toBeGreaterThanOrEqual(uid3);
    const rows = await t.deps.db.select().from(inboundEmails).where(eq(inboundEmails.mailboxId, mb.id));
    expect(rows.map((r) => r.messageIdHeader).sort()).toEqual([
      'uidv-1@example.net',
      'uidv-2@example.net',
      'uidv-3@example.net',
    ]);
    for (const subject of ['Before the reset 1', 'Before the reset 2', 'After the reset']) {
      expect(await t.deps.db.select().from(tickets).where(eq(tickets.subject, subject))).toHaveLength(1);
    }
  }, 60_000);

  it('marks a message \\Seen only once it is stored, and takes it when storing works again', async () => {
    const mb = await createImapMailbox('nostore');
    await synced(mb.id);
    // the database refuses this one message (as it would when full or down)
    await t.db.database.pool.query(
      `ALTER TABLE inbound_emails ADD CONSTRAINT imap_test_refuse CHECK (message_id_header <> 'nostore-1@example.net') NOT VALID`,
    );
    try {
      const uid = await dovecot.deliver(
        'nostore',
        mail({ to: 'nostore@support.example.com', subject: 'Stored late', messageId: 'nostore-1@example.net' }),
      );
      const failing = await waitFor('the storage error on the mailbox', async () => {
        const m = await getMailbox(mb.id);
        return m.status === 'error' ? m : null;
      });
      expect(failing.lastError).toMatch(/^IMAP: .*imap_test_refuse/);
      expect(await isSeen('nostore', uid)).toBe(false);
      expect(await t.deps.db.select().from(inboundEmails).where(eq(inboundEmails.mailboxId, mb.id))).toHaveLength(0);
      await t.db.database.pool.query('ALTER TABLE inbound_emails DROP CONSTRAINT imap_test_refuse');
      expect((await processedInbound(mb.id, 'nostore-1@example.net')).outcome).toBe('ticket_created');
      await waitFor('\\Seen once stored', () => isSeen('nostore', uid));
      await synced(mb.id);
    } finally {
      await t.db.database.pool.query('ALTER TABLE inbound_emails DROP CONSTRAINT IF EXISTS imap_test_refuse');
    }
  }, 60_000);

  it('refuses a self-signed certificate (implicit TLS and STARTTLS) and shows why on the mailbox', async () => {
    const uid = await dovecot.deliver(
      'tls',
      mail({ to: 'tls@support.example.com', subject: 'Over TLS', messageId: 'tls-1@example.net' }),
    );
    const implicit = await createImapMailbox('tls', {
      host: 'localhost',
      port: dovecot.tlsPort,
      security: 'tls',
      password: dovecot.password('tls'),
    });
    const starttls = await createImapMailbox('starttls', {
      host: 'localhost',
      port: dovecot.port,
      security: 'starttls',
    });
    for (const mb of [implicit, starttls]) {
      const failing = await waitFor('the TLS error', async () => {
        const m = await getMailbox(mb.id);
        return m.status === 'error' ? m : null;
      });
      expect(failing.lastError).toMatch(
        /^IMAP: TLS certificate refused \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN)\)/,
      );
      expect(failing.imap.lastSyncAt).toBeNull();
    }
    expect(implicit.imap.security).toBe('tls');
    const stored = await t.deps.db.select().from(inboundEmails).where(eq(inboundEmails.mailboxId, implicit.id));
    expect(stored).toHaveLength(0);
    expect(await isSeen('tls', uid)).toBe(false);
  });

  it('quarantines a poison message (too big, unparsable) without blocking the next one', async () => {
    const mb = await createImapMailbox('poison');
    await synced(mb.id);
    const big = mail({
      to: 'poison@support.example.com',
      subject: 'Huge',
      messageId: 'poison-big@example.net',
      body: `${'x'.repeat(76)}\r\n`.repeat(4000),
    });
    const garbage = [
      'Content-Type: multipart/mixed; boundary="never-closed"',
      'Content-Transfer-Encoding: base64',
      'Message-ID: <poison-garbage@example.net>',
      '',
      '--never-closed',
      'Content-Type: text/plain; charset=x-no-such-charset',
      'Content-Transfer-Encoding: base64',
      '',
      '!!!! not base64 ****',
      '',
    ].join('\r\n');
    const uidBig = await dovecot.deliver('poison', big);
    const uidGarbage = await dovecot.deliver('poison', garbage);
    const uidGood = await dovecot.deliver(
      'poison',
      mail({ to: 'poison@support.example.com', subject: 'After the poison', messageId: 'poison-good@example.net' }),
    );
    expect((await processedInbound(mb.id, 'poison-good@example.net')).outcome).toBe('ticket_created');
    const [quarantined] = await t.deps.db
      .select()
      .from(inboundEmails)
      .where(eq(inboundEmails.messageIdHeader, 'poison-big@example.net'));
    expect(quarantined).toMatchObject({ status: 'quarantined', source: 'imap' });
    expect(quarantined?.error).toMatch(/too big/);
    const list = await t.app.inject({
      method: 'GET',
      url: `/api/v1/mailboxes/${mb.id}/inbound?status=quarantined`,
      headers: admin.bearer,
    });
    expect(list.json().items.map((i: { messageIdHeader: string }) => i.messageIdHeader)).toContain(
      'poison-big@example.net',
    );
    const garbageRow = await processedInbound(mb.id, 'poison-garbage@example.net');
    expect(['processed', 'quarantined']).toContain(garbageRow.status);
    await waitFor('all three \\Seen', async () => {
      const flags = await dovecot.flags('poison');
      return [uidBig, uidGarbage, uidGood].every((u) => flags.get(u)?.has('\\Seen'));
    });
  });
});

describe('the IMAP fetcher and its settings', () => {
  it('follows enable, disable and edits without a restart, and never shows the password in an error', async () => {
    const mb = await createImapMailbox('settings');
    await synced(mb.id);
    expect(worker.running()).toContain(mb.id);
    const off = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/mailboxes/${mb.id}`,
      headers: admin.bearer,
      payload: { imap: { enabled: false } },
    });
    expect(off.statusCode).toBe(200);
    await worker.refresh();
    expect(worker.running()).not.toContain(mb.id);
    const uid = await dovecot.deliver(
      'settings',
      mail({ to: 'settings@support.example.com', subject: 'While IMAP was off', messageId: 'settings-1@example.net' }),
    );

    const wrong = 'not-the-password-42';
    const bad = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/mailboxes/${mb.id}`,
      headers: admin.bearer,
      payload: { imap: { enabled: true, password: wrong } },
    });
    expect(bad.statusCode).toBe(200);
    await worker.refresh();
    const failing = await waitFor('the login error', async () => {
      const m = await getMailbox(mb.id);
      return m.status === 'error' ? m : null;
    });
    expect(failing.lastError).toMatch(/^IMAP: login refused/);
    expect(failing.lastError).not.toContain(wrong);
    expect(await isSeen('settings', uid)).toBe(false);

    const good = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/mailboxes/${mb.id}`,
      headers: admin.bearer,
      payload: { imap: { password: dovecot.password('settings') } },
    });
    expect(good.statusCode).toBe(200);
    await worker.refresh();
    expect((await processedInbound(mb.id, 'settings-1@example.net')).outcome).toBe('ticket_created');
    await waitFor('\\Seen', () => isSeen('settings', uid));
    await synced(mb.id);
  });
});

describe('several worker processes', () => {
  it('stops fetching when its lock connection is cut, then takes the lock again and carries on', async () => {
    const mb = await createImapMailbox('lockloss');
    await synced(mb.id);
    const cut = await t.db.database.pool.query<{ pid: number }>(
      `SELECT pid, pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE application_name = 'seva-imap-fetcher' AND datname = current_database()`,
    );
    expect(cut.rowCount).toBeGreaterThan(0);
    const cutPids = cut.rows.map((r) => r.pid);
    await dovecot.deliver(
      'lockloss',
      mail({ to: 'lockloss@support.example.com', subject: 'After the cut', messageId: 'lockloss-1@example.net' }),
    );
    await waitFor('the lock taken again', async () => {
      await worker.refresh();
      return worker.running().includes(mb.id);
    });
    expect((await processedInbound(mb.id, 'lockloss-1@example.net')).outcome).toBe('ticket_created');
    // the lock is held again, on a new connection
    const holders = await t.db.database.pool.query<{ pid: number }>(
      `SELECT a.pid FROM pg_stat_activity a JOIN pg_locks l ON l.pid = a.pid
        WHERE a.application_name = 'seva-imap-fetcher' AND a.datname = current_database() AND l.locktype = 'advisory' AND l.granted`,
    );
    expect(holders.rowCount).toBeGreaterThan(0);
    for (const h of holders.rows) expect(cutPids).not.toContain(h.pid);
  });

  it('lets exactly one worker fetch a mailbox, and another take over when it stops', async () => {
    const second = await openWorker(t.db.url);
    extraWorkers.push(second);
    const mb = await createImapMailbox('pair');
    await second.refresh();
    await worker.refresh();
    await synced(mb.id);
    const holders = [worker, second].filter((w) => w.running().includes(mb.id));
    expect(holders).toHaveLength(1);
    for (let i = 1; i <= 3; i += 1) {
      await dovecot.deliver(
        'pair',
        mail({ to: 'pair@support.example.com', subject: `Pair ${i}`, messageId: `pair-${i}@example.net` }),
      );
    }
    for (let i = 1; i <= 3; i += 1)
      expect((await processedInbound(mb.id, `pair-${i}@example.net`)).outcome).toBe('ticket_created');
    const rows = await t.deps.db.select().from(inboundEmails).where(eq(inboundEmails.mailboxId, mb.id));
    expect(rows).toHaveLength(3);
    for (let i = 1; i <= 3; i += 1)
      expect(
        await t.deps.db
          .select()
          .from(tickets)
          .where(eq(tickets.subject, `Pair ${i}`)),
      ).toHaveLength(1);

    // the holder stops; its lock goes with its connection and the other worker takes the mailbox over
    const holder = holders[0] as Worker;
    const other = holder === worker ? second : worker;
    await holder.close();
    if (holder === worker) worker = second;
    else extraWorkers.splice(extraWorkers.indexOf(second), 1);
    await waitFor('the take-over', async () => {
      await other.refresh();
      return other.running().includes(mb.id);
    });
    await dovecot.deliver(
      'pair',
      mail({ to: 'pair@support.example.com', subject: 'Pair 4', messageId: 'pair-4@example.net' }),
    );
    expect((await processedInbound(mb.id, 'pair-4@example.net')).outcome).toBe('ticket_created');
    expect(await t.deps.db.select().from(inboundEmails).where(eq(inboundEmails.mailboxId, mb.id))).toHaveLength(4);
  }, 60_000);
});
