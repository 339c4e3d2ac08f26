import { asc, eq, sql } from 'drizzle-orm';
import type { Config } from '../../config.ts';
import type { Db } from '../../platform/db/client.ts';
import { mailboxes, tickets } from '../../platform/db/schema/index.ts';
import { AppError } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import { createRelayTransport } from '../email/send-email.job.ts';
import { renderTranscript } from './transcript-text.ts';
import { loadWidgetMessages } from './widget-messages.repository.ts';

export interface SendChatTranscriptInput {
  ticketId: string;
  email: string;
  now: Date;
}

/**
 * Emails the customer-visible transcript of a chat (never internal notes: the widget's own message filter) in the
 * conversation's language, from the team's default mailbox (else the first active one), through the outbound
 * relay. The visitor asked for it and waits, so it is sent now and a relay failure is reported (503) for a retry.
 */
export async function sendChatTranscript(
  deps: { db: Db; config: Config },
  input: SendChatTranscriptInput,
): Promise<void> {
  const [ticket] = await deps.db.select().from(tickets).where(eq(tickets.id, input.ticketId));
  if (!ticket) throw new AppError('NOT_FOUND', 'Conversation not found');
  const [mailbox] = await deps.db
    .select()
    .from(mailboxes)
    .where(eq(mailboxes.status, 'active'))
    .orderBy(
      sql`(${mailboxes.teamId} IS NOT DISTINCT FROM ${ticket.teamId}::uuid AND ${mailboxes.isTeamDefault}) DESC`,
      asc(mailboxes.createdAt),
    )
    .limit(1);
  const transport = createRelayTransport(deps.config.smtpRelayUrl);
  if (!transport)
    throw new AppError('UNAVAILABLE', 'Email is not set up on this desk, so the transcript cannot be sent');
  const messages = await loadWidgetMessages(deps.db, { ticketId: ticket.id, afterSeq: 0 });
  const mail = renderTranscript(ticket.language, { number: ticket.number, subject: ticket.subject, messages });
  const fromAddress =
    mailbox?.address ?? `no-reply@${new URL(deps.config.publicUrl ?? 'http://localhost').hostname || 'localhost'}`;
  try {
    await transport.sendMail({
      from: { name: mailbox ? mailbox.fromName || mailbox.name : 'Seva', address: fromAddress },
      to: input.email,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      headers: { 'Auto-Submitted': 'auto-generated', 'X-Seva-Ticket': String(ticket.number) },
    });
  } catch {
    throw new AppError('UNAVAILABLE', 'The transcript could not be sent just now: try again in a moment');
  } finally {
    transport.close();
  }
  await deps.db.transaction((tx) =>
    recordEvent(tx, {
      type: 'chat.transcript_sent',
      actor: { kind: 'system' },
      ticketId: ticket.id,
      payload: { messages: messages.length },
      at: input.now,
    }),
  );
}
