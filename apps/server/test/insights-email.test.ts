import { eq, like } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insightsRuntime } from '../src/modules/insights/index.ts';
import { sendDueReportsJob, sendSurveyEmailJob } from '../src/modules/insights/insights.jobs.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { chatVisitors, outboundEmails, slaOutcomes, surveyRequests } from '../src/platform/db/schema/index.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { textOf } from './fakes/smtp-sink.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api, insertCategory, openTicket } from './tickets-helpers.ts';
import { insertWidget, newVisitor } from './widget-helpers.ts';

/**
 * Survey emails, spike alert emails and scheduled reports, end to end: the worker reads the event log, queues the
 * mail, and pg-boss jobs send it through the outbound relay — here a real SMTP server that can refuse on demand.
 */
interface Received {
  raw: string;
  to: string[];
}

async function startRelay() {
  const mails: Received[] = [];
  const state = { refuse: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (state.refuse > 0) {
          state.refuse -= 1;
          const err = new Error('try again later') as Error & { responseCode: number };
          err.responseCode = 451;
          cb(err);
          return;
        }
        mails.push({ raw: Buffer.concat(chunks).toString('utf8'), to: session.envelope.rcptTo.map((r) => r.address) });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { port, mails, state, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function eventually<T>(read: () => Promise<T> | T, ok: (v: T) => boolean, what: string, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > until) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const WEEK = 7 * 86_400_000;
const clock = new ManualClock(new Date('2026-03-02T00:00:00Z'));
let t: TestApp;
let relay: Awaited<ReturnType<typeof startRelay>>;
let admin: TestStaff;
let lead: TestStaff;
let priya: TestStaff;
let agent: TestStaff;
let outage: string;

const mailsTo = (address: string) => relay.mails.filter((m) => m.to.includes(address));
const reportsTo = (address: string) => mailsTo(address).filter((m) => textOf(m.raw).includes('हेल्प डेस्क का हाल'));

async function jobDone(id: string | null) {
  expect(id).toBeTruthy();
  await eventually(
    async () => (await t.deps.database.pool.query(`SELECT state FROM pgboss.job WHERE id = $1`, [id])).rows[0]?.state,
    (s) => s === 'completed' || s === 'failed',
    `job ${id}`,
  );
}

beforeAll(async () => {
  relay = await startRelay();
  t = await createTestApp({
    clock,
    env: {
      SEVA_ROLES: 'api,realtime,worker',
      SEVA_SMTP_RELAY_URL: `smtp://127.0.0.1:${relay.port}`,
      SEVA_PUBLIC_URL: 'https://desk.example.com',
    },
  });
  admin = await createStaff(t, 'admin');
  lead = await createStaff(t, 'supervisor', { name: 'Lina Lead', email: 'lina@staff.example.com' });
  priya = await createStaff(t, 'supervisor', { name: 'प्रिया', email: 'priya@staff.example.com', locale: 'hi' });
  agent = await createStaff(t, 'agent', { name: 'Amit Agent' });
  outage = await insertCategory(t, 'Internet outage');
  // four weeks of one "Internet outage" ticket on Mondays 09:05 and 10:05 UTC: the spike baseline
  for (let w = 0; w < 4; w += 1) {
    for (const h of ['09', '10']) {
      clock.set(new Date(new Date(`2026-03-02T${h}:05:00Z`).getTime() + w * WEEK));
      await openTicket(t, lead, { channel: 'web', categoryId: outage });
    }
  }
});

afterAll(async () => {
  await t?.close();
  await relay?.close();
});

describe('survey emails', () => {
  it('emails a solved ticket’s survey to the customer in their language, with one-click signed single-use links', async () => {
    clock.set(new Date('2026-03-30T08:00:00Z'));
    const tk = await openTicket(t, agent, {
      email: 'Rina@Example.com',
      name: 'রিনা',
      language: 'bn',
      channel: 'email',
      assigneeId: agent.id,
    });
    expect(
      (await api(t, agent, 'POST', `/tickets/${tk.id}/messages`, { body: 'সমাধান হয়েছে', status: 'solved' })).statusCode,
    ).toBe(201);
    const [mail] = await eventually(
      () => mailsTo('rina@example.com'),
      (m) => m.length === 1,
      'the survey email',
    );
    expect(mail?.raw).toContain('Auto-Submitted: auto-generated');
    const text = textOf(mail?.raw ?? '');
    expect(text).toContain('নমস্কার রিনা');
    expect(text).toContain('আপনি যে সাহায্য পেয়েছেন তাকে কীভাবে মূল্যায়ন করবেন?');
    expect(text).toContain('৫ · খুব ভালো'.replace('৫', '5'));
    const links = [...text.matchAll(/https:\/\/desk\.example\.com\/survey\/([\w.-]+)\?rating=(\d)/g)];
    expect(links.map((l) => l[2])).toEqual(['5', '4', '3', '2', '1']);
    // the same signed link as GET /surveys/:id/link
    const [survey] = await t.deps.db.select().from(surveyRequests).where(eq(surveyRequests.ticketId, tk.id));
    const official = (await api(t, lead, 'GET', `/surveys/${survey?.id}/link`)).json().url as string;
    expect(official).toBe(`https://desk.example.com/survey/${links[0]?.[1]}`);
    // one click records the rating; the link works once
    const path = new URL(links[0]?.[0] ?? '').pathname + new URL(links[0]?.[0] ?? '').search;
    const first = await t.app.inject({ method: 'GET', url: path });
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('ধন্যবাদ');
    expect((await t.app.inject({ method: 'GET', url: path.replace('rating=5', 'rating=1') })).statusCode).toBe(409);
    const [after] = await t.deps.db
      .select()
      .from(surveyRequests)
      .where(eq(surveyRequests.id, survey?.id ?? ''));
    expect(after).toMatchObject({ status: 'answered', rating: 5 });
  });

  it('sends exactly one email when the relay refuses at first and the job retries, and when the job runs again', async () => {
    relay.state.refuse = 1;
    const tk = await openTicket(t, agent, { email: 'sam@example.com', name: 'Sam', language: 'hi', channel: 'email' });
    await api(t, agent, 'POST', `/tickets/${tk.id}/messages`, { body: 'Done', status: 'solved' });
    const [mail] = await eventually(
      () => mailsTo('sam@example.com'),
      (m) => m.length === 1,
      'the retried survey email',
    );
    expect(relay.state.refuse).toBe(0);
    expect(textOf(mail?.raw ?? '')).toContain('नमस्ते Sam');
    const [survey] = await t.deps.db.select().from(surveyRequests).where(eq(surveyRequests.ticketId, tk.id));
    const [row] = await eventually(
      () =>
        t.deps.db
          .select()
          .from(outboundEmails)
          .where(eq(outboundEmails.idempotencyKey, `survey:${survey?.id}`)),
      (r) => r[0]?.status === 'sent',
      'the row marked sent',
    );
    expect(row).toMatchObject({ kind: 'survey', status: 'sent', attempts: 2, recipient: 'sam@example.com' });
    // a duplicate job for the same row, and reading the whole event log again, send nothing more
    await jobDone(
      await insightsRuntime(t.deps, () => {}).jobs.send(sendSurveyEmailJob, { outboundEmailId: row?.id ?? '' }),
    );
    await t.deps.database.pool.query(`UPDATE event_cursors SET last_event_id = 0 WHERE name = 'surveys.emails'`);
    await eventually(
      async () =>
        (await t.deps.database.pool.query(`SELECT last_event_id FROM event_cursors WHERE name = 'surveys.emails'`))
          .rows[0]?.last_event_id,
      (id) => Number(id) > 0,
      'the log read again',
    );
    expect(mailsTo('sam@example.com')).toHaveLength(1);
    expect(
      await t.deps.db.select().from(outboundEmails).where(like(outboundEmails.idempotencyKey, 'survey:%')),
    ).toHaveLength(2);
  });

  it('honours the cap: a second solve for the same customer within capDays sends no second survey', async () => {
    const tk = await openTicket(t, agent, { email: 'sam@example.com', channel: 'email' });
    await api(t, agent, 'POST', `/tickets/${tk.id}/messages`, { body: 'Done again', status: 'solved' });
    expect(await t.deps.db.select().from(surveyRequests).where(eq(surveyRequests.ticketId, tk.id))).toEqual([]);
  });

  it('does not email a survey that was answered before the email went out', async () => {
    // the widget answered it first: the queued row is skipped, not sent
    const { composeSurveyEmail } = await import('../src/modules/surveys/send-survey-emails.ts');
    const [answered] = await t.deps.db.select().from(surveyRequests).where(eq(surveyRequests.status, 'answered'));
    const row = {
      idempotencyKey: `survey:${answered?.id}`,
      recipient: 'x@example.com',
      mailboxId: null,
    } as typeof outboundEmails.$inferSelect;
    expect(await composeSurveyEmail({ config: t.config, now: () => clock.now() }, t.deps.db, row)).toEqual({
      skip: 'the survey is answered',
    });
  });
});

describe('survey delay', () => {
  it('queues the survey email to go out the chosen minutes after the solve', async () => {
    expect((await api(t, admin, 'PATCH', '/surveys/settings', { delayMinutes: 45 })).statusCode).toBe(200);
    const tk = await openTicket(t, agent, {
      email: 'later@example.com',
      language: 'en',
      channel: 'email',
      assigneeId: agent.id,
    });
    expect(
      (await api(t, agent, 'POST', `/tickets/${tk.id}/messages`, { body: 'Done', status: 'solved' })).statusCode,
    ).toBe(201);
    const [survey] = await eventually(
      () => t.deps.db.select().from(surveyRequests).where(eq(surveyRequests.ticketId, tk.id)),
      (rows) => rows.length === 1,
      'the survey request',
    );
    const [row] = await eventually(
      () =>
        t.deps.db
          .select()
          .from(outboundEmails)
          .where(eq(outboundEmails.idempotencyKey, `survey:${survey?.id}`)),
      (rows) => rows.length === 1,
      'the queued survey email',
    );
    expect(row?.status).toBe('queued');
    const { rows: jobs } = await t.deps.database.pool.query(
      `SELECT EXTRACT(EPOCH FROM (start_after - created_on))::int AS wait, state FROM pgboss.job WHERE data->>'outboundEmailId' = $1`,
      [row?.id],
    );
    expect(jobs).toHaveLength(1);
    expect(jobs[0].state).toBe('created');
    expect(jobs[0].wait).toBeGreaterThanOrEqual(45 * 60 - 5);
    expect(jobs[0].wait).toBeLessThanOrEqual(45 * 60 + 5);
    expect(mailsTo('later@example.com')).toEqual([]);
    expect((await api(t, admin, 'PATCH', '/surveys/settings', { delayMinutes: 0 })).statusCode).toBe(200);
  });
});

describe('pending surveys in the help widget', () => {
  it('shows a known visitor the surveys waiting for their own customer record, answerable once', async () => {
    const widget = await insertWidget(t);
    const known = await newVisitor(t.app, widget.key);
    const anonymous = await newVisitor(t.app, widget.key);
    const [sams] = await t.deps.db.select().from(surveyRequests).where(eq(surveyRequests.status, 'pending'));
    // the site signed the visitor in as Sam: the visitor is linked to Sam's customer record
    await t.deps.db
      .update(chatVisitors)
      .set({ customerId: sams?.customerId ?? null })
      .where(eq(chatVisitors.id, known.visitorId));
    const pending = (who: string | null) =>
      t.app.inject({ method: 'GET', url: '/survey/v1/pending', headers: who ? { 'x-seva-visitor': who } : {} });
    const res = await pending(known.visitorToken);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().items).toEqual([
      expect.objectContaining({
        kind: 'csat',
        language: 'hi',
        min: 1,
        max: 5,
        token: expect.stringContaining(`${sams?.id}.`),
        question: null,
      }),
    ]);
    // the desk's own Hindi wording reaches the widget card
    const hindi = 'हमारी टीम की मदद कैसी लगी?';
    expect(
      (await api(t, admin, 'PATCH', '/surveys/settings', { questions: { csat: { hi: hindi }, ces: {}, nps: {} } }))
        .statusCode,
    ).toBe(200);
    expect((await pending(known.visitorToken)).json().items[0].question).toBe(hindi);
    expect((await pending(anonymous.visitorToken)).json().items).toEqual([]);
    expect((await pending('not-a-token')).json().items).toEqual([]);
    expect((await pending(null)).statusCode).toBe(400);
    const token = res.json().items[0].token as string;
    const answer = await t.app.inject({ method: 'POST', url: '/survey/v1/answers', payload: { token, rating: 4 } });
    expect(answer.statusCode, answer.body).toBe(200);
    expect((await pending(known.visitorToken)).json().items).toEqual([]);
  });
});

describe('spike alert emails', () => {
  it('mails the chosen people once per spike, in their language, with a link to the dashboard', async () => {
    expect(
      (await api(t, admin, 'PATCH', '/insights/settings', { alertRecipientIds: [lead.id, priya.id] })).statusCode,
    ).toBe(200);
    for (let i = 0; i < 10; i += 1) {
      clock.set(new Date(new Date('2026-03-30T09:01:00Z').getTime() + i * 60_000));
      await openTicket(t, lead, { channel: 'web', categoryId: outage });
    }
    const [toLina] = await eventually(
      () => mailsTo('lina@staff.example.com'),
      (m) => m.length === 1,
      'the alert to Lina',
    );
    const [toPriya] = await eventually(
      () => mailsTo('priya@staff.example.com'),
      (m) => m.length === 1,
      'the alert to Priya',
    );
    const en = textOf(toLina?.raw ?? '');
    expect(en).toContain('10 tickets about "Internet outage" arrived in the hour from');
    expect(en).toContain('usually about 1 (10× the usual)');
    expect(en).toContain(`https://desk.example.com/insights?categoryId=${outage}`);
    expect(textOf(toPriya?.raw ?? '')).toContain('"Internet outage" पर 10 टिकट आए');

    // the spike goes on into the next hour: a second alert, but no second email
    for (let i = 0; i < 10; i += 1) {
      clock.set(new Date(new Date('2026-03-30T10:01:00Z').getTime() + i * 60_000));
      await openTicket(t, lead, { channel: 'web', categoryId: outage });
    }
    const alerts = (await api(t, lead, 'GET', '/insights/alerts')).json().items as Array<{ id: string; hour: string }>;
    expect(alerts.map((a) => a.hour).sort()).toEqual(['2026-03-30T09:00:00.000Z', '2026-03-30T10:00:00.000Z']);
    const second = alerts.find((a) => a.hour === '2026-03-30T10:00:00.000Z');
    const rows = await eventually(
      () =>
        t.deps.db
          .select()
          .from(outboundEmails)
          .where(like(outboundEmails.idempotencyKey, `spike:${second?.id}:%`)),
      (r) => r.length === 2,
      'the second alert read',
    );
    expect(rows.map((r) => r.status)).toEqual(['skipped', 'skipped']);
    expect(mailsTo('lina@staff.example.com')).toHaveLength(1);
  });
});

describe('scheduled email reports', () => {
  let subscriptionId: string;

  it('lets a supervisor subscribe to a daily report with filters, and lists only their own', async () => {
    clock.set(new Date('2026-03-29T12:00:00Z'));
    const res = await api(t, priya, 'POST', '/insights/reports', {
      frequency: 'daily',
      hour: 7,
      timeZone: 'Asia/Kolkata',
      filters: { categoryId: outage },
    });
    expect(res.statusCode, res.body).toBe(201);
    subscriptionId = res.json().id;
    expect(res.json()).toMatchObject({
      frequency: 'daily',
      hour: 7,
      timeZone: 'Asia/Kolkata',
      filters: { categoryId: outage },
      lastSentAt: null,
    });
    expect((await api(t, priya, 'GET', '/insights/reports')).json().items).toHaveLength(1);
    expect((await api(t, lead, 'GET', '/insights/reports')).json().items).toEqual([]);
    expect((await api(t, agent, 'GET', '/insights/reports')).statusCode).toBe(403);
    expect((await api(t, lead, 'DELETE', `/insights/reports/${subscriptionId}`)).statusCode).toBe(404);
    expect(
      (await api(t, priya, 'POST', '/insights/reports', { frequency: 'daily', timeZone: 'Mars/Olympus' })).statusCode,
    ).toBe(400);
    expect(
      (await api(t, priya, 'POST', '/insights/reports', { frequency: 'daily', filters: { teamId: 'x' } })).statusCode,
    ).toBe(400);
    expect(
      (await api(t, lead, 'POST', '/insights/reports', { frequency: 'daily', hour: 7, timeZone: 'Asia/Kolkata' }))
        .statusCode,
    ).toBe(201);
  });

  it('is scheduled with pg-boss, and sends the due report once in the recipient’s language: key figures, hot buttons, SLA, CSAT', async () => {
    const { rows: schedules } = await t.deps.database.pool.query(`SELECT name, cron FROM pgboss.schedule`);
    expect(schedules).toContainEqual({ name: 'insights.send-due-reports__v1', cron: '*/15 * * * *' });
    // SLA outcomes finished on the 30th (IST): three of four targets met
    const tk = await openTicket(t, lead, { channel: 'web', categoryId: outage });
    for (const [cycle, achieved] of [
      [1, true],
      [2, true],
      [3, true],
      [4, false],
    ] as const) {
      await t.deps.db.insert(slaOutcomes).values({
        ticketId: tk.id,
        metric: 'first_response',
        cycle,
        achieved,
        targetMinutes: 60,
        usedMinutes: achieved ? 30 : 90,
        channel: 'web',
        at: new Date('2026-03-30T12:00:00Z'),
      });
    }
    // 07:00 IST on the 31st: the report about the 30th (IST) is due
    clock.set(new Date('2026-03-31T01:45:00Z'));
    const runtime = insightsRuntime(t.deps, () => {});
    await jobDone(await runtime.jobs.send(sendDueReportsJob, {}));
    const [report] = await eventually(
      () => reportsTo('priya@staff.example.com'),
      (m) => m.length >= 1,
      'the report',
    );
    const text = textOf(report?.raw ?? '');
    expect(text).toContain('नमस्ते प्रिया');
    expect(text).toContain('को हेल्प डेस्क का हाल');
    expect(text).toContain('श्रेणी: Internet outage');
    // the 20 spike tickets of the IST day of the 30th; the day before had one (the ticket above)
    expect(text).toContain('नए टिकट: 20');
    expect(text).toContain('Internet outage: 20 (▲ +1,900%)');
    expect(text).toContain('75% 4 SLA लक्ष्यों में से पूरे हुए');
    // the category has no answered survey that day
    expect(text).toMatch(/ग्राहक संतुष्टि \(CSAT\):\n• इस अवधि में कुछ नहीं/);
    // the desk-wide report (no filters) in English has the CSAT answers of the 30th (email link and widget)
    const [desk] = await eventually(
      () => mailsTo('lina@staff.example.com').filter((m) => textOf(m.raw).includes('Here is how the help desk did')),
      (m) => m.length >= 1,
      'the desk report',
    );
    const en = textOf(desk?.raw ?? '');
    expect(en).toContain('Here is how the help desk did on 30 Mar 2026.');
    expect(en).toContain('• 100% good ratings from 2 answers · target 98%');
    expect(en).toContain('• 75% of 4 SLA targets met');
    expect(text).toMatch(
      /https:\/\/desk\.example\.com\/insights\?from=2026-03-29T18%3A30%3A00\.000Z&to=2026-03-30T18%3A30%3A00\.000Z&categoryId=/,
    );
    // running again (the next cron tick) sends nothing more
    await jobDone(await runtime.jobs.send(sendDueReportsJob, {}));
    expect(reportsTo('priya@staff.example.com')).toHaveLength(1);
    expect((await api(t, priya, 'GET', '/insights/reports')).json().items[0].lastSentAt).toBeTruthy();
  });

  it('sends the latest period of a new subscription at once on "send now"', async () => {
    const weekly = await api(t, priya, 'POST', '/insights/reports', {
      frequency: 'weekly',
      weekday: 1,
      hour: 7,
      timeZone: 'Asia/Kolkata',
    });
    expect(weekly.statusCode, weekly.body).toBe(201);
    expect((await api(t, priya, 'POST', `/insights/reports/${weekly.json().id}/send`)).statusCode).toBe(202);
    const [mail] = await eventually(
      () => mailsTo('priya@staff.example.com').filter((m) => textOf(m.raw).includes('के हफ़्ते में हेल्प डेस्क का हाल')),
      (m) => m.length === 1,
      'the weekly report sent now',
    );
    // the week before Monday the 30th (IST): 23–29 March
    expect(textOf(mail?.raw ?? '')).toContain('23 मार्च 2026 – 29 मार्च 2026');
    expect((await api(t, priya, 'DELETE', `/insights/reports/${weekly.json().id}`)).statusCode).toBe(204);
  });

  it('stops when unsubscribed', async () => {
    expect((await api(t, priya, 'DELETE', `/insights/reports/${subscriptionId}`)).statusCode).toBe(204);
    expect((await api(t, priya, 'GET', '/insights/reports')).json().items).toEqual([]);
  });
});
