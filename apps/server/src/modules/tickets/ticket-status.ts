import { TICKET_STATUSES, type TicketStatus } from '@seva/contracts';

export { TICKET_STATUSES, type TicketStatus };

/**
 * The ticket status machine.
 *
 *   new      → open, pending, on_hold, solved
 *   open     ↔ pending ↔ on_hold (each of the three reaches the other two)
 *   open, pending, on_hold → solved
 *   solved   → open (reopen) or closed
 *   closed   is final; only a merge closes a ticket directly from any live status.
 *
 * Staying in the same status is not a transition (callers treat it as "no change").
 */
const TRANSITIONS: Readonly<Record<TicketStatus, readonly TicketStatus[]>> = {
  new: ['open', 'pending', 'on_hold', 'solved'],
  open: ['pending', 'on_hold', 'solved'],
  pending: ['open', 'on_hold', 'solved'],
  on_hold: ['open', 'pending', 'solved'],
  solved: ['open', 'closed'],
  closed: [],
};

export type TransitionReason = 'manual' | 'merge';

export function isTicketStatus(value: string): value is TicketStatus {
  return (TICKET_STATUSES as readonly string[]).includes(value);
}

/** Whether a ticket may move from one status to another (`merge` may close any ticket that is not closed). */
export function canTransition(from: TicketStatus, to: TicketStatus, reason: TransitionReason = 'manual'): boolean {
  if (from === to) return false;
  if (reason === 'merge') return from !== 'closed' && to === 'closed';
  return TRANSITIONS[from].includes(to);
}

/** Statuses reachable from `from` by hand (for menus). */
export function nextStatuses(from: TicketStatus): readonly TicketStatus[] {
  return TRANSITIONS[from];
}

export function isFinal(status: TicketStatus): boolean {
  return TRANSITIONS[status].length === 0;
}

/** A ticket still waiting for someone: not solved and not closed. */
export function isUnresolved(status: TicketStatus): boolean {
  return status !== 'solved' && status !== 'closed';
}

/**
 * The status after a customer writes (any channel): a solved ticket reopens, a pending one (waiting for the
 * customer) becomes open again; new, open and on_hold stay; closed stays closed (channels open a follow-up).
 */
export function statusAfterCustomerReply(current: TicketStatus): TicketStatus {
  if (current === 'solved' || current === 'pending') return 'open';
  return current;
}

export type ReplyStatusDecision =
  | { ok: true; status: TicketStatus }
  | { ok: false; from: TicketStatus; to: TicketStatus };

/**
 * The status after an agent's public reply: the status they chose (if it is a valid move), otherwise a 'new'
 * ticket becomes 'open' and anything else stays as it is.
 */
export function statusAfterAgentReply(current: TicketStatus, requested?: TicketStatus): ReplyStatusDecision {
  if (requested !== undefined) {
    if (requested === current || canTransition(current, requested)) return { ok: true, status: requested };
    if (current === 'new' && canTransition('open', requested)) return { ok: true, status: requested };
    return { ok: false, from: current, to: requested };
  }
  return { ok: true, status: current === 'new' ? 'open' : current };
}
