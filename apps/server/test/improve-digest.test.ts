import nodemailer from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendWeeklyDigests } from '../src/modules/improve/index.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { startSink, textOf } from './fakes/smtp-sink.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api, openTicket } from './tickets-helpers.ts';

let t: TestApp;
let clock: ManualClock;
let lead: TestStaff;
let rina: TestStaff;
let sink: Awaited<ReturnType<typeof startSink>>;


beforeAll(async () => {
  sink = await startSink();
  // a Wednesday: the week's work happens, the digest goes out the following Monday
  t = await createTestApp({ clock: new ManualClock(new Date('2026-03-04T09:00:00Z')), env: { SEVA_SMTP_RELAY_URL: `smtp://127.0.0.1:${sink.port}` } });
  clock = t.clock as ManualClock;
  lead = await createStaff(t, 'supervisor', { name: 'Lina Lead' });
  rina = await createStaff(t, 'agent', { name: 'রিনা দাস', locale: 'bn' });
});

afterAll(async () => {
  await t?.close();
  await sink?.close();
});

describe('weekly digest email', () => {
  it('tells each person in their language what went well last week, once', async () => {
    const ticket = await openTicket(t, lead, { assigneeId: rina.id });
    await api(t, rina, 'POST', `/tickets/${ticket.id}/messages`, { body: 'সমাধান হয়েছে', status: 'solved' });
    expect((await api(t, lead, 'POST', '/kudos', { toStaffId: rina.id, ticketId: ticket.id, message: 'দারুণ কাজ!' })).statusCode).toBeLessThan(300);
    const transport = nodemailer.createTransport(`smtp://127.0.0.1:${sink.port}`);
    const send = () => sendWeeklyDigests({ db: t.deps.db, config: t.config, now: clock.now(), transport });

    // the week before was empty: nobody gets an empty digest
    expect(await send()).toBe(0);
    // this week's digest waits for Monday morning
    clock.set(new Date('2026-03-09T05:00:00Z'));
    expect(await send()).toBe(0);
    clock.set(new Date('2026-03-09T07:00:00Z'));
    expect(await send()).toBe(1);
    const toRina = sink.mails.find((m) => m.to.includes(rina.email));
    expect(toRina).toBeTruthy();
    expect(toRina?.raw).toContain('Auto-Submitted: auto-generated');
    const text = textOf(toRina?.raw ?? '');
    expect(text).toContain('নমস্কার রিনা দাস');
    expect(text).toContain('১টি টিকিট সমাধান');
    expect(text).toContain('দারুণ কাজ!');
    // once per person and week, however often the worker looks
    const before = sink.mails.length;
    expect(await send()).toBe(0);
    expect(sink.mails.length).toBe(before);
  });

  it('sends nothing while recognition is switched off', async () => {
    const admin = await createStaff(t, 'admin');
    expect((await api(t, admin, 'PUT', '/recognition/settings', { enabled: false })).statusCode).toBe(200);
    clock.set(new Date('2026-03-16T07:00:00Z'));
    const transport = nodemailer.createTransport(`smtp://127.0.0.1:${sink.port}`);
    expect(await sendWeeklyDigests({ db: t.deps.db, config: t.config, now: clock.now(), transport })).toBe(0);
  });
});
