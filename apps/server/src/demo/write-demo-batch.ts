import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../platform/db/client.ts';
import type { DemoBatch } from './demo-rows.ts';

/** One array parameter (drizzle would otherwise expand a JS array into a list of parameters). */
function arr<T>(rows: readonly T[], pick: (row: T) => unknown) {
  return sql.param(rows.map(pick));
}
const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * Inserts a generated batch with one statement per table (INSERT … SELECT FROM unnest(arrays)), inside the
 * caller's transaction. Events are appended without NOTIFY: a bulk load is history, not news.
 */
export async function writeDemoBatch(tx: DbOrTx, batch: DemoBatch): Promise<void> {
  const t = batch.tickets;
  if (t.length === 0) return;
  const numbered = await tx.execute<{ id: string; number: number }>(sql`
    INSERT INTO tickets (id, subject, status, priority, type, category_id, tags, custom_fields, language, channel, team_id,
      assignee_id, customer_id, organisation_id, last_seq, message_count, search_text, created_at, updated_at,
      first_response_at, last_message_at, last_customer_message_at, solved_at, closed_at)
    SELECT u.id, u.subject, u.status, u.priority, u.type, u.category_id,
      ARRAY(SELECT jsonb_array_elements_text(u.tags::jsonb)), u.custom_fields::jsonb, u.language, u.channel, u.team_id,
      u.assignee_id, u.customer_id, u.organisation_id, u.last_seq, u.message_count, u.search_text, u.created_at, u.updated_at,
      u.first_response_at, u.last_message_at, u.last_customer_message_at, u.solved_at, u.closed_at
    FROM unnest(
      ${arr(t, (r) => r.id)}::uuid[], ${arr(t, (r) => r.subject)}::text[], ${arr(t, (r) => r.status)}::text[],
      ${arr(t, (r) => r.priority)}::text[], ${arr(t, (r) => r.type)}::text[], ${arr(t, (r) => r.categoryId)}::uuid[],
      ${arr(t, (r) => JSON.stringify(r.tags))}::text[], ${arr(t, (r) => JSON.stringify(r.customFields))}::text[],
      ${arr(t, (r) => r.language)}::text[], ${arr(t, (r) => r.channel)}::text[], ${arr(t, (r) => r.teamId)}::uuid[],
      ${arr(t, (r) => r.assigneeId)}::uuid[], ${arr(t, (r) => r.customerId)}::uuid[], ${arr(t, (r) => r.organisationId)}::uuid[],
      ${arr(t, (r) => r.lastSeq)}::int[], ${arr(t, (r) => r.messageCount)}::int[], ${arr(t, (r) => r.searchText)}::text[],
      ${arr(t, (r) => iso(r.createdAt))}::timestamptz[], ${arr(t, (r) => iso(r.updatedAt))}::timestamptz[],
      ${arr(t, (r) => iso(r.firstResponseAt))}::timestamptz[], ${arr(t, (r) => iso(r.lastMessageAt))}::timestamptz[],
      ${arr(t, (r) => iso(r.lastCustomerMessageAt))}::timestamptz[], ${arr(t, (r) => iso(r.solvedAt))}::timestamptz[],
      ${arr(t, (r) => iso(r.closedAt))}::timestamptz[]
    ) AS u(id, subject, status, priority, type, category_id, tags, custom_fields, language, channel, team_id, assignee_id,
      customer_id, organisation_id, last_seq, message_count, search_text, created_at, updated_at, first_response_at,
      last_message_at, last_customer_message_at, solved_at, closed_at)
    RETURNING id, number`);
  const numbers = new Map(numbered.rows.map((r) => [r.id, Number(r.number)]));

  const m = batch.messages;
  await tx.execute(sql`
    INSERT INTO messages (id, ticket_id, seq, kind, author_type, author_staff_id, author_customer_id, channel, body_text,
      status, meta, handle_seconds, search_text, created_at)
    SELECT u.id, u.ticket_id, u.seq, u.kind, u.author_type, u.author_staff_id, u.author_customer_id, u.channel, u.body_text,
      u.status, u.meta::jsonb, u.handle_seconds, u.search_text, u.created_at
    FROM unnest(
      ${arr(m, (r) => r.id)}::uuid[], ${arr(m, (r) => r.ticketId)}::uuid[], ${arr(m, (r) => r.seq)}::int[],
      ${arr(m, (r) => r.kind)}::text[], ${arr(m, (r) => r.authorType)}::text[], ${arr(m, (r) => r.authorStaffId)}::uuid[],
      ${arr(m, (r) => r.authorCustomerId)}::uuid[], ${arr(m, (r) => r.channel)}::text[], ${arr(m, (r) => r.bodyText)}::text[],
      ${arr(m, (r) => r.status)}::text[], ${arr(m, (r) => JSON.stringify(r.meta))}::text[], ${arr(m, (r) => r.handleSeconds)}::int[],
      ${arr(m, (r) => r.searchText)}::text[], ${arr(m, (r) => iso(r.createdAt))}::timestamptz[]
    ) AS u(id, ticket_id, seq, kind, author_type, author_staff_id, author_customer_id, channel, body_text, status, meta,
      handle_seconds, search_text, created_at)`);

  const c = batch.collaborators;
  if (c.length > 0) {
    await tx.execute(sql`
      INSERT INTO ticket_collaborators (ticket_id, user_id, added_by_id, created_at)
      SELECT * FROM unnest(${arr(c, (r) => r.ticketId)}::uuid[], ${arr(c, (r) => r.userId)}::uuid[],
        ${arr(c, (r) => r.addedById)}::uuid[], ${arr(c, (r) => iso(r.createdAt))}::timestamptz[])
      ON CONFLICT DO NOTHING`);
  }

  // events in time order, so ids follow the timeline like live ones do
  const e = [...batch.events].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  for (const ev of e) {
    if (ev.type === 'ticket.created') ev.payload = { number: numbers.get(ev.ticketId) ?? null, ...ev.payload };
  }
  await tx.execute(sql`
    INSERT INTO events (type, ticket_id, customer_id, actor_type, actor_id, payload, created_at)
    SELECT u.type, u.ticket_id, u.customer_id, u.actor_type, u.actor_id, u.payload::jsonb, u.created_at
    FROM unnest(
      ${arr(e, (r) => r.type)}::text[], ${arr(e, (r) => r.ticketId)}::uuid[], ${arr(e, (r) => r.customerId)}::uuid[],
      ${arr(e, (r) => r.actorType)}::text[], ${arr(e, (r) => r.actorId)}::uuid[], ${arr(e, (r) => JSON.stringify(r.payload))}::text[],
      ${arr(e, (r) => iso(r.createdAt))}::timestamptz[]
    ) WITH ORDINALITY AS u(type, ticket_id, customer_id, actor_type, actor_id, payload, created_at, n)
    ORDER BY u.n`);
}
