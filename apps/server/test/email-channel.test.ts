import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import nodemailer, { type Mail } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailRuntime } from '../src/modules/email/email-runtime.ts';
import { processInboundEmail } from '../src/modules/email/process-inbound-email.job.ts';
import { storeInboundEmail } from '../src/modules/email/store-inbound-email.ts';
import { inboundEmails, mailboxes, messages, outboundEmails, tickets } from '../src/platform/db/schema/index.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { startSink } from './fakes/smtp-sink.ts';
import { createTestApp, type TestApp } from './harness.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/email');
const SPAMASSASSIN = '/work/shared/data/email/spamassassin';

async function waitFor<T>(fn: () => Promise<T | undefined | null | false>, ms = 15_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - start > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

let t: TestApp;
let admin: TestStaff;
let agent: TestStaff;
let sink: Awaited<ReturnType<typeof startSink>>;
let smtp: Mail;

beforeAll(async () => {
  sink = await startSink();
  t = await createTestApp({ env: { SEVA_ROLES: 'api,realtime,worker', SEVA_SMTP_RELAY_URL: `smtp://127.0.0.1:${sink.port}`, SEVA_SMTP_MAX_MESSAGE_BYTES: String(200 * 1024), HOST: '127.0.0.1' } });
  admin = await createStaff(t, 'admin');
  agent = await createStaff(t, 'agent');
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/mailboxes', headers: admin.bearer, payload: { address: 'support@example.com', name: 'Support' } });
  expect(res.statusCode).toBe(201);
  smtp = nodemailer.createTransport({ host: '127.0.0.1', port: emailRuntime(t.deps, () => {}).smtpPort, secure: false, ignoreTLS: true });
});
afterAll(async () => {
  smtp?.close();
  await t?.close();
  await sink?.close();
});

async function ticketByMessageId(mid: string) {
  return waitFor(async () => {
    const [row] = await t.deps.db.select().from(inboundEmails).where(eq(inboundEmails.messageIdHeader, mid));
    if (!row || row.status === 'received') return undefined;
    return row;
  });
}

describe('mailboxes admin API', () => {
  it('creates, reads, updates and deletes a mailbox, never returning the IMAP password', async () => {
    const create = await t.app.inject({
      method: 'POST',
      url: '/api/v1/mailboxes',
      headers: admin.bearer,
      payload: { address: 'Billing@Example.com', name: 'Billing', imap: { enabled: true, host: 'imap.example.com', port: 993, user: 'billing', password: 'hunter2-secret' } },
    });
    expect(create.statusCode).toBe(201);
    const mb = create.json();
    expect(mb.address).toBe('billing@example.com');
    expect(mb.imap).toMatchObject({ enabled: true, hasPassword: true });
    expect(create.body).not.toContain('hunter2');
    const [row] = await t.deps.db.select().from(mailboxes).where(eq(mailboxes.id, mb.id));
    expect(row?.imapPasswordEnc).toMatch(/^v1\./);
    expect(row?.imapPasswordEnc).not.toContain('hunter2');

    const dup = await t.app.inject({ method: 'POST', url: '/api/v1/mailboxes', headers: admin.bearer, payload: { address: 'billing@example.com', name: 'Again' } });
    expect(dup.statusCode).toBe(409);
    const patch = await t.app.inject({ method: 'PATCH', url: `/api/v1/mailboxes/${mb.id}`, headers: admin.bearer, payload: { fromName: 'Billing team', signature: 'Thanks', status: 'disabled' } });
    expect(patch.json()).toMatchObject({ fromName: 'Billing team', signature: 'Thanks', status: 'disabled' });
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/mailboxes', headers: admin.bearer });
    expect(list.json().items.map((m: { address: string }) => m.address)).toContain('billing@example.com');
    const del = await t.app.inject({ method: 'DELETE', url: `/api/v1/mailboxes/${mb.id}`, headers: admin.bearer });
    expect(del.statusCode).toBe(204);
    const gone = await t.app.inject({ method: 'GET', url: `/api/v1/mailboxes/${mb.id}`, headers: admin.bearer });
    expect(gone.statusCode).toBe(404);
  });

  it('refuses agents and names the invalid field', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/mailboxes', headers: agent.bearer, payload: { address: 'x@example.com', name: 'X' } });
    expect(res.statusCode).toBe(403);
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/mailboxes', headers: admin.bearer, payload: { address: 'not-an-address', name: 'X' } });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json().errors)).toContain('address');
  });
});

describe('the SMTP listener', () => {
  it('turns a mail into a ticket with the decoded Bengali subject, and acknowledges it', async () => {
    const raw = fs.readFileSync(path.join(fixtures, 'bengali-subject-b-split.eml'));
    await smtp.sendMail({ envelope: { from: 'rahim@example.net', to: ['support@example.com'] }, raw });
    const inbound = await ticketByMessageId('bn-split-1@example.net');
    expect(inbound.status).toBe('processed');
    expect(inbound.outcome).toBe('ticket_created');
    const [ticket] = await t.deps.db.select().from(tickets).where(eq(tickets.id, inbound.ticketId as string));
    expect(ticket).toMatchObject({ subject: 'বাংলায় সাহায্য চাই', channel: 'email', language: 'bn' });
    const msgs = await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket?.id}/messages`, headers: agent.bearer });
    expect(msgs.statusCode).toBe(200);
    const first = msgs.json().items[0];
    expect(first.bodyText).toContain('আমার অর্ডার এখনো আসেনি।');
    expect(first.meta.threading.reason).toBe('new_ticket');
    // the message records that an acknowledgement went out for it
    expect(first.meta.email.acknowledgement).toBe('queued');
    const ack = await waitFor(async () => sink.mails.find((m) => m.to.includes('rahim@example.net')));
    expect(ack.raw).toMatch(/Auto-Submitted: auto-replied/i);
    // the mailbox card shows when mail last came in (kept to within 10 s)
    const [box] = await t.deps.db.select().from(mailboxes).where(eq(mailboxes.address, 'support@example.com'));
    expect(box?.lastReceivedAt).toBeInstanceOf(Date);
    expect(Math.abs(Date.now() - (box?.lastReceivedAt?.getTime() ?? 0))).toBeLessThan(60_000);
  });

  it('refuses recipients that are not mailboxes (no open relay)', async () => {
    await expect(
      smtp.sendMail({ envelope: { from: 'a@example.net', to: ['someone@elsewhere.example'] }, raw: 'Subject: x\r\n\r\nhi\r\n' }),
    ).rejects.toMatchObject({ responseCode: 550 });
  });

  it('refuses an oversize message with 552', async () => {
    const big = `From: a@example.net\r\nTo: support@example.com\r\nSubject: big\r\n\r\n${'x'.repeat(76).concat('\r\n').repeat(4000)}`;
    await expect(smtp.sendMail({ envelope: { from: 'a@example.net', to: ['support@example.com'] }, raw: big })).rejects.toMatchObject({ responseCode: 552 });
  });

  it('stores a duplicate delivery once', async () => {
    const raw = fs.readFileSync(path.join(fixtures, 'hindi-subject-q.eml'));
    await smtp.sendMail({ envelope: { from: 'priya@example.org', to: ['support@example.com'] }, raw });
    await smtp.sendMail({ envelope: { from: 'priya@example.org', to: ['support@example.com'] }, raw: Buffer.concat([Buffer.from('Received: from relay2.example\r\n'), raw]) });
    const inbound = await ticketByMessageId('hi-q-1@example.org');
    const rows = await t.deps.db.select().from(inboundEmails).where(eq(inboundEmails.messageIdHeader, 'hi-q-1@example.org'));
    expect(rows).toHaveLength(1);
    const [ticket] = await t.deps.db.select().from(tickets).where(eq(tickets.id, inbound.ticketId as string));
    expect(ticket?.subject).toBe('हिंदी में मदद चाहिए');
  });

  it('never acknowledges a newsletter', async () => {
    const raw = fs.readFileSync(path.join(fixtures, 'newsletter-bulk.eml'));
    await smtp.sendMail({ envelope: { from: 'news@shop.example', to: ['support@example.com'] }, raw });
    const inbound = await ticketByMessageId('news-1@shop.example');
    const acks = await t.deps.db.select().from(outboundEmails).where(eq(outboundEmails.recipient, 'news@shop.example'));
    expect(inbound.outcome).toBe('ticket_created');
    expect(acks).toHaveLength(0);
  });

  it('acknowledges at most three new tickets an hour to one address, and records the fourth as rate limited', async () => {
    const outcomes: unknown[] = [];
    for (let i = 1; i <= 4; i += 1) {
      await smtp.sendMail({
        envelope: { from: 'eager@example.net', to: ['support@example.com'] },
        raw: `From: Eager <eager@example.net>\r\nTo: support@example.com\r\nSubject: Question ${i}\r\nMessage-ID: <eager-${i}@example.net>\r\n\r\nQuestion number ${i}.\r\n`,
      });
      const inbound = await ticketByMessageId(`eager-${i}@example.net`);
      expect(inbound.outcome).toBe('ticket_created');
      const [m] = await t.deps.db.select().from(messages).where(eq(messages.id, inbound.messageId as string));
      outcomes.push((m?.meta.email as { acknowledgement?: string }).acknowledgement);
    }
    expect(outcomes).toEqual(['queued', 'queued', 'queued', 'rate_limited']);
    const acks = await t.deps.db.select().from(outboundEmails).where(eq(outboundEmails.recipient, 'eager@example.net'));
    expect(acks).toHaveLength(3);
    const sent = await waitFor(async () => {
      const mails = sink.mails.filter((m) => m.to.includes('eager@example.net'));
      return mails.length >= 3 ? mails : undefined;
    });
    await new Promise((r) => setTimeout(r, 500));
    expect(sink.mails.filter((m) => m.to.includes('eager@example.net'))).toHaveLength(3);
    expect(sent.every((m) => /Auto-Submitted: auto-replied/i.test(m.raw))).toBe(true);
  });
});

describe('replies', () => {
  it('sends an agent reply through the relay with threading headers, and threads the customer answer back', async () => {
    await smtp.sendMail({
      envelope: { from: 'cust@example.net', to: ['support@example.com'] },
      raw: 'From: Cust <cust@example.net>\r\nTo: support@example.com\r\nSubject: Printer broken\r\nMessage-ID: <orig-1@example.net>\r\n\r\nIt is broken.\r\n',
    });
    const inbound = await ticketByMessageId('orig-1@example.net');
    const ticketId = inbound.ticketId as string;
    const post = await t.app.inject({ method: 'POST', url: `/api/v1/tickets/${ticketId}/messages`, headers: agent.bearer, payload: { body: 'Have you tried turning it off and on?' } });
    expect(post.statusCode).toBe(201);
    const sent = await waitFor(async () => sink.mails.find((m) => m.raw.includes('turning it off')));
    expect(sent.to).toEqual(['cust@example.net']);
    expect(sent.raw).toMatch(/In-Reply-To: <orig-1@example\.net>/);
    expect(sent.raw).toMatch(/Reply-To: support\+[a-z0-9]+@example\.com/);
    const [out] = await waitFor(async () => {
      const rows = await t.deps.db.select().from(messages).where(eq(messages.id, post.json().id));
      return rows[0]?.status === 'sent' ? rows : undefined;
    });
    const ourId = (out?.meta.email as { messageId: string }).messageId;

    await smtp.sendMail({
      envelope: { from: 'cust@example.net', to: ['support@example.com'] },
      raw: `From: cust@example.net\r\nTo: support@example.com\r\nSubject: Re: Printer broken\r\nMessage-ID: <reply-1@example.net>\r\nIn-Reply-To: <${ourId}>\r\n\r\nStill broken.\r\n`,
    });
    const reply = await ticketByMessageId('reply-1@example.net');
    expect(reply).toMatchObject({ outcome: 'message_added', ticketId });

    // someone else quoting the same Message-ID does not get into this ticket
    await smtp.sendMail({
      envelope: { from: 'intruder@evil.example', to: ['support@example.com'] },
      raw: `From: intruder@evil.example\r\nTo: support@example.com\r\nSubject: Re: Printer broken [#${(await t.deps.db.select().from(tickets).where(eq(tickets.id, ticketId)))[0]?.number}]\r\nMessage-ID: <hijack-1@evil.example>\r\nIn-Reply-To: <${ourId}>\r\n\r\nGive me the data.\r\n`,
    });
    const hijack = await ticketByMessageId('hijack-1@evil.example');
    expect(hijack.outcome).toBe('ticket_created');
    expect(hijack.ticketId).not.toBe(ticketId);
    const [m] = await t.deps.db.select().from(messages).where(eq(messages.id, hijack.messageId as string));
    const threading = m?.meta.threading as { candidates: Array<{ accepted: boolean; note: string }> };
    expect(threading.candidates.every((c) => !c.accepted && c.note === 'sender_not_participant')).toBe(true);
  });
});

describe('ingesting real-world mail', () => {
  it('ingests every SpamAssassin corpus message without error', async () => {
    expect(fs.existsSync(SPAMASSASSIN), `${SPAMASSASSIN} is missing`).toBe(true);
    const files = fs.readdirSync(SPAMASSASSIN).filter((f) => f.endsWith('.eml'));
    expect(files.length).toBeGreaterThan(0);
    const [mb] = await t.deps.db.select().from(mailboxes).where(eq(mailboxes.address, 'support@example.com'));
    const rt = emailRuntime(t.deps, () => {});
    const deps = { db: t.deps.db, pool: t.deps.database.pool, jobs: rt.jobs, config: t.config, now: () => new Date() };
    const failures: string[] = [];
    for (const f of files) {
      const raw = fs.readFileSync(path.join(SPAMASSASSIN, f));
      const stored = await storeInboundEmail(deps, { mailboxId: mb?.id as string, source: 'hook', envelopeFrom: '', envelopeTo: ['support@example.com'], remoteAddress: null, raw });
      try {
        await processInboundEmail(deps, stored.id);
      } catch (err) {
        failures.push(`${f}: ${(err as Error).message}`);
      }
    }
    const notDone = await t.deps.db.select({ id: inboundEmails.id, error: inboundEmails.error, status: inboundEmails.status }).from(inboundEmails).where(eq(inboundEmails.status, 'quarantined'));
    expect(failures.slice(0, 5)).toEqual([]);
    expect(notDone).toEqual([]);
  }, 240_000);
});
