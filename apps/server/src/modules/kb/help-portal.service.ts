import { randomUUID } from 'node:crypto';
import type { Attachment, KbLocale } from '@seva/contracts';
import { and, desc, eq, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { customerIdentities, customers, organisations, tickets } from '../../platform/db/schema/index.ts';
import type { Deps } from '../../platform/deps.ts';
import { normaliseEmail } from '../customers/find-or-create-customer.ts';
import { withClientTransaction } from '../../platform/db/client-transaction.ts';
import { emailRuntime } from '../email/email-runtime.ts';
import { type CustomerVisibleMessage, toCustomerVisibleMessages } from '../tickets/customer-visible-messages.ts';
import { loadMessageDtos, recordCustomerMessage } from '../tickets/index.ts';
import { createRateLimiter, type RateLimiter } from '../widget/rate-limiter.ts';
import { attachHelpUploads, type HelpUpload } from './help-uploads.ts';
import { queueKbEmail } from './kb-email-queue.ts';

const SYSTEM = { kind: 'system' } as const;
/** outbound_emails.kind of a help-centre sign-in link; the key is `portal_sign_in:<locale>:<random>` */
export const SIGN_IN_KIND = 'portal_sign_in';
/** sign-in links asked for: per IP and per address, per process */
export const SIGN_IN_LIMITS = {
  perIp: { max: 10, windowMs: 60 * 60_000 },
  perEmail: { max: 3, windowMs: 60 * 60_000 },
};
const limiters = new WeakMap<Deps, { ip: RateLimiter; email: RateLimiter }>();

function limiterFor(deps: Deps) {
  let l = limiters.get(deps);
  if (!l) {
    l = { ip: createRateLimiter(SIGN_IN_LIMITS.perIp), email: createRateLimiter(SIGN_IN_LIMITS.perEmail) };
    limiters.set(deps, l);
  }
  return l;
}

/** The customer owning an email address (following merges), or null. */
export async function customerByEmail(db: DbOrTx, email: string): Promise<{ id: string; name: string } | null> {
  const [identity] = await db
    .select({ customerId: customerIdentities.customerId })
    .from(customerIdentities)
    .where(and(eq(customerIdentities.kind, 'email'), eq(customerIdentities.value, normaliseEmail(email))));
  let id = identity?.customerId ?? null;
  for (let i = 0; id && i < 10; i += 1) {
    const [c] = await db
      .select({ id: customers.id, name: customers.name, mergedIntoId: customers.mergedIntoId })
      .from(customers)
      .where(eq(customers.id, id));
    if (!c) return null;
    if (!c.mergedIntoId) return { id: c.id, name: c.name };
    id = c.mergedIntoId;
  }
  return null;
}

/**
 * "Email me a sign-in link". The answer to the visitor is the same whether or not the address is known (the
 * caller shows one page for both); after the answer, within the per-address and per-IP limits, a known address
 * gets the mail through the outbound job queue (an `outbound_emails` row of kind `portal_sign_in` and its
 * `kb.send-email` job; the link is made when the mail is sent, `help-portal-email.ts`).
 */
export function requestSignInLink(
  deps: Deps,
  input: { email: string; locale: KbLocale; ip: string },
  onError: (err: unknown) => void,
): void {
  const email = normaliseEmail(input.email);
  const l = limiterFor(deps);
  if (!l.ip.take(input.ip) || !l.email.take(email)) return;
  setImmediate(() => {
    queueSignInLink(deps, { email, locale: input.locale }).catch(onError);
  });
}

async function queueSignInLink(deps: Deps, input: { email: string; locale: KbLocale }): Promise<void> {
  const customer = await customerByEmail(deps.db, input.email);
  if (!customer) return;
  const { jobs } = emailRuntime(deps, () => {});
  const now = deps.clock.now();
  await withClientTransaction(deps.database.pool, ({ tx, client }) =>
    queueKbEmail(
      { tx, client, jobs },
      {
        idempotencyKey: `${SIGN_IN_KIND}:${input.locale}:${randomUUID()}`,
        kind: SIGN_IN_KIND,
        recipient: input.email,
        now,
      },
    ),
  );
}

/** Tickets a customer may see: their own, and their organisation's when the organisation shares tickets. */
function visibleTo(customerId: string) {
  return or(
    eq(tickets.customerId, customerId),
    sql`(${tickets.organisationId} IS NOT NULL AND ${tickets.organisationId} = (
      SELECT c.organisation_id FROM ${customers} c JOIN ${organisations} o ON o.id = c.organisation_id
       WHERE c.id = ${customerId}::uuid AND o.is_shared))`,
  );
}

export interface PortalTicketRow {
  id: string;
  number: number;
  subject: string;
  status: string;
  updatedAt: Date;
  customerId: string;
  customerName: string;
}

export async function listPortalTickets(db: DbOrTx, customerId: string): Promise<PortalTicketRow[]> {
  return db
    .select({
      id: tickets.id,
      number: tickets.number,
      subject: tickets.subject,
      status: tickets.status,
      updatedAt: tickets.updatedAt,
      customerId: tickets.customerId,
      customerName: customers.name,
    })
    .from(tickets)
    .innerJoin(customers, eq(customers.id, tickets.customerId))
    .where(and(visibleTo(customerId), sql`${tickets.mergedIntoId} IS NULL`))
    .orderBy(desc(tickets.updatedAt))
    .limit(200);
}

export async function findPortalTicket(
  db: DbOrTx,
  customerId: string,
  number: number,
): Promise<(PortalTicketRow & { messages: CustomerVisibleMessage[] }) | null> {
  const [t] = await db
    .select({
      id: tickets.id,
      number: tickets.number,
      subject: tickets.subject,
      status: tickets.status,
      updatedAt: tickets.updatedAt,
      customerId: tickets.customerId,
      customerName: customers.name,
    })
    .from(tickets)
    .innerJoin(customers, eq(customers.id, tickets.customerId))
    .where(and(eq(tickets.number, number), visibleTo(customerId)));
  if (!t) return null;
  const messages = toCustomerVisibleMessages(await loadMessageDtos(db, { ticketId: t.id }));
  return { ...t, messages };
}

/**
 * A reply from the portal: a public customer message on the customer's own ticket (not closed). Tickets seen
 * through a shared organisation are read-only, so every message keeps its true author.
 */
export async function replyFromPortal(
  deps: Deps,
  input: { customerId: string; number: number; body: string; files?: readonly HelpUpload[] },
): Promise<'added' | 'closed' | 'not_found'> {
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const [t] = await tx
      .select({ id: tickets.id, status: tickets.status, customerId: tickets.customerId })
      .from(tickets)
      .where(and(eq(tickets.number, input.number), visibleTo(input.customerId)))
      .for('update');
    if (!t || t.customerId !== input.customerId) return 'not_found';
    if (t.status === 'closed') return 'closed';
    const m = await recordCustomerMessage(tx, {
      ticket: t,
      channel: 'web',
      body: input.body,
      meta: { web: { portal: true, customerId: input.customerId } },
      actor: SYSTEM,
      now,
    });
    await attachHelpUploads(tx, { messageId: m.id, files: input.files ?? [], now });
    return 'added';
  });
}

/**
 * A file on a message of a ticket the customer may see, when that message is one customers see (never an internal
 * note's file); null otherwise, answered like a missing one.
 */
export async function findPortalAttachment(
  db: DbOrTx,
  input: { customerId: string; number: number; attachmentId: string },
): Promise<Attachment | null> {
  const ticket = await findPortalTicket(db, input.customerId, input.number);
  if (!ticket) return null;
  for (const m of ticket.messages) {
    const a = m.attachments.find((x) => x.id === input.attachmentId);
    if (a) return a;
  }
  return null;
}
