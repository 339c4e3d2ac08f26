/**
 * Pure parts of the realtime bridge: parsing what the server pushes, the reconnect schedule, and which cached
 * queries an event makes stale. The server sends `{ type, ticketId, eventId, ... }` only for tickets the agent may see.
 */
export interface RealtimeEvent {
  type: string;
  ticketId?: string;
  customerId?: string;
  eventId?: number;
  /** optional extras a server may add; the bridge fetches what it needs when they are absent */
  authorType?: string;
  kind?: string;
}

/** Control messages of the socket itself (see @seva/contracts realtime.ts). */
export function isControlMessage(event: RealtimeEvent): boolean {
  return event.type.startsWith('realtime.');
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
  const payload = v.payload && typeof v.payload === 'object' ? (v.payload as Record<string, unknown>) : {};
  const event: RealtimeEvent = { type: v.type };
  const ticketId = str(v.ticketId);
  if (ticketId) event.ticketId = ticketId;
  const customerId = str(v.customerId);
  if (customerId) event.customerId = customerId;
  if (typeof v.eventId === 'number' && Number.isSafeInteger(v.eventId)) event.eventId = v.eventId;
  const authorType = str(v.authorType) ?? str(payload.authorType);
  if (authorType) event.authorType = authorType;
  const kind = str(v.kind) ?? str(payload.kind);
  if (kind) event.kind = kind;
  return event;
}

/** Exponential backoff with full jitter: 0.5 s, 1 s, 2 s … capped at 30 s. `random` is injectable for tests. */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 500 * 2 ** Math.max(0, attempt));
  return Math.round(base / 2 + (random() * base) / 2);
}

export type InvalidationTarget = 'ticket' | 'messages' | 'events' | 'lists' | 'customer-tickets' | 'search';

/** What an event makes stale. Unknown event types about a ticket refresh that ticket and the lists. */
export function invalidationTargets(event: RealtimeEvent): InvalidationTarget[] {
  if (isControlMessage(event)) return [];
  if (!event.ticketId) return event.type.startsWith('ticket') ? ['lists'] : event.customerId ? ['customer-tickets'] : [];
  if (event.type.startsWith('message.')) return ['messages', 'ticket', 'events', 'lists', 'search'];
  if (event.type === 'ticket.created') return ['lists', 'customer-tickets'];
  return ['ticket', 'events', 'lists', 'customer-tickets', 'messages'];
}

/** Should this event ping the agent? New tickets always; customer messages only on tickets assigned to them. */
export function isNewCustomerMessage(event: RealtimeEvent): boolean {
  return event.type === 'message.received' || (event.type === 'message.added' && event.authorType === 'customer');
}

/** Could this event be a new customer message? (The server may not say who wrote it; then the bridge looks.) */
export function mayBeCustomerMessage(event: RealtimeEvent): boolean {
  if (event.type === 'message.received') return true;
  if (event.type !== 'message.added') return false;
  if (event.kind && event.kind !== 'public') return false;
  return event.authorType === undefined || event.authorType === 'customer';
}

/** The socket URL, resuming after the last event seen so nothing is missed across a reconnect. */
export function realtimeSocketUrl(loc: { protocol: string; host: string }, since: number | null): string {
  const base = `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/api/v1/realtime`;
  return since === null ? base : `${base}?since=${since}`;
}
