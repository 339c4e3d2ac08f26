import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { newTicketSnapshot, snapshotCustomerTier } from '../../platform/new-ticket-snapshot.ts';
import type { RuleFacts } from './evaluate-conditions.ts';

interface FactRow {
  id: string;
  status: string;
  priority: string;
  type: string;
  channel: string;
  category_id: string | null;
  team_id: string | null;
  assignee_id: string | null;
  organisation_id: string | null;
  customer_tier: string | null;
  customer_attributes: Record<string, unknown> | null;
  language: string | null;
  tags: string[];
  subject: string;
  created_at: string;
  updated_at: string;
  status_at: string;
  last_customer_message_at: string | null;
  survey_rating: number | null;
  [key: string]: unknown;
}

const hours = (from: string | null, now: Date) =>
  from ? Math.floor(((now.getTime() - new Date(from).getTime()) / 3_600_000) * 100) / 100 : null;

function toFacts(r: FactRow, now: Date): RuleFacts & { id: string; statusAt: string } {
  return {
    id: r.id,
    statusAt: new Date(r.status_at).toISOString(),
    status: r.status,
    priority: r.priority,
    type: r.type,
    channel: r.channel,
    category_id: r.category_id,
    team_id: r.team_id,
    assignee_id: r.assignee_id,
    organisation_id: r.organisation_id,
    customer_tier: r.customer_tier,
    customer_attributes: r.customer_attributes ?? {},
    language: r.language,
    tags: r.tags ?? [],
    subject: r.subject,
    survey_rating: r.survey_rating === null ? null : Number(r.survey_rating),
    hours_since_created: hours(r.created_at, now),
    hours_since_updated: hours(r.updated_at, now),
    hours_in_status: hours(r.status_at, now),
    hours_since_customer_message: hours(r.last_customer_message_at, now),
  };
}

const SELECT = sql`
  SELECT t.id, t.status, t.priority, t.type, t.channel, t.category_id, t.team_id, t.assignee_id, t.organisation_id,
         c.attributes->>'tier' AS customer_tier, c.attributes AS customer_attributes,
         t.language, t.tags, t.subject, t.created_at, t.updated_at, t.last_customer_message_at,
         coalesce((SELECT max(e.created_at) FROM events e WHERE e.ticket_id = t.id AND e.type = 'ticket.status_changed'), t.created_at) AS status_at,
         (SELECT s.rating FROM survey_requests s WHERE s.ticket_id = t.id AND s.status = 'answered' AND s.kind = 'csat'
           ORDER BY s.answered_at DESC LIMIT 1) AS survey_rating
    FROM tickets t LEFT JOIN customers c ON c.id = t.customer_id`;

export type TicketRuleFacts = ReturnType<typeof toFacts>;

export async function loadRuleFacts(db: DbOrTx, ticketId: string, now: Date): Promise<TicketRuleFacts | null> {
  // a ticket this transaction opened is known without a read (platform/new-ticket-snapshot.ts): its status has not
  // moved since it was inserted (a status change forgets the snapshot), and nobody has answered a survey about it
  const s = await newTicketSnapshot(db, ticketId);
  if (s) {
    return toFacts(
      {
        id: s.id,
        status: s.status,
        priority: s.priority,
        type: s.type,
        channel: s.channel,
        category_id: s.categoryId,
        team_id: s.teamId,
        assignee_id: s.assigneeId,
        organisation_id: s.organisationId,
        customer_tier: snapshotCustomerTier(s),
        customer_attributes: s.customerAttributes,
        language: s.language,
        tags: s.tags,
        subject: s.subject,
        created_at: s.createdAt.toISOString(),
        updated_at: s.updatedAt.toISOString(),
        status_at: s.createdAt.toISOString(),
        last_customer_message_at: s.lastCustomerMessageAt?.toISOString() ?? null,
        survey_rating: null,
      },
      now,
    );
  }
  const r = await db.execute<FactRow>(sql`${SELECT} WHERE t.id = ${ticketId}`);
  const row = r.rows[0];
  return row ? toFacts(row, now) : null;
}

/** Unclosed tickets for the timed automations, least recently updated first. */
export async function loadOpenTicketFacts(db: DbOrTx, now: Date, limit: number): Promise<TicketRuleFacts[]> {
  const r = await db.execute<FactRow>(sql`${SELECT}
    WHERE t.status <> 'closed' AND t.merged_into_id IS NULL
    ORDER BY t.updated_at, t.id
    LIMIT ${limit}`);
  return r.rows.map((row) => toFacts(row, now));
}
