import { eq, sql } from 'drizzle-orm';
import { beforeCommit, defersToCommit } from '../../platform/db/before-commit.ts';
import type { Db, DbOrTx } from '../../platform/db/client.ts';
import { reusableQuery } from '../../platform/db/reusable-query.ts';
import { insightTicketFacts, tickets } from '../../platform/db/schema/index.ts';
import { rebuildDurationHistograms, syncDurationHistograms } from './maintain-duration-histograms.ts';
import { rebuildOpenCounts, syncOpenCounts } from './maintain-open-counts.ts';
import { SHARD } from './rollup-shards.ts';
import {
  type HourlyDelta,
  hourlyContribution,
  netHourly,
  netTags,
  secondsBetween,
  type TagDelta,
  type TicketFacts,
  tagContribution,
} from './ticket-contributions.ts';

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

export async function applyHourlyDeltas(tx: DbOrTx, deltas: HourlyDelta[]): Promise<void> {
  for (const d of deltas) {
    await tx.execute(sql`
      INSERT INTO insight_hourly (hour, channel, category_key, team_key, assignee_key, language_key, shard,
                                  created, solved, first_responses, first_response_seconds_sum, resolution_seconds_sum)
      VALUES (${d.hour}::timestamptz, ${d.channel}, ${d.categoryKey}, ${d.teamKey}, ${d.assigneeKey}, ${d.languageKey}, ${SHARD},
              ${d.created}, ${d.solved}, ${d.firstResponses}, ${d.firstResponseSecondsSum}, ${d.resolutionSecondsSum})
      ON CONFLICT (hour, channel, category_key, team_key, assignee_key, language_key, shard) DO UPDATE SET
        created = insight_hourly.created + EXCLUDED.created,
        solved = insight_hourly.solved + EXCLUDED.solved,
        first_responses = insight_hourly.first_responses + EXCLUDED.first_responses,
        first_response_seconds_sum = insight_hourly.first_response_seconds_sum + EXCLUDED.first_response_seconds_sum,
        resolution_seconds_sum = insight_hourly.resolution_seconds_sum + EXCLUDED.resolution_seconds_sum`);
  }
}

export async function applyTagDeltas(tx: DbOrTx, deltas: TagDelta[]): Promise<void> {
  for (const d of deltas) {
    await tx.execute(sql`
      INSERT INTO insight_hourly_tags (hour, tag, channel, shard, created)
      VALUES (${d.hour}::timestamptz, ${d.tag}, ${d.channel}, ${SHARD}, ${d.created})
      ON CONFLICT (hour, tag, channel, shard) DO UPDATE SET created = insight_hourly_tags.created + EXCLUDED.created`);
  }
}

const hourlyKey = (d: HourlyDelta) =>
  [d.hour, d.channel, d.categoryKey, d.teamKey, d.assigneeKey, d.languageKey].join('\u0000');
const tagKey = (d: TagDelta) => [d.hour, d.tag, d.channel].join('\u0000');
const byKey =
  <T>(key: (d: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

const pendingRollups = new WeakMap<object, { hourly: HourlyDelta[]; tags: TagDelta[] }>();

/**
 * Adds a ticket's rollup deltas. Every new ticket of the same hour, channel and team adds to the same insight_hourly
 * row, so the upsert locks a row that all concurrent ticket writes need: inside a transaction the deltas are summed
 * and written just before COMMIT (platform/db/before-commit.ts), in key order, so the lock is held for the commit
 * alone and two transactions never take two rows in opposite orders. Outside one they are written at once.
 */
export async function addRollupDeltas(tx: DbOrTx, hourly: HourlyDelta[], tags: TagDelta[]): Promise<void> {
  if (!defersToCommit(tx)) {
    await applyHourlyDeltas(tx, hourly);
    await applyTagDeltas(tx, tags);
    return;
  }
  let pending = pendingRollups.get(tx);
  if (!pending) {
    const queued = { hourly: [] as HourlyDelta[], tags: [] as TagDelta[] };
    pending = queued;
    pendingRollups.set(tx, queued);
    await beforeCommit(tx, async () => {
      pendingRollups.delete(tx);
      await applyHourlyDeltas(tx, netHourly(queued.hourly).sort(byKey(hourlyKey)));
      await applyTagDeltas(tx, netTags(queued.tags).sort(byKey(tagKey)));
    });
  }
  pending.hourly.push(...hourly);
  pending.tags.push(...tags);
}

const ticketForFacts = reusableQuery((db) =>
  db
    .select({
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
    })
    .from(tickets)
    .where(eq(tickets.id, sql.placeholder('ticketId'))),
);

const factsForUpdate = reusableQuery((db) =>
  db
    .select()
    .from(insightTicketFacts)
    .where(eq(insightTicketFacts.ticketId, sql.placeholder('ticketId')))
    .for('update'),
);

/** A fact row's every column as a placeholder named after it (for the inserts below, built once). */
const FACT_COLUMNS = [
  'ticketId',
  'createdAt',
  'channel',
  'categoryId',
  'teamId',
  'assigneeId',
  'language',
  'tags',
  'customerId',
  'customFields',
  'status',
  'firstResponseAt',
  'firstResponseSeconds',
  'solvedAt',
  'resolutionSeconds',
  'reopenCount',
  'negativeMessages',
  'updatedAt',
] as const;
const factPlaceholders = () =>
  Object.fromEntries(
    FACT_COLUMNS.map((c) => [c, sql.placeholder(c)]),
  ) as unknown as typeof insightTicketFacts.$inferInsert;

const insertFacts = reusableQuery((db) => db.insert(insightTicketFacts).values(factPlaceholders()));

/** The same insert for a ticket created in this transaction: no row is expected, and none is overwritten. */
const insertNewFacts = reusableQuery((db) =>
  db
    .insert(insightTicketFacts)
    .values(factPlaceholders())
    .onConflictDoNothing({ target: insightTicketFacts.ticketId })
    .returning({ ticketId: insightTicketFacts.ticketId }),
);

export interface FactsChange {
  before: TicketFacts | null;
  after: TicketFacts | null;
}

export interface SyncFactsOptions {
  /** the ticket was reopened (counts towards customers at risk) */
  reopened?: boolean;
  /** the customer's messages read as negative since the last sync (customers at risk) */
  negativeMessages?: number;
  /**
   * The ticket was created in this transaction, so it has no fact row yet: the row is inserted without reading it
   * first (if one is there after all, the usual read-and-update runs).
   */
  created?: boolean;
}

/**
 * Brings one ticket's fact row and its rollup contributions up to date with the ticket, inside the caller's
 * transaction. Reads two rows by primary key (one for a ticket created in the transaction) and writes only what
 * changed; an unchanged ticket writes nothing.
 */
export async function syncTicketFacts(tx: DbOrTx, ticketId: string, opts: SyncFactsOptions = {}): Promise<FactsChange> {
  const [t] = await ticketForFacts(tx, { ticketId });
  const negative = opts.negativeMessages ?? 0;
  if (opts.created && t && !t.mergedIntoId) {
    const after = factsFromTicket(t);
    const row = factRow(t, after);
    const [inserted] = await insertNewFacts(tx, {
      ticketId,
      ...row,
      reopenCount: opts.reopened ? 1 : 0,
      negativeMessages: negative,
    });
    if (inserted) {
      await writeContributions(tx, null, undefined, after, row);
      return { before: null, after };
    }
  }
  const [old] = await factsForUpdate(tx, { ticketId });
  const before = old ? factsOf(old) : null;
  // merged tickets leave the reports (their conversation lives on in the target)
  if (!t || t.mergedIntoId) {
    if (old) {
      await addRollupDeltas(tx, netHourly(hourlyContribution(old, -1)), netTags(tagContribution(old, -1)));
      await syncDurationHistograms(tx, before, null);
      await syncOpenCounts(tx, old, null);
      await tx.delete(insightTicketFacts).where(eq(insightTicketFacts.ticketId, ticketId));
    }
    return { before, after: null };
  }
  const after = factsFromTicket(t);
  const row = factRow(t, after);
  if (!old) {
    await insertFacts(tx, { ticketId, ...row, reopenCount: opts.reopened ? 1 : 0, negativeMessages: negative });
  } else {
    const same =
      JSON.stringify(before) === JSON.stringify(after) &&
      old.status === row.status &&
      old.customerId === row.customerId &&
      JSON.stringify(old.customFields) === JSON.stringify(row.customFields) &&
      !opts.reopened &&
      negative === 0;
    if (same) return { before, after };
    await tx
      .update(insightTicketFacts)
      .set({
        ...row,
        ...(opts.reopened ? { reopenCount: sql`${insightTicketFacts.reopenCount} + 1` } : {}),
        ...(negative > 0 ? { negativeMessages: sql`${insightTicketFacts.negativeMessages} + ${negative}` } : {}),
      })
      .where(eq(insightTicketFacts.ticketId, ticketId));
  }
  await writeContributions(tx, before, old, after, row);
  return { before, after };
}

type TicketForFacts = NonNullable<Awaited<ReturnType<typeof ticketForFacts>>[number]>;

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

/** The rollups, duration histograms and open counts move from the old facts to the new. */
async function writeContributions(
  tx: DbOrTx,
  before: TicketFacts | null,
  old: FactRow | undefined,
  after: TicketFacts,
  row: ReturnType<typeof factRow>,
): Promise<void> {
  const hourly = netHourly([...(before ? hourlyContribution(before, -1) : []), ...hourlyContribution(after, 1)]);
  const tagged = netTags([...(before ? tagContribution(before, -1) : []), ...tagContribution(after, 1)]);
  await addRollupDeltas(tx, hourly, tagged);
  await syncDurationHistograms(tx, before, after);
  await syncOpenCounts(tx, old ?? null, row);
}

/**
 * Vacuums and analyses the tables a rebuild rewrote (outside any transaction, after its COMMIT), so the reports read
 * them by index-only scans and with fresh statistics at once, not after autovacuum's next round. A failure is only
 * logged: the rebuild itself has committed, and autovacuum catches up.
 */
export async function vacuumRebuiltTables(db: Db, log: { warn(obj: object, msg: string): void }): Promise<void> {
  try {
    await db.execute(
      sql`VACUUM (ANALYZE) insight_ticket_facts, insight_hourly, insight_hourly_tags, insight_daily_durations, insight_open_counts`,
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
  await tx.execute(sql`DELETE FROM insight_hourly`);
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
    INSERT INTO insight_hourly_tags (hour, tag, channel, created)
    SELECT date_trunc('hour', created_at, 'UTC'), tag, channel, count(*) FROM insight_ticket_facts, unnest(tags) AS tag
     GROUP BY 1, 2, 3`);
  const [n] = (await tx.execute(sql`SELECT count(*)::int AS n FROM insight_ticket_facts`)).rows as Array<{ n: number }>;
  return { tickets: n?.n ?? 0 };
}
