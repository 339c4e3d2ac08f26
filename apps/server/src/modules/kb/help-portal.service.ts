import type { KbLocale } from '@seva/contracts';
import { and, asc, desc, eq, or, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { customerIdentities, customers, mailboxes, organisations, tickets } from '../../platform/db/schema/index.ts';
import type { Deps } from '../../platform/deps.ts';
import { normaliseEmail } from '../customers/find-or-create-customer.ts';
import { createRelayTransport } from '../email/send-email.job.ts';
import { type CustomerVisibleMessage, toCustomerVisibleMessages } from '../tickets/customer-visible-messages.ts';
import { loadMessageDtos, recordCustomerMessage } from '../tickets/index.ts';
import { createRateLimiter, type RateLimiter } from '../widget/rate-limiter.ts';
import { helpText } from './help-i18n.ts';
import { signSignInLink } from './help-portal-auth.ts';

const SYSTEM = { kind: 'system' } as const;
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
 * caller shows one page for both); the mail goes out after the answer, through the outbound relay, only to a
 * known address and within the per-address and per-IP limits.
 */
export function requestSignInLink(
  deps: Deps,
  input: { email: string; locale: KbLocale; origin: string; ip: string },
  onError: (err: unknown) => void,
): void {
  const email = normaliseEmail(input.email);
  const l = limiterFor(deps);
  if (!l.ip.take(input.ip) || !l.email.take(email)) return;
  setImmediate(() => {
    sendSignInLink(deps, { ...input, email }).catch(onError);
  });
}

async function sendSignInLink(deps: Deps, input: { email: string; locale: KbLocale; origin: string }): Promise<void> {
  const customer = await customerByEmail(deps.db, input.email);
  if (!customer) return;
  const transport = createRelayTransport(deps.config.smtpRelayUrl);
  if (!transport) return;
  const [mailbox] = await deps.db
    .select()
    .from(mailboxes)
    .where(eq(mailboxes.status, 'active'))
    .orderBy(asc(mailboxes.createdAt))
    .limit(1);
  const token = await signSignInLink(deps.db, deps.config.secret, { email: input.email, now: deps.clock.now() });
  const url = `${input.origin}/help/${input.locale}/sign-in/link?token=${encodeURIComponent(token)}`;
  const fromAddress =
    mailbox?.address ?? `no-reply@${new URL(deps.config.publicUrl ?? 'http://localhost').hostname || 'localhost'}`;
  try {
    await transport.sendMail({
      from: { name: mailbox ? mailbox.fromName || mailbox.name : 'Seva', address: fromAddress },
      to: input.email,
      subject: helpText(input.locale, 'linkConfirmTitle'),
      text: `${helpText(input.locale, 'signInIntro')}\n\n${url}\n`,
      headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
    });
  } finally {
    transport.close();
  }
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
  input: { customerId: string; number: number; body: string },
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
    await recordCustomerMessage(tx, {
      ticket: t,
      channel: 'web',
      body: input.body,
      meta: { web: { portal: true, customerId: input.customerId } },
      actor: SYSTEM,
      now,
    });
    return 'added';
  });
}
