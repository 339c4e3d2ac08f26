import fs from 'node:fs/promises';
import { and, desc, eq, ne, sql } from 'drizzle-orm';
import nodemailer, { type Mail } from 'nodemailer';
import type { SendMailOptions } from 'nodemailer/lib/mailer';
import type { Config } from '../../config.ts';
import type { Db } from '../../platform/db/client.ts';
import { reusableQuery } from '../../platform/db/reusable-query.ts';
import {
  attachments,
  emailThreads,
  mailboxes,
  messages,
  outboundEmails,
  staffUsers,
  tickets,
} from '../../platform/db/schema/index.ts';
import { recordEvent } from '../../platform/events.ts';
import type { JobContext } from '../../platform/jobs/jobs.ts';
import { attachmentPath } from '../attachments/index.ts';
import { DEFAULT_ACK_TEMPLATES, renderAck } from './ack-templates.ts';
import { mergeEmailMeta } from './email-meta.ts';
import { LOOP_HEADER } from './ingest-inbound-email.ts';
import { recordMailboxError } from './mailboxes.service.ts';

export interface SendDeps {
  db: Db;
  config: Config;
  now: () => Date;
  /** one pooled transport per process */
  transport: () => Mail | null;
}

export function createRelayTransport(url: string | undefined, opts: { pooled?: boolean } = {}): Mail | null {
  if (!url) return null;
  // TLS certificates are verified (the default); never turned off. The timeouts keep one attempt well inside the
  // send job's 120 s expiry (nodemailer's defaults allow 10 minutes of silence), so a hung relay never has an attempt
  // still running when pg-boss starts the retry — which could send the mail twice. Pooled (for a long-lived owner
  // that closes it): the relay connection (TCP, greeting, EHLO, STARTTLS, AUTH) is kept for the next mail instead of
  // being opened for each one.
  return nodemailer.createTransport({
    url,
    ...(opts.pooled ? { pool: true, maxConnections: 2 } : {}),
    connectionTimeout: 20_000,
    greetingTimeout: 20_000,
    socketTimeout: 60_000,
  });
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

function quote(text: string, who: string, when: Date): string {
  const lines = text
    .split('\n')
    .slice(0, 200)
    .map((l) => `> ${l}`);
  return `\n\nOn ${when.toUTCString()}, ${who} wrote:\n${lines.join('\n')}`;
}

class PermanentSendError extends Error {}

/**
 * The outbound row with this attempt counted, and what composing it needs — its ticket, the ticket's email thread,
 * the mailbox it goes out from, the Message-IDs of the conversation so far and the customer's name — in one
 * statement: each read was a round trip, and an acknowledgement goes out for most new email tickets. Nothing comes
 * back for a row already sent (or gone).
 */
const claimOutbound = reusableQuery((db) => {
  const claimed = db.$with('claimed').as(
    db
      .update(outboundEmails)
      .set({ attempts: sql`${outboundEmails.attempts} + 1` })
      .where(and(eq(outboundEmails.id, sql.placeholder('id')), ne(outboundEmails.status, 'sent')))
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

type Claimed = Awaited<ReturnType<typeof claimOutbound>>[number];

/**
 * Sends one queued email (an agent reply or an acknowledgement) through SEVA_SMTP_RELAY_URL. Idempotent: a row
 * already sent is skipped. Failures retry with backoff (pg-boss); 5xx answers and the last retry mark the
 * message failed with the error, visible on the message.
 */
export async function sendOutboundEmail(deps: SendDeps, outboundEmailId: string, ctx: JobContext): Promise<void> {
  const [claimed] = await claimOutbound(deps.db, { id: outboundEmailId });
  if (!claimed) return;
  const { out, mailbox } = claimed;
  try {
    const transport = deps.transport();
    if (!transport) throw new Error('SEVA_SMTP_RELAY_URL is not set, so mail cannot be sent');
    const mail = await composeMail(deps, claimed);
    await transport.sendMail(mail);
    const now = deps.now();
    const sent = { status: 'sent', sentAt: now, error: null };
    if (!out.messageId) {
      // an acknowledgement: no message to mark, one statement
      await deps.db.update(outboundEmails).set(sent).where(eq(outboundEmails.id, out.id));
    } else {
      const messageId = out.messageId;
      await deps.db.transaction(async (tx) => {
        await tx.update(outboundEmails).set(sent).where(eq(outboundEmails.id, out.id));
        const delivery = { status: 'sent', at: now.toISOString(), to: mail.to, cc: mail.cc ?? [] };
        await tx
          .update(messages)
          .set({ status: 'sent', meta: mergeEmailMeta({ delivery }) })
          .where(eq(messages.id, messageId));
        await recordEvent(tx, {
          type: 'message.delivery_changed',
          actor: { kind: 'system' },
          ticketId: out.ticketId,
          payload: { messageId, delivery },
        });
      });
    }
    // a mailbox in error is back to active once mail goes out again (a race with a new error is as if this send
    // had come first)
    if (mailbox?.status === 'error') await recordMailboxError(deps.db, mailbox.id, null);
  } catch (err) {
    const e = err as { responseCode?: number; message?: string };
    const permanent =
      err instanceof PermanentSendError || (typeof e.responseCode === 'number' && e.responseCode >= 500);
    const last = permanent || ctx.retryCount >= ctx.retryLimit;
    const error = (e.message ?? String(err)).slice(0, 2000);
    const now = deps.now();
    await deps.db.transaction(async (tx) => {
      await tx
        .update(outboundEmails)
        .set({ status: last ? 'failed' : 'queued', error })
        .where(eq(outboundEmails.id, out.id));
      if (out.messageId) {
        const delivery = {
          status: last ? 'failed' : 'queued',
          at: now.toISOString(),
          error,
          attempts: out.attempts,
        };
        await tx
          .update(messages)
          .set({ ...(last ? { status: 'failed' } : {}), meta: mergeEmailMeta({ delivery }) })
          .where(eq(messages.id, out.messageId));
        if (last)
          await recordEvent(tx, {
            type: 'message.delivery_failed',
            actor: { kind: 'system' },
            ticketId: out.ticketId,
            payload: { messageId: out.messageId, error },
          });
      }
    });
    if (out.mailboxId && last) await recordMailboxError(deps.db, out.mailboxId, `outbound: ${error}`);
    if (!last) throw err;
  }
}

async function composeMail(
  deps: SendDeps,
  { out, ticket, thread, mailbox, customerName, ids: threadIds }: Claimed,
): Promise<SendMailOptions & { to: string[]; cc?: string[] }> {
  if (!out.ticketId || !ticket) throw new PermanentSendError('the ticket is gone');
  if (!mailbox) throw new PermanentSendError('the ticket has no mailbox to send from');
  if (!out.recipient) throw new PermanentSendError('the customer has no email address');
  const [local, domain] = mailbox.address.split('@') as [string, string];
  const replyTo = thread ? `${local}+${thread.replyToken}@${domain}` : mailbox.address;
  const ids = threadIds ?? [];
  const references = ids
    .map((i) => i.header)
    .filter((h) => h !== out.messageIdHeader)
    .slice(-20);
  const lastInbound = [...ids].reverse().find((i) => i.direction === 'inbound')?.header;
  const headers: Record<string, string> = { [LOOP_HEADER]: domain, 'X-Seva-Ticket': String(ticket.number) };
  const from = { name: mailbox.fromName || mailbox.name, address: mailbox.address };
  const subjectBase = ticket.subject.replace(/^(re|aw|sv|fwd?):\s*/i, '');
  const base = {
    from,
    to: [out.recipient],
    replyTo,
    messageId: `<${out.messageIdHeader}>`,
    ...(lastInbound ? { inReplyTo: `<${lastInbound}>` } : {}),
    ...(references.length > 0 ? { references: references.map((r) => `<${r}>`) } : {}),
  };

  if (out.kind === 'ack') {
    const rendered = renderAck({ ...DEFAULT_ACK_TEMPLATES, ...mailbox.ackTemplates }, ticket.language, {
      ticketNumber: ticket.number,
      ticketSubject: ticket.subject,
      customerName: customerName ?? '',
    });
    return {
      ...base,
      subject: rendered.subject,
      text: rendered.body,
      // RFC 3834: mark it so well-behaved responders never answer it
      headers: { ...headers, 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' },
    };
  }

  if (!out.messageId) throw new PermanentSendError('the message is gone');
  const [m] = await deps.db.select().from(messages).where(eq(messages.id, out.messageId));
  if (!m) throw new PermanentSendError('the message is gone');
  if (m.kind !== 'public') throw new PermanentSendError('internal notes are never emailed');
  const [author] = m.authorStaffId
    ? await deps.db.select({ name: staffUsers.name }).from(staffUsers).where(eq(staffUsers.id, m.authorStaffId))
    : [];
  const [previous] = await deps.db
    .select()
    .from(messages)
    .where(
      sql`${messages.ticketId} = ${ticket.id} AND ${messages.seq} < ${m.seq} AND ${messages.kind} = 'public' AND ${messages.authorType} = 'customer'`,
    )
    .orderBy(desc(messages.seq))
    .limit(1);
  const emailMeta = (m.meta.email ?? {}) as { cc?: unknown; bcc?: unknown };
  const list = (v: unknown) =>
    Array.isArray(v)
      ? v.filter((x): x is string => typeof x === 'string' && /^[^\s@]+@[^\s@]+$/.test(x)).slice(0, 20)
      : [];
  const cc = list(emailMeta.cc);
  const bcc = list(emailMeta.bcc);
  const signature = mailbox.signature.trim();
  const quoted = previous
    ? quote(
        previous.bodyText,
        (previous.meta.email as { from?: { name?: string } } | undefined)?.from?.name || out.recipient,
        previous.createdAt,
      )
    : '';
  const text = `${m.bodyText}${signature ? `\n\n-- \n${signature}` : ''}${quoted}`;
  const html =
    `<div>${m.bodyHtml ?? escapeHtml(m.bodyText).replace(/\n/g, '<br>')}</div>` +
    (signature ? `<div>-- <br>${escapeHtml(signature).replace(/\n/g, '<br>')}</div>` : '') +
    (previous ? `<blockquote type="cite">${escapeHtml(previous.bodyText).replace(/\n/g, '<br>')}</blockquote>` : '');
  const files = await deps.db.select().from(attachments).where(eq(attachments.messageId, m.id));
  const mailAttachments = [];
  for (const f of files) {
    const p = attachmentPath(deps.config.dataDir, f.sha256);
    await fs.access(p);
    mailAttachments.push({ filename: f.filename, path: p, contentType: f.contentType });
  }
  return {
    ...base,
    ...(cc.length > 0 ? { cc } : {}),
    ...(bcc.length > 0 ? { bcc } : {}),
    subject: `Re: ${subjectBase} [#${ticket.number}]`,
    text,
    html,
    headers: { ...headers, ...(author ? { 'X-Seva-Agent': author.name.replace(/[\r\n]/g, ' ') } : {}) },
    attachments: mailAttachments,
  };
}
