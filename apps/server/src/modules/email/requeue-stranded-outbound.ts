import { and, asc, eq, inArray, isNull, lt, or } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { outboundEmails } from '../../platform/db/schema/index.ts';
import type { Jobs } from '../../platform/jobs/jobs.ts';
import { sendEmailJob } from './email.jobs.ts';

/**
 * A queued mail untouched this long, both since it was created and since its last attempt, has lost its job.
 *
 * `sending_until` is when the last attempt's lease ended: the claim sets it 10 minutes ahead (OUTBOUND_LEASE_MS), an
 * attempt that gives the mail back sets it to that moment, a crashed attempt leaves it at the lease's end. While its
 * job is alive, a mail is never left that long: the next attempt of an `email.send` job (retryLimit 6, retryDelay 5 s
 * doubled each time, email.jobs.ts and platform/jobs/jobs.ts) follows a failed one after at most 160 s, and a crashed
 * one's job expires (720 s after it started, at most 2 minutes after the lease's end), is noticed by pg-boss within
 * its 2-minute maintenance and retried after the backoff: about 7 minutes from the lease's end at worst. A new mail's
 * first job is sent with it (or by the reply reader within a second). 30 minutes is four times the longest gap, so
 * the sweep does not add jobs to a mail whose own job is still trying — and if a busy queue made it do so, the
 * second job would be harmless: the claim lets one attempt at a time send, and none once it has gone.
 */
export const STRANDED_OUTBOUND_AFTER_MS = 30 * 60_000;

/**
 * The kinds of outbound mail the `email.send` job sends (replies and acknowledgements). Other kinds share the table
 * but have their own jobs and timing — a survey waits the minutes (or days) the desk chose after the solve,
 * knowledge-base, report and alert mail are composed by their own modules — so the sweep never touches them: it would
 * send a delayed survey early, through a job that cannot compose it.
 */
export const SWEPT_KINDS = ['reply', 'ack'];

/** mails re-queued per run, oldest first; the rest follow on the next runs */
export const STRANDED_OUTBOUND_BATCH = 100;

/**
 * Sends a new `email.send` job for each queued outbound email that has lost its job (pg-boss's retries ran out while
 * PostgreSQL was unreachable, so the failure was never recorded; a lease whose release failed; a job removed), and
 * returns how many. Picked by one statement that also stamps `sending_until` with now (a lease that has already
 * ended, so the new job claims the mail at once): a second sweep — in this process or another worker — skips the
 * rows the first one has locked or stamped, and takes them again only 30 minutes later if they are still queued and
 * untouched (the new job's claim moves the stamp; a job that could not be sent is retried then). The partial index
 * outbound_emails_queued_idx (queued rows by created_at) serves the query however many mails have been sent.
 *
 * It does not loop forever: a mail that stays unsendable ends `failed` as before — at once on a permanent error, or
 * on the new job's last retry — and a failed (or sent, or skipped) mail is never picked again.
 */
export async function requeueStrandedOutbound(ctx: { db: Db; jobs: Jobs; now: () => Date }): Promise<number> {
  const now = ctx.now();
  const cutoff = new Date(now.getTime() - STRANDED_OUTBOUND_AFTER_MS);
  const stranded = ctx.db
    .select({ id: outboundEmails.id })
    .from(outboundEmails)
    .where(
      and(
        eq(outboundEmails.status, 'queued'),
        inArray(outboundEmails.kind, SWEPT_KINDS),
        lt(outboundEmails.createdAt, cutoff),
        or(isNull(outboundEmails.sendingUntil), lt(outboundEmails.sendingUntil, cutoff)),
      ),
    )
    .orderBy(asc(outboundEmails.createdAt))
    .limit(STRANDED_OUTBOUND_BATCH)
    .for('update', { skipLocked: true });
  const rows = await ctx.db
    .update(outboundEmails)
    .set({ sendingUntil: now })
    .where(and(inArray(outboundEmails.id, stranded), eq(outboundEmails.status, 'queued')))
    .returning({ id: outboundEmails.id });
  const stamp = now.getTime();
  for (const r of rows) {
    await ctx.jobs.send(sendEmailJob, { outboundEmailId: r.id }, { singletonKey: `${r.id}:sweep:${stamp}` });
  }
  return rows.length;
}
