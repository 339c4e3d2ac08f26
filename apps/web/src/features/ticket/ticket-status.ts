import type { TicketPriority, TicketStatus } from '@seva/contracts';

/**
 * The status machine as the agent sees it (mirrors the server's ticket-status.ts, which enforces it):
 * new → open, pending, on_hold, solved; open ↔ pending ↔ on_hold; those → solved; solved → open or closed.
 */
const TRANSITIONS: Readonly<Record<TicketStatus, readonly TicketStatus[]>> = {
  new: ['open', 'pending', 'on_hold', 'solved'],
  open: ['pending', 'on_hold', 'solved'],
  pending: ['open', 'on_hold', 'solved'],
  on_hold: ['open', 'pending', 'solved'],
  solved: ['open', 'closed'],
  closed: [],
};

export const STATUS_ORDER: readonly TicketStatus[] = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'];
export const PRIORITY_ORDER: readonly TicketPriority[] = ['low', 'normal', 'high', 'urgent'];
export const UNRESOLVED_STATUSES: readonly TicketStatus[] = ['new', 'open', 'pending', 'on_hold'];

/** The statuses a ticket may be set to by hand from `current`, current first (for a select). */
export function selectableStatuses(current: TicketStatus): TicketStatus[] {
  return [current, ...TRANSITIONS[current]];
}

/** Statuses offered by "send and set status" after a public reply: where the ticket can go from here. */
export function sendAndSetStatuses(current: TicketStatus): TicketStatus[] {
  return TRANSITIONS[current].filter((s) => s !== 'new' && s !== 'closed');
}

export function isClosed(status: TicketStatus): boolean {
  return TRANSITIONS[status].length === 0;
}

export const STATUS_COLOR: Record<TicketStatus, string> = {
  new: 'yellow',
  open: 'red',
  pending: 'blue',
  on_hold: 'gray',
  solved: 'teal',
  closed: 'dark',
};

export const PRIORITY_COLOR: Record<TicketPriority, string> = {
  low: 'gray',
  normal: 'blue',
  high: 'orange',
  urgent: 'red',
};
