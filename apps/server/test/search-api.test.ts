import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { insertCustomer, insertTicket } from './search-fixtures.ts';

let t: TestApp;
let agent: TestStaff;
let collaborator: TestStaff;
const ids: Record<string, string> = {};
let numbered = 0;

beforeAll(async () => {
  t = await createTestApp();
  agent = await createStaff(t, 'agent');
  collaborator = await createStaff(t, 'collaborator');
  const anika = await insertCustomer(t, 'Anika Sen', 'anika@example.com');
  const ravi = await insertCustomer(t, 'रवि कुमार', 'ravi@example.in');
  ids.refund = (
    await insertTicket(t, {
      subject: 'Payment question',
      customerId: anika,
      messages: [{ body: 'Hello, I would like a refund for order 5521. The parcel never came.' }],
    })
  ).id;
  ids.bengali = (
    await insertTicket(t, {
      subject: 'অর্ডার সমস্যা',
      customerId: anika,
      messages: [{ body: 'আমার পার্সেলটি এখনও পৌঁছায়নি, দয়া করে টাকা ফেরত দিন।' }],
    })
  ).id;
  ids.hindi = (
    await insertTicket(t, {
      subject: 'खाते की समस्या',
      customerId: ravi,
      messages: [{ body: 'मुझे पासवर्ड बदलने की ज़रूरत है, कृपया मदद करें।' }],
    })
  ).id;
  ids.note = (
    await insertTicket(t, {
      subject: 'Login trouble',
      customerId: ravi,
      messages: [
        { body: 'I cannot sign in.' },
        { body: 'Escalated to the platypus team, see runbook.', internal: true },
      ],
    })
  ).id;
  const xss = await insertTicket(t, {
    subject: 'Strange message',
    customerId: anika,
    messages: [{ body: 'Invoice <script>alert(document.cookie)</script><img src=x onerror=alert(1)> overcharged' }],
  });
  ids.xss = xss.id;
  ids.secret = (
    await insertTicket(t, {
      subject: 'Secret refund for another team',
      customerId: anika,
      messages: [{ body: 'refund handled by finance only' }],
    })
  ).id;
  ids.collab = (
    await insertTicket(t, {
      subject: 'Shared refund case',
      customerId: ravi,
      messages: [{ body: 'please refund the duplicate charge' }],
      collaboratorIds: [collaborator.id],
    })
  ).id;
  ids.assigned = (
    await insertTicket(t, {
      subject: 'Assigned refund',
      customerId: ravi,
      messages: [{ body: 'refund via bank transfer' }],
      assigneeId: collaborator.id,
    })
  ).id;
  ids.titleOnly = (
    await insertTicket(t, {
      subject: 'Warranty claim for kettle',
      customerId: anika,
      messages: [{ body: 'It broke.' }],
    })
  ).id;
  ids.bodyOnly = (
    await insertTicket(t, {
      subject: 'Kitchen appliance',
      customerId: anika,
      messages: [{ body: 'I want to make a warranty claim.' }],
    })
  ).id;
  numbered = xss.number;
});
afterAll(async () => {
  await t?.close();
});

async function search(q: string, who: TestStaff = agent, extra = '') {
  const res = await t.app.inject({
    method: 'GET',
    url: `/api/v1/search?q=${encodeURIComponent(q)}${extra}`,
    headers: who.bearer,
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    tickets: Array<{ id: string; snippet: string; matchedIn: string; score: number; subject: string }>;
    customers: Array<{ id: string; name: string }>;
    nextCursor: string | null;
  };
}

const ticketIds = (r: { tickets: Array<{ id: string }> }) => r.tickets.map((x) => x.id);

describe('GET /search', () => {
  it('finds a ticket by a Bengali word from a message', async () => {
    const r = await search('ফেরত');
    expect(ticketIds(r)).toEqual([ids.bengali]);
    expect(r.tickets[0]?.snippet).toContain('<mark>ফেরত</mark>');
    expect(r.tickets[0]?.matchedIn).toBe('message');
  });

  it('finds a ticket by the start of a word (prefix)', async () => {
    expect(ticketIds(await search('parc'))).toContain(ids.refund);
    expect(ticketIds(await search('পার্সেল'))).toEqual([ids.bengali]); // পার্সেলটি
  });

  it('finds "refund" when the query has a one-letter typo', async () => {
    const r = await search('refnud');
    expect(ticketIds(r)).toContain(ids.refund);
    expect(r.tickets.find((x) => x.id === ids.refund)?.snippet).toContain('<mark>refund</mark>');
  });

  it('matches Hindi words with or without the nukta', async () => {
    expect(ticketIds(await search('जरूरत'))).toEqual([ids.hindi]);
    expect(ticketIds(await search('ज़रूरत'))).toEqual([ids.hindi]);
    expect(ticketIds(await search('पासवर्ड'))).toEqual([ids.hindi]);
  });

  it('searches internal notes for staff', async () => {
    const r = await search('platypus');
    expect(ticketIds(r)).toEqual([ids.note]);
    expect(r.tickets[0]?.matchedIn).toBe('internal_note');
  });

  it('never shows a collaborator a ticket they cannot see', async () => {
    const mine = ticketIds(await search('refund', collaborator));
    expect(mine.sort()).toEqual([ids.collab, ids.assigned].sort());
    expect(mine).not.toContain(ids.secret);
    expect(ticketIds(await search('platypus', collaborator))).toEqual([]);
    const all = ticketIds(await search('refund'));
    expect(all).toEqual(expect.arrayContaining([ids.refund, ids.secret, ids.collab, ids.assigned]));
  });

  it('escapes customer HTML in snippets: a <script> comes back as text', async () => {
    const r = await search('overcharged');
    expect(ticketIds(r)).toEqual([ids.xss]);
    const snippet = r.tickets[0]?.snippet ?? '';
    expect(snippet).toContain('script&gt;');
    expect(snippet).not.toContain('<script');
    expect(snippet).not.toContain('<img');
    expect(snippet.replace(/<\/?mark>/g, '')).not.toMatch(/<[a-z/]/i);
    expect(snippet).toContain('<mark>overcharged</mark>');
  });

  it('drops stopwords from the query but searches a stopword-only query as typed', async () => {
    expect(ticketIds(await search('where is my refund please'))).toContain(ids.refund);
    expect(ticketIds(await search('আমার টাকা ফেরত'))).toEqual([ids.bengali]);
    const onlyStopwords = await search('the');
    expect(onlyStopwords.tickets.length).toBeGreaterThan(0);
  });

  it('needs every meaningful word to match', async () => {
    expect(ticketIds(await search('refund parcel'))).toEqual([ids.refund]);
    expect(ticketIds(await search('refund kettle'))).toEqual([]);
  });

  it('ranks a subject match above a match in the body only', async () => {
    const r = await search('warranty claim');
    expect(ticketIds(r).slice(0, 2)).toEqual([ids.titleOnly, ids.bodyOnly]);
    expect(r.tickets[0]?.score).toBeGreaterThan(r.tickets[1]?.score ?? 0);
  });

  it('finds a ticket by its number', async () => {
    const r = await search(`#${numbered}`);
    expect(r.tickets[0]?.id).toBe(ids.xss);
    expect(r.tickets[0]?.matchedIn).toBe('number');
  });

  it('finds customers by name and email, in Devanagari too', async () => {
    expect((await search('anika', agent, '&type=customers')).customers.map((c) => c.name)).toEqual(['Anika Sen']);
    expect((await search('रवि', agent, '&type=customers')).customers.map((c) => c.name)).toEqual(['रवि कुमार']);
    const onlyTickets = await search('anika', agent, '&type=tickets');
    expect(onlyTickets.customers).toEqual([]);
  });

  it('pages through every result with a cursor, without repeats or caps', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r = await search('refund', agent, `&type=tickets&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...ticketIds(r));
      cursor = r.nextCursor;
      pages += 1;
    } while (cursor && pages < 50);
    expect(seen.length).toBe(new Set(seen).size);
    expect(seen.sort()).toEqual(ticketIds(await search('refund', agent, '&type=tickets&limit=200')).sort());
    expect(seen.sort()).toEqual([ids.refund, ids.secret, ids.collab, ids.assigned].sort());
  });

  it('pages tickets and customers together with one cursor when type=all', async () => {
    const ticketsSeen: string[] = [];
    const customersSeen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r = await search('a', agent, `&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      ticketsSeen.push(...ticketIds(r));
      customersSeen.push(...r.customers.map((c) => c.id));
      cursor = r.nextCursor;
      pages += 1;
    } while (cursor && pages < 50);
    const everything = await search('a', agent, '&limit=200');
    expect(ticketsSeen.sort()).toEqual(ticketIds(everything).sort());
    expect(customersSeen.sort()).toEqual(everything.customers.map((c) => c.id).sort());
    expect(new Set(ticketsSeen).size).toBe(ticketsSeen.length);
  });

  it('shows a collaborator only customers of tickets they can see', async () => {
    expect((await search('anika', collaborator, '&type=customers')).customers).toEqual([]);
    expect((await search('रवि', collaborator, '&type=customers')).customers.map((c) => c.name)).toEqual(['रवि कुमार']);
  });

  it('refuses an empty query and a forged cursor with 400', async () => {
    const empty = await t.app.inject({ method: 'GET', url: '/api/v1/search?q=', headers: agent.bearer });
    expect(empty.statusCode).toBe(400);
    const forged = await t.app.inject({
      method: 'GET',
      url: '/api/v1/search?q=refund&cursor=eyJ0IjoxfQ',
      headers: agent.bearer,
    });
    expect(forged.statusCode).toBe(400);
  });

  it('answers nothing, not an error, for a query of punctuation only', async () => {
    const r = await search('?!…');
    expect(r).toEqual({ tickets: [], customers: [], nextCursor: null });
  });

  it('requires sign-in', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/search?q=refund' });
    expect(res.statusCode).toBe(401);
  });
});
