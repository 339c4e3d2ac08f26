import { and, eq, inArray } from 'drizzle-orm';
import type pg from 'pg';
import type { Db } from '../../platform/db/client.ts';
import { categories, notifications, staffUsers, tickets } from '../../platform/db/schema/index.ts';
import { recordEvent } from '../../platform/events.ts';
import { type OutboxEvent, readEventOutbox } from '../insights/read-event-outbox.ts';

export const NOTIFICATIONS_CURSOR = 'notifications.inbox';
const MAX_AGE_MS = 7 * 86_400_000;

/** The events that become someone's notification, and the kind each one becomes. */
export const NOTIFYING_EVENTS: Record<string, string> = {
  'ticket.mentioned': 'mention',
  'automation.notified': 'rule',
  'sla.warning': 'sla_warning',
  'sla.breached': 'sla_breached',
  'insights.spike_detected': 'spike',
  'survey.followup_created': 'rating_followup',
  'quality.review_created': 'quality_review',
};

type Data = Record<string, string | number | null>;

const ids = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const numOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

async function nameOf(tx: Db, id: string | null): Promise<string | null> {
  if (!id) return null;
  const [s] = await tx.select({ name: staffUsers.name }).from(staffUsers).where(eq(staffUsers.id, id));
  return s?.name ?? null;
}

/** Who is told about one event, and what the bell shows them. */
async function recipientsOf(tx: Db, e: OutboxEvent): Promise<{ userIds: string[]; data: Data }> {
  const p = e.payload;
  switch (e.type) {
    case 'ticket.mentioned':
      return { userIds: ids(p.notify).filter((id) => id !== p.by), data: { by: await nameOf(tx, str(p.by)) } };
    case 'automation.notified':
      return { userIds: ids(p.notify), data: { message: str(p.message) } };
    case 'sla.warning':
    case 'sla.breached': {
      const [t] = e.ticket_id
        ? await tx.select({ assigneeId: tickets.assigneeId }).from(tickets).where(eq(tickets.id, e.ticket_id))
        : [];
      return {
        userIds: [...new Set([...ids(p.notify), ...(t?.assigneeId ? [t.assigneeId] : [])])],
        data: { metric: str(p.metric), policyName: str(p.policyName), dueAt: str(p.dueAt) },
      };
    }
    case 'insights.spike_detected': {
      const categoryId = str(p.categoryId);
      const [c] = categoryId
        ? await tx.select({ name: categories.name }).from(categories).where(eq(categories.id, categoryId))
        : [];
      return {
        userIds: ids(p.recipientIds),
        data: {
          categoryId,
          categoryName: c?.name ?? null,
          count: numOrNull(p.count),
          ratio: numOrNull(p.ratio),
          hour: str(p.hour),
        },
      };
    }
    case 'survey.followup_created':
      return { userIds: ids([p.ownerId]), data: { rating: numOrNull(p.rating) } };
    case 'quality.review_created':
      return { userIds: ids([p.agentId]), data: { score: numOrNull(p.score), reviewId: str(p.reviewId) } };
    default:
      return { userIds: [], data: {} };
  }
}

/**
 * Turns new events into notifications for the active staff they concern: reads the event log past its cursor
 * (the same outbox reader as the survey and spike mails) and inserts one row per person and event — a unique key
 * makes a second read of the same events harmless. Returns how many notifications were made.
 */
export async function collectNotifications(pool: pg.Pool, now: Date): Promise<number> {
  let made = 0;
  await readEventOutbox(pool, {
    cursor: NOTIFICATIONS_CURSOR,
    types: Object.keys(NOTIFYING_EVENTS),
    handle: async ({ tx, events }) => {
      const told = new Set<string>();
      for (const e of events) {
        const kind = NOTIFYING_EVENTS[e.type];
        // a new cursor starts at the beginning of the log: old news is nobody's notification
        if (!kind || now.getTime() - new Date(e.created_at).getTime() > MAX_AGE_MS) continue;
        const { userIds, data } = await recipientsOf(tx, e);
        if (userIds.length === 0) continue;
        const active = await tx
          .select({ id: staffUsers.id })
          .from(staffUsers)
          .where(and(inArray(staffUsers.id, userIds), eq(staffUsers.status, 'active')));
        if (active.length === 0) continue;
        const [t] = e.ticket_id
          ? await tx
              .select({ number: tickets.number, subject: tickets.subject })
              .from(tickets)
              .where(eq(tickets.id, e.ticket_id))
          : [];
        const rows = await tx
          .insert(notifications)
          .values(
            active.map((u) => ({
              userId: u.id,
              eventId: e.id,
              kind,
              ticketId: e.ticket_id,
              data: { ...data, ticketNumber: t?.number ?? null, ticketSubject: t?.subject ?? null },
              createdAt: new Date(e.created_at),
            })),
          )
          .onConflictDoNothing()
          .returning({ id: notifications.id, userId: notifications.userId });
        made += rows.length;
        for (const r of rows) told.add(r.userId);
      }
      // the bells of exactly these people refresh at once (an addressed event: the hub sends it to them only)
      if (told.size > 0)
        await recordEvent(tx, {
          type: 'notification.created',
          actor: { kind: 'system' },
          payload: { userIds: [...told] },
          at: now,
        });
    },
  });
  return made;
}
