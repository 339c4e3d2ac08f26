import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/platform/clock.ts';
import {
  customers,
  messages,
  organisations,
  outboundEmails,
  portalSessions,
  tickets,
} from '../src/platform/db/schema/index.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { startSink, textOf } from './fakes/smtp-sink.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { multipartForm, PNG_BYTES } from './help-form-helpers.ts';
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
  // the sign-in mail goes through the outbound job queue: this app runs the worker role too
  t = await createTestApp({
    clock,
    env: { SEVA_ROLES: 'api,realtime,worker', SEVA_SMTP_RELAY_URL: `smtp://127.0.0.1:${sink.port}`, HOST: '127.0.0.1' },
  });
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

async function askForLink(email: string, ip = nextIp(), headers: Record<string, string> = {}) {
  const page = await t.app.inject({ method: 'GET', url: '/help/en/sign-in', remoteAddress: ip, headers });
  expect(page.statusCode).toBe(200);
  return t.app.inject({
    method: 'POST',
    url: '/help/en/sign-in',
    remoteAddress: ip,
    headers: { ...FORM, ...headers },
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
    const guessed = await t.app.inject({
      method: 'GET',
      url: '/help/en/tickets',
      headers: { cookie: `seva_portal=${'A'.repeat(43)}` },
    });
    expect(guessed.statusCode).toBe(303);
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

  it('takes files with a reply (type from the bytes), shows them on the ticket and serves them only to the customer', async () => {
    const cookie = rahimCookie;
    const page = await t.app.inject({ method: 'GET', url: `/help/en/tickets/${own.number}`, headers: { cookie } });
    expect(page.body).toContain('enctype="multipart/form-data"');
    expect(page.body).toContain('name="files" type="file" multiple');
    const withCookie = (f: ReturnType<typeof multipartForm>) => ({
      payload: f.payload,
      headers: { ...f.headers, cookie },
    });
    const refused = await t.app.inject({
      method: 'POST',
      url: `/help/en/tickets/${own.number}/reply`,
      ...withCookie(
        multipartForm({ formToken: tokenIn(page.body), body: 'Here is the receipt <i>typed</i>' }, [
          { name: 'receipt.html', type: 'text/html', content: Buffer.from('<!doctype html><script>alert(1)</script>') },
        ]),
      ),
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Only images (PNG, JPEG, GIF, WebP), PDF and plain text files can be attached.');
    expect(refused.body).toContain('Here is the receipt &lt;i&gt;typed&lt;/i&gt;</textarea>');
    const res = await t.app.inject({
      method: 'POST',
      url: `/help/en/tickets/${own.number}/reply`,
      ...withCookie(
        multipartForm({ formToken: tokenIn(page.body), body: 'Here is the receipt' }, [
          { name: 'receipt.png', type: 'application/octet-stream', content: PNG_BYTES },
        ]),
      ),
    });
    expect(res.statusCode, res.body).toBe(303);
    const after = await t.app.inject({ method: 'GET', url: `/help/en/tickets/${own.number}`, headers: { cookie } });
    const href = /href="(\/help\/en\/tickets\/\d+\/attachments\/[0-9a-f-]+)" download>receipt\.png</.exec(
      after.body,
    )?.[1];
    expect(href).toBeDefined();
    const file = await t.app.inject({ method: 'GET', url: href as string, headers: { cookie } });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.headers['content-disposition']).toContain('attachment; filename="receipt.png"');
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(file.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
    expect(file.rawPayload.equals(PNG_BYTES)).toBe(true);
    // the agent sees it on the message
    const list = await api(t, agent, 'GET', `/tickets/${own.id}/messages`);
    const last = list.json().items.at(-1);
    expect(last.bodyText).toBe('Here is the receipt');
    expect(last.attachments.map((a: { contentType: string }) => a.contentType)).toEqual(['image/png']);
    // without a session, or as another customer: not found
    expect((await t.app.inject({ method: 'GET', url: href as string })).statusCode).toBe(303);
    const other = await t.app.inject({
      method: 'GET',
      url: (href as string).replace(`/tickets/${own.number}/`, `/tickets/${stranger.number}/`),
      headers: { cookie },
    });
    expect(other.statusCode).toBe(404);
  });

  it('never serves the file of an internal note to the customer', async () => {
    const form = multipartForm(
      {},
      [{ name: 'notes.txt', type: 'text/plain', content: Buffer.from('secret notes') }],
      'file',
    );
    const up = await t.app.inject({
      method: 'POST',
      url: '/api/v1/attachments',
      headers: { ...agent.bearer, ...form.headers },
      payload: form.payload,
    });
    expect(up.statusCode, up.body).toBe(201);
    const note = await api(t, agent, 'POST', `/tickets/${own.id}/messages`, {
      body: 'internal file',
      internal: true,
      attachmentIds: [up.json().id],
    });
    expect(note.statusCode, note.body).toBe(201);
    const res = await t.app.inject({
      method: 'GET',
      url: `/help/en/tickets/${own.number}/attachments/${up.json().id}`,
      headers: { cookie: rahimCookie },
    });
    expect(res.statusCode).toBe(404);
    const page = await t.app.inject({
      method: 'GET',
      url: `/help/en/tickets/${own.number}`,
      headers: { cookie: rahimCookie },
    });
    expect(page.body).not.toContain('notes.txt');
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

  it('lists articles for customers on the home, category and section pages to signed-in customers only (private)', async () => {
    const cat = await api(t, admin, 'POST', '/kb/categories', { name: 'Warranty', slug: 'warranty' });
    expect(cat.statusCode, cat.body).toBe(201);
    const sec = await api(t, admin, 'POST', '/kb/sections', {
      name: 'Claims',
      slug: 'claims',
      categoryId: cat.json().id,
    });
    expect(sec.statusCode, sec.body).toBe(201);
    const make = async (visibility: string, title: string) => {
      const res = await api(t, admin, 'POST', '/kb/articles', {
        title,
        body: 'Steps.',
        locale: 'en',
        status: 'published',
        visibility,
        sectionId: sec.json().id,
      });
      expect(res.statusCode, res.body).toBe(201);
    };
    await make('public', 'How claims work');
    await make('customers', 'Your claim form');
    await make('internal', 'Claims desk playbook');
    for (const url of ['/help/en/categories/warranty', '/help/en/sections/claims']) {
      const anon = await t.app.inject({ method: 'GET', url });
      expect(anon.statusCode, url).toBe(200);
      expect(anon.body).toContain('How claims work');
      expect(anon.body).not.toContain('Your claim form');
      expect(anon.body).not.toContain('Claims desk playbook');
      expect(anon.headers['cache-control']).toBe('public, max-age=60');
      const signed = await t.app.inject({ method: 'GET', url, headers: { cookie: rahimCookie } });
      expect(signed.statusCode, url).toBe(200);
      expect(signed.body).toContain('How claims work');
      expect(signed.body).toContain('Your claim form');
      expect(signed.body).not.toContain('Claims desk playbook');
      expect(signed.headers['cache-control']).toBe('private, no-store');
      // a revoked or made-up session is anonymous again
      const guessed = await t.app.inject({ method: 'GET', url, headers: { cookie: `seva_portal=${'B'.repeat(43)}` } });
      expect(guessed.body).not.toContain('Your claim form');
    }
    // a section holding only customers articles is not there for anonymous visitors
    const sec2 = await api(t, admin, 'POST', '/kb/sections', {
      name: 'Members',
      slug: 'members',
      categoryId: cat.json().id,
    });
    await api(t, admin, 'POST', '/kb/articles', {
      title: 'Members only guide',
      body: 'x',
      locale: 'en',
      status: 'published',
      visibility: 'customers',
      sectionId: sec2.json().id,
    });
    expect((await t.app.inject({ method: 'GET', url: '/help/en/sections/members' })).statusCode).toBe(404);
    const members = await t.app.inject({
      method: 'GET',
      url: '/help/en/sections/members',
      headers: { cookie: rahimCookie },
    });
    expect(members.statusCode).toBe(200);
    expect(members.body).toContain('Members only guide');
    // the home page lists sections: the customers-only one for the signed-in customer only
    const home = await t.app.inject({ method: 'GET', url: '/help/en' });
    expect(home.body).toContain('Claims');
    expect(home.body).not.toContain('Members');
    expect(home.headers['cache-control']).toBe('public, max-age=60');
    const homeSigned = await t.app.inject({ method: 'GET', url: '/help/en', headers: { cookie: rahimCookie } });
    expect(homeSigned.body).toContain('Members');
    expect(homeSigned.headers['cache-control']).toBe('private, no-store');
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

describe('portal sessions', () => {
  const ticketsPage = (cookie: string) => t.app.inject({ method: 'GET', url: '/help/en/tickets', headers: { cookie } });
  const post = async (cookie: string, path: string) => {
    const page = await ticketsPage(cookie);
    return t.app.inject({
      method: 'POST',
      url: path,
      headers: { ...FORM, cookie },
      payload: form({ formToken: tokenIn(page.body) }),
    });
  };
  let sitaId = '';
  let gitaId = '';

  beforeAll(async () => {
    const s = await openTicket(t, agent, { email: 'sita@acme.example', name: 'Sita', subject: 'Sessions', body: 'Hi' });
    const [row] = await t.deps.db.select({ customerId: tickets.customerId }).from(tickets).where(eq(tickets.id, s.id));
    sitaId = row?.customerId ?? '';
    const g = await openTicket(t, agent, { email: 'gita@acme.example', name: 'Gita', subject: 'Expiry', body: 'Hi' });
    const [gRow] = await t.deps.db.select({ customerId: tickets.customerId }).from(tickets).where(eq(tickets.id, g.id));
    gitaId = gRow?.customerId ?? '';
  });

  it('sends the sign-in mail through the outbound job queue, with a link that ignores the Host asked with', async () => {
    const seen = sink.mails.length;
    await askForLink('gita@acme.example', nextIp(), { host: 'evil.example' });
    const link = await linkFor('gita@acme.example', seen);
    expect(link).not.toContain('evil.example');
    expect(new URL(link).origin).toBe(`http://localhost:${t.config.port}`);
    const rows = () => t.deps.db.select().from(outboundEmails).where(eq(outboundEmails.kind, 'portal_sign_in'));
    // the sink has the mail a moment before the send job records it as sent
    await expect
      .poll(async () => (await rows()).some((r) => r.recipient === 'gita@acme.example' && r.status === 'sent'), {
        timeout: 15_000,
      })
      .toBe(true);
    expect((await rows()).some((r) => r.recipient === 'nobody@nowhere.example')).toBe(false);
  });

  it('keeps sessions on the server: signing out ends that one, a copy of its cookie stops working', async () => {
    const a = await signIn('sita@acme.example');
    const b = await signIn('sita@acme.example');
    const stored = await t.deps.db.select().from(portalSessions).where(eq(portalSessions.customerId, sitaId));
    expect(stored).toHaveLength(2);
    // only a hash of the cookie is stored
    expect(stored.some((r) => a.includes(r.idHash))).toBe(false);
    expect((await ticketsPage(a)).statusCode).toBe(200);
    const out = await post(a, '/help/en/sign-out');
    expect(out.statusCode).toBe(303);
    expect(String(out.headers['set-cookie'])).toMatch(/^seva_portal=;/);
    const copied = await ticketsPage(a);
    expect(copied.statusCode).toBe(303);
    expect(copied.headers.location).toBe('/help/en/sign-in');
    expect((await ticketsPage(b)).statusCode).toBe(200);
  });

  it('signs out on every device at once', async () => {
    const c = await signIn('sita@acme.example');
    const live = await t.deps.db.select().from(portalSessions).where(eq(portalSessions.customerId, sitaId));
    expect(live.filter((r) => r.revokedAt === null)).toHaveLength(2);
    const page = await ticketsPage(c);
    expect(page.body).toContain('Sign out on every device');
    const cross = await t.app.inject({
      method: 'POST',
      url: '/help/en/sign-out-everywhere',
      headers: { ...FORM, cookie: c, origin: 'https://evil.example' },
      payload: form({ formToken: tokenIn(page.body) }),
    });
    expect(cross.statusCode).toBe(403);
    expect((await post(c, '/help/en/sign-out-everywhere')).statusCode).toBe(303);
    const after = await t.deps.db.select().from(portalSessions).where(eq(portalSessions.customerId, sitaId));
    expect(after.every((r) => r.revokedAt !== null)).toBe(true);
    expect((await ticketsPage(c)).statusCode).toBe(303);
  });

  it('lets staff see and end a customer’s sessions', async () => {
    const seen = sink.mails.length;
    // gita's link from the first test of this block was not used; a fresh one
    await askForLink('gita@acme.example');
    const { res } = await useLink(await linkFor('gita@acme.example', seen));
    const cookie = String(res?.headers['set-cookie']).split(';')[0] as string;
    const list = await api(t, agent, 'GET', `/kb/portal-sessions/${gitaId}`);
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items).toHaveLength(1);
    expect((await api(t, agent, 'GET', '/kb/portal-sessions/00000000-0000-4000-8000-000000000000')).statusCode).toBe(
      404,
    );
    const revoke = await api(t, admin, 'POST', `/kb/portal-sessions/${gitaId}/revoke`);
    expect(revoke.statusCode, revoke.body).toBe(200);
    expect(revoke.json()).toEqual({ revoked: 1 });
    expect((await ticketsPage(cookie)).statusCode).toBe(303);
    expect((await api(t, agent, 'GET', `/kb/portal-sessions/${gitaId}`)).json().items).toEqual([]);
  });

  it('ends a session after 12 hours', async () => {
    const cookie = await signIn('karim@acme.example');
    expect((await ticketsPage(cookie)).statusCode).toBe(200);
    clock.advance(12 * 60 * 60_000 + 1000);
    expect((await ticketsPage(cookie)).statusCode).toBe(303);
  });
});
