import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { Jobs } from '../../platform/jobs/jobs.ts';
import { sendEmailJob } from './email.jobs.ts';
import type { MailboxRow } from './mailboxes.service.ts';

export interface IngestOutcomeRecord {
  inboundId: string;
  outcome: string;
  ticketId: string;
  messageId: string;
  /** the mail's Message-ID, kept for threading the conversation's later mail */
  messageIdHeader: string | null;
  /** the acknowledgement to queue (once per inbound mail), or null */
  ack: { mailbox: MailboxRow; recipient: string } | null;
  now: Date;
}

/**
 * The end of an ingest that stored a message, in one statement: the mail's Message-ID for threading, the
 * acknowledgement's outbound row, and the inbound row marked processed — three writes that were three round trips.
 * The acknowledgement's `email.send` job goes in the same transaction (pg-boss's own statement).
 */
export async function recordIngestOutcome(
  t: { client: pg.PoolClient; jobs: Jobs },
  o: IngestOutcomeRecord,
): Promise<void> {
  const domain = o.ack?.mailbox.address.split('@')[1] ?? 'localhost';
  const { rows } = await t.client.query<{ ack_id: string | null }>(
    `WITH ids AS (
       INSERT INTO email_message_ids (message_id_header, message_id, ticket_id, direction)
       SELECT $1::text, $2::uuid, $3::uuid, 'inbound' WHERE $1::text IS NOT NULL
       ON CONFLICT DO NOTHING),
     ack AS (
       INSERT INTO outbound_emails (idempotency_key, kind, ticket_id, message_id, mailbox_id, recipient,
                                    message_id_header, created_at)
       SELECT 'ack:' || $4::text, 'ack', $3::uuid, NULL, $5::uuid, $6::text, $7::text, $8::timestamptz
        WHERE $5::uuid IS NOT NULL
       ON CONFLICT DO NOTHING
       RETURNING id),
     done AS (
       UPDATE inbound_emails SET status = 'processed', outcome = $9::text, ticket_id = $3::uuid, message_id = $2::uuid,
              processed_at = $8::timestamptz, error = NULL
        WHERE id = $4::uuid)
     SELECT (SELECT id FROM ack) AS ack_id`,
    [
      o.messageIdHeader,
      o.messageId,
      o.ticketId,
      o.inboundId,
      o.ack?.mailbox.id ?? null,
      o.ack?.recipient ?? null,
      `seva.ack.${randomUUID()}@${domain}`,
      o.now,
      o.outcome,
    ],
  );
  const ackId = rows[0]?.ack_id;
  if (ackId) await t.jobs.send(sendEmailJob, { outboundEmailId: ackId }, { client: t.client, singletonKey: ackId });
}
