import type { Attachment } from '@seva/contracts';

/** The parts of a message any customer-facing path (portal, widget, email, notifications) may show. */
export interface CustomerVisibleMessage {
  id: string;
  seq: number;
  authorType: 'customer' | 'staff';
  /** staff display name or the customer's name */
  authorName: string | null;
  bodyText: string;
  bodyHtml: string | null;
  attachments: Attachment[];
  createdAt: string;
}

export interface MessageLike {
  id: string;
  seq: number;
  kind: string;
  authorType: string;
  author: { id: string; name: string } | null;
  bodyText: string;
  bodyHtml: string | null;
  status: string;
  attachments: Attachment[];
  createdAt: string;
}

/** Statuses a customer may see: delivered or on its way. Never pending_approval or rejected. */
const CUSTOMER_STATUSES = new Set(['sent', 'received', 'queued', 'failed']);

export function isCustomerVisible(m: Pick<MessageLike, 'kind' | 'authorType' | 'status'>): boolean {
  return (
    m.kind === 'public' && (m.authorType === 'customer' || m.authorType === 'staff') && CUSTOMER_STATUSES.has(m.status)
  );
}

/**
 * The one filter every customer-facing path uses: public messages from the customer or sent by staff only —
 * internal notes, system entries, replies waiting for approval and rejected replies are dropped — mapped to a shape
 * without internal fields (no meta, no staff ids).
 */
export function toCustomerVisibleMessages(messages: readonly MessageLike[]): CustomerVisibleMessage[] {
  return messages
    .filter(isCustomerVisible)
    .sort((a, b) => a.seq - b.seq)
    .map((m) => ({
      id: m.id,
      seq: m.seq,
      authorType: m.authorType as 'customer' | 'staff',
      authorName: m.author?.name ?? null,
      bodyText: m.bodyText,
      bodyHtml: m.bodyHtml,
      attachments: m.attachments,
      createdAt: m.createdAt,
    }));
}
