import { and, asc, eq, lte, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { reusableQuery } from '../../platform/db/reusable-query.ts';
import { inboundEmails, mailboxes } from '../../platform/db/schema/index.ts';
import { MAX_INBOUND_ATTEMPTS } from './email.jobs.ts';
import { ingestInboundEmail, type IngestDeps } from './ingest-inbound-email.ts';
import { parseEmail } from './parse-email.ts';
import { waitForEarlierThreadMail } from './thread-order.ts';

/** time budget for parsing one message; a message that needs longer is retried, then quarantined */
const PARSE_BUDGET_MS = 30_000;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * What went wrong, for the admin's incoming-mail list: a failed query is told by PostgreSQL's own message (the
 * query wrapper's message is the query text and its values).
 */
function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  return err.cause instanceof Error ? `${err.name}: ${err.cause.message}` : `${err.name}: ${err.message}`;
}

/** how long a worker holds a mail it took: one still unfinished after this (its process died) is taken again */
export const INBOUND_LEASE_SECONDS = 120;
/** first retry after a failed attempt, doubled for each further one (2, 4, 8, 16 s) */
const RETRY_DELAY_SECONDS = 2;

type ClaimedRow = { claimed: typeof inboundEmails.$inferSelect; mailboxes: typeof mailboxes.$inferSelect | null };

/**
 * The attempt counted and the lease taken on the stored mail `which` picks (still `received`), answered with its
 * mailbox — one statement.
 */
function claimQuery(db: DbOrTx, which: SQL) {
  const claimedRows = db.$with('claimed').as(
    db
      .update(inboundEmails)
      .set({
        attempts: sql`${inboundEmails.attempts} + 1`,
        nextAttemptAt: sql`now() + make_interval(secs => ${INBOUND_LEASE_SECONDS})`,
      })
      .where(and(sql`${inboundEmails.id} = ${which}`, eq(inboundEmails.status, 'received')))
      .returning(),
  );
  return db.with(claimedRows).select().from(claimedRows).leftJoin(mailboxes, eq(mailboxes.id, claimedRows.mailboxId));
}

/** one stored mail, by its id */
const claimById = reusableQuery((db) => claimQuery(db, sql`${sql.placeholder('id')}`));

/**
 * The oldest stored mail that is due (new, or its retry time or a dead worker's lease has passed), skipping mails
 * other workers are taking at this moment: the inbound table is the queue (inbound-queue.ts).
 */
const claimNext = reusableQuery((db) =>
  claimQuery(
    db,
    sql`(${db
      .select({ id: inboundEmails.id })
      .from(inboundEmails)
      .where(and(eq(inboundEmails.status, 'received'), lte(inboundEmails.nextAttemptAt, sql`now()`)))
      .orderBy(asc(inboundEmails.receivedAt))
      .limit(1)
      .for('update', { skipLocked: true })})`,
  ),
);

/** One attempt at one stored inbound email, by id (tests and tools drive single mails this way). */
export async function processInboundEmail(
  deps: IngestDeps,
  inboundEmailId: string,
): Promise<'processed' | 'quarantined' | 'skipped'> {
  const [row] = await claimById(deps.db, { id: inboundEmailId });
  if (!row) return 'skipped';
  return processClaimed(deps, row);
}

/**
 * One attempt at the oldest due inbound email; null when none is due. A failed attempt is recorded with its retry
 * time and thrown.
 */
export async function processNextInboundEmail(deps: IngestDeps): Promise<'processed' | 'quarantined' | null> {
  const [row] = await claimNext(deps.db, {});
  if (!row) return null;
  return processClaimed(deps, row);
}

/**
 * One attempt at one claimed inbound email. The attempt was counted (and committed) before any work, so a message
 * that crashes the process is still counted; after MAX_INBOUND_ATTEMPTS it is quarantined and the queue flows on.
 */
async function processClaimed(deps: IngestDeps, row: ClaimedRow): Promise<'processed' | 'quarantined'> {
  const { claimed, mailboxes: mailbox } = row;
  const quarantine = async (error: string) => {
    await deps.db
      .update(inboundEmails)
      .set({ status: 'quarantined', error: error.slice(0, 4000), processedAt: deps.now() })
      .where(eq(inboundEmails.id, claimed.id));
    return 'quarantined' as const;
  };
  if (claimed.attempts > MAX_INBOUND_ATTEMPTS) return quarantine(claimed.error ?? 'too many attempts');
  try {
    if (!mailbox) return quarantine('the mailbox was deleted');
    const parsed = await withTimeout(parseEmail(claimed.raw), PARSE_BUDGET_MS, 'parsing');
    await waitForEarlierThreadMail(deps.db, claimed, parsed);
    await ingestInboundEmail(deps, { inbound: claimed, mailbox, parsed });
    return 'processed';
  } catch (err) {
    const message = describeError(err);
    if (claimed.attempts >= MAX_INBOUND_ATTEMPTS) return quarantine(message);
    await deps.db
      .update(inboundEmails)
      .set({
        error: message.slice(0, 4000),
        nextAttemptAt: sql`now() + make_interval(secs => ${RETRY_DELAY_SECONDS * 2 ** (claimed.attempts - 1)})`,
      })
      .where(eq(inboundEmails.id, claimed.id));
    throw err;
  }
}
