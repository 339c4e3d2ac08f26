import { randomUUID } from 'node:crypto';
import { and, eq, gt, sql } from 'drizzle-orm';
import type pg from 'pg';
import type { Db } from '../../platform/db/client.ts';
import { outboundEmails } from '../../platform/db/schema/index.ts';
import type { Jobs } from '../../platform/jobs/jobs.ts';
import type { checkAuthentication } from './check-authentication.ts';
import { sendEmailJob } from './email.jobs.ts';
import { type isAutoSubmitted, mayAutoReply } from './is-auto-submitted.ts';
import type { MailboxRow } from './mailboxes.service.ts';

/** acknowledgements per recipient per hour */
export const ACK_LIMIT_PER_HOUR = 3;

/**
 * Whether a new email ticket gets an acknowledgement: 'queued', 'rate_limited' (ACK_LIMIT_PER_HOUR to one address),
 * or null when none is due at all (switched off, an automated sender, staff, a failed authentication).
 */
export async function decideAcknowledgement(
  tx: Db,
  o: {
    mailbox: MailboxRow;
    auto: ReturnType<typeof isAutoSubmitted>;
    staff: { id: string } | undefined;
    authCheck: ReturnType<typeof checkAuthentication>;
    sender: string;
    now: Date;
  },
): Promise<'queued' | 'rate_limited' | null> {
  if (!o.mailbox.isAckEnabled || !mayAutoReply(o.auto) || o.staff || o.authCheck.verdict === 'fail') return null;
  const since = new Date(o.now.getTime() - 3600_000);
  const [recent] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(outboundEmails)
    .where(
      and(eq(outboundEmails.kind, 'ack'), eq(outboundEmails.recipient, o.sender), gt(outboundEmails.createdAt, since)),
    );
  return (recent?.n ?? 0) >= ACK_LIMIT_PER_HOUR ? 'rate_limited' : 'queued';
}

/** Queues the acknowledgement of a new email ticket (once per inbound mail), sent by the `email.send` job. */
export async function queueAcknowledgement(
  t: { tx: Db; client: pg.PoolClient; jobs: Jobs },
  o: { inboundId: string; mailbox: MailboxRow; ticketId: string; sender: string; now: Date },
): Promise<void> {
  const domain = o.mailbox.address.split('@')[1] ?? 'localhost';
  const [out] = await t.tx
    .insert(outboundEmails)
    .values({
      idempotencyKey: `ack:${o.inboundId}`,
      kind: 'ack',
      ticketId: o.ticketId,
      messageId: null,
      mailboxId: o.mailbox.id,
      recipient: o.sender,
      messageIdHeader: `seva.ack.${randomUUID()}@${domain}`,
      createdAt: o.now,
    })
    .onConflictDoNothing()
    .returning({ id: outboundEmails.id });
  if (out) await t.jobs.send(sendEmailJob, { outboundEmailId: out.id }, { client: t.client, singletonKey: out.id });
}
