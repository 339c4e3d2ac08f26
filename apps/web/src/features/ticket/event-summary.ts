/**
 * A short human line for each field of an event payload: `status: open → pending`, `tags: vip, urgent`.
 * Values are shown as text (React escapes them); ids are shortened; nested objects are flattened one level.
 */
const HIDDEN = new Set(['ticketId', 'messageId', 'eventId', 'actorId']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function show(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.length ? value.map(show).join(', ') : '—';
  if (typeof value === 'string') return UUID.test(value) ? `${value.slice(0, 8)}…` : value.length > 120 ? `${value.slice(0, 117)}…` : value;
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.name === 'string') return o.name;
    if (typeof o.number === 'number') return `#${o.number}`;
    return JSON.stringify(value).slice(0, 120);
  }
  return String(value);
}

export interface PayloadLine {
  field: string;
  text: string;
}

export function summarisePayload(payload: Record<string, unknown> | null | undefined): PayloadLine[] {
  if (!payload) return [];
  const lines: PayloadLine[] = [];
  for (const [field, value] of Object.entries(payload)) {
    if (HIDDEN.has(field)) continue;
    if (value && typeof value === 'object' && !Array.isArray(value) && ('from' in value || 'to' in value)) {
      const { from, to } = value as { from?: unknown; to?: unknown };
      lines.push({ field, text: `${show(from)} → ${show(to)}` });
    } else {
      lines.push({ field, text: show(value) });
    }
  }
  return lines.slice(0, 12);
}
