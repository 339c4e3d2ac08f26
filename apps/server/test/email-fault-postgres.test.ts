import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { eq, like } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { emailRuntime } from '../src/modules/email/email-runtime.ts';
import { systemClock } from '../src/platform/clock.ts';
import { connectDatabase, type Database } from '../src/platform/db/client.ts';
import { type DatabaseHandle, startEmbeddedPostgres } from '../src/platform/db/embedded.ts';
import { findFreePort } from '../src/platform/db/free-port.ts';
import { runMigrations } from '../src/platform/db/migrate.ts';
import { inboundEmails } from '../src/platform/db/schema/index.ts';
import { type Dovecot, startDovecot } from './email-imap-dovecot.ts';
import { startSenderLanes } from './email-smtp-sender.ts';
import { createStaff, type TestStaff } from './factories.ts';
import type { TestApp } from './harness.ts';

/**
 * RELIABILITY.md promises 1 and 8 while PostgreSQL restarts under mail: this file runs its own embedded PostgreSQL
 * (the suite's shared one must stay up) and stops it while SMTP mail arrives and IMAP mail waits. The listener
 * answers a temporary 4xx — never 250 for something not stored, never 5xx; the IMAP fetcher marks nothing \Seen,
 * backs off and resumes; after the restart everything is stored exactly once.
 */

const COUNT = 30;
const SECRET = 'pg-restart-test-secret-0123456789abcdef0123';

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false>, ms = 45_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v) return v;
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function mail(opts: { to: string; subject: string; messageId: string }): string {
  return [
    'From: Customer <customer@example.net>',
    `To: ${opts.to}`,
    `Subject: ${opts.subject}`,
    `Message-ID: <${opts.messageId}>`,
    'Date: Sat, 05 Dec 2026 10:00:00 +0000',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'Hello, I need help with my order.',
    '',
  ].join('\r\n');
}

let pgDir: string;
let pgPort: number;
let pgHandle: DatabaseHandle;
let database: Database;
let app: FastifyInstance;
let appDir: string;
let dovecot: Dovecot;
let admin: TestStaff;

beforeAll(async () => {
  pgDir = await fs.mkdtemp(path.join(os.tmpdir(), 'seva-pg-restart-'));
  await fs.chmod(pgDir, 0o755);
  pgPort = await findFreePort();
  pgHandle = await startEmbeddedPostgres({ dataDir: pgDir, port: pgPort });
  await runMigrations(pgHandle.url);
  dovecot = await startDovecot({ users: ['restart'] });
  appDir = await fs.mkdtemp(path.join(os.tmpdir(), 'seva-pg-restart-app-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    SEVA_DATA_DIR: appDir,
    SEVA_LOG_LEVEL: 'silent',
    SEVA_ROLES: 'api,worker',
    SEVA_SECRET: SECRET,
    HOST: '127.0.0.1',
  });
  database = connectDatabase(pgHandle.url, { max: 10 });
  app = await buildApp({ config, database, clock: systemClock });
  await app.ready();
  admin = await createStaff({ deps: app.deps } as TestApp, 'admin');
}, 120_000);

afterAll(async () => {
  await app?.close();
  await database?.close();
  await pgHandle?.stop();
  await dovecot?.close();
  for (const d of [pgDir, appDir]) if (d) await fs.rm(d, { recursive: true, force: true });
}, 120_000);

describe('PostgreSQL restarts while mail arrives', () => {
  it('answers SMTP with 4xx while it is down, IMAP marks nothing seen, and nothing is lost or doubled', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/mailboxes',
      headers: admin.bearer,
      payload: {
        address: 'restart@support.example.com',
        name: 'Restart',
        ackEnabled: false,
        imap: {
          enabled: true,
          host: '127.0.0.1',
          port: dovecot.port,
          user: 'restart',
          password: dovecot.password('restart'),
          security: 'plain',
        },
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const mailboxId = res.json().id as string;
    const smtpPort = emailRuntime(app.deps, () => {}).smtpPort as number;

    // IMAP works before the outage
    const firstUid = await dovecot.deliver(
      'restart',
      mail({ to: 'restart@support.example.com', subject: 'Before', messageId: 'imap-before@example.net' }),
    );
    await waitFor('the first IMAP mail stored and \\Seen', async () =>
      (await dovecot.flags('restart')).get(firstUid)?.has('\\Seen'),
    );

    const senders = startSenderLanes({
      port: () => smtpPort,
      count: COUNT,
      lanes: 3,
      envelopeTo: 'restart@support.example.com',
      raw: (i) =>
        mail({ to: 'restart@support.example.com', subject: `SMTP ${i}`, messageId: `pg-restart-${i}@example.net` }),
      deadlineMs: 120_000,
    });
    const failed = senders.done.then(
      () => null,
      (err: Error) => err,
    );
    await waitFor('some SMTP mail acknowledged', async () => senders.acked.size >= 5);

    // PostgreSQL goes away (fast shutdown: every connection is cut, transactions in flight roll back)
    await pgHandle.stop();
    const ackedAtStop = senders.acked.size;
    await waitFor('a temporary refusal while the database is down', async () =>
      senders.answers.some((a) => a.code !== null && a.code >= 400 && a.code < 500),
    );
    const outageUids = [
      await dovecot.deliver(
        'restart',
        mail({ to: 'restart@support.example.com', subject: 'During 1', messageId: 'imap-during-1@example.net' }),
      ),
      await dovecot.deliver(
        'restart',
        mail({ to: 'restart@support.example.com', subject: 'During 2', messageId: 'imap-during-2@example.net' }),
      ),
    ];
    // let the senders keep knocking for a while: every answer is a 4xx or a dropped connection, never 250
    const answersAtStop = senders.answers.length;
    await waitFor('more refused attempts', async () => senders.answers.length >= answersAtStop + 6);
    expect(senders.acked.size).toBe(ackedAtStop);
    const flagsDuringOutage = await dovecot.flags('restart');
    for (const uid of outageUids) expect(flagsDuringOutage.get(uid)?.has('\\Seen') ?? false).toBe(false);

    // PostgreSQL is back on the same address
    const restartedAt = Date.now();
    pgHandle = await startEmbeddedPostgres({ dataDir: pgDir, port: pgPort });
    const err = await failed;
    expect(err, err?.message).toBeNull();
    expect(senders.acked.size).toBe(COUNT);
    expect(senders.answers.filter((a) => a.code !== null && a.code >= 500)).toEqual([]);

    // IMAP resumes by itself: the mail that waited is stored, then \Seen, and the mailbox is healthy again
    for (const uid of outageUids)
      await waitFor(`UID ${uid} \\Seen`, async () => (await dovecot.flags('restart')).get(uid)?.has('\\Seen'));
    const healthy = await waitFor('the mailbox healthy again', async () => {
      const r = await app.inject({ method: 'GET', url: `/api/v1/mailboxes/${mailboxId}`, headers: admin.bearer });
      const mb = r.json() as { status: string; imap: { lastSyncAt: string | null } };
      return r.statusCode === 200 &&
        mb.status === 'active' &&
        mb.imap.lastSyncAt &&
        Date.parse(mb.imap.lastSyncAt) >= restartedAt
        ? mb
        : null;
    });
    expect(healthy.status).toBe('active');

    // exactly once each; each one is processed into its own ticket, or still queued — a mail that was being ingested
    // when PostgreSQL went away is taken again when its lease ends
    const rows = await waitFor(
      'everything stored and worked through',
      async () => {
        const all = await app.deps.db.select().from(inboundEmails).where(eq(inboundEmails.mailboxId, mailboxId));
        if (all.length !== COUNT + 3) return null;
        const { rows: left } = await database.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM inbound_emails ie
          WHERE ie.mailbox_id = $1 AND ie.status <> 'processed'
            AND ie.status <> 'received'`,
          [mailboxId],
        );
        return left[0]?.n === 0 ? all : null;
      },
      60_000,
    );
    const mids = rows.map((r) => r.messageIdHeader);
    expect(new Set(mids).size).toBe(mids.length);
    for (let i = 0; i < COUNT; i += 1) expect(mids).toContain(`pg-restart-${i}@example.net`);
    expect(mids).toEqual(
      expect.arrayContaining(['imap-before@example.net', 'imap-during-1@example.net', 'imap-during-2@example.net']),
    );
    const smtpRows = await app.deps.db
      .select()
      .from(inboundEmails)
      .where(like(inboundEmails.messageIdHeader, 'pg-restart-%'));
    const ticketIds = smtpRows.map((r) => r.ticketId).filter((id): id is string => id !== null);
    expect(new Set(ticketIds).size).toBe(ticketIds.length);
    expect(ticketIds.length).toBeGreaterThan(0);
  }, 180_000);
});
