import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.ts';
import { customers, messages, organisations, tickets } from '../src/platform/db/schema/index.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { startSink, textOf } from './fakes/smtp-sink.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { api, openTicket } from './tickets-helpers.ts';
import { sleep } from './widget-helpers.ts';

let t: TestApp;
let sink: Awaited<ReturnType<typeof startSink>>;
let agent: TestStaff;
let admin: TestStaff;
const clock = new ManualClock(new Date('2026-03-02T09:00:00Z'));
const own: { id: string; number: number } = { id: '', number: 0 };
const colleague: { id: string; number: number } = { id: '', number: 0 };
const stranger: { id: string; number: number } = { id: '', number: 0 };
let ipSeq = 10;
/** Rahim's portal session, made once (sign-in links are limited to 3 an hour per address) */
let rahimCookie = '';

beforeAll(async () => {
  sink = await startSink();
  t = await createTestApp({ clock, env: { SEVA_SMTP_RELAY_URL: `smtp://127.0.0.1:${sink.port}` } });
  admin = await createStaff(t, 'admin');
  agent = await createStaff(t, 'agent', { name: 'Mita' });
  expect(
    (await api(t, admin, 'POST', '/mailboxes', { address: 'help@shop.example', name: 'Shop help' })).statusCode,
  ).toBe(201);
  const a = await openTicket(t, agent, {
    email: 'rahim@acme.example',
    name: 'Rahim',
    subject: 'Refund please',
    body: 'Where is my refund?',
  });
  const b = await openTicket(t, agent, {
    email: 'karim@acme.example',
    name: 'Karim',
    subject: 'Invoice copy',
    body: 'Send the invoice',
  });
  const c = await openTicket(t, agent, {
    email: 'other@else.example',
    name: 'Other',
    subject: 'Private matter',
    body: 'Secret',
  });
  Object.assign(own, { id: a.id, number: a.number });
  Object.assign(colleague, { id: b.id, number: b.number });
  Object.assign(stranger, { id: c.id, number: c.number });
  // a public answer and an internal note on Rahim's ticket
  expect(
    (await api(t, agent, 'POST', `/tickets/${own.id}/messages`, { body: 'Your refund is on its way.' })).statusCode,
  ).toBe(201);
  const note = await api(t, agent, 'POST', `/tickets/${own.id}/messages`, {
    body: 'INTERNAL: customer is on the watch list',
    internal: true,
  });
  expect(note.statusCode, note.body).toBe(201);
});
afterAll(async () => {
  await t?.close();
  await sink?.close();
});

const nextIp = () => `203.0.113.${ipSeq++}`;
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const tokenIn = (body: string, name = 'formToken') =>
  new RegExp(`name="${name}" value="([^"]+)"`).exec(body)?.[1] ?? '';

async function askForLink(email: string, ip = nextIp()) {
  const page = await t.app.inject({ method: 'GET', url: '/help/en/sign-in', remoteAddress: ip });
  expect(page.statusCode).toBe(200);
  return t.app.inject({
    method: 'POST',
    url: '/help/en/sign-in',
    remoteAddress: ip,
    headers: FORM,
    payload: form({ formToken: tokenIn(page.body), email }),
  });
}

async function linkFor(email: string, seen: number): Promise<string> {
  for (let i = 0; i < 150; i++) {
    const mail = sink.mails.slice(seen).find((m) => m.to.includes(email));
    if (mail) {
      const m = /https?:\/\/\S+\/help\/en\/sign-in\/link\?token=\S+/.exec(textOf(mail.raw));
      if (m) return m[0];
    }
    await sleep(100);
  }
  throw new Error(`no sign-in mail to ${email}`);
}

async function useLink(link: string) {
  const url = new URL(link);
  const page = await t.app.inject({ method: 'GET', url: `${url.pathname}${url.search}` });
  if (page.statusCode !== 200) return { page, res: null };
  const res = await t.app.inject({
    method: 'POST',
    url: url.pathname,
    headers: FORM,
    payload: form({ token: tokenIn(page.body, 'token'), formToken: tokenIn(page.body) }),
  });
  return { page, res };
}

async function signIn(email: string): Promise<string> {
  const seen = sink.mails.length;
  expect((await askForLink(email)).statusCode).toBe(200);
  const { res } = await useLink(await linkFor(email, seen));
  expect(res?.statusCode, res?.body).toBe(303);
  const cookie = String(res?.headers['set-cookie']);
  expect(cookie).toMatch(/^seva_portal=/);
  expect(cookie).toContain('HttpOnly');
  expect(cookie).toContain('Path=/help');
  return cookie.split(';')[0] as string;
}

describe('customer sign-in and my requests', () => {
  it('answers the same for a known and an unknown address, and mails only the known one', async () => {
    const seen = sink.mails.length;
    const known = await askForLink('rahim@acme.example');
    const unknown = await askForLink('nobody@nowhere.example');
    expect(known.statusCode).toBe(200);
    expect(unknown.statusCode).toBe(200);
    const strip = (s: string) => s.replace(/rahim@acme\.example|nobody@nowhere\.example/g, 'X');
    expect(strip(known.body)).toBe(strip(unknown.body));
    await linkFor('rahim@acme.example', seen);
    await sleep(300);
    expect(sink.mails.slice(seen).some((m) => m.to.includes('nobody@nowhere.example'))).toBe(false);
  });

  it('signs in with a link that works once', async () => {
    const seen = sink.mails.length;
    await askForLink('rahim@acme.example');
    const link = await linkFor('rahim@acme.example', seen);
    const first = await useLink(link);
    expect(first.res?.statusCode).toBe(303);
    expect(first.res?.headers.location).toBe('/help/en/tickets');
    const again = await useLink(link);
    expect(again.res?.statusCode).toBe(400);
    expect(again.res?.body).toContain('data-testid="link-invalid"');
    expect(again.res?.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a link after 15 minutes', async () => {
    const seen = sink.mails.length;
    await askForLink('karim@acme.example');
    const link = await linkFor('karim@acme.example', seen);
    clock.advance(15 * 60_000 + 1000);
    const late = await useLink(link);
    expect(late.page.statusCode).toBe(400);
    expect(late.page.body).toContain('This sign-in link has expired or was already used.');
  });

  it('refuses a forged or altered link', async () => {
    const seen = sink.mails.length;
    await askForLink('karim@acme.example');
    const link = await linkFor('karim@acme.example', seen);
    const url = new URL(link);
    const token = url.searchParams.get('token') ?? '';
    const [body, mac] = token.split('.');
    const forgedBody = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(body ?? '', 'base64url').toString()), email: 'other@else.example' }),
    ).toString('base64url');
    const res = await t.app.inject({ method: 'GET', url: `/help/en/sign-in/link?token=${forgedBody}.${mac}` });
    expect(res.statusCode).toBe(400);
  });

  it('lists only the customer’s own tickets, shows customer-visible messages only, and hides others as 404', async () => {
    rahimCookie = await signIn('rahim@acme.example');
    const cookie = rahimCookie;
    const list = await t.app.inject({ method: 'GET', url: '/help/en/tickets', headers: { cookie } });
    expect(list.statusCode).toBe(200);
    expect(list.headers['cache-control']).toBe('private, no-store');
    expect(list.body).toContain(`#${own.number}`);
    expect(list.body).not.toContain('Invoice copy');
    expect(list.body).not.toContain('Private matter');

    const page = await t.app.inject({ method: 'GET', url: `/help/en/tickets/${own.number}`, headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Where is my refund?');
    expect(page.body).toContain('Your refund is on its way.');
    expect(page.body).not.toContain('watch list');
    expect(page.body).not.toContain('INTERNAL');

    const foreign = await t.app.inject({
      method: 'GET',
      url: `/help/en/tickets/${stranger.number}`,
      headers: { cookie },
    });
    expect(foreign.statusCode).toBe(404);
    const missing = await t.app.inject({ method: 'GET', url: '/help/en/tickets/999999', headers: { cookie } });
    expect(missing.statusCode).toBe(404);
    expect(foreign.body.replace(/\d+/g, '')).toBe(missing.body.replace(/\d+/g, ''));
    // a reply on someone else's ticket is refused the same way
    const tok = tokenIn(page.body);
    const sneaky = await t.app.inject({
      method: 'POST',
      url: `/help/en/tickets/${stranger.number}/reply`,
      headers: { ...FORM, cookie },
      payload: form({ formToken: tok, body: 'let me in' }),
    });
    expect(sneaky.statusCode).toBe(404);
    // without a session: to the sign-in page; a staff session cookie is not a portal session
    const anon = await t.app.inject({ method: 'GET', url: `/help/en/tickets/${own.number}` });
    expect(anon.statusCode).toBe(303);
    expect(anon.headers.location).toBe('/help/en/sign-in');
    const staff = await t.app.inject({ method: 'GET', url: '/help/en/tickets', headers: agent.session });
    expect(staff.statusCode).toBe(303);
    const forged = await t.app.inject({
      method: 'GET',
      url: '/help/en/tickets',
      headers: { cookie: `seva_portal=${stranger.id}.99999999999999.${'A'.repeat(43)}` },
    });
    expect(forged.statusCode).toBe(303);
  });

  it('adds a reply from the ticket page that the agent sees, escaped on the page', async () => {
    const cookie = rahimCookie;
    const page = await t.app.inject({ method: 'GET', url: `/help/en/tickets/${own.number}`, headers: { cookie } });
    const res = await t.app.inject({
      method: 'POST',
      url: `/help/en/tickets/${own.number}/reply`,
      headers: { ...FORM, cookie },
      payload: form({ formToken: tokenIn(page.body), body: 'Thanks! <script>alert(1)</script>' }),
    });
    expect(res.statusCode, res.body).toBe(303);
    const after = await t.app.inject({ method: 'GET', url: res.headers.location as string, headers: { cookie } });
    expect(after.body).toContain('Your reply was added.');
    expect(after.body).toContain('Thanks! &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(after.body).not.toContain('<script>alert(1)');
    const rows = await t.deps.db.select().from(messages).where(eq(messages.ticketId, own.id));
    expect(rows.some((m) => m.bodyText === 'Thanks! <script>alert(1)</script>' && m.authorType === 'customer')).toBe(
      true,
    );
    const cross = await t.app.inject({
      method: 'POST',
      url: `/help/en/tickets/${own.number}/reply`,
      headers: { ...FORM, cookie, origin: 'https://evil.example' },
      payload: form({ formToken: tokenIn(page.body), body: 'forged' }),
    });
    expect(cross.statusCode).toBe(403);
  });

  it('shows articles for customers to signed-in customers only, never internal ones', async () => {
    const make = async (visibility: string, title: string) => {
      const res = await api(t, admin, 'POST', '/kb/articles', {
        title,
        body: `${title}: the warranty claim steps.`,
        locale: 'en',
        status: 'published',
        visibility,
      });
      expect(res.statusCode, res.body).toBe(201);
      return res.json().id as string;
    };
    const forCustomers = await make('customers', 'Warranty claims for customers');
    const internal = await make('internal', 'Warranty claims internal playbook');
    const anon = await t.app.inject({ method: 'GET', url: `/help/en/articles/${forCustomers}` });
    expect(anon.statusCode).toBe(404);
    const seen = await t.app.inject({
      method: 'GET',
      url: `/help/en/articles/${forCustomers}`,
      headers: { cookie: rahimCookie },
    });
    expect(seen.statusCode).toBe(301);
    const page = await t.app.inject({
      method: 'GET',
      url: seen.headers.location as string,
      headers: { cookie: rahimCookie },
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('the warranty claim steps.');
    expect(page.headers['cache-control']).toBe('private, no-store');
    const hidden = await t.app.inject({
      method: 'GET',
      url: `/help/en/articles/${internal}`,
      headers: { cookie: rahimCookie },
    });
    expect(hidden.statusCode).toBe(404);
    const search = (cookie?: string) =>
      t.app.inject({ method: 'GET', url: '/help/en/search?q=warranty+claims', headers: cookie ? { cookie } : {} });
    const signedInResults = (await search(rahimCookie)).body;
    expect(signedInResults).toContain('Warranty claims for customers');
    expect(signedInResults).not.toContain('internal playbook');
    expect((await search()).body).not.toContain('Warranty claims for customers');
  });

  it("shows the organisation's tickets only when the organisation shares them, read-only", async () => {
    const [org] = await t.deps.db.insert(organisations).values({ name: 'Acme', isShared: false }).returning();
    const members = await t.deps.db
      .select({ id: customers.id })
      .from(customers)
      .innerJoin(tickets, eq(tickets.customerId, customers.id))
      .where(inArray(tickets.id, [own.id, colleague.id]));
    await t.deps.db
      .update(customers)
      .set({ organisationId: org?.id })
      .where(
        inArray(
          customers.id,
          members.map((m) => m.id),
        ),
      );
    await t.deps.db
      .update(tickets)
      .set({ organisationId: org?.id })
      .where(inArray(tickets.id, [own.id, colleague.id]));
    const cookie = rahimCookie;
    const closed = await t.app.inject({ method: 'GET', url: '/help/en/tickets', headers: { cookie } });
    expect(closed.body).not.toContain('Invoice copy');
    expect(
      (await t.app.inject({ method: 'GET', url: `/help/en/tickets/${colleague.number}`, headers: { cookie } }))
        .statusCode,
    ).toBe(404);

    await t.deps.db
      .update(organisations)
      .set({ isShared: true })
      .where(eq(organisations.id, org?.id ?? ''));
    const shared = await t.app.inject({ method: 'GET', url: '/help/en/tickets', headers: { cookie } });
    expect(shared.body).toContain('Invoice copy');
    expect(shared.body).not.toContain('Private matter');
    const theirs = await t.app.inject({
      method: 'GET',
      url: `/help/en/tickets/${colleague.number}`,
      headers: { cookie },
    });
    expect(theirs.statusCode).toBe(200);
    expect(theirs.body).toContain('Send the invoice');
    expect(theirs.body).not.toContain('id="reply-body"');
  });
});
