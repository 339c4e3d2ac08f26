import type { WidgetMessage } from '@seva/contracts';

/**
 * Client-side chat delivery, pure and unit-tested: every message the visitor writes gets a clientId and stays in the
 * outbox until the server acks it; messages from the server are kept once per seq and in seq order, so a replay
 * after a reconnect (subscribe with the last seen seq) neither doubles nor reorders anything.
 */
export interface OutgoingMessage {
  clientId: string;
  body: string;
  attachmentIds: string[];
  /** when the visitor wrote it (for display while pending) */
  createdAt: string;
}

export interface DeliveryState {
  /** confirmed messages, ascending seq, each seq once */
  messages: WidgetMessage[];
  /** written but not yet acked, in the order written */
  outbox: OutgoingMessage[];
  /** highest seq received (the `afterSeq` of the next subscribe) */
  lastSeq: number;
}

export function createDeliveryState(): DeliveryState {
  return { messages: [], outbox: [], lastSeq: 0 };
}

export function makeClientId(random: () => string = defaultRandom): string {
  return `c_${random()}`;
}

function defaultRandom(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
}

/** The visitor writes a message: it joins the outbox (sent now if connected, resent after every reconnect). */
export function enqueueMessage(state: DeliveryState, msg: OutgoingMessage): DeliveryState {
  if (state.outbox.some((m) => m.clientId === msg.clientId)) return state;
  return { ...state, outbox: [...state.outbox, msg] };
}

/** The server stored the message with this clientId: it leaves the outbox (its `message` arrives or has arrived). */
export function acknowledgeMessage(state: DeliveryState, clientId: string): DeliveryState {
  if (!state.outbox.some((m) => m.clientId === clientId)) return state;
  return { ...state, outbox: state.outbox.filter((m) => m.clientId !== clientId) };
}

/** A message from the server (live or replayed): kept once, in seq order; our own pending copy is dropped. */
export function receiveMessage(state: DeliveryState, msg: WidgetMessage): DeliveryState {
  return receiveMessages(state, [msg]);
}

export function receiveMessages(state: DeliveryState, incoming: WidgetMessage[]): DeliveryState {
  if (incoming.length === 0) return state;
  const bySeq = new Map<number, WidgetMessage>();
  for (const m of state.messages) bySeq.set(m.seq, m);
  let changed = false;
  for (const m of incoming) {
    if (bySeq.has(m.seq)) continue;
    bySeq.set(m.seq, m);
    changed = true;
  }
  const confirmedClientIds = new Set(incoming.map((m) => m.clientId).filter((c): c is string => !!c));
  const outbox = state.outbox.filter((m) => !confirmedClientIds.has(m.clientId));
  if (!changed && outbox.length === state.outbox.length) return state;
  const messages = changed ? [...bySeq.values()].sort((a, b) => a.seq - b.seq) : state.messages;
  const lastSeq = messages.length > 0 ? Math.max(state.lastSeq, messages[messages.length - 1]?.seq ?? 0) : state.lastSeq;
  return { messages, outbox, lastSeq };
}

/** What to (re)send after the socket is subscribed: everything not yet acked, oldest first. */
export function pendingMessages(state: DeliveryState): OutgoingMessage[] {
  return state.outbox;
}

/** The visitor's own newest message the agent has read (for "Seen"), or null. */
export function lastSeenOwnSeq(state: DeliveryState, agentReadSeq: number): number | null {
  let seen: number | null = null;
  for (const m of state.messages) if (m.authorType === 'customer' && m.seq <= agentReadSeq) seen = m.seq;
  return seen;
}

/** Messages from the agent side after `readSeq`: the unread count. */
export function countUnread(state: DeliveryState, readSeq: number): number {
  return state.messages.filter((m) => m.authorType === 'staff' && m.seq > readSeq).length;
}

/** Reconnect delay: exponential with jitter, capped; `random` in [0, 1). */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(15_000, 500 * 2 ** Math.min(attempt, 10));
  return Math.round(base / 2 + (base / 2) * random());
}
