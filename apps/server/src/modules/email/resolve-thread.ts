import { and, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { customerIdentities, emailMessageIds, emailThreads, tickets } from '../../platform/db/schema/index.ts';

/**
 * Which ticket an inbound mail belongs to, and why. In order: our Message-IDs in In-Reply-To, then References,
 * then the per-ticket reply token in a recipient address (support+<token>@…), then `[#1234]` in the subject.
 * A match counts only when the sender is a participant of that ticket (its customer's addresses or an address
 * on the email thread); every rejected candidate is recorded, so the ticket can show why.
 */
export type ThreadReason = 'in_reply_to' | 'references' | 'reply_token' | 'subject_reference';

export interface ThreadCandidate {
  reason: ThreadReason;
  ticketId: string;
  ticketNumber: number;
  accepted: boolean;
  note?: string;
}

export interface ThreadDecision {
  ticketId: string | null;
  reason: ThreadReason | 'new_ticket';
  candidates: ThreadCandidate[];
}

export interface ResolveThreadInput {
  senderAddress: string;
  inReplyTo: string[];
  references: string[];
  /** reply tokens found in the recipients (plus-address tags on this mailbox's address) */
  replyTokens: string[];
  subject: string;
  /** an unverified sender (failed authentication) never joins an existing ticket */
  senderVerified: boolean;
}

const SUBJECT_REF = /\[#(\d{1,12})\]/g;

export function subjectTicketNumbers(subject: string): number[] {
  return [...subject.matchAll(SUBJECT_REF)].map((m) => Number(m[1])).filter((n) => Number.isSafeInteger(n));
}

interface TicketRef {
  id: string;
  number: number;
  customerId: string;
  mergedIntoId: string | null;
}

async function followMerges(db: DbOrTx, t: TicketRef): Promise<TicketRef> {
  let current = t;
  for (let i = 0; i < 10 && current.mergedIntoId; i += 1) {
    const [next] = await db
      .select({ id: tickets.id, number: tickets.number, customerId: tickets.customerId, mergedIntoId: tickets.mergedIntoId })
      .from(tickets)
      .where(eq(tickets.id, current.mergedIntoId));
    if (!next) break;
    current = next;
  }
  return current;
}

/** Whether `address` may write into the ticket: an email identity of its customer, or a participant on its thread. */
export async function isTicketParticipant(db: DbOrTx, ticket: { id: string; customerId: string }, address: string): Promise<boolean> {
  const addr = address.toLowerCase();
  const [identity] = await db
    .select({ id: customerIdentities.id })
    .from(customerIdentities)
    .where(and(eq(customerIdentities.customerId, ticket.customerId), eq(customerIdentities.kind, 'email'), eq(customerIdentities.value, addr)))
    .limit(1);
  if (identity) return true;
  const [thread] = await db
    .select({ ticketId: emailThreads.ticketId })
    .from(emailThreads)
    .where(and(eq(emailThreads.ticketId, ticket.id), sql`${addr} = ANY(${emailThreads.participants})`))
    .limit(1);
  return Boolean(thread);
}

const TICKET_COLS = { id: tickets.id, number: tickets.number, customerId: tickets.customerId, mergedIntoId: tickets.mergedIntoId };

export async function resolveThread(db: DbOrTx, input: ResolveThreadInput): Promise<ThreadDecision> {
  const candidates: ThreadCandidate[] = [];
  const tried = new Set<string>();

  const consider = async (reason: ThreadReason, found: TicketRef | undefined): Promise<string | null> => {
    if (!found) return null;
    const t = await followMerges(db, found);
    const key = `${reason}:${t.id}`;
    if (tried.has(key)) return null;
    tried.add(key);
    if (!input.senderVerified) {
      candidates.push({ reason, ticketId: t.id, ticketNumber: t.number, accepted: false, note: 'sender_not_verified' });
      return null;
    }
    if (!(await isTicketParticipant(db, t, input.senderAddress))) {
      candidates.push({ reason, ticketId: t.id, ticketNumber: t.number, accepted: false, note: 'sender_not_participant' });
      return null;
    }
    candidates.push({ reason, ticketId: t.id, ticketNumber: t.number, accepted: true });
    return t.id;
  };

  const byMessageIds = async (ids: string[], reason: ThreadReason): Promise<string | null> => {
    if (ids.length === 0) return null;
    const rows = await db
      .select({ header: emailMessageIds.messageIdHeader, direction: emailMessageIds.direction, ...TICKET_COLS })
      .from(emailMessageIds)
      .innerJoin(tickets, eq(tickets.id, emailMessageIds.ticketId))
      .where(inArray(emailMessageIds.messageIdHeader, ids));
    // the most recent reference first; our own (outbound) ids before ones we received
    const order = [...ids].reverse();
    rows.sort((a, b) => order.indexOf(a.header) - order.indexOf(b.header) || (a.direction === 'outbound' ? -1 : 1));
    for (const r of rows) {
      const hit = await consider(reason, r);
      if (hit) return hit;
    }
    return null;
  };

  const viaReply = await byMessageIds(input.inReplyTo, 'in_reply_to');
  if (viaReply) return { ticketId: viaReply, reason: 'in_reply_to', candidates };
  const viaRefs = await byMessageIds(input.references.filter((r) => !input.inReplyTo.includes(r)), 'references');
  if (viaRefs) return { ticketId: viaRefs, reason: 'references', candidates };

  if (input.replyTokens.length > 0) {
    const rows = await db
      .select(TICKET_COLS)
      .from(emailThreads)
      .innerJoin(tickets, eq(tickets.id, emailThreads.ticketId))
      .where(inArray(emailThreads.replyToken, input.replyTokens.slice(0, 10)));
    for (const r of rows) {
      const hit = await consider('reply_token', r);
      if (hit) return { ticketId: hit, reason: 'reply_token', candidates };
    }
  }

  const numbers = subjectTicketNumbers(input.subject).slice(0, 5);
  if (numbers.length > 0) {
    const rows = await db.select(TICKET_COLS).from(tickets).where(inArray(tickets.number, numbers));
    for (const r of rows) {
      const hit = await consider('subject_reference', r);
      if (hit) return { ticketId: hit, reason: 'subject_reference', candidates };
    }
  }
  return { ticketId: null, reason: 'new_ticket', candidates };
}
