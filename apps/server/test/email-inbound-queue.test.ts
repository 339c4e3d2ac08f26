import { eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestDeps } from '../src/modules/email/ingest-inbound-email.ts';
import { processNextInboundEmail } from '../src/modules/email/process-inbound-email.job.ts';
import { storeInboundEmail } from '../src/modules/email/store-inbound-email.ts';
import { inboundEmails } from '../src/platform/db/schema/index.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { handDrivenIngestDeps } from './ingest-deps.ts';

// The inbound_emails table is the ingest queue (decision 0013). This app has no worker role: the test takes mail
// from the queue by hand, so nothing races it.

let t: TestApp;
let admin: TestStaff;
let deps: IngestDeps;
let mailboxId: string;
const MAILBOX = 'queue@example.com';

beforeAll(async () => {
  t = await createTestApp();
  admin = await createStaff(t, 'admin');
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/mailboxes',
    headers: admin.bearer,
    payload: { address: MAILBOX, name: 'Queue', ackEnabled: false },
  });
  expect(res.statusCode).toBe(201);
  mailboxId = res.json().id;
  deps = handDrivenIngestDeps(t);
});
afterAll(async () => {
  await t?.close();
});

async function store(messageId: string, subject: string): Promise<string> {
  const raw = Buffer.from(
    [
      `From: Customer <${messageId.split('@')[0]}@customers.example.org>`,
      `To: ${MAILBOX}`,
      `Subject: ${subject}`,
      `Message-ID: <${messageId}>`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      'Hello, I need help.',
      '',
    ].join('\r\n'),
  );
  let woken = 0;
  const stored = await storeInboundEmail(
    { pool: t.deps.database.pool, wake: () => (woken += 1) },
    { mailboxId, source: 'hook', envelopeFrom: '', envelopeTo: [MAILBOX], remoteAddress: null, raw },
  );
  expect(woken).toBe(1);
  return stored.id;
}

async function row(id: string) {
  const [r] = await t.deps.db.select().from(inboundEmails).where(eq(inboundEmails.id, id));
  if (!r) throw new Error('no such inbound email');
  return r;
}

/** as if the retry time (or a lease) had passed */
async function makeDue(id: string) {
  await t.deps.db
    .update(inboundEmails)
    .set({ nextAttemptAt: sql`now() - interval '1 second'` })
    .where(eq(inboundEmails.id, id));
}

async function drain() {
  while ((await processNextInboundEmail(deps)) !== null) {}
}

describe('the inbound mail queue', () => {
  it('gives every stored mail to exactly one of several workers taking mail at once, oldest first', async () => {
    await drain();
    const ids: string[] = [];
    for (let i = 0; i < 12; i += 1) ids.push(await store(`q-many-${i}@example.net`, `Many ${i}`));
    const outcomes = await Promise.all(Array.from({ length: 12 }, () => processNextInboundEmail(deps)));
    expect(outcomes.filter((o) => o === 'processed')).toHaveLength(12);
    const rows = await t.deps.db.select().from(inboundEmails).where(inArray(inboundEmails.id, ids));
    expect(rows.every((r) => r.status === 'processed' && r.attempts === 1 && r.outcome === 'ticket_created')).toBe(
      true,
    );
    expect(new Set(rows.map((r) => r.ticketId)).size).toBe(12);
    expect(await processNextInboundEmail(deps)).toBeNull();
  });

  it('leaves a mail a worker holds alone until its lease ends, then takes it again', async () => {
    await drain();
    const id = await store('q-lease@example.net', 'Lease');
    // a worker that took it and died: the attempt counted, the lease running
    await t.deps.db
      .update(inboundEmails)
      .set({ attempts: 1, nextAttemptAt: sql`now() + interval '120 seconds'` })
      .where(eq(inboundEmails.id, id));
    expect(await processNextInboundEmail(deps)).toBeNull();
    await makeDue(id);
    expect(await processNextInboundEmail(deps)).toBe('processed');
    expect(await row(id)).toMatchObject({ status: 'processed', attempts: 2 });
  });

  it('retries a failing mail later with a growing delay, quarantines it after five attempts, and an admin can retry it', async () => {
    await drain();
    // a real failure inside the ingest transaction: PostgreSQL refuses this subject's ticket
    await t.deps.database.pool.query(`
      CREATE FUNCTION test_refuse_ticket() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.subject = 'Refuse me' THEN RAISE EXCEPTION 'refused for the test'; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER test_refuse_ticket BEFORE INSERT ON tickets FOR EACH ROW EXECUTE FUNCTION test_refuse_ticket();`);
    try {
      const id = await store('q-fail@example.net', 'Refuse me');
      const delays: number[] = [];
      for (let attempt = 1; attempt <= 4; attempt += 1) {
        await expect(processNextInboundEmail(deps)).rejects.toThrow();
        const r = await row(id);
        expect(r).toMatchObject({ status: 'received', attempts: attempt });
        expect(r.error).toContain('refused for the test');
        delays.push(Math.round((r.nextAttemptAt.getTime() - Date.now()) / 1000));
        // not due yet: nobody takes it
        expect(await processNextInboundEmail(deps)).toBeNull();
        await makeDue(id);
      }
      expect(delays).toHaveLength(4);
      delays.forEach((d, i) => expect(Math.abs(d - 2 * 2 ** i)).toBeLessThanOrEqual(1));
      expect(await processNextInboundEmail(deps)).toBe('quarantined');
      expect(await row(id)).toMatchObject({ status: 'quarantined', attempts: 5 });
      expect(await processNextInboundEmail(deps)).toBeNull();

      // fixed: the admin retries it, and it goes through on its next attempt
      await t.deps.database.pool.query('DROP TRIGGER test_refuse_ticket ON tickets');
      const retry = await t.app.inject({
        method: 'POST',
        url: `/api/v1/inbound-emails/${id}/retry`,
        headers: admin.bearer,
      });
      expect(retry.statusCode, retry.body).toBe(200);
      expect(retry.json()).toMatchObject({ status: 'received' });
      expect(await processNextInboundEmail(deps)).toBe('processed');
      expect(await row(id)).toMatchObject({ status: 'processed', attempts: 1, outcome: 'ticket_created', error: null });
    } finally {
      await t.deps.database.pool.query('DROP TRIGGER IF EXISTS test_refuse_ticket ON tickets');
      await t.deps.database.pool.query('DROP FUNCTION IF EXISTS test_refuse_ticket()');
    }
  });
});
