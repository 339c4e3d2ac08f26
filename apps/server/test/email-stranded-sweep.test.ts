import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTBOUND_LEASE_MS } from '../src/modules/email/claim-outbound-email.ts';
import { sendEmailJob } from '../src/modules/email/email.jobs.ts';
import { requeueStrandedOutbound, STRANDED_OUTBOUND_AFTER_MS } from '../src/modules/email/requeue-stranded-outbound.ts';
import { type SendDeps, sendOutboundEmail } from '../src/modules/email/send-email.job.ts';
import { ManualClock } from '../src/platform/clock.ts';
import type { JobDefinition, Jobs } from '../src/platform/jobs/jobs.ts';
import type { Sink } from './fakes/smtp-sink.ts';
import type { TestApp } from './harness.ts';
import { sendAttempt as attempt, type OutboundDesk, startOutboundDesk } from './outbound-desk.ts';

// The sweep of queued outbound mail that has lost its `email.send` job. The app runs without the worker role; the
// sweep sends its jobs to a recorder, and the test runs each recorded job's attempt itself against a real SMTP relay.
let desk: OutboundDesk;
let t: TestApp;
let sink: Sink;
let deps: SendDeps;
const clock = new ManualClock(new Date());
const MINUTE = 60_000;

const sentJobs: { queue: string; outboundEmailId: string }[] = [];
const jobs = {
  async send<P>(def: JobDefinition<P>, payload: P) {
    sentJobs.push({ queue: def.name, ...(payload as { outboundEmailId: string }) });
    return `job-${sentJobs.length}`;
  },
} as unknown as Jobs;

const sweep = () => requeueStrandedOutbound({ db: t.deps.db, jobs, now: () => clock.now() });
const ago = (ms: number) => new Date(clock.now().getTime() - ms);
const queuedAck: OutboundDesk['queuedAck'] = (values) => desk.queuedAck(values);
const outboundRow = (id: string) => desk.outboundRow(id);
const copiesOf = (out: { messageIdHeader: string }) => desk.copiesOf(out);
const jobsFor = (out: { id: string }) => sentJobs.filter((j) => j.outboundEmailId === out.id);

/** runs every job the sweep sent for this mail, as pg-boss would (their first attempts) */
async function runJobs(out: { id: string }, ctx = attempt(0)) {
  for (const j of jobsFor(out)) await sendOutboundEmail(deps, j.outboundEmailId, ctx);
}

beforeAll(async () => {
  desk = await startOutboundDesk(clock, 'sweep');
  ({ t, sink, deps } = desk);
});

afterAll(async () => {
  await desk?.close();
});

describe('the sweep of stranded outbound mail', () => {
  it('re-queues a queued mail with no job once it is older than the threshold, and the new job sends it once', async () => {
    // never tried (its job was lost before it ran), and a crashed attempt's long-ended lease
    const neverTried = await queuedAck({ createdAt: ago(STRANDED_OUTBOUND_AFTER_MS + MINUTE) });
    const crashed = await queuedAck({
      createdAt: ago(2 * STRANDED_OUTBOUND_AFTER_MS),
      attempts: 1,
      sendingUntil: ago(STRANDED_OUTBOUND_AFTER_MS + MINUTE),
    });
    expect(await sweep()).toBeGreaterThanOrEqual(2);
    for (const out of [neverTried, crashed]) {
      expect(jobsFor(out)).toEqual([{ queue: sendEmailJob.name, outboundEmailId: out.id }]);
      // stamped: a lease that has already ended, so the job can claim it
      expect((await outboundRow(out.id)).sendingUntil).toEqual(clock.now());
    }
    // a second sweep in the same minute (another worker) sends no second job
    await sweep();
    expect(jobsFor(neverTried)).toHaveLength(1);
    expect(jobsFor(crashed)).toHaveLength(1);

    await runJobs(neverTried);
    await runJobs(crashed);
    expect(copiesOf(neverTried)).toHaveLength(1);
    expect(copiesOf(crashed)).toHaveLength(1);
    expect(await outboundRow(neverTried.id)).toMatchObject({ status: 'sent', attempts: 1, sendingUntil: null });
    expect(await outboundRow(crashed.id)).toMatchObject({ status: 'sent', attempts: 2, sendingUntil: null });

    // sent: later sweeps leave it alone, and a stray duplicate of the job sends nothing
    clock.advance(2 * STRANDED_OUTBOUND_AFTER_MS);
    await sweep();
    expect(jobsFor(neverTried)).toHaveLength(1);
    await runJobs(neverTried);
    expect(copiesOf(neverTried)).toHaveLength(1);
  });

  it('leaves alone a mail inside the threshold, one with a live lease, a recently tried one, a sent, a failed one and a delayed survey', async () => {
    const old = ago(2 * STRANDED_OUTBOUND_AFTER_MS);
    const young = await queuedAck({ createdAt: ago(STRANDED_OUTBOUND_AFTER_MS - MINUTE) });
    const leased = await queuedAck({ createdAt: old, attempts: 1, sendingUntil: ago(-5 * MINUTE) });
    // its job's attempt gave it back (a transient failure) 10 minutes ago: pg-boss's retry is still to come
    const recentlyTried = await queuedAck({ createdAt: old, attempts: 3, sendingUntil: ago(10 * MINUTE) });
    const sent = await queuedAck({ createdAt: old, status: 'sent', attempts: 1, sentAt: old });
    const failed = await queuedAck({ createdAt: old, status: 'failed', attempts: 7, error: '451 try again later' });
    // other kinds have their own jobs and timing: a survey queued to go out a day after the solve is not stranded
    const survey = await queuedAck({ createdAt: old, kind: 'survey' });
    await sweep();
    for (const out of [young, leased, recentlyTried, sent, failed, survey]) {
      expect(jobsFor(out)).toHaveLength(0);
      const row = await outboundRow(out.id);
      expect(row.sendingUntil).toEqual(out.sendingUntil);
      expect(row.status).toBe(out.status);
    }
  });

  it('stops once the re-queued mail fails for good: the last retry marks it failed and the sweep leaves it', async () => {
    const out = await queuedAck({ createdAt: ago(STRANDED_OUTBOUND_AFTER_MS + MINUTE) });
    await sweep();
    expect(jobsFor(out)).toHaveLength(1);
    // a transient failure: given back with the lease ending now, so the next sweeps leave it to pg-boss's retry
    sink.failNext(1);
    await expect(sendOutboundEmail(deps, out.id, attempt(0))).rejects.toThrow(/451|Try again later/);
    expect(await outboundRow(out.id)).toMatchObject({ status: 'queued', attempts: 1, sendingUntil: clock.now() });
    clock.advance(STRANDED_OUTBOUND_AFTER_MS - MINUTE);
    await sweep();
    expect(jobsFor(out)).toHaveLength(1);
    // the job's last retry fails too: failed, and never picked again
    sink.failNext(1);
    await sendOutboundEmail(deps, out.id, attempt(6));
    expect(await outboundRow(out.id)).toMatchObject({ status: 'failed', attempts: 2, sendingUntil: null });
    clock.advance(2 * STRANDED_OUTBOUND_AFTER_MS);
    await sweep();
    expect(jobsFor(out)).toHaveLength(1);
    expect(copiesOf(out)).toHaveLength(0);
  });

  it('finds the stranded mail through the partial index of queued mail', async () => {
    await t.deps.db.execute(sql`ANALYZE outbound_emails`);
    // the test database holds a handful of rows, so a sequential scan would be as cheap: ask whether the index can
    // serve it at all (with a table of every mail ever sent, it is the only cheap way)
    const plan = await t.deps.db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL enable_seqscan = off`);
      return tx.execute(sql`EXPLAIN SELECT id FROM outbound_emails
        WHERE status = 'queued' AND created_at < now() - interval '30 minutes'
          AND (sending_until IS NULL OR sending_until < now() - interval '30 minutes')
        ORDER BY created_at LIMIT 100 FOR UPDATE SKIP LOCKED`);
    });
    expect(JSON.stringify(plan.rows)).toContain('outbound_emails_queued_idx');
    // the lease is far shorter than the threshold: a crashed attempt's mail waits out its lease, then 30 minutes
    expect(OUTBOUND_LEASE_MS).toBeLessThan(STRANDED_OUTBOUND_AFTER_MS);
  });
});
