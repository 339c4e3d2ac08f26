import type { RealtimeClientMessage } from '@seva/contracts';

/**
 * A small pub/sub around the staff socket that the RealtimeBridge owns: features subscribe to raw server messages
 * (e.g. `chat.*` events with their payload, and ephemeral signals such as `chat.typing`) and send client messages
 * (`chat.typing`, `chat.read`) without opening a second socket.
 */
export type RealtimeMessage = { type: string; ticketId?: string | null; eventId?: number; payload?: Record<string, unknown> } & Record<string, unknown>;
export type RealtimeListener = (message: RealtimeMessage) => void;

const listeners = new Set<RealtimeListener>();
let sender: ((data: string) => boolean) | null = null;

/** Called by the bridge when its socket opens (with a sender) and closes (with null). */
export function setRealtimeSender(next: ((data: string) => boolean) | null): void {
  sender = next;
}

/** Sends a client message on the staff socket; false when it is not connected (the message is dropped). */
export function sendRealtime(message: RealtimeClientMessage): boolean {
  if (!sender) return false;
  try {
    return sender(JSON.stringify(message));
  } catch {
    return false;
  }
}

export function subscribeRealtime(listener: RealtimeListener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

/** Called by the bridge for every message it receives (already parsed). */
export function publishRealtime(message: RealtimeMessage): void {
  for (const l of [...listeners]) {
    try {
      l(message);
    } catch {
      /* one feature's listener must not break the others */
    }
  }
}

/** Parses a raw socket frame into an object with a string `type`, or null. */
export function parseRealtimeMessage(data: unknown): RealtimeMessage | null {
  if (typeof data !== 'string' || data.length > 64_000) return null;
  try {
    const v = JSON.parse(data) as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v)) return null;
    if (typeof (v as { type?: unknown }).type !== 'string') return null;
    return v as RealtimeMessage;
  } catch {
    return null;
  }
}

/** Ephemeral chat signals: they change nothing stored, so no query is refetched for them. */
export function isChatSignal(type: string): boolean {
  return type === 'chat.typing' || type === 'chat.page' || type === 'chat.presence';
}
