import type { ChatSignal } from './chat-signals.ts';

/**
 * The chat part of the staff socket, kept apart from the hub: which payload fields of `chat.*` events staff may be
 * sent, how ephemeral chat signals become socket messages, and which client messages staff may send.
 */

/** Fields of chat.* event payloads that are safe to push (people and sequence numbers, never message content). */
const SAFE_FIELDS = ['userId', 'name', 'by', 'seq', 'endedBy', 'keepOpen', 'fromUserId', 'reason', 'widgetId', 'visitorId'] as const;

export function isChatEvent(type: string): boolean {
  return type.startsWith('chat.');
}

export function safeChatPayload(payload: unknown): Record<string, unknown> {
  if (!payload || typeof payload !== 'object') return {};
  const p = payload as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of SAFE_FIELDS) {
    const v = p[k];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null) out[k] = v;
  }
  return out;
}

export interface SignalDelivery {
  ticketId: string;
  data: string;
  /** the staff member who sent it (not echoed back to them) */
  fromStaffId?: string;
}

/** One socket message per ticket the signal concerns. */
export function chatSignalDeliveries(signal: ChatSignal): SignalDelivery[] {
  if (signal.kind === 'typing') {
    return [
      {
        ticketId: signal.ticketId,
        data: JSON.stringify({ type: 'chat.typing', ticketId: signal.ticketId, from: signal.from, name: signal.name, isTyping: signal.isTyping }),
        ...(signal.staffId ? { fromStaffId: signal.staffId } : {}),
      },
    ];
  }
  if (signal.kind === 'page') {
    return signal.ticketIds.map((ticketId) => ({ ticketId, data: JSON.stringify({ type: 'chat.page', ticketId, url: signal.url, title: signal.title }) }));
  }
  return signal.ticketIds.map((ticketId) => ({ ticketId, data: JSON.stringify({ type: 'chat.presence', ticketId, online: signal.online }) }));
}

export type StaffChatMessage = { type: 'chat.typing'; ticketId: string; isTyping: boolean } | { type: 'chat.read'; ticketId: string; seq: number };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A chat message a staff socket sent, or null when it is something else (or malformed: ignored). */
export function parseStaffChatMessage(raw: unknown): StaffChatMessage | null {
  const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : typeof raw === 'string' ? raw : '';
  if (text.length === 0 || text.length > 500) return null;
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (!v || typeof v !== 'object' || typeof v.ticketId !== 'string' || !UUID.test(v.ticketId)) return null;
  const ticketId = v.ticketId.toLowerCase();
  if (v.type === 'chat.typing' && typeof v.isTyping === 'boolean') return { type: 'chat.typing', ticketId, isTyping: v.isTyping };
  if (v.type === 'chat.read' && typeof v.seq === 'number' && Number.isInteger(v.seq) && v.seq >= 0 && v.seq < 2 ** 31) return { type: 'chat.read', ticketId, seq: v.seq };
  return null;
}
