import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { reusableQuery } from '../../platform/db/reusable-query.ts';
import { tickets } from '../../platform/db/schema/index.ts';

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

/** One statement for every new ticket, whichever channel opens it (built once: platform/db/reusable-query.ts). */
const insertTicket = reusableQuery((db) =>
  db
    .insert(tickets)
    .values(Object.fromEntries(COLUMNS.map((c) => [c, sql.placeholder(c)])) as unknown as TicketInsert)
    .returning({
      id: tickets.id,
      number: tickets.number,
      subject: tickets.subject,
      status: tickets.status,
      priority: tickets.priority,
      type: tickets.type,
      channel: tickets.channel,
      teamId: tickets.teamId,
      assigneeId: tickets.assigneeId,
      customerId: tickets.customerId,
      createdAt: tickets.createdAt,
    }),
);

export type InsertedTicket = Awaited<ReturnType<typeof insertTicket>>[number];

/** Inserts a ticket row (no events, no hooks: the caller records those) and returns its key fields. */
export async function insertTicketRow(tx: DbOrTx, row: NewTicketRow): Promise<InsertedTicket> {
  const [inserted] = await insertTicket(tx, {
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
  });
  if (!inserted) throw new Error('ticket insert returned nothing');
  return inserted;
}
