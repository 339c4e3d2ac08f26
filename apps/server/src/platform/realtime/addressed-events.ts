/**
 * Events meant for named staff only (a personal notification, not news about a ticket): the hub delivers them, live
 * and on replay, to the staff whose ids are in the event's `payload.userIds` and to nobody else. The socket message
 * carries the payload's scalar fields except the recipient list.
 */
export const ADDRESSED_EVENT_TYPES: readonly string[] = ['kb_announcement.reminded', 'notification.created'];

export function isAddressedEvent(type: string): boolean {
  return ADDRESSED_EVENT_TYPES.includes(type);
}

export interface AddressedDelivery {
  userIds: ReadonlySet<string>;
  payload: Record<string, unknown>;
}

export function addressedDelivery(payload: unknown): AddressedDelivery {
  const p = payload && typeof payload === 'object' ? (payload as Record<string, unknown>) : {};
  const ids = Array.isArray(p.userIds) ? p.userIds.filter((x): x is string => typeof x === 'string') : [];
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p)) {
    if (k === 'userIds') continue;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null) out[k] = v;
  }
  return { userIds: new Set(ids), payload: out };
}
