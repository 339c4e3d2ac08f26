import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { insertTicket } from './search-fixtures.ts';

let t: TestApp;
let admin: TestStaff;
let agent: TestStaff;
let collaborator: TestStaff;

beforeAll(async () => {
  t = await createTestApp();
  admin = await createStaff(t, 'admin');
  agent = await createStaff(t, 'agent');
  collaborator = await createStaff(t, 'collaborator');
});
afterAll(async () => {
  await t?.close();
});

async function api(
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT',
  url: string,
  who: TestStaff,
  payload?: unknown,
) {
  return t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: who.bearer,
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });
}

async function create(body: Record<string, unknown>, who: TestStaff = agent) {
  const res = await api('POST', '/customers', who, body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function events(type: string, customerId: string) {
  const { rows } = await t.db.database.pool.query('SELECT * FROM events WHERE type = $1 AND customer_id = $2', [
    type,
    customerId,
  ]);
  return rows;
}

describe('creating customers', () => {
  it('creates a customer with several identities, lower-casing emails and normalising phones', async () => {
    const c = await create({
      name: 'Asha Rahman',
      emails: ['Asha.Rahman@Example.COM', 'asha@home.example.org'],
      phones: ['+880 1712-345678', '০১৭১২ ৩৪৫৬৭৯'],
      locale: 'bn',
    });
    expect(c.name).toBe('Asha Rahman');
    expect(c.email).toBe('asha.rahman@example.com');
    expect(c.phone).toBe('+8801712345678');
    expect(c.locale).toBe('bn');
    const values = c.identities.map((i: { kind: string; value: string }) => `${i.kind}:${i.value}`).sort();
    expect(values).toEqual([
      'email:asha.rahman@example.com',
      'email:asha@home.example.org',
      'phone:+01712345679',
      'phone:+8801712345678',
    ]);
    expect(c.identities.filter((i: { isPrimary: boolean }) => i.isPrimary)).toHaveLength(2);
    expect(c.ticketCount).toBe(0);
    expect(c.openTicketCount).toBe(0);
    expect(await events('customer.created', c.id)).toHaveLength(1);
    const [row] = (await t.db.database.pool.query('SELECT search_text FROM customers WHERE id = $1', [c.id])).rows;
    expect(row.search_text).toContain('asha rahman');
    expect(row.search_text).toContain('8801712345678');
  });

  it('refuses an email that already belongs to another customer, naming it', async () => {
    await create({ name: 'First Owner', emails: ['taken@example.com'] });
    const res = await api('POST', '/customers', agent, { name: 'Second', emails: ['TAKEN@example.com'] });
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().code).toBe('ALREADY_EXISTS');
    expect(res.json().title).toContain('taken@example.com');
  });

  it('refuses a phone number already in use however it is written', async () => {
    await create({ name: 'Phone Owner', phones: ['+91 98765 43210'] });
    const res = await api('POST', '/customers', agent, { name: 'Other', phones: ['+91-9876543210'] });
    expect(res.statusCode).toBe(409);
    expect(res.json().title).toContain('+919876543210');
  });

  it('names the bad field when an email or phone is not valid', async () => {
    const res = await api('POST', '/customers', agent, { name: 'Bad', emails: ['ok@example.com', 'not-an-email'] });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toBe('emails.1');
    const res2 = await api('POST', '/customers', agent, { name: 'Bad', phones: ['call me'] });
    expect(res2.statusCode).toBe(400);
    expect(res2.json().errors[0].path).toBe('phones.0');
  });

  it('puts a new customer into the organisation that owns their email domain', async () => {
    const org = await api('POST', '/organisations', agent, {
      name: 'Gonoshasthaya Traders',
      domains: ['@GonoTraders.example'],
    });
    expect(org.statusCode, org.body).toBe(201);
    expect(org.json().domains).toEqual(['gonotraders.example']);
    const c = await create({ name: 'Rafiq', emails: ['rafiq@gonotraders.example'] });
    expect(c.organisation).toEqual({ id: org.json().id, name: 'Gonoshasthaya Traders' });
  });

  it('refuses customers:write to a collaborator', async () => {
    const res = await api('POST', '/customers', collaborator, { name: 'Nope' });
    expect(res.statusCode).toBe(403);
  });
});

describe('listing and finding customers', () => {
  it('finds customers by name prefix, email, phone digits and a typo, and pages through all of them', async () => {
    const a = await create({ name: 'Priyanka Chatterjee', emails: ['priyanka@list.example'] });
    await create({ name: 'প্রিয়াঙ্কা দাস', emails: ['das@list.example'], phones: ['+91 33 4444 5555'] });

    const byPrefix = await api('GET', '/customers?q=priya', agent);
    expect(byPrefix.json().items.map((c: { id: string }) => c.id)).toContain(a.id);

    const byEmail = await api('GET', '/customers?q=priyanka@list.example', agent);
    expect(byEmail.json().items[0].id).toBe(a.id);

    const byPhone = await api('GET', '/customers?q=4444', agent);
    expect(byPhone.json().items.map((c: { name: string }) => c.name)).toEqual(['প্রিয়াঙ্কা দাস']);

    const byBengali = await api('GET', `/customers?q=${encodeURIComponent('প্রিযাঙ্কা')}`, agent); // without nukta
    expect(byBengali.json().items.map((c: { name: string }) => c.name)).toEqual(['প্রিয়াঙ্কা দাস']);

    const byTypo = await api('GET', '/customers?q=chaterjee', agent);
    expect(byTypo.json().items.map((c: { id: string }) => c.id)).toContain(a.id);

    const nothing = await api('GET', '/customers?q=zzzzqqq', agent);
    expect(nothing.json().items).toEqual([]);
  });

  it('pages through every customer with a cursor, newest first, without repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await api('GET', `/customers?limit=2${cursor ? `&cursor=${cursor}` : ''}`, agent);
      expect(res.statusCode).toBe(200);
      seen.push(...res.json().items.map((c: { id: string }) => c.id));
      cursor = res.json().nextCursor;
      pages += 1;
    } while (cursor && pages < 100);
    const { rows } = await t.db.database.pool.query(
      'SELECT count(*)::int AS n FROM customers WHERE merged_into_id IS NULL',
    );
    expect(seen.length).toBe(rows[0].n);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('answers 400, not 500, for a forged cursor', async () => {
    const res = await api('GET', '/customers?cursor=bm90LWEtY3Vyc29y', agent);
    expect(res.statusCode).toBe(400);
  });

  it('shows a customer with identities, organisation and open/total ticket counts', async () => {
    const c = await create({ name: 'Counted', emails: ['counted@example.com'] });
    await insertTicket(t, { subject: 'one', customerId: c.id, status: 'open' });
    await insertTicket(t, { subject: 'two', customerId: c.id, status: 'solved' });
    const res = await api('GET', `/customers/${c.id}`, agent);
    expect(res.statusCode).toBe(200);
    expect(res.json().ticketCount).toBe(2);
    expect(res.json().openTicketCount).toBe(1);
    const tickets = await api('GET', `/customers/${c.id}/tickets`, agent);
    expect(
      tickets
        .json()
        .items.map((x: { subject: string }) => x.subject)
        .sort(),
    ).toEqual(['one', 'two']);
  });

  it('lets a collaborator see only customers of tickets they can see, and 404s the rest', async () => {
    const mine = await create({ name: 'Collab Visible', emails: ['visible@collab.example'] });
    const other = await create({ name: 'Collab Hidden', emails: ['hidden@collab.example'] });
    await insertTicket(t, {
      subject: 'shared with collaborator',
      customerId: mine.id,
      collaboratorIds: [collaborator.id],
    });
    await insertTicket(t, { subject: 'not shared', customerId: mine.id });
    await insertTicket(t, { subject: 'secret', customerId: other.id });

    expect((await api('GET', `/customers/${mine.id}`, collaborator)).statusCode).toBe(200);
    expect((await api('GET', `/customers/${mine.id}`, collaborator)).json().ticketCount).toBe(1);
    expect((await api('GET', `/customers/${other.id}`, collaborator)).statusCode).toBe(404);
    expect((await api('GET', `/customers/${other.id}/tickets`, collaborator)).statusCode).toBe(404);
    const list = await api('GET', '/customers?q=collab', collaborator);
    expect(list.json().items.map((c: { id: string }) => c.id)).toEqual([mine.id]);
    const all = await api('GET', '/customers', collaborator);
    expect(all.json().items.map((c: { id: string }) => c.id)).toEqual([mine.id]);
    const theirTickets = await api('GET', `/customers/${mine.id}/tickets`, collaborator);
    expect(theirTickets.json().items.map((x: { subject: string }) => x.subject)).toEqual(['shared with collaborator']);
  });
});

describe('changing customers', () => {
  it('updates name, notes and organisation and keeps the search text current', async () => {
    const c = await create({ name: 'Old Name', emails: ['rename@example.com'] });
    const org = (await api('POST', '/organisations', agent, { name: 'Rename Org' })).json();
    const res = await api('PATCH', `/customers/${c.id}`, agent, {
      name: 'নতুন নাম',
      notes: 'VIP',
      organisationId: org.id,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().name).toBe('নতুন নাম');
    expect(res.json().organisation.id).toBe(org.id);
    const found = await api('GET', `/customers?q=${encodeURIComponent('নতুন')}`, agent);
    expect(found.json().items.map((x: { id: string }) => x.id)).toContain(c.id);
    expect(await events('customer.updated', c.id)).toHaveLength(1);
  });

  it('re-indexes the customer\'s tickets when the name changes, so the new name finds them', async () => {
    const opened = await api('POST', '/tickets', agent, {
      subject: 'Geyser leaking',
      customer: { email: 'oldname-tickets@example.com', name: 'Kamal Hossain' },
      message: { body: 'Water everywhere' },
    });
    expect(opened.statusCode, opened.body).toBe(201);
    const ticket = opened.json();
    const renamed = await api('PATCH', `/customers/${ticket.customer.id}`, agent, { name: 'কামরুল হাসান' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    const hits = (q: string) =>
      api('GET', `/search?q=${encodeURIComponent(q)}`, agent).then((r) => r.json().tickets.map((x: { id: string }) => x.id));
    expect(await hits('কামরুল')).toContain(ticket.id);
    expect(await hits('Kamal')).not.toContain(ticket.id);
  });

  it('refuses an organisation that does not exist', async () => {
    const c = await create({ name: 'Orgless', emails: ['orgless@example.com'] });
    const res = await api('PATCH', `/customers/${c.id}`, agent, {
      organisationId: '00000000-0000-4000-8000-000000000000',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toBe('organisationId');
  });

  it('adds and removes identities but never the last one', async () => {
    const c = await create({ name: 'Identity Juggler', emails: ['juggler@example.com'] });
    const added = await api('POST', `/customers/${c.id}/identities`, agent, {
      kind: 'phone',
      value: '+44 20 7946 0000',
    });
    expect(added.statusCode, added.body).toBe(201);
    const phone = added.json().identities.find((i: { kind: string }) => i.kind === 'phone');
    expect(phone.value).toBe('+442079460000');
    expect(phone.isPrimary).toBe(true);

    const dup = await api('POST', `/customers/${c.id}/identities`, agent, {
      kind: 'email',
      value: 'JUGGLER@example.com',
    });
    expect(dup.statusCode).toBe(409);

    const email = added.json().identities.find((i: { kind: string }) => i.kind === 'email');
    const removed = await api('DELETE', `/customers/${c.id}/identities/${email.id}`, agent);
    expect(removed.statusCode).toBe(200);
    expect(removed.json().identities).toHaveLength(1);
    expect(removed.json().email).toBeNull();

    const last = await api('DELETE', `/customers/${c.id}/identities/${phone.id}`, agent);
    expect(last.statusCode).toBe(409);

    const searchable = await api('GET', '/customers?q=juggler@example.com', agent);
    expect(searchable.json().items.map((x: { id: string }) => x.id)).not.toContain(c.id);
    expect(await events('customer.identity_added', c.id)).toHaveLength(1);
    expect(await events('customer.identity_removed', c.id)).toHaveLength(1);
  });

  it('answers 404 for an identity of another customer', async () => {
    const a = await create({ name: 'A', emails: ['a-ident@example.com', 'a2-ident@example.com'] });
    const b = await create({ name: 'B', emails: ['b-ident@example.com'] });
    const res = await api('DELETE', `/customers/${a.id}/identities/${b.identities[0].id}`, agent);
    expect(res.statusCode).toBe(404);
  });
});

describe('merging duplicate customers', () => {
  it('moves identities and tickets to the survivor and marks the duplicate merged', async () => {
    const survivor = await create({ name: 'Meera Iyer', emails: ['meera@work.example'] });
    const duplicate = await create({
      name: 'Meera',
      emails: ['meera.personal@example.com'],
      phones: ['+91 99999 11111'],
    });
    const ticket = await insertTicket(t, {
      subject: 'from the duplicate',
      customerId: duplicate.id,
      messages: [{ body: 'hello' }],
    });

    const res = await api('POST', `/customers/${survivor.id}/merge`, agent, { duplicateId: duplicate.id });
    expect(res.statusCode, res.body).toBe(200);
    const merged = res.json();
    expect(merged.identities.map((i: { value: string }) => i.value).sort()).toEqual([
      '+919999911111',
      'meera.personal@example.com',
      'meera@work.example',
    ]);
    expect(merged.email).toBe('meera@work.example');
    expect(merged.ticketCount).toBe(1);

    const { rows } = await t.db.database.pool.query('SELECT customer_id FROM tickets WHERE id = $1', [ticket.id]);
    expect(rows[0].customer_id).toBe(survivor.id);
    const { rows: msgs } = await t.db.database.pool.query(
      'SELECT author_customer_id FROM messages WHERE ticket_id = $1',
      [ticket.id],
    );
    expect(msgs[0].author_customer_id).toBe(survivor.id);

    const dup = await api('GET', `/customers/${duplicate.id}`, agent);
    expect(dup.json().mergedIntoId).toBe(survivor.id);
    expect(dup.json().identities).toEqual([]);
    const list = await api('GET', '/customers?q=meera', agent);
    expect(list.json().items.map((c: { id: string }) => c.id)).toEqual([survivor.id]);
    const ev = await events('customer.merged', survivor.id);
    expect(ev).toHaveLength(1);
    expect(ev[0].payload.duplicateId).toBe(duplicate.id);
    expect(ev[0].payload.movedTicketIds).toEqual([ticket.id]);
    const { rows: ticketEvents } = await t.db.database.pool.query(
      `SELECT payload FROM events WHERE type = 'ticket.customer_changed' AND ticket_id = $1`,
      [ticket.id],
    );
    expect(ticketEvents[0]?.payload).toMatchObject({ fromCustomerId: duplicate.id, toCustomerId: survivor.id });
  });

  it('refuses to merge a customer into itself or to merge twice', async () => {
    const a = await create({ name: 'Twice A', emails: ['twice-a@example.com'] });
    const b = await create({ name: 'Twice B', emails: ['twice-b@example.com'] });
    expect((await api('POST', `/customers/${a.id}/merge`, agent, { duplicateId: a.id })).statusCode).toBe(400);
    expect((await api('POST', `/customers/${a.id}/merge`, agent, { duplicateId: b.id })).statusCode).toBe(200);
    expect((await api('POST', `/customers/${a.id}/merge`, agent, { duplicateId: b.id })).statusCode).toBe(409);
    expect((await api('POST', `/customers/${b.id}/merge`, agent, { duplicateId: a.id })).statusCode).toBe(409);
  });

  it('leaves nothing half-done when a merge fails', async () => {
    const a = await create({ name: 'Atomic A', emails: ['atomic-a@example.com'] });
    const b = await create({ name: 'Atomic B', emails: ['atomic-b@example.com'] });
    // a trigger makes the ticket move fail after the identities moved
    await t.deps.db.execute(
      sql.raw(
        `CREATE FUNCTION fail_move() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'boom'; END $$`,
      ),
    );
    await insertTicket(t, { subject: 'atomic', customerId: b.id });
    await t.deps.db.execute(
      sql.raw(
        `CREATE TRIGGER fail_move BEFORE UPDATE OF customer_id ON tickets FOR EACH ROW EXECUTE FUNCTION fail_move()`,
      ),
    );
    try {
      const res = await api('POST', `/customers/${a.id}/merge`, agent, { duplicateId: b.id });
      expect(res.statusCode).toBe(500);
    } finally {
      await t.deps.db.execute(sql.raw('DROP TRIGGER fail_move ON tickets; DROP FUNCTION fail_move()'));
    }
    const after = await api('GET', `/customers/${b.id}`, agent);
    expect(after.json().mergedIntoId).toBeNull();
    expect(after.json().identities.map((i: { value: string }) => i.value)).toEqual(['atomic-b@example.com']);
  });

  it('refuses merging to a collaborator', async () => {
    const a = await create({ name: 'Perm A', emails: ['perm-a@example.com'] });
    const b = await create({ name: 'Perm B', emails: ['perm-b@example.com'] });
    expect((await api('POST', `/customers/${a.id}/merge`, collaborator, { duplicateId: b.id })).statusCode).toBe(403);
  });
});

describe('organisations', () => {
  it('creates, lists, reads, updates and deletes organisations with unique names and domains', async () => {
    const created = await api('POST', '/organisations', admin, {
      name: 'Sundarban Couriers',
      domains: ['sundarban.example', 'SB-Couriers.example'],
    });
    expect(created.statusCode, created.body).toBe(201);
    const org = created.json();
    expect(org.domains).toEqual(['sundarban.example', 'sb-couriers.example']);

    expect((await api('POST', '/organisations', admin, { name: 'sundarban couriers' })).statusCode).toBe(409);
    const clash = await api('POST', '/organisations', admin, {
      name: 'Other Couriers',
      domains: ['sundarban.example'],
    });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().title).toContain('sundarban.example');
    expect(
      (await api('POST', '/organisations', admin, { name: 'Bad Domain', domains: ['not a domain'] })).statusCode,
    ).toBe(400);

    const found = await api('GET', '/organisations?q=sundar', agent);
    expect(found.json().items.map((o: { id: string }) => o.id)).toEqual([org.id]);

    const c = await create({ name: 'Courier Customer', emails: ['x@sundarban.example'] });
    expect(c.organisation.id).toBe(org.id);
    expect((await api('GET', `/organisations/${org.id}`, agent)).json().customerCount).toBe(1);
    const members = await api('GET', `/customers?organisationId=${org.id}`, agent);
    expect(members.json().items.map((x: { id: string }) => x.id)).toEqual([c.id]);

    const patched = await api('PATCH', `/organisations/${org.id}`, admin, {
      isShared: true,
      domains: ['sundarban.example'],
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json().isShared).toBe(true);
    expect(patched.json().domains).toEqual(['sundarban.example']);

    expect((await api('DELETE', `/organisations/${org.id}`, admin)).statusCode).toBe(204);
    expect((await api('GET', `/organisations/${org.id}`, admin)).statusCode).toBe(404);
    expect((await api('GET', `/customers/${c.id}`, admin)).json().organisation).toBeNull();
  });

  it('pages through organisations by name', async () => {
    for (const n of ['Page Org 1', 'Page Org 2', 'Page Org 3']) await api('POST', '/organisations', admin, { name: n });
    const first = await api('GET', '/organisations?q=page%20org&limit=2', agent);
    expect(first.json().items.map((o: { name: string }) => o.name)).toEqual(['Page Org 1', 'Page Org 2']);
    const second = await api('GET', `/organisations?q=page%20org&limit=2&cursor=${first.json().nextCursor}`, agent);
    expect(second.json().items.map((o: { name: string }) => o.name)).toEqual(['Page Org 3']);
    expect(second.json().nextCursor).toBeNull();
  });

  it('shows a collaborator only organisations of customers they can see', async () => {
    const org = (await api('POST', '/organisations', admin, { name: 'Hidden Org' })).json();
    expect((await api('GET', `/organisations/${org.id}`, collaborator)).statusCode).toBe(404);
    expect((await api('POST', '/organisations', collaborator, { name: 'x' })).statusCode).toBe(403);
  });
});
