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
}

interface AttachmentRow extends Record<string, unknown> {
  id: string;
  message_id: string;
  filename: string;
  content_type: string;
  size_bytes: number;
  created_at: Date | string;
}

const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());

/**
 * Messages of a conversation a visitor may see, after `afterSeq`, in seq order: public messages from the customer
 * or sent by staff only (the SQL filter), then the shared customer-visible filter of the tickets module again, so
 * internal notes, system entries and replies awaiting approval can never slip through either one.
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
           ccm.client_id
      FROM messages m
      LEFT JOIN staff_users s ON s.id = m.author_staff_id
      LEFT JOIN customers c ON c.id = m.author_customer_id
      LEFT JOIN chat_client_messages ccm ON ccm.message_id = m.id AND ccm.ticket_id = m.ticket_id
     WHERE ${where}
       AND m.kind = 'public' AND m.author_type IN ('customer', 'staff') AND m.status IN ${VISIBLE_STATUSES}
     ORDER BY m.seq
     LIMIT ${limit}`);
  const ids = rows.map((r) => r.id);
  const atts =
    ids.length === 0
      ? []
      : (
          await db.execute<AttachmentRow>(sql`
            SELECT id, message_id, filename, content_type, size_bytes, created_at FROM attachments
             WHERE message_id IN (${sql.join(
               ids.map((id) => sql`${id}::uuid`),
               sql`, `,
             )})
             ORDER BY created_at, id`)
        ).rows;
  const byMessage = new Map<string, WidgetAttachment[]>();
  for (const a of atts) {
    const list = byMessage.get(a.message_id) ?? [];
    list.push({
      id: a.id,
      filename: a.filename,
      contentType: a.content_type,
      sizeBytes: Number(a.size_bytes),
      url: `/widget/v1/attachments/${a.id}`,
    });
    byMessage.set(a.message_id, list);
  }
  const clientIds = new Map(rows.map((r) => [r.id, r.client_id]));
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
    clientId: m.authorType === 'customer' ? (clientIds.get(m.id) ?? null) : null,
    authorType: m.authorType,
    authorName: m.authorName,
    bodyText: m.bodyText,
    attachments: byMessage.get(m.id) ?? [],
    createdAt: m.createdAt,
  }));
}
