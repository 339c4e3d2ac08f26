import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoData } from '../src/demo/load-demo-data.ts';
import { verifyPassword } from '../src/platform/auth/passwords.ts';
import { normaliseForSearch } from '../src/platform/text/normalise.ts';
import { createStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';

let t: TestApp;
let summary: Record<string, number | string>;

async function one<T>(text: string, params: unknown[] = []): Promise<T> {
  const { rows } = await t.db.database.pool.query(text, params);
  return rows[0] as T;
}
async function all<T>(text: string, params: unknown[] = []): Promise<T[]> {
  const { rows } = await t.db.database.pool.query(text, params);
  return rows as T[];
}

beforeAll(async () => {
  t = await createTestApp();
  summary = await loadDemoData({ db: t.deps.db, clock: t.clock }, { ticketCount: 200, seed: 42 });
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe('loading demo data', () => {
  it('creates the requested tickets, each with a conversation', async () => {
    expect(summary.tickets).toBe(200);
    expect((await one<{ n: number }>('SELECT count(*)::int AS n FROM tickets')).n).toBe(200);
    expect(
      (
        await one<{ n: number }>(
          'SELECT count(*)::int AS n FROM tickets t WHERE NOT EXISTS (SELECT 1 FROM messages m WHERE m.ticket_id = t.id)',
        )
      ).n,
    ).toBe(0);
    const { n } = await one<{ n: number }>('SELECT count(*)::int AS n FROM messages');
    expect(n).toBe(summary.messages);
    expect(n).toBeGreaterThan(400);
  });

  it('creates a demo admin who can sign in and a staff of agents, supervisors and collaborators including a CEO', async () => {
    const admin = await one<{ role: string; password_hash: string }>(
      "SELECT role, password_hash FROM staff_users WHERE email = 'demo@seva.local'",
    );
    expect(admin.role).toBe('admin');
    expect(await verifyPassword(admin.password_hash, 'seva-demo-password')).toBe(true);
    const roles = await all<{ role: string; n: number }>(
      'SELECT role, count(*)::int AS n FROM staff_users GROUP BY role',
    );
    const byRole = Object.fromEntries(roles.map((r) => [r.role, r.n]));
    expect(byRole.agent).toBeGreaterThanOrEqual(4);
    expect(byRole.supervisor).toBeGreaterThanOrEqual(1);
    expect(byRole.collaborator).toBeGreaterThanOrEqual(2);
    const total = roles.reduce((s, r) => s + r.n, 0);
    expect(total).toBeGreaterThanOrEqual(9);
    expect(total).toBeLessThanOrEqual(13);
    expect(
      (
        await one<{ n: number }>(
          "SELECT count(*)::int AS n FROM staff_users WHERE role = 'collaborator' AND name LIKE '%CEO%'",
        )
      ).n,
    ).toBe(1);
  });

  it('sets up teams, translated categories, custom fields, organisations and customers with identities', async () => {
    const teams = await all<{ name: string }>('SELECT name FROM teams');
    expect(teams.map((x) => x.name)).toEqual(expect.arrayContaining(['Billing', 'Technical', 'Delivery', 'Plumbing']));
    const cats = await all<{ translations: Record<string, string> }>('SELECT translations FROM categories');
    expect(cats.length).toBeGreaterThanOrEqual(5);
    for (const c of cats) {
      expect(c.translations.bn).toMatch(/[\u0980-\u09FF]/);
      expect(c.translations.hi).toMatch(/[\u0900-\u097F]/);
    }
    expect((await one<{ n: number }>('SELECT count(*)::int AS n FROM custom_fields')).n).toBeGreaterThanOrEqual(2);
    expect((await one<{ n: number }>('SELECT count(*)::int AS n FROM organisations')).n).toBeGreaterThanOrEqual(3);
    expect(
      (
        await one<{ n: number }>(
          "SELECT count(DISTINCT customer_id)::int AS n FROM customer_identities WHERE kind = 'email'",
        )
      ).n,
    ).toBeGreaterThanOrEqual(40);
    expect(
      (await one<{ n: number }>("SELECT count(*)::int AS n FROM customer_identities WHERE kind = 'phone'")).n,
    ).toBeGreaterThan(0);
    expect((await one<{ n: number }>("SELECT count(*)::int AS n FROM customers WHERE search_text = ''")).n).toBe(0);
  });

  it('writes tickets in English, Bengali and Hindi across channels, with real script in the messages', async () => {
    const langs = await all<{ language: string }>('SELECT DISTINCT language FROM tickets');
    expect(langs.map((l) => l.language).sort()).toEqual(['bn', 'en', 'hi']);
    const channels = await all<{ channel: string }>('SELECT DISTINCT channel FROM tickets');
    expect(channels.length).toBeGreaterThanOrEqual(5);
    expect(
      (
        await one<{ n: number }>(
          "SELECT count(*)::int AS n FROM messages m JOIN tickets t ON t.id = m.ticket_id WHERE t.language = 'bn' AND m.body_text ~ '[\u0980-\u09FF]'",
        )
      ).n,
    ).toBeGreaterThan(0);
    expect(
      (
        await one<{ n: number }>(
          "SELECT count(*)::int AS n FROM messages m JOIN tickets t ON t.id = m.ticket_id WHERE t.language = 'hi' AND m.body_text ~ '[\u0900-\u097F]'",
        )
      ).n,
    ).toBeGreaterThan(0);
    expect(
      (await one<{ n: number }>("SELECT count(*)::int AS n FROM messages WHERE body_text ~ '\\{[a-z]+\\}'")).n,
    ).toBe(0);
    expect(
      (await one<{ n: number }>("SELECT count(*)::int AS n FROM messages WHERE kind = 'internal'")).n,
    ).toBeGreaterThan(0);
  });

  it('numbers messages 1..n per ticket and keeps last_seq and message_count consistent', async () => {
    const broken = await all(`
      SELECT t.id FROM tickets t JOIN (
        SELECT ticket_id, count(*)::int AS n, min(seq) AS mn, max(seq) AS mx, count(DISTINCT seq)::int AS d FROM messages GROUP BY ticket_id
      ) m ON m.ticket_id = t.id
      WHERE m.mn <> 1 OR m.mx <> m.n OR m.d <> m.n OR t.last_seq <> m.mx OR t.message_count <> m.n`);
    expect(broken).toEqual([]);
  });

  it('fills search text for tickets and messages the way the search module normalises it', async () => {
    expect((await one<{ n: number }>("SELECT count(*)::int AS n FROM tickets WHERE search_text = ''")).n).toBe(0);
    expect((await one<{ n: number }>("SELECT count(*)::int AS n FROM messages WHERE search_text = ''")).n).toBe(0);
    expect(
      (await one<{ n: number }>('SELECT count(*)::int AS n FROM messages WHERE search_text <> lower(search_text)')).n,
    ).toBe(0);
    const sample = await all<{ body_text: string; search_text: string }>(
      'SELECT body_text, search_text FROM messages ORDER BY random() LIMIT 200',
    );
    for (const m of sample) expect(m.search_text).toBe(normaliseForSearch(m.body_text));
    const bengali = await one<{ n: number }>(
      "SELECT count(*)::int AS n FROM messages WHERE search_vector @@ to_tsquery('simple', 'ধন্যবাদ')",
    );
    const hindi = await one<{ n: number }>(
      "SELECT count(*)::int AS n FROM messages WHERE search_vector @@ to_tsquery('simple', 'धन्यवाद')",
    );
    expect(bengali.n + hindi.n).toBeGreaterThan(0);
  });

  it('backdates tickets over six months, with older ones mostly solved or closed and nothing in the future', async () => {
    const now = t.clock.now();
    const span = await one<{ oldest: Date; newest: Date; future: number }>(
      `SELECT min(created_at) AS oldest, max(created_at) AS newest,
              (SELECT count(*)::int FROM messages WHERE created_at > $1) + (SELECT count(*)::int FROM events WHERE created_at > $1 AND type <> 'demo.loaded') AS future
         FROM tickets`,
      [now],
    );
    expect(now.getTime() - span.oldest.getTime()).toBeGreaterThan(60 * 86_400_000);
    expect(now.getTime() - span.oldest.getTime()).toBeLessThan(190 * 86_400_000);
    expect(span.future).toBe(0);
    const old = await one<{ total: number; done: number }>(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE status IN ('solved', 'closed'))::int AS done
         FROM tickets WHERE created_at < $1::timestamptz - interval '30 days'`,
      [now],
    );
    expect(old.done / old.total).toBeGreaterThan(0.8);
    expect(
      (
        await one<{ n: number }>(
          "SELECT count(*)::int AS n FROM tickets WHERE status = 'closed' AND (closed_at IS NULL OR solved_at IS NULL)",
        )
      ).n,
    ).toBe(0);
  });

  it('records a backdated event log that agrees with each ticket', async () => {
    const types = await all<{ type: string; n: number }>('SELECT type, count(*)::int AS n FROM events GROUP BY type');
    const byType = Object.fromEntries(types.map((x) => [x.type, x.n]));
    expect(byType['ticket.created']).toBe(200);
    expect(byType['message.added']).toBe(summary.messages);
    expect(byType['ticket.status_changed']).toBeGreaterThan(100);
    expect(byType['ticket.assigned']).toBeGreaterThan(100);
    expect(
      (
        await one<{ n: number }>(
          "SELECT count(*)::int AS n FROM events WHERE type = 'ticket.created' AND NOT (payload ? 'number')",
        )
      ).n,
    ).toBe(0);
    // the last status change of every ticket lands on its current status
    const mismatched = await all(`
      SELECT t.id FROM tickets t
      JOIN LATERAL (SELECT payload->>'to' AS last_to FROM events e WHERE e.ticket_id = t.id AND e.type = 'ticket.status_changed' ORDER BY e.id DESC LIMIT 1) s ON true
      WHERE s.last_to <> t.status`);
    expect(mismatched).toEqual([]);
    expect(
      (await one<{ n: number }>("SELECT count(*)::int AS n FROM tickets WHERE status <> 'new' AND assignee_id IS NULL"))
        .n,
    ).toBe(0);
  });

  it('brings collaborators onto some tickets', async () => {
    expect((await one<{ n: number }>('SELECT count(*)::int AS n FROM ticket_collaborators')).n).toBeGreaterThan(0);
    expect(
      (await one<{ n: number }>("SELECT count(*)::int AS n FROM events WHERE type = 'ticket.collaborator_added'")).n,
    ).toBeGreaterThan(0);
  });

  it('serves the demo tickets and conversations through the API', async () => {
    const agent = await createStaff(t, 'agent');
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/tickets?view=all&limit=50', headers: agent.bearer });
    expect(list.statusCode).toBe(200);
    const items = list.json().items as Array<{ id: string; language: string }>;
    expect(items.length).toBe(50);
    for (const ticket of items.slice(0, 5)) {
      const one = await t.app.inject({ method: 'GET', url: `/api/v1/tickets/${ticket.id}`, headers: agent.bearer });
      expect(one.statusCode).toBe(200);
      const msgs = await t.app.inject({
        method: 'GET',
        url: `/api/v1/tickets/${ticket.id}/messages`,
        headers: agent.bearer,
      });
      expect(msgs.statusCode).toBe(200);
      const seqs = (msgs.json().items as Array<{ seq: number }>).map((m) => m.seq);
      expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    }
  });

  it('adds tickets but no duplicate staff, teams, categories or customers when run again', async () => {
    const before = await one<{
      staff: number;
      teams: number;
      cats: number;
      fields: number;
      orgs: number;
      customers: number;
    }>(
      `SELECT (SELECT count(*)::int FROM staff_users) AS staff, (SELECT count(*)::int FROM teams) AS teams,
              (SELECT count(*)::int FROM categories) AS cats, (SELECT count(*)::int FROM custom_fields) AS fields,
              (SELECT count(*)::int FROM organisations) AS orgs, (SELECT count(*)::int FROM customers) AS customers`,
    );
    const again = await loadDemoData({ db: t.deps.db, clock: t.clock }, { ticketCount: 30 });
    expect(again.staffCreated).toBe(0);
    expect(again.customersCreated).toBe(0);
    const after = await one<typeof before>(
      `SELECT (SELECT count(*)::int FROM staff_users) AS staff, (SELECT count(*)::int FROM teams) AS teams,
              (SELECT count(*)::int FROM categories) AS cats, (SELECT count(*)::int FROM custom_fields) AS fields,
              (SELECT count(*)::int FROM organisations) AS orgs, (SELECT count(*)::int FROM customers) AS customers`,
    );
    expect(after).toEqual(before);
    expect((await one<{ n: number }>('SELECT count(*)::int AS n FROM tickets')).n).toBe(230);
  });
});
