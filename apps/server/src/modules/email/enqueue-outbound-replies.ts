import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type pg from 'pg';
import { emailMessageIds, eventCursors, mailboxes, messages, outboundEmails } from '../../platform/db/schema/index.ts';
import { recordEvent } from '../../platform/events.ts';
import type { Jobs } from '../../platform/jobs/jobs.ts';
import { withClientTransaction } from '../../platform/db/client-transaction.ts';
import { sendEmailJob } from './email.jobs.ts';
import { mergeEmailMeta } from './email-meta.ts';

export const OUTBOUND_CURSOR = 'email.outbound_replies';
/**
 * Event ids are taken before commit, so a slow transaction can commit an event with a lower id after we have read
 * past it. Each poll therefore looks back this many ids; the idempotency key makes a second look harmless.
 */
const LOOKBACK = 1000;

interface Pending {
  message_id: string;
  ticket_id: string;
  mailbox_id: string | null;
  recipient: string | null;
}

/**
 * Reads `message.added` / `message.approved` from the event log (the outbox) and queues an email for every public
 * staff reply on a ticket that talks by email. The tickets module knows nothing about email.
 */
export async function enqueueOutboundReplies(ctx: { pool: pg.Pool; jobs: Jobs }): Promise<number> {
  return withClientTransaction(ctx.pool, async ({ tx, client }) => {
    await tx.insert(eventCursors).values({ name: OUTBOUND_CURSOR, lastEventId: sql`(SELECT coalesce(max(id), 0) FROM events)` }).onConflictDoNothing();
    const [cursor] = await tx.select().from(eventCursors).where(eq(eventCursors.name, OUTBOUND_CURSOR)).for('update');
    if (!cursor) return 0;
    const { rows: top } = await client.query<{ max: string | null }>('SELECT max(id) AS max FROM events');
    const maxId = Number(top[0]?.max ?? 0);
    const { rows } = await client.query<Pending>(
      `SELECT DISTINCT ON (m.id) m.id AS message_id, m.ticket_id, th.mailbox_id,
              (SELECT ci.value FROM tickets t JOIN customer_identities ci ON ci.customer_id = t.customer_id AND ci.kind = 'email'
                WHERE t.id = m.ticket_id ORDER BY ci.is_primary DESC, ci.created_at LIMIT 1) AS recipient
         FROM events e
         JOIN messages m ON m.id = (e.payload->>'messageId')::uuid
         JOIN email_threads th ON th.ticket_id = m.ticket_id
        WHERE e.id > $1 AND e.id <= $2
          AND e.type IN ('message.added', 'message.approved')
          AND m.kind = 'public' AND m.author_type = 'staff' AND m.status = 'sent'
          AND NOT EXISTS (SELECT 1 FROM outbound_emails o WHERE o.idempotency_key = 'reply:' || m.id::text)
        ORDER BY m.id
        LIMIT 200`,
      [Math.max(0, cursor.lastEventId - LOOKBACK), maxId],
    );
    let queued = 0;
    for (const p of rows) {
      const [mailbox] = p.mailbox_id ? await tx.select().from(mailboxes).where(eq(mailboxes.id, p.mailbox_id)) : [];
      const domain = mailbox?.address.split('@')[1] ?? 'seva.invalid';
      const header = `seva.${randomUUID()}@${domain}`;
      const [out] = await tx
        .insert(outboundEmails)
        .values({
          idempotencyKey: `reply:${p.message_id}`,
          kind: 'reply',
          ticketId: p.ticket_id,
          messageId: p.message_id,
          mailboxId: p.mailbox_id,
          recipient: p.recipient ?? '',
          messageIdHeader: header,
        })
        .onConflictDoNothing()
        .returning({ id: outboundEmails.id });
      if (!out) continue;
      const delivery = { status: 'queued', at: new Date().toISOString() };
      await tx
        .update(messages)
        .set({
          status: 'queued',
          meta: mergeEmailMeta({ messageId: header, delivery }),
        })
        .where(eq(messages.id, p.message_id));
      await tx.insert(emailMessageIds).values({ messageIdHeader: header, messageId: p.message_id, ticketId: p.ticket_id, direction: 'outbound' }).onConflictDoNothing();
      await recordEvent(tx, { type: 'message.delivery_changed', actor: { kind: 'system' }, ticketId: p.ticket_id, payload: { messageId: p.message_id, delivery } });
      await ctx.jobs.send(sendEmailJob, { outboundEmailId: out.id }, { client, singletonKey: out.id });
      queued += 1;
    }
    if (maxId > cursor.lastEventId) {
      await tx.update(eventCursors).set({ lastEventId: maxId, updatedAt: new Date() }).where(eq(eventCursors.name, OUTBOUND_CURSOR));
    }
    return queued;
  });
}
