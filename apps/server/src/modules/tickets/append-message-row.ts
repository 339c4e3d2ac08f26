import { eq, getTableColumns, type SQL, sql } from 'drizzle-orm';
import { CONFIG_VERSIONS_COLUMN } from '../../platform/config-cache.ts';
import { reusableQuery } from '../../platform/db/reusable-query.ts';
import { messages, tickets } from '../../platform/db/schema/index.ts';

/**
 * A message's row and its ticket's bookkeeping in one statement: the ticket's `last_seq` goes up by one (which also
 * locks the ticket row, so concurrent writers on one ticket queue here and get consecutive numbers), its counters
 * and timestamps move, and the message is inserted with that number. It was an UPDATE then an INSERT — two round
 * trips on every message of every channel, where the round trips are what a write costs (docs/performance.md).
 * The message's `message.added` event is inserted by the same statement. It also answers the ticket's SLA policy
 * as of this moment, which the SLA hook needs to know whether to look, and the configuration versions the hooks'
 * cached lookups check (platform/config-cache.ts).
 * Built once (platform/db/reusable-query.ts); values arrive encoded (JSON text, ISO time).
 */
const P = (name: string) => sql.placeholder(name);
const flag = (name: string) => sql`${P(name)}::boolean`;

/** The value of each inserted column; a column added to `messages` must be given one here (or be nullable). */
const INSERTED: Record<string, SQL> = {
  id: sql`${P('messageId')}::uuid`,
  ticketId: sql`bump.id`,
  seq: sql`bump.last_seq`,
  kind: sql`${P('kind')}::text`,
  authorType: sql`${P('authorType')}::text`,
  authorStaffId: sql`${P('authorStaffId')}::uuid`,
  authorCustomerId: sql`${P('authorCustomerId')}::uuid`,
  channel: sql`${P('channel')}::text`,
  bodyText: sql`${P('bodyText')}::text`,
  bodyHtml: sql`${P('bodyHtml')}::text`,
  status: sql`${P('status')}::text`,
  meta: sql`${P('meta')}::jsonb`,
  searchText: sql`${P('searchText')}::text`,
  createdAt: sql`${P('now')}::timestamptz`,
};

export const appendMessageRow = reusableQuery((db) => {
  const now = sql`${P('now')}::timestamptz`;
  const bump = db.$with('bump').as(
    db
      .update(tickets)
      .set({
        lastSeq: sql`${tickets.lastSeq} + 1`,
        updatedAt: now,
        messageCount: sql`${tickets.messageCount} + CASE WHEN ${flag('counts')} THEN 1 ELSE 0 END`,
        lastMessageAt: sql`CASE WHEN ${flag('counts')} THEN ${now} ELSE ${tickets.lastMessageAt} END`,
        lastCustomerMessageAt: sql`CASE WHEN ${flag('isCustomer')} THEN ${now} ELSE ${tickets.lastCustomerMessageAt} END`,
        firstResponseAt: sql`CASE WHEN ${flag('isFirstResponse')} THEN COALESCE(${tickets.firstResponseAt}, ${now}) ELSE ${tickets.firstResponseAt} END`,
      })
      .where(eq(tickets.id, P('ticketId')))
      .returning({
        id: tickets.id,
        lastSeq: tickets.lastSeq,
        slaPolicyId: tickets.slaPolicyId,
        firstResponseAt: tickets.firstResponseAt,
      }),
  );
  // the message's `message.added` event in the same statement (announced by the caller: events.ts announceEvent)
  const event = db.$with('event', { id: sql<number>`id` }).as(
    sql`INSERT INTO events (type, ticket_id, customer_id, actor_type, actor_id, payload, created_at)
        SELECT 'message.added', bump.id, NULL, ${P('actorType')}::text, ${P('actorId')}::uuid,
               jsonb_build_object('messageId', ${P('messageId')}::uuid, 'seq', bump.last_seq, 'kind', ${P('kind')}::text,
                                  'authorType', ${P('authorType')}::text, 'status', ${P('status')}::text,
                                  'attachmentCount', ${P('attachmentCount')}::int),
               ${now}
          FROM bump
        RETURNING id`,
  );
  // every column Drizzle inserts (all but generated ones, in table order), each with its value
  const values = Object.entries(getTableColumns(messages))
    .filter(([, column]) => !(column as unknown as { shouldDisableInsert(): boolean }).shouldDisableInsert())
    .map(([key, column]) => {
      const value = INSERTED[key];
      if (value) return value;
      if (column.notNull) throw new Error(`appendMessageRow: no value for messages.${column.name}`);
      return sql`NULL`;
    });
  return db
    .with(bump, event)
    .insert(messages)
    .select(sql`SELECT ${sql.join(values, sql`, `)} FROM bump`)
    .returning({
      ...getTableColumns(messages),
      ticketSlaPolicyId: sql<string | null>`(SELECT sla_policy_id FROM bump)`,
      // the ticket's first response is at the message's time: this message was it (or one before it at that instant)
      firstResponseNow: sql<boolean>`(SELECT first_response_at IS NOT DISTINCT FROM ${now} FROM bump)`,
      eventId: sql<string>`(SELECT id FROM event)`,
      // for the hooks' first cached configuration lookup (platform/config-cache.ts primeConfigVersions)
      configVersions: CONFIG_VERSIONS_COLUMN,
    });
});
