import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelsRuntime } from '../src/modules/channels/channels-runtime.ts';
import { DELIVERY_LEASE_MS } from '../src/modules/channels/claim-channel-delivery.ts';
import { type DeliverDeps, deliverChannelMessage } from '../src/modules/channels/deliver-channel-message.job.ts';
import { allowChannelLoopbackPortsForTests } from '../src/modules/channels/index.ts';
import { requeueStrandedDeliveries } from '../src/modules/channels/requeue-stranded-deliveries.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { channelDeliveries } from '../src/platform/db/schema/index.ts';
import type { JobContext } from '../src/platform/jobs/jobs.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { type FakeProviders, startFakeProviders } from './fakes/fake-providers.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api } from './tickets-helpers.ts';

// The app runs without the worker role: each test starts the delivery job's attempts itself, at the moments it
// chooses, as pg-boss would (a retry, the stranded sweep's job, a resume's job) — and the fake provider stands in
// for the API channel's callback URL, the only thing faked.
let t: TestApp;
let fake: FakeProviders;
let admin: TestStaff;
let channelId = '';
let deps: DeliverDeps;
const clock = new ManualClock(new Date());
let seq = 0;

const attempt = (retryCount = 0): JobContext => ({ jobId: `job-${retryCount}`, retryCount, retryLimit: 8 });
const sleep = (ms: number) => new Promise<'timed out'>((r) => setTimeout(() => r('timed out'), ms));

async function queuedDelivery(values: Partial<typeof channelDeliveries.$inferInsert> = {}) {
  seq += 1;
  const [row] = await t.deps.db
    .insert(channelDeliveries)
    .values({
      idempotencyKey: `test:lease-${seq}`,
      channelId,
      kind: 'test',
      recipient: `u-lease-${seq}`,
      text: `lease test ${seq}`,
      createdAt: clock.now(),
      updatedAt: clock.now(),
      ...values,
    })
    .returning();
  if (!row) throw new Error('no delivery inserted');
  return row;
}

async function deliveryRow(id: string) {
  const [row] = await t.deps.db.select().from(channelDeliveries).where(eq(channelDeliveries.id, id));
  if (!row) throw new Error(`delivery ${id} vanished`);
  return row;
}

function requestsFor(recipient: string) {
  return fake.sent.filter((s) => (s.json?.user as { id?: string } | undefined)?.id === recipient);
}

beforeAll(async () => {
  fake = await startFakeProviders({ now: () => clock.now() });
  allowChannelLoopbackPortsForTests([fake.port]);
  t = await createTestApp({ clock, env: { HOST: '127.0.0.1' } });
  admin = await createStaff(t, 'admin');
  const res = await api(t, admin, 'POST', '/channels', {
    kind: 'api',
    name: 'Mobile app',
    callbackUrl: `${fake.baseUrl}/callback`,
    autoReplies: {},
  });
  expect(res.statusCode).toBe(201);
  channelId = res.json().id;
  fake.creds.callbackSecret = res.json().secret;
  const rt = channelsRuntime(t.deps, () => undefined);
  deps = { db: t.deps.db, box: rt.box, now: () => clock.now(), net: rt.net, publicUrl: undefined };
});

afterAll(async () => {
  await t?.close();
  await fake?.close();
  allowChannelLoopbackPortsForTests([]);
});

describe('one attempt at a time per channel delivery', () => {
  it('sends a delivery once when two of its jobs run at the same time', async () => {
    const d = await queuedDelivery();
    const release = fake.holdResponses();
    try {
      const first = deliverChannelMessage(deps, d.id, attempt());
      const second = deliverChannelMessage(deps, d.id, attempt());
      await fake.waitForSent(fake.sent.length + 1);
      // one attempt is waiting for the provider; the other must give way without calling it
      const gaveWay = await Promise.race([first.then(() => 'done'), second.then(() => 'done'), sleep(5_000)]);
      expect(gaveWay).toBe('done');
      expect(requestsFor(d.recipient)).toHaveLength(1);
      const during = await deliveryRow(d.id);
      expect(during.status).toBe('queued');
      expect(during.sendingUntil?.getTime()).toBe(clock.now().getTime() + DELIVERY_LEASE_MS);
      release();
      await Promise.all([first, second]);
    } finally {
      release();
    }
    const after = await deliveryRow(d.id);
    expect(after).toMatchObject({ status: 'sent', attempts: 1, sendingUntil: null, lastError: null });
    expect(requestsFor(d.recipient)).toHaveLength(1);
    // a later job (the sweep's, a resume's) finds it gone and sends nothing
    await deliverChannelMessage(deps, d.id, attempt());
    expect(requestsFor(d.recipient)).toHaveLength(1);
  });

  it('leaves a crashed attempt’s delivery alone until its lease runs out, then the next job sends it once', async () => {
    // an attempt claimed it a minute ago and its process died mid-send: queued, counted, the lease still live
    const claimedAt = new Date(clock.now().getTime() - 60_000);
    const d = await queuedDelivery({
      attempts: 1,
      updatedAt: claimedAt,
      sendingUntil: new Date(claimedAt.getTime() + DELIVERY_LEASE_MS),
    });
    await deliverChannelMessage(deps, d.id, attempt(1));
    expect(requestsFor(d.recipient)).toHaveLength(0);
    expect(await deliveryRow(d.id)).toMatchObject({ status: 'queued', attempts: 1 });

    // the stranded sweep leaves it too while the lease is live, however long ago it was touched
    const sweep = { db: t.deps.db, jobs: channelsRuntime(t.deps, () => undefined).jobs };
    const longAfterTouch = new Date(claimedAt.getTime() + 20 * 60_000);
    const [stillLeased] = await t.deps.db
      .update(channelDeliveries)
      .set({ sendingUntil: new Date(longAfterTouch.getTime() + 60_000) })
      .where(eq(channelDeliveries.id, d.id))
      .returning();
    expect(await requeueStrandedDeliveries({ ...sweep, now: () => longAfterTouch })).toBe(0);

    // once the lease has run out the sweep sends a job again, and that job claims and sends it
    const afterLease = new Date((stillLeased?.sendingUntil?.getTime() ?? 0) + 1_000);
    expect(await requeueStrandedDeliveries({ ...sweep, now: () => afterLease })).toBe(1);
    await deliverChannelMessage({ ...deps, now: () => afterLease }, d.id, attempt());
    expect(requestsFor(d.recipient)).toHaveLength(1);
    expect(await deliveryRow(d.id)).toMatchObject({ status: 'sent', attempts: 2, sendingUntil: null });
  });

  it('holds the delivery during a transiently failing attempt and gives it back, so the retry sends it', async () => {
    const d = await queuedDelivery();
    fake.failNext(1);
    const release = fake.holdResponses();
    let failing: Promise<unknown> = Promise.resolve();
    try {
      failing = deliverChannelMessage(deps, d.id, attempt()).then(
        () => 'resolved',
        (err: Error) => err,
      );
      await fake.waitForSent(fake.sent.length + 1);
      // while the provider has not answered, a second job sends nothing
      const second = await Promise.race([
        deliverChannelMessage(deps, d.id, attempt()).then(() => 'done'),
        sleep(5_000),
      ]);
      expect(second).toBe('done');
      expect(requestsFor(d.recipient)).toHaveLength(1);
      release();
      // the provider answers 500: the attempt throws for pg-boss to retry
      expect(String(await failing)).toMatch(/HTTP 500/);
    } finally {
      release();
    }
    const failed = await deliveryRow(d.id);
    expect(failed).toMatchObject({ status: 'queued', attempts: 1, sendingUntil: null });
    expect(failed.lastError).toMatch(/HTTP 500/);

    // pg-boss's retry, a second later, does not wait out a lease
    await deliverChannelMessage({ ...deps, now: () => new Date(clock.now().getTime() + 1_000) }, d.id, attempt(1));
    expect(requestsFor(d.recipient)).toHaveLength(2);
    expect(await deliveryRow(d.id)).toMatchObject({ status: 'sent', attempts: 2, sendingUntil: null, lastError: null });
  });

  it('leaves a delivery of a paused channel queued and unclaimed, and sends it after the resume', async () => {
    const d = await queuedDelivery();
    expect((await api(t, admin, 'PATCH', `/channels/${channelId}`, { status: 'paused' })).statusCode).toBe(200);
    await deliverChannelMessage(deps, d.id, attempt());
    expect(requestsFor(d.recipient)).toHaveLength(0);
    expect(await deliveryRow(d.id)).toMatchObject({ status: 'queued', attempts: 0, sendingUntil: null });
    expect((await api(t, admin, 'PATCH', `/channels/${channelId}`, { status: 'active' })).statusCode).toBe(200);
    await deliverChannelMessage(deps, d.id, attempt());
    expect(requestsFor(d.recipient)).toHaveLength(1);
    expect(await deliveryRow(d.id)).toMatchObject({ status: 'sent', attempts: 1, sendingUntil: null });
  });
});
