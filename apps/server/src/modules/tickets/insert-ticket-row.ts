import { sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import { reusableQuery } from '../../platform/db/reusable-query.ts';
import { tickets } from '../../platform/db/schema/index.ts';
import { actorColumns, announceEvent } from '../../platform/events.ts';
import { customerAttributesOf, rememberNewTicket, SNAPSHOT_COLUMNS } from '../../platform/new-ticket-snapshot.ts';

type TicketInsert = typeof tickets.$inferInsert;

/** What every channel that opens a ticket gives; the rest has the table's defaults. */
export type NewTicketRow = Pick<TicketInsert, 'subject' | 'channel' | 'customerId' | 'createdAt' | 'updatedAt'> &
  Partial<
    Pick<
      TicketInsert,
      | 'status'
      | 'priority'
      | 'type'
      | 'problemId'
      | 'categoryId'
      | 'tags'
      | 'customFields'
      | 'language'
      | 'teamId'
      | 'assigneeId'
      | 'organisationId'
      | 'searchText'
    >
  >;

const COLUMNS = [
  'subject',
  'status',
  'priority',
  'type',
  'problemId',
  'categoryId',
  'tags',
  'customFields',
  'language',
  'channel',
  'teamId',
  'assigneeId',
  'customerId',
  'organisationId',
  'searchText',
  'createdAt',
  'updatedAt',
] as const;

/** The ticket's number, and what the hooks' snapshot of a new ticket needs (platform/new-ticket-snapshot.ts). */
const RETURNED = { number: tickets.number, ...SNAPSHOT_COLUMNS };

const insertValues = () => Object.fromEntries(COLUMNS.map((c) => [c, sql.placeholder(c)])) as unknown as TicketInsert;

/** One statement for every new ticket, whichever channel opens it (built once: platform/db/reusable-query.ts). */
const insertTicket = reusableQuery((db) =>
  db
    .insert(tickets)
    .values(insertValues())
    .returning({ ...RETURNED, customerAttributes: customerAttributesOf(sql`tickets.customer_id`) }),
);

/**
 * The same insert with its `ticket.created` event in one statement (the event needs the ticket's id and number,
 * which only the insert knows): on every new ticket it was a second round trip, and a write costs about its round
 * trips (docs/performance.md). The event's payload is the ticket's number, subject, channel, customer, priority and
 * type, plus what the caller adds; its time is the ticket's creation.
 */
const insertTicketWithEvent = reusableQuery((db) => {
  const created = db.$with('created').as(db.insert(tickets).values(insertValues()).returning(RETURNED));
  const event = db.$with('event', { id: sql<number>`id` }).as(
    sql`INSERT INTO events (type, ticket_id, customer_id, actor_type, actor_id, payload, created_at)
        SELECT 'ticket.created', created.id, created.customer_id, ${sql.placeholder('actorType')}::text,
               ${sql.placeholder('actorId')}::uuid,
               jsonb_build_object('number', created.number, 'subject', created.subject, 'channel', created.channel,
                                  'customerId', created.customer_id, 'priority', created.priority, 'type', created.type)
                 || ${sql.placeholder('extraPayload')}::jsonb,
               created.created_at
          FROM created
        RETURNING id`,
  );
  return db
    .with(created, event)
    .select({
      ...created._.selectedFields,
      customerAttributes: customerAttributesOf(sql`created.customer_id`),
      eventId: sql<string>`(SELECT id FROM event)`,
    })
    .from(created);
});

type InsertedRow = Awaited<ReturnType<typeof insertTicket>>[number];
export type InsertedTicket = Omit<InsertedRow, 'customerAttributes'>;

/** Records `ticket.created` with the insert (insertTicketRow's `created`). */
export interface CreatedEvent {
  actor: Actor;
  /** added to the event's payload (e.g. the widget that opened the ticket) */
  payload?: Record<string, unknown>;
}

/**
 * Inserts a ticket row and returns its key fields. No hooks: the caller runs those. With `created`, the
 * `ticket.created` event is recorded by the same statement and announced as recordEvent announces its events.
 */
export async function insertTicketRow(tx: DbOrTx, row: NewTicketRow, created?: CreatedEvent): Promise<InsertedTicket> {
  const values = {
    status: 'new',
    priority: 'normal',
    type: 'question',
    problemId: null,
    categoryId: null,
    tags: [],
    customFields: {},
    language: null,
    teamId: null,
    assigneeId: null,
    organisationId: null,
    searchText: '',
    ...row,
  };
  if (!created) {
    const [inserted] = await insertTicket(tx, values);
    if (!inserted) throw new Error('ticket insert returned nothing');
    return remember(tx, inserted);
  }
  const { actorType, actorId } = actorColumns(created.actor);
  const [withEvent] = await insertTicketWithEvent(tx, {
    ...values,
    actorType,
    actorId,
    extraPayload: JSON.stringify(created.payload ?? {}),
  });
  if (!withEvent) throw new Error('ticket insert returned nothing');
  const { eventId, ...inserted } = withEvent;
  await announceEvent(tx, {
    id: Number(eventId),
    type: 'ticket.created',
    ticketId: inserted.id,
    customerId: inserted.customerId,
  });
  return remember(tx, inserted);
}

/** The new ticket's hooks start from the row the insert returned, not a read of it (platform/new-ticket-snapshot.ts). */
function remember(tx: DbOrTx, row: InsertedRow): InsertedTicket {
  const { customerAttributes: attributes, ...inserted } = row;
  rememberNewTicket(tx, {
    ...inserted,
    customerAttributes: attributes ?? {},
    noClocks: true,
    noFacts: true,
  });
  return inserted;
}
