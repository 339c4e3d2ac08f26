import { createRequire } from 'node:module';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processNextInboundEmail } from '../src/modules/email/process-inbound-email.job.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { handDrivenIngestDeps } from './ingest-deps.ts';
import { api } from './tickets-helpers.ts';

/**
 * Issue 10: the hot queries must stay on their indexes. Seeds a desk big enough for the planner to prefer an index
 * when one fits (bulk SQL: 30,000 tickets, 120,000 messages), runs the real endpoints through app.inject while every
 * statement the server sends is captured, then EXPLAINs each captured read with its own parameters and fails on a
 * sequential scan of tickets or messages. The SQL is never copied here, so it cannot drift from the code.
 */
// node-postgres's own conversion of a bound value to its text form (dates, arrays, JSON)
const { prepareValue } = createRequire(import.meta.url)('pg/lib/utils.js') as { prepareValue: (v: unknown) => unknown };
const TICKETS = 30_000;
const GUARDED = new Set(['tickets', 'messages']);

interface Captured {
  text: string;
  values: unknown[];
}

let t: TestApp;
let admin: TestStaff;
let capturing = false;
const captured: Captured[] = [];
const originalQuery = pg.Client.prototype.query;

function captureQueries(): void {
  // every pool query goes through Client#query; record the reads while `capturing` is on
  (pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown }).query = function query(
    this: pg.Client,
    ...args: unknown[]
  ) {
    if (capturing) {
      const first = args[0] as string | { text?: string; values?: unknown[] };
      const text = typeof first === 'string' ? first : (first?.text ?? '');
      const values = (typeof first === 'object' && first?.values) || (Array.isArray(args[1]) ? args[1] : []);
      if (/^\s*(select|with)\b/i.test(text) && !/pg_notify|pg_advisory/i.test(text)) captured.push({ text, values });
    }
    return (originalQuery as unknown as (...a: unknown[]) => unknown).apply(this, args);
  };
}

/** A deterministic v4-shaped UUID from a text expression (the API checks UUID versions). */
const u = (expr: string) => `overlay(overlay(md5(${expr}) placing '4' from 13) placing '8' from 17)::uuid`;

async function seed(db: pg.Pool): Promise<void> {
  const customers = TICKETS / 3;
  await db.query(`
    INSERT INTO customers (id, name, search_text, created_at)
    SELECT ${u(`'c' || g`)}, 'Customer ' || g, 'customer ' || g, now() - (g % 180) * interval '1 day'
    FROM generate_series(1, ${customers}) g`);
  await db.query(`
    INSERT INTO customer_identities (customer_id, kind, value, is_primary)
    SELECT ${u(`'c' || g`)}, 'email', 'customer' || g || '@example.com', true FROM generate_series(1, ${customers}) g`);
  const words = `(ARRAY['refund not arrived', 'delivery late again', 'password reset', 'টাকা ফেরত পাইনি', 'पैसे वापस नहीं मिले', 'invoice wrong amount'])`;
  await db.query(`
    INSERT INTO tickets (id, subject, status, priority, type, tags, language, channel, customer_id, last_seq, message_count,
                         search_text, created_at, updated_at, last_message_at)
    SELECT ${u(`'t' || g`)}, ${words}[1 + g % 6] || ' ord' || lpad(g::text, 7, '0'),
           (ARRAY['new','open','pending','on_hold','solved','closed','solved','closed'])[1 + g % 8],
           (ARRAY['low','normal','normal','normal','high','urgent'])[1 + g % 6], 'question',
           CASE WHEN g % 5 = 0 THEN ARRAY['vip'] ELSE ARRAY[]::text[] END, (ARRAY['en','bn','hi'])[1 + g % 3],
           (ARRAY['email','chat','web','api'])[1 + g % 4], ${u(`'c' || (1 + g % ${customers})`)}, 4, 4,
           ${words}[1 + g % 6] || ' ord' || lpad(g::text, 7, '0'),
           now() - (${TICKETS} - g) * interval '1 minute', now() - (${TICKETS} - g) * interval '1 minute',
           now() - (${TICKETS} - g) * interval '1 minute'
    FROM generate_series(1, ${TICKETS}) g`);
  await db.query(`
    INSERT INTO messages (ticket_id, seq, kind, author_type, author_customer_id, channel, body_text, search_text, created_at)
    SELECT ${u(`'t' || g`)}, s, CASE WHEN s = 3 THEN 'internal' ELSE 'public' END, 'customer',
           ${u(`'c' || (1 + g % ${customers})`)}, 'email', ${words}[1 + (g + s) % 6] || ' message ' || s,
           ${words}[1 + (g + s) % 6] || ' message ' || s, now() - (${TICKETS} - g) * interval '1 minute' + s * interval '1 second'
    FROM generate_series(1, ${TICKETS}) g, generate_series(1, 4) s`);
  await db.query(`
    INSERT INTO events (type, ticket_id, actor_type, payload, created_at)
    SELECT 'ticket.created', ${u(`'t' || g`)}, 'system', '{}'::jsonb, now() - (${TICKETS} - g) * interval '1 minute'
    FROM generate_series(1, ${TICKETS}) g`);
  await db.query('VACUUM ANALYZE');
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

function seqScans(node: PlanNode, out: string[] = [], guarded: ReadonlySet<string> = GUARDED): string[] {
  if (node['Node Type'] === 'Seq Scan' && node['Relation Name'] && guarded.has(node['Relation Name'])) {
    out.push(node['Relation Name']);
  }
  for (const child of node.Plans ?? []) seqScans(child, out, guarded);
  return out;
}

/** Runs the request, then EXPLAINs every read it sent; answers the offending statements. */
async function offenders(url: string): Promise<string[]> {
  captured.length = 0;
  capturing = true;
  let status: number;
  try {
    status = (await api(t, admin, 'GET', url)).statusCode;
  } finally {
    capturing = false;
  }
  expect(status, url).toBe(200);
  expect(captured.length, `${url} sent no reads`).toBeGreaterThan(0);
  const bad: string[] = [];
  for (const q of [...captured]) {
    const r = await t.db.database.pool.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
      `EXPLAIN (FORMAT JSON) ${q.text}`,
      q.values,
    );
    const plan = r.rows[0]?.['QUERY PLAN'][0]?.Plan;
    if (!plan) throw new Error(`no plan for ${q.text}`);
    const scans = seqScans(plan);
    if (scans.length > 0) bad.push(`Seq Scan on ${scans.join(', ')}: ${q.text.replace(/\s+/g, ' ')}`);
    const prepared = seqScans(await preparedPlan(q));
    if (prepared.length > 0)
      bad.push(`Seq Scan on ${prepared.join(', ')} once prepared: ${q.text.replace(/\s+/g, ' ')}`);
  }
  return bad;
}

/**
 * The server runs repeated queries as prepared statements (platform/db/auto-prepare.ts), for which PostgreSQL may
 * switch to a generic plan after five runs. This prepares the query, runs it six times with its own values and
 * answers the plan PostgreSQL then uses — so a generic plan that scans every ticket fails the guard too.
 */
async function preparedPlan(q: Captured): Promise<PlanNode> {
  if (q.values.length === 0) return { 'Node Type': 'Result' };
  const args = q.values.map((v) =>
    v === null || v === undefined ? 'NULL' : pg.escapeLiteral(String(prepareValue(v))),
  );
  const execute = `EXECUTE guard_prepared(${args.join(', ')})`;
  const c = await t.db.database.pool.connect();
  try {
    await c.query(`PREPARE guard_prepared AS ${q.text}`);
    for (let i = 0; i < 6; i += 1) await c.query(execute);
    const r = await c.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(`EXPLAIN (FORMAT JSON) ${execute}`);
    const plan = r.rows[0]?.['QUERY PLAN'][0]?.Plan;
    if (!plan) throw new Error(`no prepared plan for ${q.text}`);
    return plan;
  } finally {
    await c.query('DEALLOCATE guard_prepared').catch(() => undefined);
    c.release();
  }
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await createStaff(t, 'admin');
  await seed(t.db.database.pool);
  captureQueries();
}, 120_000);

afterAll(async () => {
  pg.Client.prototype.query = originalQuery;
  await t?.close();
});

describe('the hot queries at a seeded scale', () => {
  const ticket = () => String(1000 + Math.floor(TICKETS / 2));

  it.each([
    ['inbox: open, newest first', '/tickets?view=all&status=open&limit=50'],
    ['inbox: urgent, oldest first', '/tickets?view=all&priority=urgent&sort=updated_asc&limit=50'],
    ['inbox: everything, default sort', '/tickets?limit=50'],
    ['inbox: unassigned by SLA due time', '/tickets?view=unassigned&status=new,open&sort=sla_due_asc&limit=50'],
    ['inbox: mine', '/tickets?view=mine&limit=50'],
    ['inbox: newest created', '/tickets?sort=created_desc&limit=50'],
    ['inbox: tagged', '/tickets?tag=vip&limit=50'],
    ['inbox: counts per view', '/tickets/counts'],
    ['inbox: most urgent first', '/tickets?sort=priority_desc&limit=50'],
    ['inbox: open, most urgent first', '/tickets?status=new,open&sort=priority_desc&limit=50'],
  ])('%s uses indexes on tickets', async (_name, url) => {
    expect(await offenders(url)).toEqual([]);
  });

  it('the next inbox page (cursor) uses indexes on tickets', async () => {
    const first = await api(t, admin, 'GET', '/tickets?status=open&limit=50');
    const cursor = (first.json() as { nextCursor: string | null }).nextCursor;
    expect(cursor).not.toBeNull();
    expect(await offenders(`/tickets?status=open&limit=50&cursor=${cursor}`)).toEqual([]);
  });

  it('the ticket page (ticket, messages, events, customer) uses indexes on tickets and messages', async () => {
    const res = await api(t, admin, 'GET', `/tickets/${ticket()}`);
    expect(res.statusCode, res.body).toBe(200);
    const { id, customer } = res.json() as { id: string; customer: { id: string } };
    for (const url of [
      `/tickets/${ticket()}`,
      `/tickets/${id}`,
      `/tickets/${id}/messages`,
      `/tickets/${id}/events`,
      `/customers/${customer.id}`,
    ]) {
      expect(await offenders(url), url).toEqual([]);
    }
  });

  it.each([
    ['a rare word', `/search?q=ord${String(TICKETS / 3).padStart(7, '0')}`],
    ['a common English word', '/search?q=refund'],
    ['a common Bengali word', `/search?q=${encodeURIComponent('টাকা')}`],
    ['a common Hindi word', `/search?q=${encodeURIComponent('पैसे')}`],
  ])('search for %s uses indexes on tickets and messages', async (_name, url) => {
    expect(await offenders(url)).toEqual([]);
  });

  it('taking the next inbound mail scans no inbound mail sequentially, however much processed mail the table holds (decision 0013)', async () => {
    const pool = t.db.database.pool;
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO mailboxes (address, name) VALUES ('guard@example.com', 'Guard') RETURNING id`,
    );
    await pool.query(
      `INSERT INTO inbound_emails (mailbox_id, source, message_id_header, content_hash, sha256, size_bytes, raw, status,
                                   outcome, received_at, processed_at)
       SELECT $1, 'hook', 'guard-' || g || '@example.net', md5(g::text), md5(g::text), 3, '\\x616263'::bytea,
              'processed', 'ticket_created', now() - g * interval '1 second', now()
         FROM generate_series(1, 20000) g`,
      [rows[0]?.id],
    );
    await pool.query('ANALYZE inbound_emails');
    const deps = handDrivenIngestDeps(t);
    captured.length = 0;
    capturing = true;
    try {
      expect(await processNextInboundEmail(deps)).toBeNull();
    } finally {
      capturing = false;
    }
    const claim = captured.find((q) => /skip locked/i.test(q.text));
    if (!claim) throw new Error('the queue sent no claim');
    const plain = await pool.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
      `EXPLAIN (FORMAT JSON) ${claim.text}`,
      claim.values,
    );
    const scans = (plan: PlanNode | undefined) =>
      plan ? seqScans(plan, [], new Set(['inbound_emails'])) : ['no plan'];
    expect(scans(plain.rows[0]?.['QUERY PLAN'][0]?.Plan)).toEqual([]);
    // and the generic plan a prepared statement settles on (the claim runs in a transaction rolled back here)
    const c = await pool.connect();
    try {
      await c.query('BEGIN');
      await c.query(`PREPARE guard_claim AS ${claim.text}`);
      const args = claim.values.map((v) => pg.escapeLiteral(String(prepareValue(v))));
      const execute = `EXECUTE guard_claim${args.length > 0 ? `(${args.join(', ')})` : ''}`;
      for (let i = 0; i < 6; i += 1) await c.query(execute);
      const r = await c.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(`EXPLAIN (FORMAT JSON) ${execute}`);
      expect(scans(r.rows[0]?.['QUERY PLAN'][0]?.Plan)).toEqual([]);
    } finally {
      await c.query('ROLLBACK');
      c.release();
    }
  });

  it('the insights dashboard reads no tickets or messages by sequential scan', async () => {
    expect(await offenders('/insights/dashboard')).toEqual([]);
  });

  it('a search term reads a small GIN pending list, however many tickets were just updated (decision 0009)', async () => {
    const c = await t.db.database.pool.connect();
    try {
      // every message updates its ticket's row, and each new row version's words and tags go to the pending lists
      await c.query(`UPDATE tickets SET updated_at = updated_at + interval '1 second' WHERE number < ${1000 + 6000}`);
      await c.query('SET enable_seqscan = off');
      const r = await c.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode & { 'Shared Hit Blocks'?: number } }> }>(
        `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) SELECT 1 FROM tickets t WHERE t.search_vector @@ to_tsquery('simple', 'zqxrare:*')`,
      );
      const plan = r.rows[0]?.['QUERY PLAN'][0]?.Plan;
      if (!plan) throw new Error('no plan');
      const blocks = (n: PlanNode & { 'Shared Hit Blocks'?: number; 'Shared Read Blocks'?: number }) =>
        (n['Shared Hit Blocks'] ?? 0) + (n['Shared Read Blocks'] ?? 0);
      // 256 kB is 32 pages (plus the index's own few); the 4 MB default leaves hundreds here
      expect(blocks(plan)).toBeLessThan(48);
      const opts = await c.query<{ relname: string; reloptions: string[] | null }>(
        `SELECT relname, reloptions FROM pg_class WHERE relname = ANY($1) ORDER BY relname`,
        [['customers_search_trgm_idx', 'messages_search_vector_idx', 'tickets_search_vector_idx', 'tickets_tags_idx']],
      );
      expect(opts.rows.map((o) => [o.relname, o.reloptions])).toEqual([
        ['customers_search_trgm_idx', ['gin_pending_list_limit=256']],
        ['messages_search_vector_idx', ['gin_pending_list_limit=256']],
        ['tickets_search_vector_idx', ['gin_pending_list_limit=256']],
        ['tickets_tags_idx', ['gin_pending_list_limit=256']],
      ]);
    } finally {
      await c.query('RESET enable_seqscan');
      c.release();
    }
  });

  it('a search plans no parallel workers, even where the planner would find them free (decision 0015)', async () => {
    captured.length = 0;
    capturing = true;
    try {
      expect((await api(t, admin, 'GET', '/search?q=ord0015000')).statusCode).toBe(200);
    } finally {
      capturing = false;
    }
    const search = captured.filter((q) => /search_vector/.test(q.text) && !/^\s*explain/i.test(q.text));
    expect(search.length).toBeGreaterThan(0);
    const c = await t.db.database.pool.connect();
    try {
      await c.query('BEGIN');
      // a parallel plan made to look free: only the connection's own setting can keep it out
      for (const setting of [
        'parallel_setup_cost',
        'parallel_tuple_cost',
        'min_parallel_table_scan_size',
        'min_parallel_index_scan_size',
      ])
        await c.query(`SET LOCAL ${setting} = 0`);
      for (const q of search) {
        const r = await c.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
          `EXPLAIN (FORMAT JSON) ${q.text}`,
          q.values,
        );
        const plan = r.rows[0]?.['QUERY PLAN'][0]?.Plan;
        if (!plan) throw new Error(`no plan for ${q.text}`);
        expect(
          nodeTypes(plan).filter((n) => n.startsWith('Gather')),
          q.text,
        ).toEqual([]);
      }
    } finally {
      await c.query('ROLLBACK');
      c.release();
    }
  });

  // last: it adds tickets
  it('an inbox of one status reads that status from its index, however many newer tickets have other statuses', async () => {
    // a real desk: the newest tickets are mostly new; walking tickets in update order would skip all 5,000 of them
    await t.db.database.pool.query(`
      INSERT INTO tickets (id, subject, status, priority, type, language, channel, customer_id, last_seq, message_count,
                           search_text, created_at, updated_at, last_message_at)
      SELECT ${u(`'newest' || g`)}, 'newest ' || g, 'new', 'normal', 'question', 'en', 'email',
             ${u(`'c' || (1 + g % ${TICKETS / 3})`)}, 0, 0, 'newest ' || g,
             now() + g * interval '1 second', now() + g * interval '1 second', now() + g * interval '1 second'
      FROM generate_series(1, 5000) g`);
    await t.db.database.pool.query('ANALYZE tickets');
    captured.length = 0;
    capturing = true;
    let res: Awaited<ReturnType<typeof api>>;
    try {
      res = await api(t, admin, 'GET', '/tickets?view=all&status=open&limit=50');
    } finally {
      capturing = false;
    }
    expect(res.statusCode).toBe(200);
    expect((res.json() as { items: unknown[] }).items).toHaveLength(50);
    const list = captured.find((q) => /from "tickets"/.test(q.text) && /order by/i.test(q.text));
    if (!list) throw new Error('the list query was not captured');
    const r = await t.db.database.pool.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
      `EXPLAIN (ANALYZE, FORMAT JSON) ${list.text}`,
      list.values,
    );
    const plan = r.rows[0]?.['QUERY PLAN'][0]?.Plan;
    if (!plan) throw new Error('no plan');
    expect(ticketRowsSkipped(plan)).toBeLessThan(1000);
  });
});

function nodeTypes(node: PlanNode): string[] {
  return [node['Node Type'], ...(node.Plans ?? []).flatMap(nodeTypes)];
}

/** Tickets rows a plan read and threw away (its filters' "Rows Removed"), over every node on tickets. */
function ticketRowsSkipped(node: PlanNode & { 'Rows Removed by Filter'?: number }): number {
  const own = node['Relation Name'] === 'tickets' ? (node['Rows Removed by Filter'] ?? 0) : 0;
  return own + (node.Plans ?? []).reduce((n, c) => n + ticketRowsSkipped(c), 0);
}
