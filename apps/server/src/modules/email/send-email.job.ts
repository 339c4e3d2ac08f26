import fs from 'node:fs/promises';
import { desc, eq, sql } from 'drizzle-orm';
import nodemailer, { type Mail } from 'nodemailer';
import type { SendMailOptions } from 'nodemailer/lib/mailer';
import type { Config } from '../../config.ts';
import type { Db } from '../../platform/db/client.ts';
import { attachments, messages, outboundEmails, staffUsers } from '../../platform/db/schema/index.ts';
import { recordEvent } from '../../platform/events.ts';
import type { JobContext } from '../../platform/jobs/jobs.ts';
import { attachmentPath } from '../attachments/index.ts';
import { DEFAULT_ACK_TEMPLATES, renderAck } from './ack-templates.ts';
import { type ClaimedOutbound, claimOutboundEmail, heldBy, releaseOutboundEmail } from './claim-outbound-email.ts';
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
  // TLS certificates are verified (the default); never turned off. The timeouts cut off a hung relay (nodemailer's
  // defaults allow 10 minutes of silence): 20 s to connect, 20 s for the greeting, 60 s of silence at any later step.
  // They bound silence, not a whole send — a relay slow at several steps holds one send for minutes — so the send job
  // does not rely on them to keep an attempt from overlapping its retry: each attempt holds a lease on its mail
  // (claim-outbound-email.ts, OUTBOUND_LEASE_MS). Pooled (for a long-lived owner that closes it): the relay connection
  // (TCP, greeting, EHLO, STARTTLS, AUTH) is kept for the next mail instead of being opened for each one.
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

/** what the relay made of one attempt: the mail it accepted, or why not */
type SendOutcome = { ok: true; mail: ComposedMail } | { ok: false; error: unknown };

type ComposedMail = SendMailOptions & { to: string[]; cc?: string[] };

/**
 * Sends one queued email (an agent reply or an acknowledgement) through SEVA_SMTP_RELAY_URL, at most one attempt at a
 * time: the attempt first claims the row (claim-outbound-email.ts: still `queued`, no live lease; the attempt
 * counted and a lease set in the statement that also reads what composing needs), so a second job for it — pg-boss's
 * retry after an expiry, a duplicate job — sends nothing while the first is sending, and nothing once it has left.
 * A crashed attempt's lease runs out before its job expires, and pg-boss's retry sends it.
 * Success marks it sent and clears the lease. Failures give the lease back: transient ones (relay unreachable, 4xx)
 * throw so pg-boss retries with backoff; 5xx answers and the last retry mark the message failed with the error,
 * visible on the message. An error while recording the outcome gives the lease back and is thrown.
 */
export async function sendOutboundEmail(deps: SendDeps, outboundEmailId: string, ctx: JobContext): Promise<void> {
  const claimed = await claimOutboundEmail(deps.db, { id: outboundEmailId, now: deps.now() });
  if (!claimed) return;
  const outcome = await attemptSend(deps, claimed);
  let failure: { error: unknown; last: boolean } | undefined;
  try {
    if (outcome.ok) {
      await recordSent(deps, claimed, outcome.mail);
    } else {
      const code = (outcome.error as { responseCode?: unknown } | null)?.responseCode;
      const permanent = outcome.error instanceof PermanentSendError || (typeof code === 'number' && code >= 500);
      failure = { error: outcome.error, last: permanent || ctx.retryCount >= ctx.retryLimit };
      await recordFailure(deps, claimed, failure);
    }
  } catch (err) {
    // not the relay's answer: recording it failed (the database). Give the mail back for pg-boss's retry — one the
    // relay accepted then goes out again (at-least-once, with the same Message-ID)
    await releaseOutboundEmail(deps.db, claimed.out, deps.now()).catch(() => {});
    throw err;
  }
  if (failure && !failure.last) throw failure.error;
}

async function attemptSend(deps: SendDeps, claimed: ClaimedOutbound): Promise<SendOutcome> {
  try {
    const transport = deps.transport();
    if (!transport) throw new Error('SEVA_SMTP_RELAY_URL is not set, so mail cannot be sent');
    const mail = await composeMail(deps, claimed);
    await transport.sendMail(mail);
    return { ok: true, mail };
  } catch (error) {
    return { ok: false, error };
  }
}

/**
 * The relay accepted it: sent, the lease cleared (whoever holds it now — the mail went out either way), and for a
 * reply its message and event. A mailbox in error is back to active once mail goes out again (a race with a new
 * error is as if this send had come first).
 */
async function recordSent(deps: SendDeps, { out, mailbox }: ClaimedOutbound, mail: ComposedMail): Promise<void> {
  const now = deps.now();
  const sent = { status: 'sent', sentAt: now, error: null, sendingUntil: null };
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
  if (mailbox?.status === 'error') await recordMailboxError(deps.db, mailbox.id, null);
}

/**
 * The relay refused it or could not be reached: the error is recorded and the lease given back (queued, the lease
 * ending now, for the retry to claim at once), or — permanent, or the last retry — the row and its message are `failed`. The row and the
 * message are only touched while this attempt still holds the lease (a later attempt that took over after it ran
 * out owns the outcome); the mailbox shows a final failure either way.
 */
async function recordFailure(
  deps: SendDeps,
  { out }: ClaimedOutbound,
  failure: { error: unknown; last: boolean },
): Promise<void> {
  const { last } = failure;
  const error = ((failure.error as { message?: string } | null)?.message ?? String(failure.error)).slice(0, 2000);
  const now = deps.now();
  await deps.db.transaction(async (tx) => {
    const [moved] = await tx
      .update(outboundEmails)
      // queued again: the lease ends now (free for the retry at once, and the stranded sweep's "last attempt")
      .set({ status: last ? 'failed' : 'queued', error, sendingUntil: last ? null : now })
      .where(heldBy(out))
      .returning({ id: outboundEmails.id });
    if (!moved || !out.messageId) return;
    const delivery = { status: last ? 'failed' : 'queued', at: now.toISOString(), error, attempts: out.attempts };
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
  });
  if (out.mailboxId && last) await recordMailboxError(deps.db, out.mailboxId, `outbound: ${error}`);
}

async function composeMail(
  deps: SendDeps,
  { out, ticket, thread, mailbox, customerName, ids: threadIds }: ClaimedOutbound,
): Promise<ComposedMail> {
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
