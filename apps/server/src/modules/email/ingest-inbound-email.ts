import { randomBytes } from 'node:crypto';
import type { TicketStatus } from '@seva/contracts';
import { eq, sql } from 'drizzle-orm';
import type pg from 'pg';
import type { Config } from '../../config.ts';
import type { Db, DbOrTx } from '../../platform/db/client.ts';
import { emailThreads, inboundEmails, messages, ticketLinks, tickets } from '../../platform/db/schema/index.ts';
import { recordEvent } from '../../platform/events.ts';
import type { Jobs } from '../../platform/jobs/jobs.ts';
import { normaliseForSearch } from '../../platform/text/normalise.ts';
import { runTicketHooks } from '../../platform/ticket-hooks.ts';
import { findOrCreateCustomerByEmail } from '../customers/find-or-create-customer.ts';
import {
  appendMessage,
  changeTicketStatus,
  detectLanguage,
  insertTicketRow,
  statusAfterCustomerReply,
} from '../tickets/index.ts';
import { checkAuthentication, matchesAddressRule } from './check-authentication.ts';
import { withClientTransaction } from '../../platform/db/client-transaction.ts';
import { decideAcknowledgement } from './inbound-acknowledgement.ts';
import { isAutoSubmitted } from './is-auto-submitted.ts';
import type { MailboxRow } from './mailboxes.service.ts';
import { splitPlusAddress } from './mailboxes.service.ts';
import type { ParsedEmail } from './parse-email.ts';
import { recordBounce } from './record-bounce.ts';
import { recordIngestOutcome } from './record-ingest-outcome.ts';
import { resolveThread, type ThreadDecision } from './resolve-thread.ts';
import { sanitizeEmailHtml, stripQuotedText } from './sanitize-email-html.ts';
import { storeAttachments } from './store-inbound-attachments.ts';
import { threadKeys, threadLocksSql } from './thread-order.ts';

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
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_TEXT = 200_000;
const MAX_HTML = 1_000_000;

export function newReplyToken(): string {
  return randomBytes(8).toString('base64url').replace(/[-_]/g, 'x').toLowerCase().slice(0, 10);
}

/** A header marking mail Seva itself sent; seeing it come back means a loop. */
export const LOOP_HEADER = 'x-seva-loop';

/**
 * The message we already hold under this Message-ID, if any (the header is unique per message), the staff member
 * whose address sent the mail, if any, and how many acknowledgements went to the sender in the last hour (for
 * ACK_LIMIT_PER_HOUR): three lookups, one round trip.
 */
async function seenMessageAndStaffSender(
  tx: DbOrTx,
  messageIdHeader: string | null | undefined,
  sender: string,
  now: Date,
): Promise<{
  seen: { messageId: string | null; ticketId: string | null; direction: string } | null;
  staff: { id: string } | undefined;
  recentAcks: number;
}> {
  const r = await tx.execute<{
    seen: { message_id: string | null; ticket_id: string | null; direction: string } | null;
    staff_id: string | null;
    recent_acks: number;
  }>(
    sql`SELECT (SELECT json_build_object('message_id', e.message_id, 'ticket_id', e.ticket_id, 'direction', e.direction)
                  FROM email_message_ids e WHERE e.message_id_header = ${messageIdHeader ?? null}::text LIMIT 1) AS seen,
               (SELECT s.id FROM staff_users s WHERE lower(s.email) = ${sender} LIMIT 1) AS staff_id,
               (SELECT count(*)::int FROM outbound_emails o
                 WHERE o.kind = 'ack' AND o.recipient = ${sender}
                   AND o.created_at > ${new Date(now.getTime() - 3600_000)}::timestamptz) AS recent_acks`,
  );
  const row = r.rows[0];
  const seen = row?.seen
    ? { messageId: row.seen.message_id, ticketId: row.seen.ticket_id, direction: row.seen.direction }
    : null;
  return { seen, staff: row?.staff_id ? { id: row.staff_id } : undefined, recentAcks: row?.recent_acks ?? 0 };
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
  // Sent with the BEGIN (one round trip): the row lock, which makes a second worker on the same email wait, then see
  // it processed; our own addresses (for the loop check); and the locks on every Message-ID the mail names, so
  // another mail of this conversation in flight on another worker finishes first (thread-order.ts). The statement has
  // no parameters: only the checked id and the lock keys' digits are written into it.
  if (!UUID.test(inbound.id)) throw new Error(`not an inbound email id: ${inbound.id}`);
  const openingSql = `SELECT status, ARRAY(SELECT lower(address) FROM mailboxes) AS own,
      ${threadLocksSql(threadKeys(parsed))} AS thread_locks
    FROM inbound_emails WHERE id = '${inbound.id}' FOR UPDATE`;
  return withClientTransaction(
    deps.pool,
    async ({ tx, client, opening }) => {
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
      const locked = opening as { status: string; own: string[] }[];
      if (locked[0]?.status !== 'received') return { outcome: 'duplicate', ticketId: null, messageId: null };
      const sender = (parsed.from?.address ?? splitPlusAddress(inbound.envelopeFrom).base ?? '').toLowerCase();
      const ownAddresses = new Set(locked[0].own);
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
      if (!sender?.includes('@')) return finish({ outcome: 'no_sender', ticketId: null, messageId: null });

      // 4. the same message delivered again (another route, or a resend with new trace headers); read with whether
      // the sender is one of our staff (step 5 and the acknowledgement), in one statement
      const { seen, staff, recentAcks } = await seenMessageAndStaffSender(tx, parsed.messageId, sender, now);
      if (seen?.direction === 'outbound')
        return finish({ outcome: 'loop', ticketId: seen.ticketId, messageId: seen.messageId });
      if (seen) return finish({ outcome: 'duplicate', ticketId: seen.ticketId, messageId: seen.messageId });

      const authCheck = checkAuthentication(parsed.headers.get('authentication-results'), mailbox.trustedAuthservId);
      const senderVerified = allowed || authCheck.verdict !== 'fail';

      // 5. threading
      const mailboxBase = mailbox.address.toLowerCase();
      const recipients = [
        ...inbound.envelopeTo,
        ...parsed.to.map((a) => a.address),
        ...parsed.cc.map((a) => a.address),
      ];
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
          if (next !== existing.status)
            await changeTicketStatus(tx, { ticket: existing, to: next, actor: SYSTEM, now });
        }
      } else {
        const language = detectLanguage(`${subject}\n${text}`);
        const row = await insertTicketRow(
          tx,
          {
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
          },
          { actor: SYSTEM },
        );
        ticketId = row.id;
        created = true;
        outcome = followUpOf ? 'follow_up_created' : 'ticket_created';
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
      const ack = created ? decideAcknowledgement({ mailbox, auto, staff, authCheck, recentAcks }) : null;
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
      // 6. the Message-ID for threading, the acknowledgement decided above (its record is part of the message's
      // meta) and the inbound row's outcome, in one statement
      await recordIngestOutcome(
        { client, jobs: deps.jobs },
        {
          inboundId: inbound.id,
          outcome,
          ticketId,
          messageId: message.id,
          messageIdHeader: parsed.messageId || null,
          ack: ack === 'queued' ? { mailbox, recipient: sender } : null,
          now,
        },
      );
      return { outcome, ticketId, messageId: message.id };
    },
    { opening: openingSql },
  );
}
