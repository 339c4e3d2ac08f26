import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { messages, outboundEmails } from '../../platform/db/schema/index.ts';
import { recordEvent } from '../../platform/events.ts';
import type { IngestResult } from './ingest-inbound-email.ts';
import type { ParsedEmail } from './parse-email.ts';

const SYSTEM = { kind: 'system' } as const;

/**
 * A bounce (a delivery status notification, or an automated reply to one of our mails) is recorded on the mail it
 * answers — the outbound row fails, its message shows the delivery failure and `message.delivery_failed` is
 * recorded — and never becomes a ticket.
 */
export async function recordBounce(tx: Db, parsed: ParsedEmail, now: Date): Promise<IngestResult> {
  const original = parsed.bounce?.originalMessageId ?? parsed.inReplyTo[0] ?? null;
  if (!original) return { outcome: 'bounce', ticketId: null, messageId: null };
  const [out] = await tx.select().from(outboundEmails).where(eq(outboundEmails.messageIdHeader, original)).limit(1);
  if (!out) return { outcome: 'bounce', ticketId: null, messageId: null };
  const bounce = {
    status: 'bounced',
    at: now.toISOString(),
    recipients: parsed.bounce?.recipients ?? [],
    smtpStatus: parsed.bounce?.status ?? null,
    diagnostic: parsed.bounce?.diagnostic ?? null,
  };
  await tx
    .update(outboundEmails)
    .set({
      status: 'failed',
      error: `bounced: ${bounce.diagnostic ?? bounce.smtpStatus ?? 'delivery failed'}`.slice(0, 2000),
    })
    .where(eq(outboundEmails.id, out.id));
  if (out.messageId) {
    await tx
      .update(messages)
      .set({
        status: 'failed',
        meta: sql`jsonb_set(${messages.meta}, '{email,delivery}', ${JSON.stringify(bounce)}::jsonb, true)`,
      })
      .where(eq(messages.id, out.messageId));
    await recordEvent(tx, {
      type: 'message.delivery_failed',
      actor: SYSTEM,
      ticketId: out.ticketId,
      payload: { messageId: out.messageId, bounce },
      at: now,
    });
  }
  return { outcome: 'bounce', ticketId: out.ticketId, messageId: out.messageId };
}
