import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTBOUND_LEASE_MS } from '../src/modules/email/claim-outbound-email.ts';
import { sendEmailJob } from '../src/modules/email/email.jobs.ts';
import { type SendDeps, sendOutboundEmail } from '../src/modules/email/send-email.job.ts';
import { ManualClock } from '../src/platform/clock.ts';
import type { Sink } from './fakes/smtp-sink.ts';
import { sendAttempt as attempt, type OutboundDesk, startOutboundDesk } from './outbound-desk.ts';

// The app runs without the worker role: each test starts the send job's attempts itself, at the moments it chooses,
// as pg-boss would (a retry after an expiry, a duplicate job). The relay is a real SMTP server that can hold its
// answers (a relay slow to confirm) or refuse a message for now (451).
let desk: OutboundDesk;
let sink: Sink;
let deps: SendDeps;
const clock = new ManualClock(new Date());

const sleep = (ms: number) => new Promise<'timed out'>((r) => setTimeout(() => r('timed out'), ms));
const at = (when: Date): SendDeps => ({ ...deps, now: () => when });
const queuedAck: OutboundDesk['queuedAck'] = (values) => desk.queuedAck(values);
const outboundRow = (id: string) => desk.outboundRow(id);
const copiesOf = (out: { messageIdHeader: string }) => desk.copiesOf(out);

async function waitFor(what: string, fn: () => boolean, ms = 10_000): Promise<void> {
  const start = Date.now();
  while (!fn()) {
    if (Date.now() - start > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  desk = await startOutboundDesk(clock, 'lease');
  ({ sink, deps } = desk);
});

afterAll(async () => {
  await desk?.close();
});

describe('one attempt at a time per outbound email', () => {
  it('sends a mail once when two of its jobs run at the same time', async () => {
    const out = await queuedAck();
    const release = sink.hold();
    try {
      const first = sendOutboundEmail(deps, out.id, attempt(0));
      const second = sendOutboundEmail(deps, out.id, attempt(1));
      await waitFor('the relay to receive the mail', () => copiesOf(out).length > 0);
      // one attempt is waiting for the relay's answer; the other must give way without connecting
      const gaveWay = await Promise.race([first.then(() => 'done'), second.then(() => 'done'), sleep(5_000)]);
      expect(gaveWay).toBe('done');
      expect(copiesOf(out)).toHaveLength(1);
      const during = await outboundRow(out.id);
      expect(during).toMatchObject({ status: 'queued', attempts: 1 });
      expect(during.sendingUntil?.getTime()).toBe(clock.now().getTime() + OUTBOUND_LEASE_MS);
      release();
      await Promise.all([first, second]);
    } finally {
      release();
    }
    expect(await outboundRow(out.id)).toMatchObject({ status: 'sent', attempts: 1, sendingUntil: null, error: null });
    expect(copiesOf(out)).toHaveLength(1);
    // a later job (a duplicate, a retry after an expiry) finds it sent and sends nothing
    await sendOutboundEmail(deps, out.id, attempt(2));
    expect(copiesOf(out)).toHaveLength(1);
  });

  it('leaves a crashed attempt’s mail alone until its lease runs out, then the next job sends it once', async () => {
    // an attempt claimed it a minute ago and its process died mid-send: queued, counted, the lease still live
    const claimedAt = new Date(clock.now().getTime() - 60_000);
    const leaseEnd = new Date(claimedAt.getTime() + OUTBOUND_LEASE_MS);
    const out = await queuedAck({ attempts: 1, sendingUntil: leaseEnd });
    await sendOutboundEmail(deps, out.id, attempt(1));
    await sendOutboundEmail(at(new Date(leaseEnd.getTime() - 1_000)), out.id, attempt(2));
    expect(copiesOf(out)).toHaveLength(0);
    expect(await outboundRow(out.id)).toMatchObject({ status: 'queued', attempts: 1, sendingUntil: leaseEnd });

    // once the lease has run out (pg-boss's retry after the dead attempt's job expired) it is claimed and sent
    const afterLease = new Date(leaseEnd.getTime() + 1_000);
    await sendOutboundEmail(at(afterLease), out.id, attempt(1));
    expect(copiesOf(out)).toHaveLength(1);
    expect(await outboundRow(out.id)).toMatchObject({ status: 'sent', attempts: 2, sendingUntil: null });
    await sendOutboundEmail(at(afterLease), out.id, attempt(2));
    expect(copiesOf(out)).toHaveLength(1);
  });

  it('holds the mail during a transiently failing attempt and gives it back, so the retry sends it', async () => {
    const out = await queuedAck();
    sink.failNext(1);
    const release = sink.hold();
    let failing: Promise<unknown> = Promise.resolve();
    try {
      failing = sendOutboundEmail(deps, out.id, attempt(0)).then(
        () => 'resolved',
        (err: Error) => err,
      );
      await waitFor('the relay to receive the mail', () =>
        sink.refused.some((m) => m.raw.includes(out.messageIdHeader)),
      );
      // while the relay has not answered, a second job sends nothing
      const second = await Promise.race([sendOutboundEmail(deps, out.id, attempt(0)).then(() => 'done'), sleep(5_000)]);
      expect(second).toBe('done');
      expect(copiesOf(out)).toHaveLength(0);
      release();
      // the relay answers 451: the attempt throws for pg-boss to retry
      expect(String(await failing)).toMatch(/451|Try again later/);
    } finally {
      release();
    }
    const failed = await outboundRow(out.id);
    // the lease ends when the attempt gives the mail back (the stranded sweep reads it as the last attempt)
    expect(failed).toMatchObject({ status: 'queued', attempts: 1, sendingUntil: clock.now() });
    expect(failed.error).toMatch(/Try again later/);

    // pg-boss's retry, seconds later, does not wait out a lease
    await sendOutboundEmail(at(new Date(clock.now().getTime() + 5_000)), out.id, attempt(1));
    expect(copiesOf(out)).toHaveLength(1);
    expect(await outboundRow(out.id)).toMatchObject({ status: 'sent', attempts: 2, sendingUntil: null, error: null });
  });

  it('never sends a mail that is no longer queued: a bounced one (failed after it was sent) or a skipped one', async () => {
    const bounced = await queuedAck({ status: 'failed', attempts: 1, sentAt: clock.now(), error: 'bounced: 5.1.1' });
    const skipped = await queuedAck({ status: 'skipped', error: 'delivered in the live chat' });
    // a stray job for each (a duplicate, a retry that outlived the outcome)
    await sendOutboundEmail(deps, bounced.id, attempt(0));
    await sendOutboundEmail(deps, skipped.id, attempt(0));
    expect(copiesOf(bounced)).toHaveLength(0);
    expect(copiesOf(skipped)).toHaveLength(0);
    expect(await outboundRow(bounced.id)).toMatchObject({ status: 'failed', attempts: 1, sendingUntil: null });
    expect(await outboundRow(skipped.id)).toMatchObject({ status: 'skipped', attempts: 0, sendingUntil: null });
  });

  it('gives the send job longer than the lease, so a crashed attempt’s job expires after its lease has run out', () => {
    expect((sendEmailJob.expireInSeconds ?? 0) * 1000).toBeGreaterThan(OUTBOUND_LEASE_MS);
  });
});
