import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestDeps } from '../src/modules/email/ingest-inbound-email.ts';
import { processInboundEmail } from '../src/modules/email/process-inbound-email.job.ts';
import { storeInboundEmail } from '../src/modules/email/store-inbound-email.ts';
import { waitForEarlierThreadMail } from '../src/modules/email/thread-order.ts';
import { inboundEmails, tickets } from '../src/platform/db/schema/index.ts';
import { createStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { handDrivenIngestDeps } from './ingest-deps.ts';

// Several workers ingest mail at once (SEVA_EMAIL_WORKERS); mails of one conversation must still end up in order.

let t: TestApp;
let deps: IngestDeps;
let mailboxId: string;
const MAILBOX = 'order@example.com';

beforeAll(async () => {
  t = await createTestApp();
  const admin = await createStaff(t, 'admin');
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/mailboxes',
    headers: admin.bearer,
    payload: { address: MAILBOX, name: 'Order' },
  });
  expect(res.statusCode).toBe(201);
  mailboxId = res.json().id;
  deps = handDrivenIngestDeps(t);
});
afterAll(async () => {
  await t?.close();
});

function mail(o: { from: string; messageId: string; subject: string; body: string; inReplyTo?: string }): Buffer {
  const lines = [
    `From: Customer <${o.from}>`,
    `To: ${MAILBOX}`,
    `Subject: ${o.subject}`,
    `Message-ID: <${o.messageId}>`,
    ...(o.inReplyTo ? [`In-Reply-To: <${o.inReplyTo}>`, `References: <${o.inReplyTo}>`] : []),
    'Date: Sun, 06 Dec 2026 09:00:00 +0000',
    'Content-Type: text/plain; charset=utf-8',
    '',
    o.body,
    '',
  ];
  return Buffer.from(lines.join('\r\n'));
}

async function store(raw: Buffer): Promise<string> {
  const stored = await storeInboundEmail(deps, {
    mailboxId,
    source: 'hook',
    envelopeFrom: '',
    envelopeTo: [MAILBOX],
    remoteAddress: null,
    raw,
  });
  return stored.id;
}

async function outcomes(ids: string[]) {
  const rows = await t.deps.db.select().from(inboundEmails).where(inArray(inboundEmails.id, ids));
  return new Map(rows.map((r) => [r.id, r]));
}

describe('mails of one conversation ingested at once', () => {
  it('puts a reply on its original ticket even when the reply is picked up first', async () => {
    const pairs: Array<{ original: string; reply: string }> = [];
    for (let i = 0; i < 6; i += 1) {
      const from = `order-${i}@example.org`;
      const original = await store(
        mail({ from, messageId: `orig-${i}@example.org`, subject: `Order ${i} is late`, body: 'Where is it?' }),
      );
      const reply = await store(
        mail({
          from,
          messageId: `again-${i}@example.org`,
          inReplyTo: `orig-${i}@example.org`,
          subject: `Re: Order ${i} is late`,
          body: 'Also: the tracking link is broken.',
        }),
      );
      // stored within one millisecond (as a burst does): the order lies in the microseconds only
      await t.deps.database.pool.query(
        `UPDATE inbound_emails SET received_at = date_trunc('milliseconds', now()) + CASE id WHEN $1 THEN interval '100 microseconds' ELSE interval '200 microseconds' END
          WHERE id IN ($1, $2)`,
        [original, reply],
      );
      pairs.push({ original, reply });
    }
    // the reply's worker starts first; the original's a moment later
    await Promise.all(
      pairs.map(async (p) => {
        const reply = processInboundEmail(deps, p.reply);
        await new Promise((r) => setTimeout(r, 5));
        const original = processInboundEmail(deps, p.original);
        expect(await Promise.all([reply, original])).toEqual(['processed', 'processed']);
      }),
    );
    const rows = await outcomes(pairs.flatMap((p) => [p.original, p.reply]));
    for (const p of pairs) {
      const original = rows.get(p.original);
      const reply = rows.get(p.reply);
      expect(original?.outcome).toBe('ticket_created');
      expect(reply?.outcome).toBe('message_added');
      expect(reply?.ticketId).toBe(original?.ticketId);
    }
  });

  it('makes one ticket of one Message-ID delivered twice with different content, at the same moment', async () => {
    const pairs: string[][] = [];
    for (let i = 0; i < 6; i += 1) {
      const from = `twice-${i}@example.org`;
      const messageId = `twice-${i}@example.org`;
      // another route added a footer: a different content hash, so both copies are stored
      const a = await store(mail({ from, messageId, subject: `Refund ${i}`, body: 'Please refund order.' }));
      const b = await store(
        mail({ from, messageId, subject: `Refund ${i}`, body: 'Please refund order.\r\n-- \r\nscanned by relay' }),
      );
      expect(a).not.toBe(b);
      pairs.push([a, b]);
    }
    await Promise.all(
      pairs.map(async (ids) => {
        expect(await Promise.all(ids.map((id) => processInboundEmail(deps, id)))).toEqual(['processed', 'processed']);
      }),
    );
    const rows = await outcomes(pairs.flat());
    for (const ids of pairs) {
      const got = ids.map((id) => rows.get(id));
      expect(got.map((r) => r?.outcome).sort()).toEqual(['duplicate', 'ticket_created']);
      expect(got[0]?.ticketId).toBeTruthy();
      expect(got[0]?.ticketId).toBe(got[1]?.ticketId);
    }
    const made = await t.deps.db
      .select({ id: tickets.id })
      .from(tickets)
      .where(
        inArray(
          tickets.subject,
          pairs.map((_, i) => `Refund ${i}`),
        ),
      );
    expect(made).toHaveLength(pairs.length);
  });

  it('waits for an unprocessed original only so long, then lets the reply go ahead on its own', async () => {
    const original = await store(
      mail({ from: 'stuck@example.org', messageId: 'stuck@example.org', subject: 'Stuck', body: 'First.' }),
    );
    const replyId = await store(
      mail({
        from: 'stuck@example.org',
        messageId: 'stuck-reply@example.org',
        inReplyTo: 'stuck@example.org',
        subject: 'Re: Stuck',
        body: 'Second.',
      }),
    );
    const [reply] = await t.deps.db.select().from(inboundEmails).where(eq(inboundEmails.id, replyId));
    if (!reply) throw new Error('reply not stored');
    const waited = await waitForEarlierThreadMail(
      deps.db,
      reply,
      { inReplyTo: ['stuck@example.org'], references: [] },
      { maxWaitMs: 300, pollMs: 20 },
    );
    expect(waited).toBeGreaterThanOrEqual(300);
    expect(waited).toBeLessThan(2_000);
    // nothing earlier to wait for: no wait at all
    expect(
      await waitForEarlierThreadMail(deps.db, reply, { inReplyTo: ['nobody@example.org'], references: [] }),
    ).toBeLessThan(100);
    // the original processed, the reply no longer waits and lands on its ticket
    expect(await processInboundEmail(deps, original)).toBe('processed');
    expect(
      await waitForEarlierThreadMail(deps.db, reply, { inReplyTo: ['stuck@example.org'], references: [] }),
    ).toBeLessThan(100);
    expect(await processInboundEmail(deps, replyId)).toBe('processed');
    const rows = await outcomes([original, replyId]);
    expect(rows.get(replyId)?.ticketId).toBe(rows.get(original)?.ticketId);
  });
});
