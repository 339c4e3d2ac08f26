import type { Actor } from './auth/permissions.ts';
import type { DbOrTx } from './db/client.ts';

/**
 * Ticket lifecycle hooks: the one extension point through which routing, SLAs and triggers react to tickets,
 * inside the same transaction as the change (so a ticket is never visible unrouted, and a rolled-back change
 * leaves no trace in them). The tickets module (and every channel that writes tickets) calls `runTicketHooks`;
 * modules register handlers when they are imported. Handlers run in ascending `order`.
 *
 *   created   a ticket exists with its first message (any channel; split-off tickets too)
 *   updated   fields changed through the API (names of the changed fields)
 *   message   a message was appended (customer, staff or system; public or internal)
 *   status    the status moved (after the row was written)
 *   sla       an SLA clock reached its warning share or its due time (from the SLA worker)
 *   survey    the customer answered a satisfaction survey about the ticket
 *
 * A hook that writes the ticket's row itself must say so for a ticket its transaction opened: `patchNewTicket`
 * with what it set, or `forgetNewTicket` (platform/new-ticket-snapshot.ts). The hooks after it read the new ticket
 * from that snapshot instead of the database; under test every such read is checked against the database.
 */
/** What hooks read of a new message: its text, who wrote it, its delivery status, whether a rule sent it. */
export interface TicketHookMessage {
  bodyText: string;
  authorStaffId: string | null;
  status: string;
  automated: boolean;
}

export type TicketHookEvent =
  | {
      kind: 'created';
      ticketId: string;
      actor: Actor;
      now: Date;
      source: 'api' | 'email' | 'split' | 'channel' | 'widget' | 'web';
    }
  | { kind: 'updated'; ticketId: string; actor: Actor; now: Date; changed: string[] }
  | {
      kind: 'message';
      ticketId: string;
      messageId: string;
      messageKind: 'public' | 'internal' | 'system';
      authorType: 'customer' | 'staff' | 'system';
      actor: Actor;
      now: Date;
      /** the message as stored, when the writer has it at hand (saves every hook reading it back) */
      message?: TicketHookMessage;
      /**
       * The ticket's SLA policy as the message was added (the same statement that numbered it), when the writer
       * has it: only the SLA hook sets it, so a null here lets the SLA hook skip reading the ticket.
       */
      ticketSlaPolicyId?: string | null;
      /**
       * Whether this message set the ticket's first response time, when the writer knows (the same statement that
       * numbered it): with false, hooks that only care about the first response (insights) need not look.
       */
      setFirstResponse?: boolean;
    }
  | { kind: 'status'; ticketId: string; from: string; to: string; actor: Actor; now: Date }
  | { kind: 'sla'; ticketId: string; moment: 'warning' | 'breach'; metric: string; actor: Actor; now: Date }
  | { kind: 'survey'; ticketId: string; surveyKind: string; rating: number; actor: Actor; now: Date };

export interface TicketHook {
  /** unique; registering the same name again replaces the handler (modules may be imported more than once) */
  name: string;
  /** lower runs first: routing 100, SLA 200, triggers 300 */
  order: number;
  handle(tx: DbOrTx, event: TicketHookEvent): Promise<void>;
}

const hooks = new Map<string, TicketHook>();
let sorted: TicketHook[] = [];

export function registerTicketHook(hook: TicketHook): void {
  hooks.set(hook.name, hook);
  sorted = [...hooks.values()].sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
}

/** Hooks may change tickets themselves; nesting deeper than this is a loop and is cut off. */
export const MAX_HOOK_DEPTH = 4;
const depthByTx = new WeakMap<object, number>();

/**
 * Runs every registered hook for one event inside the caller's transaction. A hook that itself changes the ticket
 * re-enters here; past MAX_HOOK_DEPTH the nested event is skipped so a rule that re-fires itself cannot loop.
 */
export async function runTicketHooks(tx: DbOrTx, event: TicketHookEvent): Promise<void> {
  if (sorted.length === 0) return;
  const key = tx as unknown as object;
  const depth = depthByTx.get(key) ?? 0;
  if (depth >= MAX_HOOK_DEPTH) return;
  depthByTx.set(key, depth + 1);
  try {
    for (const hook of sorted) await hook.handle(tx, event);
  } finally {
    depthByTx.set(key, depth);
  }
}

/** The depth of hook nesting in this transaction right now (0 outside any hook); for loop-aware handlers. */
export function ticketHookDepth(tx: DbOrTx): number {
  return depthByTx.get(tx as unknown as object) ?? 0;
}

/** Removes a hook (tests register temporary ones). */
export function unregisterTicketHook(name: string): void {
  hooks.delete(name);
  sorted = [...hooks.values()].sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
}
