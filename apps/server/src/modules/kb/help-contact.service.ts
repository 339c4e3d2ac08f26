import { randomUUID } from 'node:crypto';
import type { KbLocale } from '@seva/contracts';
import { and, eq, gt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { categories, emailThreads, mailboxes, outboundEmails } from '../../platform/db/schema/index.ts';
import type { Deps } from '../../platform/deps.ts';
import { normaliseForSearch } from '../../platform/text/normalise.ts';
import { runTicketHooks } from '../../platform/ticket-hooks.ts';
import { findOrCreateCustomerByEmail } from '../customers/find-or-create-customer.ts';
import { withClientTransaction } from '../../platform/db/client-transaction.ts';
import { sendEmailJob } from '../email/email.jobs.ts';
import { emailRuntime } from '../email/email-runtime.ts';
import { ACK_LIMIT_PER_HOUR } from '../email/inbound-acknowledgement.ts';
import { newReplyToken } from '../email/ingest-inbound-email.ts';
import { appendMessage } from '../tickets/index.ts';
import { insertTicketRow } from '../tickets/insert-ticket-row.ts';
import { replyMailbox } from '../widget/offline.service.ts';
import { createRateLimiter, type RateLimiter } from '../widget/rate-limiter.ts';
import type { ContactValues } from './help-contact-form.ts';
import { attachHelpUploads, type HelpUpload } from './help-uploads.ts';
import { recordDeflectionEvent } from './kb-deflection.service.ts';

const SYSTEM = { kind: 'system' } as const;

/** public ticket creation from the help centre: per IP, per process (see docs/kb.md) */
export const CONTACT_FORM_LIMIT = { max: 5, windowMs: 60 * 60_000 } as const;
const limiters = new WeakMap<Deps, RateLimiter>();

/** Takes one submission from this address's budget; false when it is spent. */
export function takeContactBudget(deps: Deps, ip: string): boolean {
  let l = limiters.get(deps);
  if (!l) {
    l = createRateLimiter(CONTACT_FORM_LIMIT);
    limiters.set(deps, l);
  }
  return l.take(ip);
}

export interface ContactCategory {
  id: string;
  name: string;
}

/** The desk's active ticket categories, named in the page's language when a translation exists. */
export async function contactCategories(db: DbOrTx, locale: KbLocale): Promise<ContactCategory[]> {
  const rows = await db
    .select({ id: categories.id, name: categories.name, translations: categories.translations })
    .from(categories)
    .where(eq(categories.isActive, true))
    .orderBy(categories.position, categories.name);
  return rows.map((r) => ({ id: r.id, name: r.translations[locale] || r.name }));
}

export interface SubmitContactInput {
  values: ContactValues;
  /** files already stored and type-checked (help-uploads.ts), put on the first message */
  files?: readonly HelpUpload[];
  locale: KbLocale;
  ip: string;
  userAgent: string | null;
}

/**
 * A contact-form submission becomes a ticket of channel `web` for the customer owning the address (created when
 * new), in the page's language, with an email thread so replies (and the acknowledgement, sent now through the
 * outbound mail job in the same transaction) go out by email and answers thread back. The ticket hooks (routing,
 * SLA …) run as for any new ticket. Like "leave a message" in the widget, typing an address grants nobody that
 * customer's history: the page only ever shows the new ticket's number.
 */
export async function submitContactForm(deps: Deps, input: SubmitContactInput): Promise<{ ticketNumber: number }> {
  const { values, locale } = input;
  const now = deps.clock.now();
  const runtime = emailRuntime(deps, () => {});
  return withClientTransaction(deps.database.pool, async ({ tx, client }) => {
    const customer = await findOrCreateCustomerByEmail(tx, { email: values.email, name: values.name, now });
    // with its `ticket.created` event, and remembered for the hooks (insert-ticket-row.ts)
    const t = await insertTicketRow(
      tx,
      {
        subject: values.subject,
        status: 'new',
        channel: 'web',
        language: locale,
        categoryId: values.categoryId || null,
        customerId: customer.id,
        organisationId: customer.organisationId,
        searchText: normaliseForSearch(`${values.subject} ${customer.name} ${customer.email}`),
        createdAt: now,
        updatedAt: now,
      },
      { actor: SYSTEM, payload: { via: 'help_contact_form' } },
    );
    const mailboxId = await replyMailbox(tx, null);
    await tx.insert(emailThreads).values({
      ticketId: t.id,
      mailboxId,
      replyToken: newReplyToken(),
      participants: [customer.email],
      createdAt: now,
    });
    const first = await appendMessage(tx, {
      ticketId: t.id,
      kind: 'public',
      authorType: 'customer',
      authorCustomerId: customer.id,
      channel: 'web',
      body: values.message,
      status: 'received',
      meta: { web: { form: 'help_contact', locale, userAgent: input.userAgent?.slice(0, 300) ?? null } },
      actor: SYSTEM,
      now,
    });
    await attachHelpUploads(tx, { messageId: first.id, files: input.files ?? [], now });
    await runTicketHooks(tx, { kind: 'created', ticketId: t.id, actor: SYSTEM, now, source: 'web' });
    if (values.deflectionSession) {
      await recordDeflectionEvent(tx, {
        body: { event: 'contact_submitted', sessionId: values.deflectionSession, channel: 'web_form', locale },
        now,
      });
    }
    // the acknowledgement: the same outbound row and job as for a new email ticket, rate-limited per recipient
    const [mailbox] = mailboxId ? await tx.select().from(mailboxes).where(eq(mailboxes.id, mailboxId)) : [];
    if (mailbox?.isAckEnabled) {
      const [recent] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(outboundEmails)
        .where(
          and(
            eq(outboundEmails.kind, 'ack'),
            eq(outboundEmails.recipient, customer.email),
            gt(outboundEmails.createdAt, new Date(now.getTime() - 3600_000)),
          ),
        );
      if ((recent?.n ?? 0) < ACK_LIMIT_PER_HOUR) {
        const domain = mailbox.address.split('@')[1] ?? 'localhost';
        const [out] = await tx
          .insert(outboundEmails)
          .values({
            idempotencyKey: `ack:web:${t.id}`,
            kind: 'ack',
            ticketId: t.id,
            messageId: null,
            mailboxId: mailbox.id,
            recipient: customer.email,
            messageIdHeader: `seva.ack.${randomUUID()}@${domain}`,
            createdAt: now,
          })
          .onConflictDoNothing()
          .returning({ id: outboundEmails.id });
        if (out) await runtime.jobs.send(sendEmailJob, { outboundEmailId: out.id }, { client, singletonKey: out.id });
      }
    }
    return { ticketNumber: t.number };
  });
}
