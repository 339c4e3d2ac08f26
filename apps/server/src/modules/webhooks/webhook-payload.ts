import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { tickets } from '../../platform/db/schema/index.ts';

/** The ticket as a webhook receiver sees it (no message bodies: those are fetched through the API with a token). */
export async function ticketSnapshot(db: DbOrTx, ticketId: string): Promise<Record<string, unknown> | null> {
  const [t] = await db
    .select({
      id: tickets.id,
      number: tickets.number,
      subject: tickets.subject,
      status: tickets.status,
      priority: tickets.priority,
      type: tickets.type,
      channel: tickets.channel,
      language: tickets.language,
      tags: tickets.tags,
      categoryId: tickets.categoryId,
      teamId: tickets.teamId,
      assigneeId: tickets.assigneeId,
      customerId: tickets.customerId,
      organisationId: tickets.organisationId,
      slaDueAt: tickets.slaDueAt,
      slaState: tickets.slaState,
      createdAt: tickets.createdAt,
      updatedAt: tickets.updatedAt,
    })
    .from(tickets)
    .where(eq(tickets.id, ticketId));
  if (!t) return null;
  return { ...t, slaDueAt: t.slaDueAt?.toISOString() ?? null, createdAt: t.createdAt.toISOString(), updatedAt: t.updatedAt.toISOString() };
}
