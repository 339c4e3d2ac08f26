import { eq } from 'drizzle-orm';
import nodemailer, { type Mail } from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailRuntime } from '../src/modules/email/email-runtime.ts';
import { findFreePort } from '../src/platform/db/free-port.ts';
import { inboundEmails, outboundEmails } from '../src/platform/db/schema/index.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';

/**
 * RELIABILITY.md promise 9 with the outbound relay down: a reply is queued, retried with backoff and shown as pending
 * (with the error) on the message; it is delivered once the relay is back, exactly once; a relay that refuses the
 * mail for good marks the message failed at once, with the reason on the message and on the mailbox.
 */

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false>, ms = 30_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Relay {
  mails: string[];
  attempts: number;
  close(): Promise<void>;
}

/** A real SMTP relay on `port`; `refuse` makes it answer every RCPT with that permanent error. */
async function startRelay(port: number, refuse?: string): Promise<Relay> {
  const relay: Relay = { mails: [], attempts: 0, close: async () => {} };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(_address, _session, cb) {
      relay.attempts += 1;
      if (refuse) cb(Object.assign(new Error(refuse), { responseCode: 550 }));
      else cb();
    },
    onData(stream, _session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        relay.mails.push(Buffer.concat(chunks).toString('utf8'));
        cb();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  relay.close = () => new Promise((r) => server.close(() => r()));
  return relay;
}

let t: TestApp;
let admin: TestStaff;
let agent: TestStaff;
let relayPort: number;
let listener: Mail;
const relays: Relay[] = [];

beforeAll(async () => {
  // nothing listens on the relay's port yet: the relay is down
  relayPort = await findFreePort();
  t = await createTestApp({
    env: { SEVA_ROLES: 'api,realtime,worker', SEVA_SMTP_RELAY_URL: `smtp://127.0.0.1:${relayPort}`, HOST: '127.0.0.1' },
  });
  admin = await createStaff(t, 'admin');
  agent = await createStaff(t, 'agent');
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/mailboxes',
    headers: admin.bearer,
    payload: { address: 'support@example.com', name: 'Support', ackEnabled: false },
  });
  expect(res.statusCode, res.body).toBe(201);
  listener = nodemailer.createTransport({
    host: '127.0.0.1',
    port: emailRuntime(t.deps, () => {}).smtpPort,
    secure: false,
    ignoreTLS: true,
  });
}, 60_000);

afterAll(async () => {
  listener?.close();
  for (const r of relays) await r.close();
  await t?.close();
});

interface MessageDto {
  id: string;
  status: string;
  meta: { email?: { messageId?: string; delivery?: { status: string; error?: string; attempts?: number } } };
}

async function ticketFromMail(messageId: string, from: string): Promise<string> {
  await listener.sendMail({
    envelope: { from, to: ['support@example.com'] },
    raw: `From: ${from}\r\nTo: support@example.com\r\nSubject: Where is my parcel?\r\nMessage-ID: <${messageId}>\r\n\r\nIt has not arrived.\r\n`,
  });
  const row = await waitFor('the ticket', async () => {
    const [r] = await t.deps.db.select().from(inboundEmails).where(eq(inboundEmails.messageIdHeader, messageId));
    return r?.ticketId ? r : null;
  });
  return row.ticketId as string;
}

async function reply(ticketId: string, body: string): Promise<string> {
  const post = await t.app.inject({
    method: 'POST',
    url: `/api/v1/tickets/${ticketId}/messages`,
    headers: agent.bearer,
    payload: { body },
  });
  expect(post.statusCode, post.body).toBe(201);
  return post.json().id as string;
}

async function messageOf(ticketId: string, messageId: string): Promise<MessageDto> {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticketId}/messages`, headers: agent.bearer });
  expect(res.statusCode).toBe(200);
  const m = (res.json().items as MessageDto[]).find((x) => x.id === messageId);
  if (!m) throw new Error('message not listed');
  return m;
}

describe('the outbound relay is down', () => {
  it('keeps the reply queued with the error, retries it, and delivers it once when the relay is back', async () => {
    const ticketId = await ticketFromMail('parcel-1@example.net', 'asha@example.net');
    const messageId = await reply(ticketId, 'Your parcel left our warehouse today.');

    // the first attempt fails (connection refused): pending, with the reason and the attempt count on the message
    const pending = await waitFor('the failed first attempt on the message', async () => {
      const m = await messageOf(ticketId, messageId);
      return m.meta.email?.delivery?.error ? m : null;
    });
    expect(pending.status).toBe('queued');
    expect(pending.meta.email?.delivery).toMatchObject({ status: 'queued', attempts: 1 });
    expect(pending.meta.email?.delivery?.error).toMatch(/ECONNREFUSED|connect/i);
    const [out] = await t.deps.db.select().from(outboundEmails).where(eq(outboundEmails.messageId, messageId));
    expect(out).toMatchObject({ status: 'queued', attempts: 1 });
    // a retry is scheduled with a delay (backoff), not run again at once
    const retry = await waitFor('the retry scheduled', async () => {
      const { rows } = await t.db.database.pool.query<{ state: string; start_after: Date }>(
        `SELECT state, start_after FROM pgboss.job WHERE singleton_key = $1`,
        [out?.id],
      );
      return rows.length === 1 && rows[0]?.state === 'retry' ? rows[0] : null;
    });
    expect(retry.start_after.getTime()).toBeGreaterThan(Date.now());

    // the relay comes back: the retry delivers it
    const relay = await startRelay(relayPort);
    relays.push(relay);
    const sent = await waitFor(
      'the reply delivered',
      async () => {
        const m = await messageOf(ticketId, messageId);
        return m.status === 'sent' ? m : null;
      },
      60_000,
    );
    expect(sent.meta.email?.delivery?.status).toBe('sent');
    // exactly once: one copy reached the relay, and no job is left that could send it again
    const copies = relay.mails.filter((raw) => raw.includes(`<${sent.meta.email?.messageId}>`));
    expect(copies).toHaveLength(1);
    expect(copies[0]).toMatch(/In-Reply-To: <parcel-1@example\.net>/);
    const { rows: after } = await t.db.database.pool.query<{ state: string }>(
      `SELECT state FROM pgboss.job WHERE singleton_key = $1`,
      [out?.id],
    );
    expect(after.map((j) => j.state)).toEqual(['completed']);
    const [done] = await t.deps.db.select().from(outboundEmails).where(eq(outboundEmails.messageId, messageId));
    expect(done).toMatchObject({ status: 'sent', attempts: 2 });
    await relay.close();
    relays.splice(relays.indexOf(relay), 1);
  }, 90_000);

  it('marks a reply the relay refuses for good as failed at once, with the reason on the message and the mailbox', async () => {
    const relay = await startRelay(relayPort, '5.7.1 Relaying denied for this sender');
    relays.push(relay);
    const ticketId = await ticketFromMail('parcel-2@example.net', 'ravi@example.net');
    const messageId = await reply(ticketId, 'We are looking into it.');
    const failed = await waitFor('the failure on the message', async () => {
      const m = await messageOf(ticketId, messageId);
      return m.status === 'failed' ? m : null;
    });
    expect(failed.meta.email?.delivery).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed.meta.email?.delivery?.error).toMatch(/Relaying denied/);
    expect(relay.mails).toHaveLength(0);
    expect(relay.attempts).toBe(1);
    const mailbox = await t.app.inject({ method: 'GET', url: '/api/v1/mailboxes', headers: admin.bearer });
    const mb = (mailbox.json().items as Array<{ address: string; status: string; lastError: string | null }>).find(
      (m) => m.address === 'support@example.com',
    );
    expect(mb?.status).toBe('error');
    expect(mb?.lastError).toMatch(/^outbound: .*Relaying denied/);
    // no retry is scheduled for a permanent refusal
    const [out] = await t.deps.db.select().from(outboundEmails).where(eq(outboundEmails.messageId, messageId));
    const { rows: jobs } = await t.db.database.pool.query<{ state: string }>(
      `SELECT state FROM pgboss.job WHERE singleton_key = $1`,
      [out?.id],
    );
    expect(jobs.map((j) => j.state)).toEqual(['completed']);
  }, 60_000);
});
