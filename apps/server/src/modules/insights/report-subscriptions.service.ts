import type { CreateInsightsReportBody, InsightsReportSubscription } from '@seva/contracts';
import { and, desc, eq, like, sql } from 'drizzle-orm';
import type { StaffActor } from '../../platform/auth/permissions.ts';
import { insightReportSubscriptions, outboundEmails } from '../../platform/db/schema/index.ts';
import type { Deps } from '../../platform/deps.ts';
import { notFound, validationFailed } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import { rollupFilters } from './insights-query.ts';

type Row = typeof insightReportSubscriptions.$inferSelect;

/** The idempotency key of one report: `report:<subscription>:<first local day of the period>`. */
export const reportKey = (subscriptionId: string, periodKey: string) => `report:${subscriptionId}:${periodKey}`;

async function toDto(deps: Deps, r: Row): Promise<InsightsReportSubscription> {
  const [last] = await deps.db
    .select({ sentAt: outboundEmails.sentAt })
    .from(outboundEmails)
    .where(
      and(
        eq(outboundEmails.kind, 'report'),
        like(outboundEmails.idempotencyKey, `report:${r.id}:%`),
        eq(outboundEmails.status, 'sent'),
      ),
    )
    .orderBy(desc(outboundEmails.sentAt))
    .limit(1);
  return {
    id: r.id,
    staffId: r.staffId,
    frequency: r.frequency as 'daily' | 'weekly',
    weekday: r.weekday,
    hour: r.hour,
    timeZone: r.timeZone,
    filters: r.filters,
    createdAt: r.createdAt.toISOString(),
    lastSentAt: last?.sentAt?.toISOString() ?? null,
  };
}

/** A person's own report subscriptions (everyone manages only their own). */
export async function listReportSubscriptions(
  deps: Deps,
  actor: StaffActor,
): Promise<{ items: InsightsReportSubscription[] }> {
  const rs = await deps.db
    .select()
    .from(insightReportSubscriptions)
    .where(eq(insightReportSubscriptions.staffId, actor.userId))
    .orderBy(insightReportSubscriptions.createdAt);
  return { items: await Promise.all(rs.map((r) => toDto(deps, r))) };
}

export async function createReportSubscription(
  deps: Deps,
  input: { actor: StaffActor; body: CreateInsightsReportBody },
): Promise<InsightsReportSubscription> {
  const { body } = input;
  try {
    new Intl.DateTimeFormat('en', { timeZone: body.timeZone });
  } catch {
    throw validationFailed([{ path: 'timeZone', message: `unknown time zone ${body.timeZone}` }]);
  }
  // the same id checks the dashboard applies to its filters
  rollupFilters(body.filters);
  const filters = Object.fromEntries(
    Object.entries(body.filters).filter(([, v]) => typeof v === 'string' && v !== ''),
  ) as Record<string, string>;
  const now = deps.clock.now();
  const existing = await deps.db
    .select({ n: sql<number>`count(*)::int` })
    .from(insightReportSubscriptions)
    .where(eq(insightReportSubscriptions.staffId, input.actor.userId));
  if ((existing[0]?.n ?? 0) >= 20)
    throw validationFailed([{ path: 'frequency', message: 'at most 20 reports per person' }]);
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(insightReportSubscriptions)
      .values({
        staffId: input.actor.userId,
        frequency: body.frequency,
        weekday: body.weekday,
        hour: body.hour,
        timeZone: body.timeZone,
        filters,
        createdAt: now,
      })
      .returning();
    if (!row) throw new Error('insert returned nothing');
    await recordEvent(tx, {
      type: 'insights.report_subscribed',
      actor: input.actor,
      payload: { subscriptionId: row.id, frequency: row.frequency },
      at: now,
    });
    return toDto(deps, row);
  });
}

export async function deleteReportSubscription(deps: Deps, input: { actor: StaffActor; id: string }): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const [row] = await tx
      .delete(insightReportSubscriptions)
      .where(
        and(eq(insightReportSubscriptions.id, input.id), eq(insightReportSubscriptions.staffId, input.actor.userId)),
      )
      .returning({ id: insightReportSubscriptions.id });
    if (!row) throw notFound('report');
    await recordEvent(tx, {
      type: 'insights.report_unsubscribed',
      actor: input.actor,
      payload: { subscriptionId: row.id },
      at: deps.clock.now(),
    });
  });
}

export async function findOwnSubscription(deps: Deps, actor: StaffActor, id: string): Promise<Row> {
  const [row] = await deps.db
    .select()
    .from(insightReportSubscriptions)
    .where(and(eq(insightReportSubscriptions.id, id), eq(insightReportSubscriptions.staffId, actor.userId)));
  if (!row) throw notFound('report');
  return row;
}
