import type { WidgetAttachment, WidgetMessage } from '@seva/contracts';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { toCustomerVisibleMessages } from '../tickets/index.ts';

const VISIBLE_STATUSES = sql`('sent', 'received', 'queued', 'failed')`;

interface Row extends Record<string, unknown> {
  id: string;
  seq: number;
  kind: string;
  author_type: string;
  author_id: string | null;
  author_name: string | null;
  body_text: string;
  status: string;
  created_at: Date | string;
  client_id: string | null;
  /** json_agg of the message's attachments, oldest first (never null: '[]' when it has none) */
  attachments: Array<{ id: string; filename: string; content_type: string; size_bytes: number | string }>;
}

const toAttachment = (a: Row['attachments'][number]): WidgetAttachment => ({
  id: a.id,
  filename: a.filename,
  contentType: a.content_type,
  sizeBytes: Number(a.size_bytes),
  url: `/widget/v1/attachments/${a.id}`,
});

const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());

/**
 * Messages of a conversation a visitor may see, after `afterSeq`, in seq order: public messages from the customer
 * or sent by staff only (the SQL filter), then the shared customer-visible filter of the tickets module again, so
 * internal notes, system entries and replies awaiting approval can never slip through either one.
 *
 * Attachments come in the same statement (a json_agg per message) rather than a second query by message id: the
 * widget hub runs this for every message it delivers, and on the live-chat path the round trips are the cost
 * (issue #10: a visitor message cost 14, and this read was 2 of them per delivery).
 */
export async function loadWidgetMessages(
  db: DbOrTx,
  input: { ticketId: string; afterSeq: number; limit?: number } | { messageIds: string[] },
): Promise<WidgetMessage[]> {
  const where =
    'messageIds' in input
      ? input.messageIds.length === 0
        ? sql`false`
        : sql`m.id IN (${sql.join(
            input.messageIds.map((id) => sql`${id}::uuid`),
            sql`, `,
          )})`
      : sql`m.ticket_id = ${input.ticketId}::uuid AND m.seq > ${input.afterSeq}`;
  const limit = 'messageIds' in input ? 100 : (input.limit ?? 1000);
  const { rows } = await db.execute<Row>(sql`
    SELECT m.id, m.seq, m.kind, m.author_type, m.body_text, m.status, m.created_at,
           COALESCE(m.author_staff_id, m.author_customer_id) AS author_id,
           CASE WHEN m.author_type = 'staff' THEN s.name ELSE c.name END AS author_name,
           ccm.client_id,
           COALESCE((SELECT json_agg(json_build_object('id', a.id, 'filename', a.filename,
                                                       'content_type', a.content_type, 'size_bytes', a.size_bytes)
                                     ORDER BY a.created_at, a.id)
                       FROM attachments a WHERE a.message_id = m.id), '[]'::json) AS attachments
      FROM messages m
      LEFT JOIN staff_users s ON s.id = m.author_staff_id
      LEFT JOIN customers c ON c.id = m.author_customer_id
      LEFT JOIN chat_client_messages ccm ON ccm.message_id = m.id AND ccm.ticket_id = m.ticket_id
     WHERE ${where}
       AND m.kind = 'public' AND m.author_type IN ('customer', 'staff') AND m.status IN ${VISIBLE_STATUSES}
     ORDER BY m.seq
     LIMIT ${limit}`);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const visible = toCustomerVisibleMessages(
    rows.map((r) => ({
      id: r.id,
      seq: Number(r.seq),
      kind: r.kind,
      authorType: r.author_type,
      author: r.author_id && r.author_name !== null ? { id: r.author_id, name: r.author_name } : null,
      bodyText: r.body_text,
      bodyHtml: null,
      status: r.status,
      attachments: [],
      createdAt: iso(r.created_at),
    })),
  );
  return visible.map((m) => ({
    id: m.id,
    seq: m.seq,
    clientId: m.authorType === 'customer' ? (byId.get(m.id)?.client_id ?? null) : null,
    authorType: m.authorType,
    authorName: m.authorName,
    bodyText: m.bodyText,
    attachments: (byId.get(m.id)?.attachments ?? []).map(toAttachment),
    createdAt: m.createdAt,
  }));
}
