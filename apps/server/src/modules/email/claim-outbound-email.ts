import { and, eq, isNull, lte, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { reusableQuery } from '../../platform/db/reusable-query.ts';
import { emailThreads, mailboxes, outboundEmails, tickets } from '../../platform/db/schema/index.ts';

/**
 * How long one attempt holds an outbound email (`outbound_emails.sending_until`). It must outlast the longest send.
 * The relay transport (createRelayTransport) allows 20 s to connect and 20 s for the greeting, then 60 s of silence
 * at each step of the SMTP conversation (EHLO, STARTTLS, AUTH, MAIL FROM, one RCPT TO per recipient — up to 41 with
 * CC and BCC —, DATA, the end of the data); the socket timeout counts silence, not the whole send, so a relay that
 * stalls on several steps, or takes a large attachment slowly, holds one send for minutes. 10 minutes is a fresh
 * connection (40 s) and nine full 60 s silences.
 *
 * The send job's expiry (`email.send` expireInSeconds, email.jobs.ts: 12 minutes) is longer than the lease, so the
 * two are chosen together: pg-boss does not fail a live attempt's job
 * before its lease ends, so that attempt's own job reports its outcome (a transient failure gets pg-boss's retry),
 * and a second job that finds the lease live can give way with nothing lost; a crashed attempt's job expires only
 * after its lease has run out (pg-boss looks for expired jobs every 2 minutes, then waits the retry delay), so
 * pg-boss's retry of that job claims the mail and sends it. The 2 minutes between lease and expiry cover the time
 * from pg-boss starting the job to the claim. A mail whose jobs are gone altogether is re-queued by the stranded
 * sweep (requeue-stranded-outbound.ts), which reads `sending_until` as the end of the last attempt: an attempt that
 * gives the mail back sets it to the moment it did so (a lease that has ended), not to null.
 */
export const OUTBOUND_LEASE_MS = 10 * 60_000;

/**
 * Takes the outbound row for one attempt and reads what composing the mail needs — its ticket, the ticket's email
 * thread, the mailbox it goes out from, the Message-IDs of the conversation so far and the customer's name — in one
 * statement (each read was a round trip, and an acknowledgement goes out for most new email tickets). The attempt is
 * counted and the lease set only while the row is still `queued` and no other attempt holds a live lease (a lease
 * ends at `sending_until`: one given back at `now` is free at `now`). Nothing
 * comes back when another attempt is sending it, or it is no longer queued (sent; failed — a bounce marks a sent
 * mail failed —; skipped; gone): the caller then must not send.
 */
const claimStatement = reusableQuery((db) => {
  const claimed = db.$with('claimed').as(
    db
      .update(outboundEmails)
      .set({
        attempts: sql`${outboundEmails.attempts} + 1`,
        sendingUntil: sql`${sql.placeholder('until')}::timestamptz`,
      })
      .where(
        and(
          eq(outboundEmails.id, sql.placeholder('id')),
          eq(outboundEmails.status, 'queued'),
          or(
            isNull(outboundEmails.sendingUntil),
            lte(outboundEmails.sendingUntil, sql`${sql.placeholder('now')}::timestamptz`),
          ),
        ),
      )
      .returning(),
  );
  return db
    .with(claimed)
    .select({
      out: {
        id: claimed.id,
        kind: claimed.kind,
        ticketId: claimed.ticketId,
        messageId: claimed.messageId,
        mailboxId: claimed.mailboxId,
        recipient: claimed.recipient,
        messageIdHeader: claimed.messageIdHeader,
        attempts: claimed.attempts,
        sendingUntil: claimed.sendingUntil,
      },
      ticket: {
        id: tickets.id,
        number: tickets.number,
        subject: tickets.subject,
        language: tickets.language,
        customerId: tickets.customerId,
      },
      thread: { replyToken: emailThreads.replyToken, mailboxId: emailThreads.mailboxId },
      mailbox: {
        id: mailboxes.id,
        address: mailboxes.address,
        name: mailboxes.name,
        fromName: mailboxes.fromName,
        signature: mailboxes.signature,
        ackTemplates: mailboxes.ackTemplates,
        status: mailboxes.status,
      },
      customerName: sql<string | null>`(SELECT c.name FROM customers c WHERE c.id = ${tickets.customerId})`,
      ids: sql<{ header: string; direction: string }[] | null>`(
        SELECT json_agg(json_build_object('header', i.message_id_header, 'direction', i.direction) ORDER BY i.created_at)
          FROM email_message_ids i WHERE i.ticket_id = ${tickets.id})`,
    })
    .from(claimed)
    .leftJoin(tickets, eq(tickets.id, claimed.ticketId))
    .leftJoin(emailThreads, eq(emailThreads.ticketId, claimed.ticketId))
    .leftJoin(mailboxes, eq(mailboxes.id, sql`coalesce(${claimed.mailboxId}, ${emailThreads.mailboxId})`));
});

export type ClaimedOutbound = Awaited<ReturnType<typeof claimStatement>>[number];

/** Claims the outbound row for one attempt at `now` (see claimStatement); undefined: send nothing. */
export async function claimOutboundEmail(
  db: DbOrTx,
  input: { id: string; now: Date },
): Promise<ClaimedOutbound | undefined> {
  const until = new Date(input.now.getTime() + OUTBOUND_LEASE_MS);
  const [claimed] = await claimStatement(db, { id: input.id, now: input.now, until });
  return claimed;
}

/** Matches the row only while this attempt's lease (`sendingUntil` as claimed) is still the one set on it. */
export function heldBy(out: { id: string; sendingUntil: Date | null }) {
  return and(
    eq(outboundEmails.id, out.id),
    eq(outboundEmails.status, 'queued'),
    out.sendingUntil ? eq(outboundEmails.sendingUntil, out.sendingUntil) : isNull(outboundEmails.sendingUntil),
  );
}

/**
 * Gives the row back (queued, the lease ended at `now`, so the next job can claim it at once and the stranded sweep
 * knows when it was last tried); no-op if another attempt holds it.
 */
export async function releaseOutboundEmail(
  db: DbOrTx,
  out: { id: string; sendingUntil: Date | null },
  now: Date,
): Promise<void> {
  await db.update(outboundEmails).set({ sendingUntil: now }).where(heldBy(out));
}
