import { eq, getTableColumns, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../platform/db/client.ts';
import { reusableQuery } from '../../platform/db/reusable-query.ts';
import { insightTicketFacts, tickets } from '../../platform/db/schema/index.ts';
import { newTicketSnapshot, patchNewTicket } from '../../platform/new-ticket-snapshot.ts';
import { emptyWrites, queueInsightWrites, writeQueuedFactsOf } from './insight-writes.ts';
import { durationDeltas, rebuildDurationHistograms } from './maintain-duration-histograms.ts';
import { openCountDeltas, rebuildOpenCounts } from './maintain-open-counts.ts';
import { hourlyContribution, secondsBetween, type TicketFacts, tagContribution } from './ticket-contributions.ts';

type FactRow = typeof insightTicketFacts.$inferSelect;

function factsOf(
  r: Pick<
    FactRow,
    | 'createdAt'
    | 'channel'
    | 'categoryId'
    | 'teamId'
    | 'assigneeId'
    | 'language'
    | 'tags'
    | 'firstResponseAt'
    | 'solvedAt'
  >,
): TicketFacts {
  return {
    createdAt: r.createdAt,
    channel: r.channel,
    categoryId: r.categoryId,
    teamId: r.teamId,
    assigneeId: r.assigneeId,
    language: r.language,
    tags: r.tags,
    firstResponseAt: r.firstResponseAt,
    solvedAt: r.solvedAt,
  };
}

/** The ticket's columns the facts come from. */
const ticketColumns = {
  id: tickets.id,
  createdAt: tickets.createdAt,
  channel: tickets.channel,
  categoryId: tickets.categoryId,
  teamId: tickets.teamId,
  assigneeId: tickets.assigneeId,
  language: tickets.language,
  tags: tickets.tags,
  firstResponseAt: tickets.firstResponseAt,
  solvedAt: tickets.solvedAt,
  customerId: tickets.customerId,
  customFields: tickets.customFields,
  status: tickets.status,
  updatedAt: tickets.updatedAt,
  mergedIntoId: tickets.mergedIntoId,
};

/**
 * The ticket and its fact row, locked for update, in one statement (one round trip; they were two, and a message
 * that changes nothing — most chat and email replies — pays only this). FOR UPDATE cannot lock the nullable side
 * of an outer join, so the fact row is locked inside its CTE (a CTE with FOR UPDATE is never inlined) and the two
 * are full-joined: a row comes back when either exists.
 */
const ticketAndFacts = reusableQuery((db) => {
  const locked = db.$with('locked_facts').as(
    db
      .select()
      .from(insightTicketFacts)
      .where(eq(insightTicketFacts.ticketId, sql.placeholder('ticketId')))
      .for('update'),
  );
  const t = db
    .select(ticketColumns)
    .from(tickets)
    .where(eq(tickets.id, sql.placeholder('ticketId')))
    .as('t');
  const ticket = Object.fromEntries(Object.keys(ticketColumns).map((k) => [k, t[k as keyof typeof ticketColumns]]));
  const facts = Object.fromEntries(
    Object.keys(getTableColumns(insightTicketFacts)).map((k) => [k, locked[k as keyof FactRow]]),
  );
  return db
    .with(locked)
    .select({
      ticket: ticket as { [K in keyof typeof ticketColumns]: (typeof t)[K] },
      facts: facts as { [K in keyof FactRow]: (typeof locked)[K] },
    })
    .from(t)
    .fullJoin(locked, eq(t.id, locked.ticketId));
});

export interface FactsChange {
  before: TicketFacts | null;
  after: TicketFacts | null;
}

export interface SyncFactsOptions {
  /** the ticket was reopened (counts towards customers at risk) */
  reopened?: boolean;
  /** the customer's messages read as negative since the last sync (customers at risk) */
  negativeMessages?: number;
}

/**
 * Brings one ticket's fact row and its rollup contributions up to date with the ticket, inside the caller's
 * transaction. Reads the ticket and its fact row in one statement; writes only what changed, with the rollup
 * deltas, in one statement queued for the commit (insight-writes.ts); an unchanged ticket writes nothing.
 */
export async function syncTicketFacts(tx: DbOrTx, ticketId: string, opts: SyncFactsOptions = {}): Promise<FactsChange> {
  await writeQueuedFactsOf(tx, ticketId);
  const { t, old } = await ticketAndFactsOf(tx, ticketId);
  const negative = opts.negativeMessages ?? 0;
  const before = old ? factsOf(old) : null;
  const w = emptyWrites();
  // merged tickets leave the reports (their conversation lives on in the target)
  if (!t || t.mergedIntoId) {
    if (old) {
      w.factDeletes.push(ticketId);
      w.hourly.push(...hourlyContribution(old, -1));
      w.tags.push(...tagContribution(old, -1));
      w.durations.push(...durationDeltas(before, null));
      w.open.push(...openCountDeltas(old, null));
      await queueInsightWrites(tx, ticketId, w);
    }
    return { before, after: null };
  }
  const after = factsFromTicket(t);
  const row = factRow(t, after);
  const counters = { reopenCount: opts.reopened ? 1 : 0, negativeMessages: negative };
  if (!old) {
    w.factInserts.push({ ticketId, ...row, ...counters });
  } else {
    const same =
      JSON.stringify(before) === JSON.stringify(after) &&
      old.status === row.status &&
      old.customerId === row.customerId &&
      JSON.stringify(old.customFields) === JSON.stringify(row.customFields) &&
      !opts.reopened &&
      negative === 0;
    if (same) return { before, after };
    // the counters are added to the row's (insight-writes.ts)
    w.factUpdates.push({ ticketId, ...row, ...counters });
  }
  if (before) {
    w.hourly.push(...hourlyContribution(before, -1));
    w.tags.push(...tagContribution(before, -1));
  }
  w.hourly.push(...hourlyContribution(after, 1));
  w.tags.push(...tagContribution(after, 1));
  w.durations.push(...durationDeltas(before, after));
  w.open.push(...openCountDeltas(old ?? null, row));
  await queueInsightWrites(tx, ticketId, w);
  patchNewTicket(tx, ticketId, { noFacts: false });
  return { before, after };
}

/**
 * The ticket and its fact row. A ticket this transaction opened, with no facts yet, is known without a read
 * (platform/new-ticket-snapshot.ts); nobody else can hold a lock on facts of a ticket they cannot see.
 */
async function ticketAndFactsOf(tx: DbOrTx, ticketId: string): Promise<{ t?: TicketForFacts; old?: FactRow }> {
  const s = await newTicketSnapshot(tx, ticketId);
  if (s?.noFacts) return { t: s };
  const [found] = await ticketAndFacts(tx, { ticketId });
  // a side the full join did not find comes back as nulls (id and ticket_id are never null in a real row)
  return {
    ...(found?.ticket?.id ? { t: found.ticket as TicketForFacts } : {}),
    ...(found?.facts?.ticketId ? { old: found.facts as FactRow } : {}),
  };
}

type TicketForFacts = { [K in keyof typeof ticketColumns]: (typeof tickets.$inferSelect)[K] };

function factsFromTicket(t: TicketForFacts): TicketFacts {
  return {
    createdAt: t.createdAt,
    channel: t.channel,
    categoryId: t.categoryId,
    teamId: t.teamId,
    assigneeId: t.assigneeId,
    language: t.language,
    tags: [...t.tags].sort(),
    firstResponseAt: t.firstResponseAt,
    solvedAt: t.solvedAt,
  };
}

function factRow(t: TicketForFacts, after: TicketFacts) {
  return {
    ...after,
    customerId: t.customerId,
    customFields: t.customFields,
    status: t.status,
    firstResponseSeconds: t.firstResponseAt ? secondsBetween(t.createdAt, t.firstResponseAt) : null,
    resolutionSeconds: t.solvedAt ? secondsBetween(t.createdAt, t.solvedAt) : null,
    updatedAt: t.updatedAt,
  };
}

/**
 * Vacuums and analyses the tables a rebuild rewrote (outside any transaction, after its COMMIT), so the reports read
 * them by index-only scans and with fresh statistics at once, not after autovacuum's next round. A failure is only
 * logged: the rebuild itself has committed, and autovacuum catches up.
 */
export async function vacuumRebuiltTables(db: Db, log: { warn(obj: object, msg: string): void }): Promise<void> {
  try {
    await db.execute(
      sql`VACUUM (ANALYZE) insight_ticket_facts, insight_hourly, insight_daily, insight_hourly_tags, insight_daily_durations, insight_monthly_durations, insight_open_counts`,
    );
  } catch (err) {
    log.warn({ err }, 'insights: could not vacuum the rebuilt tables; autovacuum will');
  }
}

/**
 * Rebuilds every fact and rollup from the tickets table (after a bulk import such as `seva demo`, which writes
 * tickets without hooks). A maintenance operation: the only place that reads all tickets.
 */
export async function rebuildInsights(tx: DbOrTx): Promise<{ tickets: number }> {
  // the sentiment counts come from message text at write time: keep them across a rebuild
  await tx.execute(sql`CREATE TEMP TABLE insight_negative_keep ON COMMIT DROP AS
    SELECT ticket_id, negative_messages FROM insight_ticket_facts WHERE negative_messages > 0`);
  // computed from the facts being replaced (the rebuild route computes new ones after)
  await tx.execute(sql`DELETE FROM insight_risk_snapshots`);
  await tx.execute(sql`DELETE FROM insight_hourly`);
  await tx.execute(sql`DELETE FROM insight_daily`);
  await tx.execute(sql`DELETE FROM insight_hourly_tags`);
  await tx.execute(sql`DELETE FROM insight_ticket_facts`);
  await tx.execute(sql`
    INSERT INTO insight_ticket_facts (ticket_id, created_at, channel, category_id, team_id, assignee_id, language, tags,
      customer_id, custom_fields, status, first_response_at, first_response_seconds, solved_at, resolution_seconds, reopen_count, updated_at)
    SELECT t.id, t.created_at, t.channel, t.category_id, t.team_id, t.assignee_id, t.language,
           ARRAY(SELECT DISTINCT x FROM unnest(t.tags) x ORDER BY x), t.customer_id, t.custom_fields, t.status,
           t.first_response_at, greatest(0, round(extract(epoch FROM t.first_response_at - t.created_at)))::int,
           t.solved_at, greatest(0, round(extract(epoch FROM t.solved_at - t.created_at)))::int,
           (SELECT count(*) FROM events e WHERE e.ticket_id = t.id AND e.type = 'ticket.status_changed'
              AND e.payload->>'from' IN ('solved', 'closed') AND e.payload->>'to' NOT IN ('solved', 'closed'))::int,
           t.updated_at
      FROM tickets t WHERE t.merged_into_id IS NULL`);
  await tx.execute(sql`UPDATE insight_ticket_facts f SET negative_messages = k.negative_messages
    FROM insight_negative_keep k WHERE k.ticket_id = f.ticket_id`);
  await tx.execute(sql`DROP TABLE insight_negative_keep`);
  await rebuildDurationHistograms(tx);
  await rebuildOpenCounts(tx);
  const contributions = sql`
      SELECT date_trunc('hour', created_at, 'UTC') AS hour, channel, coalesce(category_id::text, '') AS c, coalesce(team_id::text, '') AS tm,
             coalesce(assignee_id::text, '') AS a, coalesce(language, '') AS l, 1 AS created, 0 AS solved, 0 AS fr, 0 AS frs, 0 AS rs
        FROM insight_ticket_facts
      UNION ALL
      SELECT date_trunc('hour', first_response_at, 'UTC'), channel, coalesce(category_id::text, ''), coalesce(team_id::text, ''),
             coalesce(assignee_id::text, ''), coalesce(language, ''), 0, 0, 1, first_response_seconds, 0
        FROM insight_ticket_facts WHERE first_response_at IS NOT NULL
      UNION ALL
      SELECT date_trunc('hour', solved_at, 'UTC'), channel, coalesce(category_id::text, ''), coalesce(team_id::text, ''),
             coalesce(assignee_id::text, ''), coalesce(language, ''), 0, 1, 0, 0, resolution_seconds
        FROM insight_ticket_facts WHERE solved_at IS NOT NULL`;
  await tx.execute(sql`
    INSERT INTO insight_hourly (hour, channel, category_key, team_key, assignee_key, language_key,
                                created, solved, first_responses, first_response_seconds_sum, resolution_seconds_sum)
    SELECT hour, channel, c, tm, a, l, sum(created), sum(solved), sum(fr), sum(frs), sum(rs)
      FROM (${contributions}) x GROUP BY hour, channel, c, tm, a, l`);
  await tx.execute(sql`
    INSERT INTO insight_daily (day, channel, category_key, team_key, assignee_key, language_key,
                               created, solved, first_responses, first_response_seconds_sum, resolution_seconds_sum)
    SELECT date_trunc('day', hour, 'UTC'), channel, category_key, team_key, assignee_key, language_key,
           sum(created), sum(solved), sum(first_responses), sum(first_response_seconds_sum), sum(resolution_seconds_sum)
      FROM insight_hourly GROUP BY 1, 2, 3, 4, 5, 6`);
  await tx.execute(sql`
    INSERT INTO insight_hourly_tags (hour, tag, channel, created)
    SELECT date_trunc('hour', created_at, 'UTC'), tag, channel, count(*) FROM insight_ticket_facts, unnest(tags) AS tag
     GROUP BY 1, 2, 3`);
  const [n] = (await tx.execute(sql`SELECT count(*)::int AS n FROM insight_ticket_facts`)).rows as Array<{ n: number }>;
  return { tickets: n?.n ?? 0 };
}
