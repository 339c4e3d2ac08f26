import { randomUUID } from 'node:crypto';
import type { DbOrTx } from '../../platform/db/client.ts';
import { outboundEmails } from '../../platform/db/schema/index.ts';
import type { Jobs, SqlClient } from '../../platform/jobs/jobs.ts';
import { sendKbEmailJob } from './kb.jobs.ts';

/** Where a knowledge-base mail is queued: the caller's transaction, as Drizzle and as the raw client for pg-boss. */
export interface KbMailQueue {
  tx: DbOrTx;
  client: SqlClient;
  jobs: Jobs;
}

/**
 * Queues one mail the normal way: an `outbound_emails` row (idempotency key, kind, recipient) and its send job, both
 * in the caller's transaction, so the mail goes out exactly when the change that asked for it commits. The text is
 * written when it is sent (`composeKbEmail`). False when a row with this key already exists.
 */
export async function queueKbEmail(
  q: KbMailQueue,
  row: { idempotencyKey: string; kind: string; recipient: string; now: Date },
): Promise<boolean> {
  const [out] = await q.tx
    .insert(outboundEmails)
    .values({
      idempotencyKey: row.idempotencyKey,
      kind: row.kind,
      recipient: row.recipient.toLowerCase(),
      messageIdHeader: `seva.kb.${randomUUID()}@seva.invalid`,
      createdAt: row.now,
    })
    .onConflictDoNothing()
    .returning({ id: outboundEmails.id });
  if (!out) return false;
  await q.jobs.send(sendKbEmailJob, { outboundEmailId: out.id }, { client: q.client, singletonKey: out.id });
  return true;
}
