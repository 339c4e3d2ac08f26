import { and, eq, inArray, sql } from 'drizzle-orm';
import { beforeCommit, defersToCommit } from '../../platform/db/before-commit.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import { reusableQuery } from '../../platform/db/reusable-query.ts';
import { insightAlerts, insightHourly, messages } from '../../platform/db/schema/index.ts';
import { recordEvent } from '../../platform/events.ts';
import { registerTicketHook, type TicketHookEvent } from '../../platform/ticket-hooks.ts';
import { sentimentOf } from '../classifier/index.ts';
import { getInsightsSettings } from './insights-settings.ts';
import { syncTicketFacts } from './maintain-ticket-facts.ts';
import { HOURS_PER_WEEK, judgeSpike } from './spike-detector.ts';
import { hourOf, type TicketFacts } from './ticket-contributions.ts';

const HOUR_MS = 3_600_000;

/**
 * After a ticket arrives in (or moves into) a category, compares that category's arrivals in this hour with the
 * same hour of the previous weeks; the first time it spikes, records an alert and an `insights.spike_detected`
 * event for the chosen recipients (realtime delivers it to their browsers).
 */
export async function checkCategorySpike(tx: DbOrTx, facts: TicketFacts, now: Date): Promise<void> {
  if (!facts.categoryId) return;
  const hour = hourOf(facts.createdAt);
  // only the hour we are in (or just left) can still raise an alert; history edits do not
  if (now.getTime() - new Date(hour).getTime() > 2 * HOUR_MS) return;
  const cfg = await getInsightsSettings(tx);
  const hours = [hour];
  for (let w = 1; w <= cfg.baselineWeeks; w += 1)
    hours.push(new Date(new Date(hour).getTime() - w * HOURS_PER_WEEK * HOUR_MS).toISOString());
  const rows = await tx
    .select({ hour: insightHourly.hour, n: sql<number>`sum(${insightHourly.created})::int` })
    .from(insightHourly)
    .where(
      and(
        eq(insightHourly.categoryKey, facts.categoryId),
        inArray(
          insightHourly.hour,
          hours.map((h) => new Date(h)),
        ),
      ),
    )
    .groupBy(insightHourly.hour);
  const byHour = new Map(rows.map((r) => [r.hour.toISOString(), r.n]));
  const observed = byHour.get(hour) ?? 0;
  const history = hours.slice(1).map((h) => byHour.get(h) ?? 0);
  const verdict = judgeSpike(observed, history, { factor: cfg.spikeFactor, minCount: cfg.spikeMinCount });
  if (!verdict.isSpike) return;
  const [alert] = await tx
    .insert(insightAlerts)
    .values({
      kind: 'category_spike',
      categoryKey: facts.categoryId,
      hour: new Date(hour),
      count: observed,
      baseline: verdict.baseline,
      ratio: verdict.ratio,
      recipientIds: cfg.alertRecipientIds,
    })
    .onConflictDoNothing()
    .returning({ id: insightAlerts.id });
  if (!alert) return;
  await recordEvent(tx, {
    type: 'insights.spike_detected',
    actor: { kind: 'system' },
    payload: {
      alertId: alert.id,
      categoryId: facts.categoryId,
      hour,
      count: observed,
      baseline: verdict.baseline,
      ratio: Math.round(verdict.ratio * 10) / 10,
      recipientIds: cfg.alertRecipientIds,
    },
    at: now,
  });
}

const messageBodyById = reusableQuery((db) =>
  db
    .select({ body: messages.bodyText })
    .from(messages)
    .where(eq(messages.id, sql.placeholder('messageId'))),
);

/** Whether a customer's public message reads as negative (counted on the ticket's facts: customers at risk). */
async function isNegative(tx: DbOrTx, message: SentimentCandidate): Promise<boolean> {
  if (message.negative !== undefined) return message.negative;
  const [m] = await messageBodyById(tx, { messageId: message.id });
  return m !== undefined && readsNegative(m.body);
}

const readsNegative = (body: string) => sentimentOf(body.slice(0, 4000)).label === 'negative';

/** A customer's public message to read for sentiment (already read when the writer gave its text). */
interface SentimentCandidate {
  id: string;
  negative?: boolean;
}

interface PendingSync {
  reopened: boolean;
  /** the customer's public messages to read for sentiment */
  messages: SentimentCandidate[];
  now: Date;
}

async function syncNow(tx: DbOrTx, ticketId: string, p: PendingSync): Promise<void> {
  let negativeMessages = 0;
  for (const m of p.messages) if (await isNegative(tx, m)) negativeMessages += 1;
  const { before, after } = await syncTicketFacts(tx, ticketId, { reopened: p.reopened, negativeMessages });
  if (!after) return;
  const categoryArrived = after.categoryId && (!before || before.categoryId !== after.categoryId);
  // after this transaction's rollup deltas are written (they are deferred to the commit when it has one)
  if (categoryArrived) await beforeCommit(tx, () => checkCategorySpike(tx, after, p.now));
}

/**
 * Whether a public message can change the ticket's facts: only by being its first response, or a customer's message
 * that reads as negative (customers at risk). Most chat and email messages are neither, and then the sync's read of
 * the ticket and its facts (a round trip on every message) is skipped. A writer that cannot tell (no text given, or
 * no word on the first response) gets the sync as before, and so do internal and system messages: the system
 * messages of a merge or split come with message moves that change the ticket's first response without a word.
 */
function changesFacts(e: Extract<TicketHookEvent, { kind: 'message' }>, candidates: SentimentCandidate[]): boolean {
  if (e.messageKind !== 'public' || e.setFirstResponse === undefined || e.setFirstResponse) return true;
  return candidates.some((m) => m.negative !== false);
}

const pendingSyncs = new WeakMap<object, Map<string, PendingSync>>();

/**
 * The insights hook. A ticket change usually sets off several hook events in one transaction (a new ticket: its
 * first message, then `created`; a reply that reopens: the message, then the status), and the facts only need to
 * be right when the transaction commits: inside a transaction the tickets it touched are noted and each is synced
 * once, just before COMMIT (platform/db/before-commit.ts), with what the events asked for (a reopening, messages
 * to read for sentiment). Outside a deferring transaction (a savepoint, a test calling the hook) it syncs at once.
 */
export async function handleInsightsHook(tx: DbOrTx, e: TicketHookEvent): Promise<void> {
  const reopened =
    e.kind === 'status' && (e.from === 'solved' || e.from === 'closed') && e.to !== 'solved' && e.to !== 'closed';
  const messages: SentimentCandidate[] =
    e.kind === 'message' && e.authorType === 'customer' && e.messageKind === 'public'
      ? [e.message ? { id: e.messageId, negative: readsNegative(e.message.bodyText) } : { id: e.messageId }]
      : [];
  if (e.kind === 'message' && !changesFacts(e, messages)) return;
  if (!defersToCommit(tx)) {
    await syncNow(tx, e.ticketId, { reopened, messages, now: e.now });
    return;
  }
  let pending = pendingSyncs.get(tx);
  if (!pending) {
    const queued = new Map<string, PendingSync>();
    pending = queued;
    pendingSyncs.set(tx, queued);
    await beforeCommit(tx, async () => {
      pendingSyncs.delete(tx);
      for (const [ticketId, p] of queued) await syncNow(tx, ticketId, p);
    });
  }
  const p = pending.get(e.ticketId);
  if (p) {
    p.reopened ||= reopened;
    p.messages.push(...messages);
    p.now = e.now;
  } else {
    pending.set(e.ticketId, { reopened, messages, now: e.now });
  }
}

/** Registered at import: keeps the insight facts and rollups in step with every ticket change (order 400). */
export function registerInsightsHook(): void {
  registerTicketHook({ name: 'insights.rollups', order: 400, handle: handleInsightsHook });
}
