/**
 * Pure parts of the realtime bridge: parsing what the server pushes, the reconnect schedule, and which cached
 * queries an event makes stale. The server sends `{ type, ticketId, eventId, ... }` only for tickets the agent may see.
 */
export interface RealtimeEvent {
  type: string;
  ticketId?: string;
  eventId?: string | number;
  /** optional extras a server may add; the bridge fetches what it needs when they are absent */
  authorType?: string;
  kind?: string;
  assigneeId?: string | null;
}

export function parseRealtimeEvent(data: unknown): RealtimeEvent | null {
  if (typeof data !== 'string' || data.length > 64_000) return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  if (typeof v.type !== 'string' || v.type.length > 100) return null;
  const str = (x: unknown) => (typeof x === 'string' ? x : undefined);
  return {
    type: v.type,
    ticketId: str(v.ticketId),
    eventId: typeof v.eventId === 'number' ? v.eventId : str(v.eventId),
    authorType: str(v.authorType),
    kind: str(v.kind),
    assigneeId: v.assigneeId === null ? null : str(v.assigneeId),
  };
}

/** Exponential backoff with full jitter: 0.5 s, 1 s, 2 s … capped at 30 s. `random` is injectable for tests. */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 500 * 2 ** Math.max(0, attempt));
  return Math.round(base / 2 + (random() * base) / 2);
}

export type InvalidationTarget = 'ticket' | 'messages' | 'events' | 'lists' | 'customer-tickets' | 'search';

/** What an event makes stale. Unknown event types about a ticket refresh that ticket and the lists. */
export function invalidationTargets(event: RealtimeEvent): InvalidationTarget[] {
  if (!event.ticketId) return event.type.startsWith('ticket') ? ['lists'] : [];
  if (event.type.startsWith('message.')) return ['messages', 'ticket', 'events', 'lists', 'search'];
  if (event.type === 'ticket.created') return ['lists', 'customer-tickets'];
  return ['ticket', 'events', 'lists', 'customer-tickets', 'messages'];
}

/** Should this event ping the agent? New tickets always; customer messages only on tickets assigned to them. */
export function isNewCustomerMessage(event: RealtimeEvent): boolean {
  return event.type === 'message.received' || (event.type.startsWith('message.') && event.authorType === 'customer');
}
