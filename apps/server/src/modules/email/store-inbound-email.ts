import type pg from 'pg';
import { identifyRawEmail } from './content-hash.ts';

export interface StoreInboundEmailInput {
  mailboxId: string;
  source: 'smtp' | 'imap' | 'hook';
  /** MAIL FROM ('' for the null sender), or '' when unknown */
  envelopeFrom: string;
  envelopeTo: string[];
  remoteAddress: string | null;
  raw: Buffer;
  /**
   * Record the message as quarantined (with this reason) instead of queueing it: a poison message (over the size
   * limit, unreadable on the IMAP server) is kept visible in the incoming-mail log and never blocks the mailbox.
   */
  quarantine?: string;
}

export interface StoredInboundEmail {
  id: string;
  /** true when this exact mail was already stored (nothing new was written) */
  duplicate: boolean;
}

/**
 * Commits the raw message, in one statement. Only after this returns may the SMTP listener answer 250 (or IMAP
 * mark the message seen): accepted means stored, and stored means it will be processed — a stored `received` mail
 * is the ingest queue's next item (inbound-queue.ts), so there is no job to send with it. `wake` tells this
 * process's idle workers. A second delivery of the same mail (mailbox + Message-ID + content hash) stores nothing
 * new.
 */
export async function storeInboundEmail(
  ctx: { pool: pg.Pool; wake?: () => void },
  input: StoreInboundEmailInput,
): Promise<StoredInboundEmail> {
  const id = identifyRawEmail(input.raw);
  // The mailbox's last_received_at moves in the same statement, and at most every 10 s: every mail updating it
  // would lock that one row until COMMIT, queueing the mailbox's stores behind each other's WAL flush under a
  // burst.
  const inserted = await ctx.pool.query<{ id: string }>(
    `WITH ins AS (
       INSERT INTO inbound_emails (mailbox_id, source, envelope_from, envelope_to, remote_address, message_id_header,
         content_hash, sha256, size_bytes, raw, status, error, processed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, CASE WHEN $11::text = 'quarantined' THEN now() END)
       ON CONFLICT (mailbox_id, message_id_header, content_hash) DO NOTHING
       RETURNING id),
     seen AS (
       UPDATE mailboxes SET last_received_at = now()
        WHERE id = $1 AND EXISTS (SELECT 1 FROM ins)
          AND (last_received_at IS NULL OR last_received_at < now() - interval '10 seconds'))
     SELECT id FROM ins`,
    [
      input.mailboxId,
      input.source,
      input.envelopeFrom.slice(0, 500),
      input.envelopeTo.map((a) => a.slice(0, 500)).slice(0, 100),
      input.remoteAddress,
      id.messageIdHeader,
      id.contentHash,
      id.sha256,
      input.raw.length,
      input.raw,
      input.quarantine === undefined ? 'received' : 'quarantined',
      input.quarantine === undefined ? null : input.quarantine.slice(0, 4000),
    ],
  );
  const row = inserted.rows[0];
  if (!row) {
    const existing = await ctx.pool.query<{ id: string }>(
      'SELECT id FROM inbound_emails WHERE mailbox_id = $1 AND message_id_header = $2 AND content_hash = $3',
      [input.mailboxId, id.messageIdHeader, id.contentHash],
    );
    return { id: existing.rows[0]?.id ?? '', duplicate: true };
  }
  if (input.quarantine === undefined) ctx.wake?.();
  return { id: row.id, duplicate: false };
}
