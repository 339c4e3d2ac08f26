import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';

/**
 * Several workers ingest mail at once, so two messages of one conversation can be in flight together: an original
 * and the customer's quick follow-up, or one message delivered twice by two routes. Two guards keep them in order:
 * - before ingesting, a reply waits (briefly) for an earlier stored message it answers that is still waiting to be
 *   processed, so the reply finds that message's ticket instead of opening its own;
 * - inside the ingest transaction, every Message-ID the mail names (its own, In-Reply-To, References) is locked for
 *   the rest of the transaction, so two mails sharing one wait for each other and the second sees what the first
 *   wrote (the duplicate check and the threading both read after the lock).
 */

/** how many References (the most recent ones) take part; threading itself prefers the most recent too */
const MAX_REFERENCES = 20;

export function threadKeys(parsed: { messageId: string | null; inReplyTo: string[]; references: string[] }): string[] {
  const keys = new Set<string>();
  if (parsed.messageId) keys.add(parsed.messageId);
  for (const id of parsed.inReplyTo) keys.add(id);
  for (const id of parsed.references.slice(-MAX_REFERENCES)) keys.add(id);
  return [...keys].filter((k) => k.length > 0);
}

/**
 * The advisory lock key of a Message-ID: the first 8 bytes of its SHA-256, as a signed 64-bit integer. Computed
 * here, not in SQL, so the locking expression carries only digits and can ride in a statement without parameters
 * (threadLocksSql).
 */
export function threadLockKey(messageId: string): bigint {
  return createHash('sha256').update(`seva.email-thread:${messageId}`).digest().readBigInt64BE(0);
}

/**
 * SQL that takes transaction-scoped advisory locks on the given Message-IDs, in key order (so two mails never
 * deadlock over the same pair of ids), and counts them. Only the keys' digits are written into it.
 */
export function threadLocksSql(messageIds: readonly string[]): string {
  const keys = [...new Set(messageIds.map(threadLockKey))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `(SELECT count(pg_advisory_xact_lock(k)) FROM (
            SELECT k FROM unnest('{${keys.join(',')}}'::bigint[]) AS k ORDER BY k) keys)`;
}

export interface WaitOptions {
  /** longest wait for the earlier message; after it the reply goes ahead on its own */
  maxWaitMs?: number;
  pollMs?: number;
}

/**
 * Waits while an earlier message of this mailbox that this one answers (by In-Reply-To or References) is stored but
 * not yet processed. Returns how long it waited. Bounded: an earlier message that keeps failing (and is retried
 * later, or quarantined) never holds a reply up for more than `maxWaitMs`.
 */
export async function waitForEarlierThreadMail(
  db: Db,
  inbound: { id: string; mailboxId: string },
  parsed: { inReplyTo: string[]; references: string[] },
  opts: WaitOptions = {},
): Promise<number> {
  const answered = [...new Set([...parsed.inReplyTo, ...parsed.references.slice(-MAX_REFERENCES)])];
  if (answered.length === 0) return 0;
  const maxWaitMs = opts.maxWaitMs ?? 5_000;
  const pollMs = opts.pollMs ?? 25;
  const started = Date.now();
  for (;;) {
    const res = await db.execute(sql`SELECT 1 FROM inbound_emails
        WHERE mailbox_id = ${inbound.mailboxId} AND message_id_header = ANY(${sql.param(answered)}::text[])
          AND status = 'received' AND id <> ${inbound.id}
          -- compared in SQL: a JavaScript Date keeps milliseconds, and two mails stored within one would miss
          AND received_at <= (SELECT r.received_at FROM inbound_emails r WHERE r.id = ${inbound.id})
        LIMIT 1`);
    const waited = Date.now() - started;
    if (res.rows.length === 0 || waited >= maxWaitMs) return waited;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
