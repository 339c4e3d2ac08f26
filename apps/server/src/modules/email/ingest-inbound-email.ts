import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { TicketStatus } from '@seva/contracts';
import { and, eq, gt, sql } from 'drizzle-orm';
import type pg from 'pg';
import type { Config } from '../../config.ts';
import type { Db } from '../../platform/db/client.ts';
import {
  attachments,
  emailMessageIds,
  emailThreads,
  inboundEmails,
  mailboxes,
  messages,
  outboundEmails,
  staffUsers,
  ticketLinks,
  tickets,
} from '../../platform/db/schema/index.ts';
import { recordEvent } from '../../platform/events.ts';
import type { Jobs } from '../../platform/jobs/jobs.ts';
import { normaliseForSearch } from '../../platform/text/normalise.ts';
import { runTicketHooks } from '../../platform/ticket-hooks.ts';
import { sanitiseFilename, storeAttachmentStream } from '../attachments/index.ts';
import { findOrCreateCustomerByEmail } from '../customers/find-or-create-customer.ts';
import {
  appendMessage,
  changeTicketStatus,
  detectLanguage,
  insertTicketRow,
  statusAfterCustomerReply,
} from '../tickets/index.ts';
import { checkAuthentication, matchesAddressRule } from './check-authentication.ts';
import { withClientTransaction } from './client-transaction.ts';
import { sendEmailJob } from './email.jobs.ts';
import { isAutoSubmitted, mayAutoReply } from './is-auto-submitted.ts';
import type { MailboxRow } from './mailboxes.service.ts';
import { splitPlusAddress } from './mailboxes.service.ts';
import type { ParsedEmail } from './parse-email.ts';
import { resolveThread, type ThreadDecision } from './resolve-thread.ts';
import { sanitizeEmailHtml, stripQuotedText } from './sanitize-email-html.ts';
import { lockThreadKeys, threadKeys } from './thread-order.ts';

export interface IngestDeps {
  db: Db;
  pool: pg.Pool;
  jobs: Jobs;
  config: Config;
  now: () => Date;
}

export type IngestOutcome =
  | 'ticket_created'
  | 'message_added'
  | 'follow_up_created'
  | 'duplicate'
  | 'bounce'
  | 'loop'
  | 'blocked'
  | 'no_sender';

export interface IngestResult {
  outcome: IngestOutcome;
  ticketId: string | null;
  messageId: string | null;
}

const SYSTEM = { kind: 'system' } as const;
/** acknowledgements per recipient per hour */
export const ACK_LIMIT_PER_HOUR = 3;
const MAX_TEXT = 200_000;
const MAX_HTML = 1_000_000;

export function newReplyToken(): string {
  return randomBytes(8).toString('base64url').replace(/[-_]/g, 'x').toLowerCase().slice(0, 10);
}

/** A header marking mail Seva itself sent; seeing it come back means a loop. */
export const LOOP_HEADER = 'x-seva-loop';

async function recordBounce(tx: Db, parsed: ParsedEmail, now: Date): Promise<IngestResult> {
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

async function storeAttachments(
  deps: IngestDeps,
  tx: Db,
  parsed: ParsedEmail,
  messageId: string,
): Promise<Array<{ id: string; filename: string; sizeBytes: number; contentId: string | null; isInline: boolean }>> {
  const out = [];
  for (const a of parsed.attachments.slice(0, 100)) {
    if (a.content.length > deps.config.maxAttachmentBytes) continue;
    const stored = await storeAttachmentStream(deps.config.dataDir, Readable.from([Buffer.from(a.content)]), {
      maxBytes: deps.config.maxAttachmentBytes,
    });
    const id = randomUUID();
    const filename = sanitiseFilename(a.filename);
    await tx.insert(attachments).values({
      id,
      sha256: stored.sha256,
      sizeBytes: stored.sizeBytes,
      contentType: a.contentType.slice(0, 200),
      filename,
      messageId,
      isInline: a.isInline,
      contentId: a.contentId,
    });
    out.push({ id, filename, sizeBytes: stored.sizeBytes, contentId: a.contentId, isInline: a.isInline });
  }
  return out;
}

/**
 * Whether a new email ticket gets an acknowledgement: 'queued', 'rate_limited' (ACK_LIMIT_PER_HOUR to one address),
 * or null when none is due at all (switched off, an automated sender, staff, a failed authentication).
 */
async function acknowledgement(
  tx: Db,
  o: {
    mailbox: MailboxRow;
    auto: ReturnType<typeof isAutoSubmitted>;
    staff: { id: string } | undefined;
    authCheck: ReturnType<typeof checkAuthentication>;
    sender: string;
    now: Date;
  },
): Promise<'queued' | 'rate_limited' | null> {
  if (!o.mailbox.isAckEnabled || !mayAutoReply(o.auto) || o.staff || o.authCheck.verdict === 'fail') return null;
  const since = new Date(o.now.getTime() - 3600_000);
  const [recent] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(outboundEmails)
    .where(
      and(eq(outboundEmails.kind, 'ack'), eq(outboundEmails.recipient, o.sender), gt(outboundEmails.createdAt, since)),
    );
  return (recent?.n ?? 0) >= ACK_LIMIT_PER_HOUR ? 'rate_limited' : 'queued';
}

/**
 * Turns one parsed inbound email into a ticket or a message, inside one transaction with the inbound row's own
 * status change (so a crash either did all of it or none of it). Runs the filter chain: loop → block list →
 * bounce → duplicate → threading → store → acknowledgement.
 */
export async function ingestInboundEmail(
  deps: IngestDeps,
  input: { inbound: typeof inboundEmails.$inferSelect; mailbox: MailboxRow; parsed: ParsedEmail },
): Promise<IngestResult> {
  const { inbound, mailbox, parsed } = input;
  const now = deps.now();
  return withClientTransaction(deps.pool, async ({ tx, client }) => {
    const finish = async (r: IngestResult): Promise<IngestResult> => {
      await tx
        .update(inboundEmails)
        .set({
          status: 'processed',
          outcome: r.outcome,
          ticketId: r.ticketId,
          messageId: r.messageId,
          processedAt: now,
          error: null,
        })
        .where(eq(inboundEmails.id, inbound.id));
      return r;
    };
    // the row lock makes a second worker on the same email wait, then see it processed
    const { rows: locked } = await client.query<{ status: string }>(
      'SELECT status FROM inbound_emails WHERE id = $1 FOR UPDATE',
      [inbound.id],
    );
    if (locked[0]?.status !== 'received') return { outcome: 'duplicate', ticketId: null, messageId: null };
    // another mail of this conversation in flight on another worker finishes first (see thread-order.ts)
    await lockThreadKeys(client, threadKeys(parsed));
    const sender = (parsed.from?.address ?? splitPlusAddress(inbound.envelopeFrom).base ?? '').toLowerCase();
    const own = await tx.select({ address: mailboxes.address }).from(mailboxes);
    const ownAddresses = new Set(own.map((m) => m.address.toLowerCase()));
    const auto = isAutoSubmitted({
      headers: parsed.headers,
      envelopeFrom: inbound.source === 'smtp' ? inbound.envelopeFrom : null,
      fromAddress: sender,
      contentType: parsed.contentType,
    });

    // 1. loops: our own address as sender, or our own loop marker
    if (ownAddresses.has(splitPlusAddress(sender).base) || parsed.headers.has(LOOP_HEADER)) {
      return finish({ outcome: 'loop', ticketId: null, messageId: null });
    }
    // 2. bounces are recorded on the message they answer, never made into tickets
    if (auto.kind === 'bounce' || parsed.bounce) return finish(await recordBounce(tx, parsed, now));
    // 3. block list (the allow list overrides a failed authentication below)
    const allowed = matchesAddressRule(sender, mailbox.allowList);
    if (!allowed && matchesAddressRule(sender, mailbox.blockList))
      return finish({ outcome: 'blocked', ticketId: null, messageId: null });
    // no address to answer or to own a ticket: kept (the admin sees it in the mailbox's inbound list), no ticket
    if (!sender || !sender.includes('@')) return finish({ outcome: 'no_sender', ticketId: null, messageId: null });

    // 4. the same message delivered again (another route, or a resend with new trace headers)
    if (parsed.messageId) {
      const [seen] = await tx
        .select({
          messageId: emailMessageIds.messageId,
          ticketId: emailMessageIds.ticketId,
          direction: emailMessageIds.direction,
        })
        .from(emailMessageIds)
        .where(eq(emailMessageIds.messageIdHeader, parsed.messageId))
        .limit(1);
      if (seen?.direction === 'outbound')
        return finish({ outcome: 'loop', ticketId: seen.ticketId, messageId: seen.messageId });
      if (seen) return finish({ outcome: 'duplicate', ticketId: seen.ticketId, messageId: seen.messageId });
    }

    const authCheck = checkAuthentication(parsed.headers.get('authentication-results'), mailbox.trustedAuthservId);
    const senderVerified = allowed || authCheck.verdict !== 'fail';
    const [staff] = await tx
      .select({ id: staffUsers.id })
      .from(staffUsers)
      .where(sql`lower(${staffUsers.email}) = ${sender}`)
      .limit(1);

    // 5. threading
    const mailboxBase = mailbox.address.toLowerCase();
    const recipients = [...inbound.envelopeTo, ...parsed.to.map((a) => a.address), ...parsed.cc.map((a) => a.address)];
    const replyTokens = [
      ...new Set(
        recipients
          .map((r) => splitPlusAddress(r))
          .filter((r) => r.base === mailboxBase && r.tag)
          .map((r) => r.tag as string),
      ),
    ];
    const decision: ThreadDecision = await resolveThread(tx, {
      senderAddress: sender,
      inReplyTo: parsed.inReplyTo,
      references: parsed.references,
      replyTokens,
      subject: parsed.subject,
      senderVerified,
    });

    let existing: typeof tickets.$inferSelect | undefined;
    if (decision.ticketId) {
      [existing] = await tx.select().from(tickets).where(eq(tickets.id, decision.ticketId)).for('update');
    }
    let followUpOf: typeof tickets.$inferSelect | undefined;
    if (existing?.status === 'closed') {
      followUpOf = existing;
      existing = undefined;
    }

    const customer = await findOrCreateCustomerByEmail(tx, {
      email: sender,
      name: parsed.from?.name || null,
      actor: SYSTEM,
      now,
    });
    const participants = [sender, ...parsed.cc.map((a) => a.address), ...parsed.to.map((a) => a.address)]
      .map((a) => a.toLowerCase())
      .filter((a) => !ownAddresses.has(splitPlusAddress(a).base));
    const text = (parsed.text.trim() !== '' ? parsed.text : '').slice(0, MAX_TEXT);
    const html = parsed.html ? sanitizeEmailHtml(parsed.html.slice(0, MAX_HTML)) : undefined;
    const subject =
      parsed.subject ||
      (text
        .split('\n')
        .find((l) => l.trim() !== '')
        ?.trim()
        .slice(0, 120) ??
        '') ||
      '(no subject)';
    const threading = {
      reason: followUpOf ? 'follow_up_of_closed' : decision.reason,
      ...(followUpOf ? { followUpOf: { ticketId: followUpOf.id, number: followUpOf.number } } : {}),
      candidates: decision.candidates,
    };
    const emailMeta = {
      messageId: parsed.messageId,
      inReplyTo: parsed.inReplyTo,
      references: parsed.references.slice(-20),
      from: parsed.from,
      to: parsed.to.slice(0, 50),
      cc: parsed.cc.slice(0, 50),
      replyTo: parsed.replyTo.slice(0, 5),
      subject: parsed.subject,
      date: parsed.date?.toISOString() ?? null,
      mailboxId: mailbox.id,
      inboundEmailId: inbound.id,
      autoSubmitted: auto.kind,
      autoSubmittedReasons: auto.reasons,
      authentication: authCheck,
      ...(staff ? { claimedStaffSender: true } : {}),
      replyText: stripQuotedText(text).slice(0, 20_000),
    };

    let ticketId: string;
    let outcome: IngestOutcome;
    let created = false;
    if (existing) {
      ticketId = existing.id;
      outcome = 'message_added';
      // an auto-reply ("out of office") is kept but never reopens a ticket
      if (auto.kind === null) {
        const next = statusAfterCustomerReply(existing.status as TicketStatus);
        if (next !== existing.status) await changeTicketStatus(tx, { ticket: existing, to: next, actor: SYSTEM, now });
      }
    } else {
      const language = detectLanguage(`${subject}\n${text}`);
      const row = await insertTicketRow(tx, {
        subject: subject.slice(0, 500),
        status: 'new',
        channel: 'email',
        language,
        teamId: mailbox.teamId,
        customerId: customer.id,
        organisationId: customer.organisationId,
        tags: [
          ...(auto.kind ? [`email-${auto.kind.replace('_', '-')}`] : []),
          ...(authCheck.verdict === 'fail' ? ['spoof-suspected'] : []),
        ],
        searchText: normaliseForSearch(`${subject} ${customer.name} ${customer.email}`),
        createdAt: now,
        updatedAt: now,
      });
      ticketId = row.id;
      created = true;
      outcome = followUpOf ? 'follow_up_created' : 'ticket_created';
      await recordEvent(tx, {
        type: 'ticket.created',
        actor: SYSTEM,
        ticketId: row.id,
        customerId: customer.id,
        payload: {
          number: row.number,
          subject: row.subject,
          channel: 'email',
          customerId: customer.id,
          priority: row.priority,
          type: row.type,
        },
        at: now,
      });
      if (followUpOf) {
        await tx
          .insert(ticketLinks)
          .values({ ticketId: row.id, linkedTicketId: followUpOf.id, kind: 'follow_up_of', createdAt: now });
        await recordEvent(tx, {
          type: 'ticket.linked',
          actor: SYSTEM,
          ticketId: row.id,
          payload: { kind: 'follow_up_of', linkedTicketId: followUpOf.id },
          at: now,
        });
      }
    }

    // thread row: reply token + participants (created once per ticket, participants grow)
    await tx
      .insert(emailThreads)
      .values({
        ticketId,
        mailboxId: mailbox.id,
        replyToken: newReplyToken(),
        participants: [...new Set(participants)].slice(0, 100),
      })
      .onConflictDoUpdate({
        target: emailThreads.ticketId,
        set: {
          participants: sql`(SELECT coalesce(array_agg(DISTINCT p), '{}') FROM unnest(${emailThreads.participants} || ${sql.param([...new Set(participants)].slice(0, 50))}::text[]) AS p)`,
        },
      });

    // whether a new ticket is acknowledged (RFC 3834: never to machines, lists, bounces or ourselves; rate-limited
    // per recipient), decided before the message is written so the message carries the outcome
    const ack = created ? await acknowledgement(tx, { mailbox, auto, staff, authCheck, sender, now }) : null;
    const message = await appendMessage(tx, {
      ticketId,
      kind: 'public',
      authorType: 'customer',
      authorCustomerId: customer.id,
      channel: 'email',
      body: text,
      html,
      status: 'received',
      meta: { email: ack ? { ...emailMeta, acknowledgement: ack } : emailMeta, threading },
      actor: SYSTEM,
      now,
    });
    if (created) await runTicketHooks(tx, { kind: 'created', ticketId, actor: SYSTEM, now, source: 'email' });
    const stored = await storeAttachments(deps, tx, parsed, message.id);
    if (stored.length > 0) {
      const inlineImages = Object.fromEntries(
        stored.filter((a) => a.contentId).map((a) => [a.contentId as string, a.id]),
      );
      await tx
        .update(messages)
        .set({
          meta: sql`jsonb_set(${messages.meta}, '{email,inlineImages}', ${JSON.stringify(inlineImages)}::jsonb, true)`,
        })
        .where(eq(messages.id, message.id));
    }
    if (parsed.messageId) {
      await tx
        .insert(emailMessageIds)
        .values({ messageIdHeader: parsed.messageId, messageId: message.id, ticketId, direction: 'inbound' })
        .onConflictDoNothing();
    }

    // 6. acknowledgement, decided above (its record is part of the message's meta)
    if (ack === 'queued') {
      const domain = mailbox.address.split('@')[1] ?? 'localhost';
      const [out] = await tx
        .insert(outboundEmails)
        .values({
          idempotencyKey: `ack:${inbound.id}`,
          kind: 'ack',
          ticketId,
          messageId: null,
          mailboxId: mailbox.id,
          recipient: sender,
          messageIdHeader: `seva.ack.${randomUUID()}@${domain}`,
          createdAt: now,
        })
        .onConflictDoNothing()
        .returning({ id: outboundEmails.id });
      if (out) await deps.jobs.send(sendEmailJob, { outboundEmailId: out.id }, { client, singletonKey: out.id });
    }
    return finish({ outcome, ticketId, messageId: message.id });
  });
}
