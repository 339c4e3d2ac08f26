import { eq } from 'drizzle-orm';
import type { Mail } from 'nodemailer';
import { expect } from 'vitest';
import { createRelayTransport, type SendDeps } from '../src/modules/email/send-email.job.ts';
import type { ManualClock } from '../src/platform/clock.ts';
import { outboundEmails } from '../src/platform/db/schema/index.ts';
import type { JobContext } from '../src/platform/jobs/jobs.ts';
import { createStaff } from './factories.ts';
import { type Sink, startSink } from './fakes/smtp-sink.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api, openTicket } from './tickets-helpers.ts';

/**
 * A desk for the outbound send job's tests: the app without the worker role (each test starts the job's attempts
 * itself, as pg-boss would), a mailbox, one ticket, and a real SMTP server as the relay that can hold its answers or
 * refuse a message for now (451). The transport is not pooled: each attempt opens its own connection to the relay,
 * as attempts in two processes would.
 */
export interface OutboundDesk {
  t: TestApp;
  sink: Sink;
  deps: SendDeps;
  /** an acknowledgement waiting to go out (an `email.send` job's row), as the inbound path queues it */
  queuedAck(values?: Partial<typeof outboundEmails.$inferInsert>): Promise<typeof outboundEmails.$inferSelect>;
  outboundRow(id: string): Promise<typeof outboundEmails.$inferSelect>;
  /** the copies of one outbound email the relay accepted */
  copiesOf(out: { messageIdHeader: string }): unknown[];
  close(): Promise<void>;
}

/** one attempt of an `email.send` job (retryCount 0: the first) */
export const sendAttempt = (retryCount = 0): JobContext => ({ jobId: `job-${retryCount}`, retryCount, retryLimit: 6 });

export async function startOutboundDesk(clock: ManualClock, name: string): Promise<OutboundDesk> {
  const sink = await startSink();
  const t = await createTestApp({ clock, env: { HOST: '127.0.0.1' } });
  const admin = await createStaff(t, 'admin');
  const mailbox = await api(t, admin, 'POST', '/mailboxes', { address: 'support@example.com', name: 'Support' });
  expect(mailbox.statusCode, mailbox.body).toBe(201);
  const mailboxId: string = mailbox.json().id;
  const ticketId = (await openTicket(t, admin, { subject: 'Where is my parcel?' })).id;
  const transport = createRelayTransport(`smtp://127.0.0.1:${sink.port}`) as Mail;
  const deps: SendDeps = { db: t.deps.db, config: t.config, now: () => clock.now(), transport: () => transport };
  let seq = 0;
  return {
    t,
    sink,
    deps,
    async queuedAck(values = {}) {
      seq += 1;
      const [row] = await t.deps.db
        .insert(outboundEmails)
        .values({
          idempotencyKey: `ack:${name}-${seq}`,
          kind: 'ack',
          ticketId,
          mailboxId,
          recipient: `${name}-${seq}@example.net`,
          messageIdHeader: `seva.ack.${name}-${seq}@example.com`,
          createdAt: clock.now(),
          ...values,
        })
        .returning();
      if (!row) throw new Error('no outbound email inserted');
      return row;
    },
    async outboundRow(id) {
      const [row] = await t.deps.db.select().from(outboundEmails).where(eq(outboundEmails.id, id));
      if (!row) throw new Error(`outbound email ${id} vanished`);
      return row;
    },
    copiesOf: (out) => sink.mails.filter((m) => m.raw.includes(`<${out.messageIdHeader}>`)),
    async close() {
      transport.close();
      await t.close();
      await sink.close();
    },
  };
}
