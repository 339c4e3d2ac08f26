import { and, eq, lt, sql } from 'drizzle-orm';
import { inboundEmails, mailboxes } from '../../platform/db/schema/index.ts';
import type { Jobs } from '../../platform/jobs/jobs.ts';
import { MAX_INBOUND_ATTEMPTS, processInboundEmailJob } from './email.jobs.ts';
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
 * One attempt at one inbound email. The attempt is counted (and committed) before any work, so a message that
 * crashes the process is still counted; after MAX_INBOUND_ATTEMPTS it is quarantined and the queue flows on.
 */
export async function processInboundEmail(
  deps: IngestDeps,
  inboundEmailId: string,
): Promise<'processed' | 'quarantined' | 'skipped'> {
  // the attempt and the mailbox's row in one statement (a round trip fewer on every mail)
  const claimedRows = deps.db.$with('claimed').as(
    deps.db
      .update(inboundEmails)
      .set({ attempts: sql`${inboundEmails.attempts} + 1` })
      .where(and(eq(inboundEmails.id, inboundEmailId), eq(inboundEmails.status, 'received')))
      .returning(),
  );
  const [row] = await deps.db
    .with(claimedRows)
    .select()
    .from(claimedRows)
    .leftJoin(mailboxes, eq(mailboxes.id, claimedRows.mailboxId));
  if (!row) return 'skipped';
  const { claimed, mailboxes: mailbox } = row;
  const quarantine = async (error: string) => {
    await deps.db
      .update(inboundEmails)
      .set({ status: 'quarantined', error: error.slice(0, 4000), processedAt: deps.now() })
      .where(eq(inboundEmails.id, inboundEmailId));
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
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    if (claimed.attempts >= MAX_INBOUND_ATTEMPTS) return quarantine(message);
    await deps.db
      .update(inboundEmails)
      .set({ error: message.slice(0, 4000) })
      .where(eq(inboundEmails.id, inboundEmailId));
    throw err;
  }
}

/**
 * Safety net: a stored email whose job is gone (its retries ran out while the database was down, say) gets a new
 * job. The singleton key keeps this from doubling a job that still exists.
 */
export async function requeueStrandedInboundEmails(
  deps: Pick<IngestDeps, 'db'>,
  jobs: Jobs,
  olderThanSeconds = 600,
): Promise<number> {
  const rows = await deps.db
    .select({ id: inboundEmails.id })
    .from(inboundEmails)
    .where(
      and(
        eq(inboundEmails.status, 'received'),
        lt(inboundEmails.receivedAt, sql`now() - make_interval(secs => ${olderThanSeconds})`),
      ),
    )
    .limit(100);
  for (const r of rows)
    await jobs.send(processInboundEmailJob, { inboundEmailId: r.id }, { singletonKey: `sweep:${r.id}` });
  return rows.length;
}
