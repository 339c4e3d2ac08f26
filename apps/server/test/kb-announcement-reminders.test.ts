import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeReminderEmail } from '../src/modules/kb/kb-reminder-email.ts';
import { outboundEmails } from '../src/platform/db/schema/index.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { startSink, textOf } from './fakes/smtp-sink.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { listenOnLoopback, openSocket, type TestSocket, writeEvent } from './realtime-helpers.ts';
import { sleep } from './widget-helpers.ts';

let t: TestApp;
let sink: Awaited<ReturnType<typeof startSink>>;
let base = '';
let origin = '';
let admin: TestStaff;
let bina: TestStaff;
let chand: TestStaff;
let dipa: TestStaff;
let supervisor: TestStaff;
const sockets: TestSocket[] = [];

async function connect(who: TestStaff, since?: number): Promise<TestSocket> {
  const s = await openSocket(`${base}/api/v1/realtime${since === undefined ? '' : `?since=${since}`}`, {
    headers: { cookie: who.session.cookie },
    origin,
  });
  sockets.push(s);
  await s.waitFor((m) => m.type === 'realtime.ready');
  return s;
}

async function mailTo(address: string, timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const hit = sink.mails.find((m) => m.to.includes(address));
    if (hit) return hit;
    await sleep(100);
  }
  throw new Error(`no mail to ${address}`);
}

beforeAll(async () => {
  sink = await startSink();
  t = await createTestApp({
    env: { SEVA_ROLES: 'api,realtime,worker', SEVA_SMTP_RELAY_URL: `smtp://127.0.0.1:${sink.port}`, HOST: '127.0.0.1' },
  });
  base = await listenOnLoopback(t.app);
  origin = base.replace(/^ws/, 'http');
  admin = await createStaff(t, 'admin', { name: 'Asha Admin' });
  bina = await createStaff(t, 'agent', { name: 'Bina', locale: 'bn' });
  chand = await createStaff(t, 'agent', { name: 'Chand', locale: 'hi' });
  dipa = await createStaff(t, 'agent', { name: 'Dipa' });
  supervisor = await createStaff(t, 'supervisor', { name: 'Esha Supervisor' });
});
afterAll(async () => {
  for (const s of sockets) s.ws.terminate();
  await t?.close();
  await sink?.close();
});

describe('announcement reminders', () => {
  let id = '';
  let remindedEventId = 0;

  it('reaches only the staff who have not acknowledged: live on their socket and by email in their language', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/kb/announcements',
      headers: admin.bearer,
      payload: {
        title: 'Refunds now take <30> days',
        body: 'From **Monday** the refund window is 30 days.',
        status: 'published',
        audienceRoles: ['agent'],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    id = created.json().id;
    const ack = await t.app.inject({
      method: 'POST',
      url: `/api/v1/kb/announcements/${id}/acknowledge`,
      headers: dipa.bearer,
    });
    expect(ack.statusCode).toBe(200);

    const sBina = await connect(bina);
    const sChand = await connect(chand);
    const sDipa = await connect(dipa);
    const sAdmin = await connect(admin);
    const sSupervisor = await connect(supervisor);
    const denied = await t.app.inject({
      method: 'POST',
      url: `/api/v1/kb/announcements/${id}/remind`,
      headers: bina.bearer,
    });
    expect(denied.statusCode).toBe(403);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/kb/announcements/${id}/remind`,
      headers: admin.bearer,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ reminded: 2 });

    const isReminder = (m: Record<string, unknown>) => m.type === 'kb_announcement.reminded';
    for (const s of [sBina, sChand]) {
      const m = await s.waitFor(isReminder);
      expect(m.payload).toEqual({ announcementId: id, title: 'Refunds now take <30> days' });
      remindedEventId = m.eventId as number;
    }
    // events reach every socket in order: once a later broadcast has arrived, a reminder would have too
    const later = await writeEvent(t.deps.db, 'kb_test.sentinel', null);
    for (const s of [sDipa, sAdmin, sSupervisor]) {
      await s.waitFor((m) => m.eventId === later);
      expect(s.received.some(isReminder)).toBe(false);
    }

    const toBina = await mailTo(bina.email);
    expect(toBina.raw).toContain('Auto-Submitted: auto-generated');
    const bnText = textOf(toBina.raw);
    expect(bnText).toContain('নমস্কার Bina');
    expect(bnText).toContain('"Refunds now take <30> days" ঘোষণাটি');
    expect(bnText).toContain(`/kb#announcement-${id}`);
    const hiText = textOf((await mailTo(chand.email)).raw);
    expect(hiText).toContain('नमस्ते Chand');
    expect(hiText).toContain('घोषणा');
    await sleep(500);
    for (const p of [dipa, admin, supervisor]) expect(sink.mails.some((m) => m.to.includes(p.email))).toBe(false);
    const rows = await t.deps.db.select().from(outboundEmails).where(eq(outboundEmails.kind, 'kb_reminder'));
    expect(rows.map((r) => r.recipient).sort()).toEqual([bina.email, chand.email].sort());
    expect(rows.every((r) => r.status === 'sent')).toBe(true);
    // the HTML part escapes the title
    expect(toBina.raw).not.toContain('<30>"');
  });

  it('replays a missed reminder to its recipient only', async () => {
    const since = remindedEventId - 1;
    const again = await connect(bina, since);
    expect(again.received.some((m) => m.type === 'kb_announcement.reminded' && m.eventId === remindedEventId)).toBe(
      true,
    );
    const dipaAgain = await connect(dipa, since);
    expect(dipaAgain.received.some((m) => m.type === 'kb_announcement.reminded')).toBe(false);
  });

  it('tells nobody when everyone has acknowledged, and skips the mail of someone who acknowledged before it went out', async () => {
    for (const p of [bina, chand]) {
      const r = await t.app.inject({
        method: 'POST',
        url: `/api/v1/kb/announcements/${id}/acknowledge`,
        headers: p.bearer,
      });
      expect(r.statusCode).toBe(200);
    }
    const before = sink.mails.length;
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/kb/announcements/${id}/remind`,
      headers: admin.bearer,
    });
    expect(res.json()).toEqual({ reminded: 0 });
    await sleep(500);
    expect(sink.mails.length).toBe(before);
    const rows = await t.deps.db
      .select()
      .from(outboundEmails)
      .where(and(eq(outboundEmails.kind, 'kb_reminder'), eq(outboundEmails.status, 'queued')));
    expect(rows).toEqual([]);
    // a reminder queued before Bina acknowledged is not sent any more
    const [row] = await t.deps.db
      .select()
      .from(outboundEmails)
      .where(and(eq(outboundEmails.kind, 'kb_reminder'), eq(outboundEmails.recipient, bina.email)));
    if (!row) throw new Error('no reminder row');
    expect(await composeReminderEmail({ config: t.config }, t.deps.db, row)).toEqual({ skip: 'already acknowledged' });
  });
});
