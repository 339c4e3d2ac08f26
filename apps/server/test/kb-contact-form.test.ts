import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerIdentities, events, messages, outboundEmails, tickets } from '../src/platform/db/schema/index.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { startSink, textOf } from './fakes/smtp-sink.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { multipartForm, PNG_BYTES } from './help-form-helpers.ts';
import { api, insertCategory, insertTeam } from './tickets-helpers.ts';
import { sleep } from './widget-helpers.ts';

let t: TestApp;
let sink: Awaited<ReturnType<typeof startSink>>;
let admin: TestStaff;
let agent: TestStaff;
let articleId = '';
let categoryId = '';
let webTeam = '';
let ipSeq = 10;

beforeAll(async () => {
  sink = await startSink();
  t = await createTestApp({
    env: {
      SEVA_ROLES: 'api,realtime,worker',
      SEVA_SMTP_RELAY_URL: `smtp://127.0.0.1:${sink.port}`,
      HOST: '127.0.0.1',
      // 1 MB per file, so the size limit is quick to test
      SEVA_MAX_ATTACHMENT_BYTES: String(1024 * 1024),
    },
  });
  admin = await createStaff(t, 'admin');
  agent = await createStaff(t, 'agent', { name: 'Mita' });
  const mb = await api(t, admin, 'POST', '/mailboxes', { address: 'help@shop.example', name: 'Shop help' });
  expect(mb.statusCode, mb.body).toBe(201);
  categoryId = await insertCategory(t, 'Billing');
  // a routing rule on the web channel, to see the ticket hooks run for form tickets
  webTeam = await insertTeam(t, 'Web desk');
  const rule = await api(t, admin, 'POST', '/routing/rules', {
    name: 'Web form',
    position: 1,
    conditions: { all: [{ field: 'channel', op: 'is', value: 'web' }], any: [] },
    actions: { teamId: webTeam, addTags: ['web-form'] },
  });
  expect(rule.statusCode, rule.body).toBe(201);
  const art = await api(t, admin, 'POST', '/kb/articles', {
    title: 'টাকা ফেরত কবে পাব',
    body: 'টাকা ফেরত পেতে পাঁচ কার্যদিবস লাগে।',
    locale: 'bn',
    status: 'published',
    visibility: 'public',
  });
  expect(art.statusCode, art.body).toBe(201);
  articleId = art.json().id;
});
afterAll(async () => {
  await t?.close();
  await sink?.close();
});

/** A fresh address per test so the per-IP limit of one test never touches another. */
const nextIp = () => `198.51.100.${ipSeq++}`;

async function openForm(locale = 'en', ip = nextIp()) {
  const res = await t.app.inject({ method: 'GET', url: `/help/${locale}/contact`, remoteAddress: ip });
  expect(res.statusCode, res.body).toBe(200);
  const token = /name="formToken" value="([^"]+)"/.exec(res.body)?.[1];
  if (!token) throw new Error('no form token on the page');
  return { page: res, token, ip };
}

function post(locale: string, fields: Record<string, string>, opts: { ip: string; headers?: Record<string, string> }) {
  return t.app.inject({
    method: 'POST',
    url: `/help/${locale}/contact`,
    remoteAddress: opts.ip,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...opts.headers },
    payload: new URLSearchParams(fields).toString(),
  });
}

async function mailTo(address: string, containing: string, timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const hit = sink.mails.find((m) => m.to.includes(address) && textOf(m.raw).includes(containing));
    if (hit) return hit;
    await sleep(100);
  }
  throw new Error(`no mail to ${address} containing ${containing}; got ${sink.mails.map((m) => m.to).join(' | ')}`);
}

const ticketCount = async () => (await t.deps.db.select({ n: sql<number>`count(*)::int` }).from(tickets))[0]?.n ?? 0;

describe('the help centre contact form', () => {
  it('sends /help/contact to the form in the visitor language, in the help centre layout with a strict CSP', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/help/contact',
      headers: { 'accept-language': 'bn-BD,bn;q=0.9' },
    });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/help/bn/contact');
    const { page } = await openForm('bn');
    expect(page.body).toContain('<html lang="bn">');
    expect(page.body).toContain('যোগাযোগ করুন');
    expect(page.body).toContain('<script src="/help/assets/contact.js" defer></script>');
    expect(page.body).toContain('hreflang="hi"');
    expect(page.body).not.toMatch(/<script>(?!<\/script>)/);
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.headers['cache-control']).toBe('no-store');
    // the footer link on every page points at the form in the page's language
    const home = await t.app.inject({ method: 'GET', url: '/help/hi' });
    expect(home.body).toContain('href="/help/hi/contact"');
    const js = await t.app.inject({ method: 'GET', url: '/help/assets/contact.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toContain('text/javascript');
    expect(js.body).not.toContain('innerHTML');
  });

  it('makes a web ticket in the page language, runs the hooks and emails the acknowledgement in that language', async () => {
    const { token, ip } = await openForm('bn');
    const before = await ticketCount();
    const res = await post(
      'bn',
      {
        formToken: token,
        name: 'রহিম উদ্দিন',
        email: 'Rahim@Example.org',
        subject: 'টাকা ফেরত পাইনি',
        message: 'আমার অর্ডারের টাকা এখনও ফেরত আসেনি।',
        categoryId,
        website: '',
      },
      { ip },
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).toContain('data-testid="contact-sent"');
    const number = Number(/#(\d+)/.exec(res.body)?.[1]);
    expect(number).toBeGreaterThan(0);
    expect(res.body).toContain('rahim@example.org');
    expect(await ticketCount()).toBe(before + 1);

    const [ticket] = await t.deps.db.select().from(tickets).where(eq(tickets.number, number));
    expect(ticket).toMatchObject({
      channel: 'web',
      language: 'bn',
      subject: 'টাকা ফেরত পাইনি',
      categoryId,
      status: 'new',
    });
    const ids = await t.deps.db
      .select()
      .from(customerIdentities)
      .where(eq(customerIdentities.customerId, ticket?.customerId ?? ''));
    expect(ids.map((i) => `${i.kind}:${i.value}`)).toContain('email:rahim@example.org');
    // the ticket hooks ran as for any new ticket: routing put it in the web team
    expect(ticket?.teamId).toBe(webTeam);
    expect(ticket?.tags).toContain('web-form');
    const dto = await api(t, agent, 'GET', `/tickets/${ticket?.id}`);
    expect(dto.statusCode, dto.body).toBe(200);
    expect(dto.json()).toMatchObject({ number, channel: 'web', language: 'bn' });
    const created = await t.deps.db
      .select()
      .from(events)
      .where(and(eq(events.type, 'ticket.created'), eq(events.ticketId, ticket?.id ?? '')));
    expect(created[0]?.payload).toMatchObject({ channel: 'web', via: 'help_contact_form' });

    const ack = await mailTo('rahim@example.org', `টিকিট #${number}`);
    expect(ack.raw).toMatch(/^Auto-Submitted: auto-replied/m);
    expect(ack.raw).toMatch(/^X-Seva-Ticket: \d+/m);
    // replies thread back: the reply address carries the ticket's reply token
    expect(ack.raw).toMatch(/^Reply-To: help\+[a-z0-9]+@shop\.example/m);
    // the sink has the mail a moment before the send job records it as sent
    await expect
      .poll(
        async () =>
          (
            await t.deps.db
              .select()
              .from(outboundEmails)
              .where(eq(outboundEmails.ticketId, ticket?.id ?? ''))
          )[0],
        { timeout: 15_000 },
      )
      .toMatchObject({ kind: 'ack', status: 'sent' });

    // the agent's answer goes back by email through the same thread
    const reply = await api(t, agent, 'POST', `/tickets/${ticket?.id}/messages`, { body: 'আপনার টাকা আজ পাঠানো হয়েছে।' });
    expect(reply.statusCode, reply.body).toBe(201);
    await mailTo('rahim@example.org', 'আপনার টাকা আজ পাঠানো হয়েছে।');
  });

  it('shows the form again with a message per field and everything typed kept', async () => {
    const { token, ip } = await openForm('hi');
    const before = await ticketCount();
    const typed = 'मेरा ऑर्डर <b>अभी तक</b> नहीं आया "जल्दी" बताइए';
    const res = await post(
      'hi',
      { formToken: token, name: 'सीता', email: 'not-an-address', subject: '', message: typed, categoryId: 'nope' },
      { ip },
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('data-testid="contact-error"');
    expect(res.body).toContain('कृपया नीचे चिह्नित फ़ील्ड ठीक करें।');
    expect(res.body).toContain('id="err-email"');
    expect(res.body).toContain('कृपया name@example.com जैसा ईमेल पता लिखें।');
    expect(res.body).toContain('id="err-subject"');
    expect(res.body).toContain('id="err-categoryId"');
    expect(res.body).not.toContain('id="err-name"');
    expect(res.body).toContain('value="सीता"');
    expect(res.body).toContain('value="not-an-address"');
    expect(res.body).toContain('मेरा ऑर्डर &lt;b&gt;अभी तक&lt;/b&gt; नहीं आया &quot;जल्दी&quot; बताइए</textarea>');
    expect(await ticketCount()).toBe(before);
  });

  it('refuses a message over the size limit with a clear message', async () => {
    const { token, ip } = await openForm('en');
    const res = await post(
      'en',
      { formToken: token, name: 'Big', email: 'big@example.org', subject: 'Long', message: 'x'.repeat(10_001) },
      { ip },
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Please keep this under 10000 characters.');
  });

  it('stores HTML typed in the message as text and never shows it as markup', async () => {
    const { token, ip } = await openForm('en');
    const payload = '<img src=x onerror=alert(1)><script>alert(2)</script> please help';
    const res = await post(
      'en',
      { formToken: token, name: '<b>Eve</b>', email: 'eve@example.org', subject: '<i>Help</i>', message: payload },
      { ip },
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).not.toContain('<img src=x');
    const number = Number(/#(\d+)/.exec(res.body)?.[1]);
    const [ticket] = await t.deps.db.select().from(tickets).where(eq(tickets.number, number));
    const [m] = await t.deps.db
      .select()
      .from(messages)
      .where(eq(messages.ticketId, ticket?.id ?? ''));
    expect(m?.bodyText).toBe(payload);
    expect(m?.bodyHtml ?? null).toBeNull();
    const ack = await mailTo('eve@example.org', `#${number}`);
    expect(ack.raw).not.toMatch(/Content-Type: text\/html/i);
  });

  it('makes no ticket when the hidden honeypot field is filled, and says nothing about it', async () => {
    const { token, ip } = await openForm('en');
    const before = await ticketCount();
    const res = await post(
      'en',
      {
        formToken: token,
        name: 'Bot',
        email: 'bot@example.org',
        subject: 'Buy',
        message: 'Cheap pills',
        website: 'http://spam.example',
      },
      { ip },
    );
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('data-testid="contact-sent"');
    expect(await ticketCount()).toBe(before);
  });

  it('limits submissions per address and keeps the message when refusing', async () => {
    const ip = nextIp();
    for (let i = 0; i < 5; i++) {
      const { token } = await openForm('en', ip);
      const ok = await post(
        'en',
        { formToken: token, name: 'Busy', email: `busy${i}@example.org`, subject: `Question ${i}`, message: 'Hello' },
        { ip },
      );
      expect(ok.statusCode, ok.body).toBe(200);
    }
    const { token } = await openForm('en', ip);
    const refused = await post(
      'en',
      { formToken: token, name: 'Busy', email: 'busy9@example.org', subject: 'One more', message: 'Still here' },
      { ip },
    );
    expect(refused.statusCode).toBe(429);
    expect(refused.body).toContain('Too many messages from your connection.');
    expect(refused.body).toContain('Still here</textarea>');
    // another address is unaffected
    const other = await openForm('en');
    const fine = await post(
      'en',
      { formToken: other.token, name: 'Calm', email: 'calm@example.org', subject: 'Hi', message: 'Hello' },
      { ip: other.ip },
    );
    expect(fine.statusCode).toBe(200);
  });

  it('refuses cross-site posts and forms without a valid token', async () => {
    const { token, ip } = await openForm('en');
    const fields = { formToken: token, name: 'Mal', email: 'mal@example.org', subject: 'Hi', message: 'Hello' };
    const before = await ticketCount();
    expect((await post('en', fields, { ip, headers: { origin: 'https://evil.example' } })).statusCode).toBe(403);
    expect((await post('en', fields, { ip, headers: { 'sec-fetch-site': 'cross-site' } })).statusCode).toBe(403);
    const forged = await post('en', { ...fields, formToken: `${Date.now()}.${'A'.repeat(32)}` }, { ip });
    expect(forged.statusCode).toBe(400);
    expect(forged.body).toContain('This form expired.');
    expect(forged.body).toContain('value="mal@example.org"');
    const none = await post('en', { ...fields, formToken: '' }, { ip });
    expect(none.statusCode).toBe(400);
    expect(await ticketCount()).toBe(before);
    // the same post from our own origin goes through
    const own = await post('en', fields, {
      ip,
      headers: { host: 'help.test', origin: 'http://help.test', 'sec-fetch-site': 'same-origin' },
    });
    expect(own.statusCode, own.body).toBe(200);
  });

  it('records web-form deflection: shown, opened, submitted anyway, or solved and abandoned', async () => {
    const suggest = await t.app.inject({
      method: 'GET',
      url: `/help/search.json?source=suggest&locale=bn&limit=5&q=${encodeURIComponent('টাকা ফেরত')}`,
    });
    expect(suggest.statusCode).toBe(200);
    expect(suggest.json().items.map((i: { id: string }) => i.id)).toContain(articleId);
    const deflect = (payload: Record<string, unknown>) =>
      t.app.inject({
        method: 'POST',
        url: '/help/deflection',
        payload: { channel: 'web_form', locale: 'bn', ...payload },
      });

    // session 1: suggestions shown and opened, then the visitor sends the form anyway
    expect(
      (await deflect({ event: 'suggestions_shown', sessionId: 'wfsession01', articleIds: [articleId] })).statusCode,
    ).toBe(204);
    expect((await deflect({ event: 'article_opened', sessionId: 'wfsession01', articleId })).statusCode).toBe(204);
    const { token, ip } = await openForm('bn');
    const sent = await post(
      'bn',
      {
        formToken: token,
        deflectionSession: 'wfsession01',
        name: 'করিম',
        email: 'karim@example.org',
        subject: 'টাকা ফেরত',
        message: 'নিবন্ধ পড়েছি, তবু টাকা পাইনি।',
      },
      { ip },
    );
    expect(sent.statusCode, sent.body).toBe(200);
    // session 2: "this answered my question", then the page was left
    await deflect({ event: 'suggestions_shown', sessionId: 'wfsession02', articleIds: [articleId] });
    await deflect({ event: 'article_solved', sessionId: 'wfsession02', articleId });
    await deflect({ event: 'contact_abandoned', sessionId: 'wfsession02' });

    const submitted = await t.deps.db
      .select()
      .from(events)
      .where(
        and(eq(events.type, 'kb_deflection.contact_submitted'), sql`${events.payload}->>'sessionId' = 'wfsession01'`),
      );
    expect(submitted).toHaveLength(1);
    expect(submitted[0]?.payload).toMatchObject({ channel: 'web_form', locale: 'bn' });

    const report = await api(t, admin, 'GET', '/kb/reports/deflection');
    expect(report.statusCode, report.body).toBe(200);
    const rows = report.json().items ?? report.json();
    const row = (rows as Array<Record<string, unknown>>).find((r) => r.channel === 'web_form' && r.locale === 'bn');
    expect(row).toMatchObject({
      sessions: 2,
      articleOpened: 1,
      articleSolved: 1,
      contactSubmitted: 1,
      contactAbandoned: 1,
    });
  });

  it('keeps the KB settings contact URL override', async () => {
    const set = await api(t, admin, 'PATCH', '/kb/settings', { contactUrl: 'https://shop.example/support' });
    expect(set.statusCode, set.body).toBe(200);
    try {
      const res = await t.app.inject({ method: 'GET', url: '/help/contact' });
      expect(res.statusCode).toBe(302);
      expect(res.headers.location).toBe('https://shop.example/support');
      const home = await t.app.inject({ method: 'GET', url: '/help/en' });
      expect(home.body).toContain('href="https://shop.example/support"');
    } finally {
      await api(t, admin, 'PATCH', '/kb/settings', { contactUrl: null });
    }
  });

  describe('attachments', () => {
    const fields = (token: string, subject: string) => ({
      formToken: token,
      name: 'Mina',
      email: 'mina@example.org',
      subject,
      message: 'Photo of the broken box attached: <b>see</b>',
      website: '',
    });
    const send = (ip: string, form: ReturnType<typeof multipartForm>) =>
      t.app.inject({ method: 'POST', url: '/help/en/contact', remoteAddress: ip, ...form });

    it('takes files with the form (multipart, no JavaScript): type read from the bytes, on the ticket for the agent', async () => {
      const { page, token, ip } = await openForm('en');
      expect(page.body).toContain('enctype="multipart/form-data"');
      expect(page.body).toContain('name="files" type="file" multiple');
      expect(page.body).toContain('Up to 3 files of up to 1 MB each');
      const res = await send(
        ip,
        multipartForm(fields(token, 'Broken box'), [
          // the name and the declared type lie: the bytes are a PNG
          { name: 'box.txt', type: 'text/html', content: PNG_BYTES },
          { name: 'order ১২৩.txt', type: 'text/plain', content: Buffer.from('Order 123, পাঠানো হয়েছে') },
        ]),
      );
      expect(res.statusCode, res.body).toBe(200);
      const number = Number(/#(\d+)/.exec(res.body)?.[1]);
      const [ticket] = await t.deps.db.select().from(tickets).where(eq(tickets.number, number));
      const list = await api(t, agent, 'GET', `/tickets/${ticket?.id}/messages`);
      const first = list.json().items[0];
      expect(first.bodyText).toBe('Photo of the broken box attached: <b>see</b>');
      const files = [...first.attachments].sort((a: { filename: string }, b: { filename: string }) =>
        a.filename.localeCompare(b.filename),
      );
      expect(files.map((a: { filename: string; contentType: string }) => [a.filename, a.contentType])).toEqual([
        ['box.txt', 'image/png'],
        ['order ১২৩.txt', 'text/plain'],
      ]);
      const download = await api(t, agent, 'GET', `/attachments/${files[1].id}/download`);
      expect(download.statusCode).toBe(200);
      expect(download.body).toBe('Order 123, পাঠানো হয়েছে');
    });

    it('refuses a file of another type, too large or too many, with a clear message and the text kept', async () => {
      const before = await ticketCount();
      const cases = [
        {
          files: [{ name: 'logo.svg', type: 'image/svg+xml', content: Buffer.from('<svg onload="alert(1)"></svg>') }],
          status: 400,
          text: 'Only images (PNG, JPEG, GIF, WebP), PDF and plain text files can be attached.',
        },
        {
          files: [{ name: 'big.txt', type: 'text/plain', content: Buffer.alloc(1024 * 1024 + 10, 0x61) }],
          status: 413,
          text: 'A file is larger than 1 MB.',
        },
        {
          files: [1, 2, 3, 4].map((i) => ({
            name: `n${i}.txt`,
            type: 'text/plain',
            content: Buffer.from(`note ${i}`),
          })),
          status: 400,
          text: 'Please attach at most 3 files.',
        },
      ];
      for (const c of cases) {
        const { token, ip } = await openForm('en');
        const res = await send(ip, multipartForm(fields(token, 'Refused files'), c.files));
        expect(res.statusCode, res.body.slice(0, 300)).toBe(c.status);
        expect(res.body).toContain('data-testid="contact-error"');
        expect(res.body).toContain('id="err-files"');
        expect(res.body).toContain(c.text);
        expect(res.body).toContain('Photo of the broken box attached: &lt;b&gt;see&lt;/b&gt;');
        expect(res.body).toContain('value="Refused files"');
      }
      expect(await ticketCount()).toBe(before);
    });

    it('shows the file messages in Bengali', async () => {
      const { token, ip } = await openForm('bn');
      const res = await t.app.inject({
        method: 'POST',
        url: '/help/bn/contact',
        remoteAddress: ip,
        ...multipartForm(fields(token, 'ফাইল'), [
          { name: 'x.html', type: 'text/html', content: Buffer.from('<html><script>1</script>') },
        ]),
      });
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('শুধু ছবি (PNG, JPEG, GIF, WebP), PDF ও সাধারণ টেক্সট ফাইল সংযুক্ত করা যায়।');
    });
  });
});
