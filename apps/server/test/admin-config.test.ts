import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { insertCustomer } from './search-fixtures.ts';

let t: TestApp;
let admin: TestStaff;
let supervisor: TestStaff;
let agent: TestStaff;
let agent2: TestStaff;
let collaborator: TestStaff;

beforeAll(async () => {
  t = await createTestApp();
  admin = await createStaff(t, 'admin');
  supervisor = await createStaff(t, 'supervisor');
  agent = await createStaff(t, 'agent');
  agent2 = await createStaff(t, 'agent');
  collaborator = await createStaff(t, 'collaborator');
});
afterAll(async () => {
  await t?.close();
});

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';
async function api(method: Method, url: string, who: TestStaff, payload?: unknown, viaSession = false) {
  return t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: viaSession ? who.session : who.bearer,
    ...(payload !== undefined ? { payload: payload as object } : {}),
  });
}

async function eventTypes(prefix: string): Promise<string[]> {
  const { rows } = await t.db.database.pool.query('SELECT type FROM events WHERE type LIKE $1 ORDER BY id', [
    `${prefix}%`,
  ]);
  return rows.map((r: { type: string }) => r.type);
}

describe('teams', () => {
  it('creates a team whose lead becomes a member, lists it, renames it and deletes it', async () => {
    const created = await api('POST', '/teams', admin, {
      name: 'Billing',
      description: 'Money matters',
      leadId: supervisor.id,
      memberIds: [agent.id],
    });
    expect(created.statusCode, created.body).toBe(201);
    const team = created.json();
    expect(team.leadId).toBe(supervisor.id);
    expect(team.memberIds).toEqual([agent.id, supervisor.id].sort());

    const list = await api('GET', '/teams', collaborator);
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((x: { name: string }) => x.name)).toContain('Billing');

    expect((await api('POST', '/teams', admin, { name: 'billing' })).statusCode).toBe(409);

    const renamed = await api('PATCH', `/teams/${team.id}`, supervisor, {
      name: 'Billing & Refunds',
      leadId: agent2.id,
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json().name).toBe('Billing & Refunds');
    expect(renamed.json().memberIds).toContain(agent2.id);

    expect((await api('DELETE', `/teams/${team.id}`, admin)).statusCode).toBe(204);
    expect((await api('PATCH', `/teams/${team.id}`, admin, { name: 'x' })).statusCode).toBe(404);
    expect(await eventTypes('team.')).toEqual(['team.created', 'team.updated', 'team.deleted']);
  });

  it('replaces the member list with PUT and keeps the lead a member', async () => {
    const team = (
      await api('POST', '/teams', admin, { name: 'Tier 2', leadId: supervisor.id, memberIds: [agent.id] })
    ).json();
    const res = await api('PUT', `/teams/${team.id}/members`, admin, { userIds: [agent2.id, collaborator.id] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().memberIds).toEqual([agent2.id, collaborator.id, supervisor.id].sort());
    const { rows } = await t.db.database.pool.query(`SELECT payload FROM events WHERE type = 'team.members_changed'`);
    expect(rows[0].payload.removed).toEqual([agent.id]);
    expect(rows[0].payload.added.sort()).toEqual([agent2.id, collaborator.id].sort());
    const emptied = await api('PUT', `/teams/${team.id}/members`, admin, { userIds: [] });
    expect(emptied.json().memberIds).toEqual([supervisor.id]);
  });

  it('refuses unknown staff as members, naming the entry', async () => {
    const team = (await api('POST', '/teams', admin, { name: 'Ghosts' })).json();
    const res = await api('PUT', `/teams/${team.id}/members`, admin, {
      userIds: [agent.id, '00000000-0000-4000-8000-000000000000'],
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toBe('userIds.1');
  });

  it('refuses team management to agents (403) but lets them read teams', async () => {
    expect((await api('POST', '/teams', agent, { name: 'Rogue' })).statusCode).toBe(403);
    expect((await api('GET', '/teams', agent)).statusCode).toBe(200);
    const team = (await api('POST', '/teams', admin, { name: 'Locked' })).json();
    expect((await api('PUT', `/teams/${team.id}/members`, agent, { userIds: [agent.id] })).statusCode).toBe(403);
    expect((await api('DELETE', `/teams/${team.id}`, agent)).statusCode).toBe(403);
  });

  it('needs the CSRF header for changes made with a session cookie', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/teams',
      headers: { cookie: admin.session.cookie },
      payload: { name: 'No CSRF' },
    });
    expect(res.statusCode).toBe(403);
    const ok = await api('POST', '/teams', admin, { name: 'With CSRF' }, true);
    expect(ok.statusCode).toBe(201);
  });
});

describe('categories', () => {
  it('creates categories with Bengali and Hindi names, orders them by position and updates them', async () => {
    const a = await api('POST', '/categories', admin, {
      name: 'Delivery',
      translations: { bn: 'ডেলিভারি', hi: 'डिलीवरी' },
      position: 2,
    });
    expect(a.statusCode, a.body).toBe(201);
    expect(a.json().translations).toEqual({ bn: 'ডেলিভারি', hi: 'डिलीवरी' });
    const b = await api('POST', '/categories', supervisor, { name: 'Billing', position: 1 });
    expect(b.statusCode).toBe(201);
    const list = await api('GET', '/categories', collaborator);
    expect(list.json().items.map((c: { name: string }) => c.name)).toEqual(['Billing', 'Delivery']);
    const patched = await api('PATCH', `/categories/${a.json().id}`, admin, {
      translations: { bn: 'সরবরাহ' },
      position: 0,
    });
    expect(patched.json().translations).toEqual({ bn: 'সরবরাহ' });
    expect((await api('GET', '/categories', agent)).json().items[0].name).toBe('Delivery');
    expect((await api('POST', '/categories', admin, { name: 'DELIVERY' })).statusCode).toBe(409);
  });

  it('deactivates a category that tickets use instead of deleting it, and deletes an unused one', async () => {
    const used = (await api('POST', '/categories', admin, { name: 'In use' })).json();
    const unused = (await api('POST', '/categories', admin, { name: 'Unused' })).json();
    const customerId = await insertCustomer(t, 'Cat Customer');
    await t.db.database.pool.query(
      `INSERT INTO tickets (subject, channel, customer_id, category_id) VALUES ('categorised', 'email', $1, $2)`,
      [customerId, used.id],
    );
    const res = await api('DELETE', `/categories/${used.id}`, admin);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ outcome: 'deactivated' });
    const active = (await api('GET', '/categories', agent)).json().items.map((c: { id: string }) => c.id);
    expect(active).not.toContain(used.id);
    const all = (await api('GET', '/categories?includeInactive=1', admin)).json().items;
    expect(all.find((c: { id: string }) => c.id === used.id)).toMatchObject({ isActive: false, ticketCount: 1 });

    expect((await api('DELETE', `/categories/${unused.id}`, admin)).json()).toEqual({ outcome: 'deleted' });
    expect((await api('PATCH', `/categories/${unused.id}`, admin, { name: 'x' })).statusCode).toBe(404);
    expect(await eventTypes('category.')).toEqual(
      expect.arrayContaining(['category.created', 'category.updated', 'category.deactivated', 'category.deleted']),
    );
  });

  it('refuses category management to agents', async () => {
    expect((await api('POST', '/categories', agent, { name: 'Nope' })).statusCode).toBe(403);
  });
});

describe('custom field definitions', () => {
  it('creates a dropdown with translated options and lists it for everyone', async () => {
    const res = await api('POST', '/custom-fields', admin, {
      key: 'order_channel',
      label: 'Order channel',
      translations: { bn: 'অর্ডারের মাধ্যম', hi: 'ऑर्डर का माध्यम' },
      fieldType: 'dropdown',
      options: [
        { value: 'app', label: 'App', translations: { bn: 'অ্যাপ' } },
        { value: 'web', label: 'Website' },
      ],
      isRequired: true,
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ key: 'order_channel', fieldType: 'dropdown', isRequired: true, isActive: true });
    expect(res.json().options).toHaveLength(2);
    const list = await api('GET', '/custom-fields', collaborator);
    expect(list.json().items.map((f: { key: string }) => f.key)).toContain('order_channel');
  });

  it('refuses bad keys, dropdowns without options and duplicate keys', async () => {
    for (const key of ['Order', '1abc', 'has-dash', 'a'.repeat(42), '']) {
      const res = await api('POST', '/custom-fields', admin, { key, label: 'x', fieldType: 'text' });
      expect(res.statusCode, key).toBe(400);
    }
    expect(
      (await api('POST', '/custom-fields', admin, { key: 'a'.repeat(41), label: 'x', fieldType: 'text' })).statusCode,
    ).toBe(201);
    const noOptions = await api('POST', '/custom-fields', admin, {
      key: 'empty_dropdown',
      label: 'x',
      fieldType: 'dropdown',
      options: [],
    });
    expect(noOptions.statusCode).toBe(400);
    expect(noOptions.json().errors[0].path).toBe('options');
    expect(
      (await api('POST', '/custom-fields', admin, { key: 'bad_type', label: 'x', fieldType: 'colour' })).statusCode,
    ).toBe(400);
    expect(
      (await api('POST', '/custom-fields', admin, { key: 'invoice_no', label: 'Invoice', fieldType: 'text' }))
        .statusCode,
    ).toBe(201);
    expect(
      (await api('POST', '/custom-fields', admin, { key: 'invoice_no', label: 'Again', fieldType: 'number' }))
        .statusCode,
    ).toBe(409);
  });

  it('never lets the key change, but lets the label, type and options change', async () => {
    const field = (
      await api('POST', '/custom-fields', admin, { key: 'warranty', label: 'Warranty', fieldType: 'checkbox' })
    ).json();
    const rename = await api('PATCH', `/custom-fields/${field.id}`, admin, { key: 'warranty_2' });
    expect(rename.statusCode).toBe(400);
    expect(rename.json().errors[0].path).toBe('key');
    expect(
      (await api('PATCH', `/custom-fields/${field.id}`, admin, { key: 'warranty', label: 'Under warranty' })).json()
        .label,
    ).toBe('Under warranty');
    const toDropdownWithout = await api('PATCH', `/custom-fields/${field.id}`, admin, { fieldType: 'dropdown' });
    expect(toDropdownWithout.statusCode).toBe(400);
    const toDropdown = await api('PATCH', `/custom-fields/${field.id}`, admin, {
      fieldType: 'dropdown',
      options: [{ value: 'yes', label: 'Yes' }],
    });
    expect(toDropdown.statusCode).toBe(200);
    const back = await api('PATCH', `/custom-fields/${field.id}`, admin, { fieldType: 'text' });
    expect(back.json().options).toEqual([]);
  });

  it('deactivates a field some ticket has a value for, and deletes an unused one', async () => {
    const used = (
      await api('POST', '/custom-fields', admin, { key: 'serial', label: 'Serial', fieldType: 'text' })
    ).json();
    const unused = (
      await api('POST', '/custom-fields', admin, { key: 'unused_field', label: 'Unused', fieldType: 'number' })
    ).json();
    const customerId = await insertCustomer(t, 'Field Customer');
    await t.db.database.pool.query(
      `INSERT INTO tickets (subject, channel, customer_id, custom_fields) VALUES ('with serial', 'email', $1, '{"serial":"X-1"}')`,
      [customerId],
    );
    expect((await api('DELETE', `/custom-fields/${used.id}`, admin)).json()).toEqual({ outcome: 'deactivated' });
    expect((await api('DELETE', `/custom-fields/${unused.id}`, admin)).json()).toEqual({ outcome: 'deleted' });
    const active = (await api('GET', '/custom-fields', agent)).json().items.map((f: { key: string }) => f.key);
    expect(active).not.toContain('serial');
    const all = (await api('GET', '/custom-fields?includeInactive=true', admin))
      .json()
      .items.map((f: { key: string }) => f.key);
    expect(all).toContain('serial');
    expect(all).not.toContain('unused_field');
    expect(await eventTypes('custom_field.')).toEqual(
      expect.arrayContaining([
        'custom_field.created',
        'custom_field.updated',
        'custom_field.deactivated',
        'custom_field.deleted',
      ]),
    );
  });

  it('refuses field management to agents and supervisors', async () => {
    expect((await api('POST', '/custom-fields', agent, { key: 'x1', label: 'x', fieldType: 'text' })).statusCode).toBe(
      403,
    );
    expect(
      (await api('POST', '/custom-fields', supervisor, { key: 'x2', label: 'x', fieldType: 'text' })).statusCode,
    ).toBe(403);
  });
});

describe('saved views', () => {
  it('keeps personal views personal: others get 404', async () => {
    const created = await api('POST', '/views', agent, {
      name: 'My urgent',
      filters: { view: 'mine', status: 'open,pending', priority: 'urgent' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const view = created.json();
    expect(view.isShared).toBe(false);
    expect(view.ownerId).toBe(agent.id);

    expect((await api('GET', '/views', agent)).json().items.map((v: { id: string }) => v.id)).toContain(view.id);
    expect((await api('GET', '/views', agent2)).json().items.map((v: { id: string }) => v.id)).not.toContain(view.id);
    expect((await api('PATCH', `/views/${view.id}`, agent2, { name: 'stolen' })).statusCode).toBe(404);
    expect((await api('DELETE', `/views/${view.id}`, agent2)).statusCode).toBe(404);
    expect((await api('DELETE', `/views/${view.id}`, admin)).statusCode).toBe(404);

    const renamed = await api('PATCH', `/views/${view.id}`, agent, {
      name: 'Urgent for me',
      filters: { view: 'mine', sort: 'priority_desc' },
    });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json().filters).toEqual({ view: 'mine', sort: 'priority_desc' });
    expect((await api('DELETE', `/views/${view.id}`, agent)).statusCode).toBe(204);
    expect(await eventTypes('view.')).toEqual(['view.created', 'view.updated', 'view.deleted']);
  });

  it('shares views only with views:share, and everyone sees shared views', async () => {
    expect(
      (await api('POST', '/views', agent, { name: 'Team view', filters: { view: 'all' }, isShared: true })).statusCode,
    ).toBe(403);
    // views:share is a role permission no API token scope grants, so the supervisor uses a browser session
    const shared = await api(
      'POST',
      '/views',
      supervisor,
      { name: 'Unassigned Bengali', filters: { view: 'unassigned', language: 'bn' }, isShared: true },
      true,
    );
    expect(shared.statusCode, shared.body).toBe(201);
    const id = shared.json().id;
    expect((await api('GET', '/views', agent)).json().items.map((v: { id: string }) => v.id)).toContain(id);
    expect((await api('GET', '/views', collaborator)).json().items.map((v: { id: string }) => v.id)).toContain(id);
    expect((await api('PATCH', `/views/${id}`, agent, { name: 'mine now' })).statusCode).toBe(403);
    expect((await api('DELETE', `/views/${id}`, agent)).statusCode).toBe(403);
    const own = (await api('POST', '/views', agent, { name: 'Personal', filters: {} })).json();
    expect((await api('PATCH', `/views/${own.id}`, agent, { isShared: true })).statusCode).toBe(403);
    expect((await api('PATCH', `/views/${id}`, admin, { name: 'Unassigned (bn)' }, true)).json().name).toBe(
      'Unassigned (bn)',
    );
  });

  it('refuses filters the ticket list would not accept, naming them', async () => {
    const badStatus = await api('POST', '/views', agent, { name: 'x', filters: { status: 'open,sleeping' } });
    expect(badStatus.statusCode).toBe(400);
    expect(badStatus.json().errors[0].path).toMatch(/^filters\.status/);
    const unknown = await api('POST', '/views', agent, { name: 'x', filters: { colour: 'red' } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors[0].path).toContain('filters');
    const badView = await api('POST', '/views', agent, { name: 'x', filters: { view: 'everything' } });
    expect(badView.statusCode).toBe(400);
    const paging = await api('POST', '/views', agent, { name: 'x', filters: { cursor: 'abc' } });
    expect(paging.statusCode).toBe(400);
  });

  it('answers 404 for a view that does not exist', async () => {
    expect((await api('PATCH', '/views/00000000-0000-4000-8000-000000000000', admin, { name: 'x' })).statusCode).toBe(
      404,
    );
  });
});
