import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import {
  REFINE_TICKET_SCRIPTS_KEY,
  refineTicketScripts,
  ticketScriptsLeftToRefine,
} from '../src/modules/search/refine-ticket-scripts.job.ts';
import { refineTicketScriptsJob } from '../src/modules/search/search.jobs.ts';
import { search } from '../src/modules/search/search.service.ts';
import { connectDatabase } from '../src/platform/db/client.ts';
import { MIGRATIONS_DIR, runMigrations } from '../src/platform/db/migrate.ts';
import { queueName } from '../src/platform/jobs/jobs.ts';
import { SCRIPT, SCRIPTS_NOT_WORKED_OUT } from '../src/platform/text/scripts.ts';
import { createStaff, staffActor, type TestStaff } from './factories.ts';
import { createEmptyDatabase, createTestApp, createTestDatabase, type TestApp } from './harness.ts';
import { insertCustomer, insertTicket } from './search-fixtures.ts';
import { api, openTicket } from './tickets-helpers.ts';

/**
 * Migration 0041 marks the tickets that already exist with 15 (every script, and unknown) instead of reading all
 * their messages at start-up; the search module's job works their bits out later, in batches. Meanwhile search must
 * find them as if their bits were known (15 passes every script test), and the job must give each exactly its text's
 * bits, leave tickets written since alone, and finish however many batches it takes.
 */
const { latin, bengali, devanagari, unknown } = SCRIPT;
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

let t: TestApp;
let agent: TestStaff;
let customer: string;

beforeAll(async () => {
  t = await createTestApp();
  agent = await createStaff(t, 'agent');
  customer = await insertCustomer(t, 'Mita Das', 'mita@example.com');
});
afterAll(async () => {
  await t?.close();
});

/** A ticket as migration 0041 leaves one that existed before it: 15, with the job's cursor row in place. */
async function olderTicket(subject: string, bodies: string[]): Promise<string> {
  const { id } = await insertTicket(t, { subject, customerId: customer, messages: bodies.map((body) => ({ body })) });
  await t.deps.db.execute(sql`UPDATE tickets SET scripts = ${SCRIPTS_NOT_WORKED_OUT} WHERE id = ${id}`);
  await t.deps.db.execute(sql`
    INSERT INTO settings (key, value) VALUES (${REFINE_TICKET_SCRIPTS_KEY}, ${JSON.stringify({ after: NIL_UUID })}::jsonb)
    ON CONFLICT (key) DO UPDATE SET value = excluded.value`);
  return id;
}

async function scriptsOf(id: string): Promise<number> {
  const res = await t.deps.db.execute<{ scripts: number }>(sql`SELECT scripts FROM tickets WHERE id = ${id}`);
  return Number(res.rows[0]?.scripts);
}

/** Every ticket's bits and row version: a row the job wrote, even with the same value, gets a new xmin. */
async function everyTicketRow(): Promise<Array<{ id: string; scripts: number; xmin: string }>> {
  const res = await t.deps.db.execute<{ id: string; scripts: number; xmin: string }>(
    sql`SELECT id, scripts, xmin::text AS xmin FROM tickets ORDER BY id`,
  );
  return res.rows;
}

/** Every ticket found for `q` newest first through the recency walk (a threshold of 1 makes every word common). */
async function walkFinds(q: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const r = await search(t.deps, {
      actor: staffActor(agent),
      q,
      type: 'tickets',
      sort: 'recent',
      limit: 2,
      cursor,
      tuning: { exactRankingCap: 1, minWindow: 2 },
    });
    ids.push(...r.tickets.map((x) => x.id));
    cursor = r.nextCursor ?? undefined;
    pages += 1;
  } while (cursor && pages < 100);
  return ids.sort();
}

describe('tickets not yet worked out (15)', () => {
  let english: string;
  let bengaliReply: string;
  let hindiReply: string;
  let hindiSubject: string;

  beforeAll(async () => {
    english = await olderTicket('Parcel late', ['where is my parcel', 'still waiting for the parcel']);
    bengaliReply = await olderTicket('Refund please', ['আমার টাকাফেরত কবে আসবে', 'thank you']);
    hindiReply = await olderTicket('বিল সমস্যা', ['मेरा पैसेवापसी कब होगा']);
    hindiSubject = await olderTicket('पैसेवापसी नहीं मिली', []);
    // newer tickets on top, written since the migration (their bits kept by the triggers), in every script
    await openTicket(t, agent, { subject: 'New order', body: 'my parcel arrived broken' });
    await openTicket(t, agent, { subject: 'নতুন', body: 'টাকাফেরত চাই এখনই' });
    await openTicket(t, agent, { subject: 'नया', body: 'पैसेवापसी जल्दी करें' });
    await openTicket(t, agent, { subject: 'Login', body: 'cannot sign in' });
  });

  it('are found by a common word in every script, newest first, before the job has run', async () => {
    for (const id of [english, bengaliReply, hindiReply, hindiSubject]) expect(await scriptsOf(id)).toBe(15);
    expect(await walkFinds('parcel')).toEqual(expect.arrayContaining([english]));
    expect(await walkFinds('টাকাফেরত')).toEqual(expect.arrayContaining([bengaliReply]));
    const hindi = await walkFinds('पैसेवापसी');
    expect(hindi).toEqual(expect.arrayContaining([hindiReply, hindiSubject]));
    expect(await walkFinds('টাকাফেরত')).toHaveLength(2);
    expect(hindi).toHaveLength(3);
  });

  it('get exactly their subject’s and messages’ bits from the job, without the unknown bit', async () => {
    const r = await refineTicketScripts(t.deps.db);
    expect(r).toMatchObject({ done: true, busy: false, refined: 4 });
    expect(await scriptsOf(english)).toBe(latin);
    expect(await scriptsOf(bengaliReply)).toBe(latin | bengali);
    expect(await scriptsOf(hindiReply)).toBe(bengali | devanagari);
    expect(await scriptsOf(hindiSubject)).toBe(devanagari);
    for (const row of await everyTicketRow()) expect(row.scripts & unknown, row.id).toBe(0);
    expect(await ticketScriptsLeftToRefine(t.deps.db)).toBe(false);
    // and search still finds them, now passing over the ones of other scripts on their row
    expect(await walkFinds('টাকাফেরত')).toEqual(expect.arrayContaining([bengaliReply]));
    expect(await walkFinds('पैसेवापसी')).toEqual(expect.arrayContaining([hindiReply, hindiSubject]));
  });
});

describe('the job that works them out', () => {
  it('never touches a ticket written since the migration, whose bits the triggers keep', async () => {
    // a Bengali reply split off: the original keeps the Bengali bit (bits only grow), which reading its messages
    // again would drop — so the job must not read them at all
    const newer = await openTicket(t, agent, { subject: 'Account', body: 'cannot log in' });
    const reply = await api(t, agent, 'POST', `/tickets/${newer.id}/messages`, { body: 'পাসওয়ার্ড কাজ করছে না' });
    expect(reply.statusCode, reply.body).toBe(201);
    const split = await api(t, agent, 'POST', `/tickets/${newer.id}/split`, { messageId: reply.json().id });
    expect(split.statusCode, split.body).toBe(201);
    expect(await scriptsOf(newer.id)).toBe(latin | bengali);
    const older = await olderTicket('Old account', ['password reset']);
    const before = (await everyTicketRow()).filter((r) => r.id !== older);

    expect(await refineTicketScripts(t.deps.db, { batchSize: 2 })).toMatchObject({ done: true, refined: 1 });
    expect(await scriptsOf(older)).toBe(latin);
    expect(await scriptsOf(newer.id)).toBe(latin | bengali);
    expect((await everyTicketRow()).filter((r) => r.id !== older)).toEqual(before);
  });

  it('finishes every ticket in batches smaller than their number, across jobs, and a second run changes nothing', async () => {
    const older: string[] = [];
    for (let i = 0; i < 7; i += 1) older.push(await olderTicket(`Batch ${i}`, [i % 2 ? 'ঠিকানা বদল' : 'address change']));
    // a slice of 0 ms: every job does one batch and leaves the rest to its sequel, from the stored cursor
    let jobs = 0;
    let refined = 0;
    for (;;) {
      jobs += 1;
      const r = await refineTicketScripts(t.deps.db, { batchSize: 2, sliceMs: 0 });
      refined += r.refined;
      if (r.done) break;
      expect(jobs).toBeLessThan(20);
    }
    expect(jobs).toBe(4);
    expect(refined).toBe(7);
    for (const [i, id] of older.entries()) expect(await scriptsOf(id)).toBe(i % 2 ? latin | bengali : latin);
    expect(await ticketScriptsLeftToRefine(t.deps.db)).toBe(false);

    const after = await everyTicketRow();
    expect(await refineTicketScripts(t.deps.db, { batchSize: 2 })).toMatchObject({ done: true, batches: 0 });
    // even with the cursor row put back (a second migration run, a restored row), nothing is written
    await t.deps.db.execute(sql`
      INSERT INTO settings (key, value) VALUES (${REFINE_TICKET_SCRIPTS_KEY}, ${JSON.stringify({ after: NIL_UUID })}::jsonb)`);
    expect(await refineTicketScripts(t.deps.db, { batchSize: 2 })).toMatchObject({ done: true, refined: 0 });
    expect(await everyTicketRow()).toEqual(after);
  });

  it('leaves the walk to the worker in a batch of it and ends without waiting', async () => {
    const older = await olderTicket('Taken', ['another worker has this']);
    const other = await t.db.database.pool.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT 1 FROM settings WHERE key = $1 FOR UPDATE', [REFINE_TICKET_SCRIPTS_KEY]);
      expect(await refineTicketScripts(t.deps.db)).toEqual({ batches: 0, refined: 0, done: false, busy: true });
      expect(await scriptsOf(older)).toBe(15);
    } finally {
      await other.query('ROLLBACK');
      other.release();
    }
    expect(await refineTicketScripts(t.deps.db)).toMatchObject({ done: true, refined: 1 });
  });
});

describe('in a worker process', () => {
  it('runs by itself at start-up while tickets are left to work out, and leaves nothing queued after', async () => {
    const older = await olderTicket('Worker', ['কাজ চলছে', 'on it']);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'seva-test-worker-'));
    const database = connectDatabase(t.db.url, { max: 5 });
    let worker: FastifyInstance | null = null;
    try {
      worker = await buildApp({
        config: loadConfig({ NODE_ENV: 'test', SEVA_DATA_DIR: dir, SEVA_LOG_LEVEL: 'silent', SEVA_ROLES: 'worker' }),
        database,
        clock: t.clock,
        logger: false,
      });
      await worker.ready();
      const until = Date.now() + 15_000;
      while ((await ticketScriptsLeftToRefine(t.deps.db)) && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await scriptsOf(older)).toBe(latin | bengali);
      expect(await ticketScriptsLeftToRefine(t.deps.db)).toBe(false);
      // the job that finished queued no sequel, and the one the worker sent at start-up is done too
      const queued = async () =>
        (
          await t.deps.db.execute<{ n: number }>(sql`
            SELECT count(*)::int AS n FROM pgboss.job
            WHERE name = ${queueName(refineTicketScriptsJob)} AND state IN ('created', 'retry', 'active')`)
        ).rows[0]?.n;
      while ((await queued()) !== 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
      expect(await queued()).toBe(0);
    } finally {
      await worker?.close();
      await database.close();
      await fs.rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe('migration 0041 on a desk that already has tickets', () => {
  let dir = '';

  afterAll(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  /** The migrations folder as it was before 0041. */
  async function migrationsBefore0041(): Promise<string> {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'seva-before-0041-'));
    await fs.mkdir(path.join(dir, 'meta'));
    const journal = JSON.parse(await fs.readFile(path.join(MIGRATIONS_DIR, 'meta/_journal.json'), 'utf8')) as {
      entries: Array<{ idx: number; tag: string }>;
    };
    journal.entries = journal.entries.filter((e) => e.idx < 41);
    await fs.writeFile(path.join(dir, 'meta/_journal.json'), JSON.stringify(journal));
    for (const e of journal.entries)
      await fs.copyFile(path.join(MIGRATIONS_DIR, `${e.tag}.sql`), path.join(dir, `${e.tag}.sql`));
    return dir;
  }

  it('marks existing tickets 15 without rewriting the table, and the job then works them out', async () => {
    const empty = await createEmptyDatabase();
    const url = empty.url;
    const database = connectDatabase(url, { max: 2 });
    try {
      await migrate(database.db, { migrationsFolder: await migrationsBefore0041() });
      const pool = database.pool;
      const c = await pool.query<{ id: string }>(`INSERT INTO customers (name) VALUES ('Old customer') RETURNING id`);
      const old = await pool.query<{ id: string }>(
        `INSERT INTO tickets (subject, channel, customer_id, search_text) VALUES ('Refund', 'email', $1, 'refund')
         RETURNING id`,
        [c.rows[0]?.id],
      );
      const oldId = old.rows[0]?.id;
      await pool.query(
        `INSERT INTO messages (ticket_id, seq, kind, author_type, channel, body_text, search_text)
         VALUES ($1, 1, 'public', 'customer', 'email', 'টাকা ফেরত', 'টাকা ফেরত')`,
        [oldId],
      );
      const fileBefore = await pool.query(`SELECT pg_relation_filenode('tickets') AS f`);

      await runMigrations(url);

      // a constant default: no table rewrite (the same file), every existing row reads 15
      expect((await pool.query(`SELECT pg_relation_filenode('tickets') AS f`)).rows).toEqual(fileBefore.rows);
      expect((await pool.query(`SELECT scripts FROM tickets WHERE id = $1`, [oldId])).rows).toEqual([
        { scripts: SCRIPTS_NOT_WORKED_OUT },
      ]);
      expect(await ticketScriptsLeftToRefine(database.db)).toBe(true);
      // new tickets start at 0 and get their bits from the triggers
      const fresh = await pool.query<{ scripts: number }>(
        `INSERT INTO tickets (subject, channel, customer_id, search_text) VALUES ('New', 'email', $1, 'new')
         RETURNING scripts`,
        [c.rows[0]?.id],
      );
      expect(fresh.rows).toEqual([{ scripts: latin }]);

      expect(await refineTicketScripts(database.db)).toMatchObject({ done: true, refined: 1 });
      expect((await pool.query(`SELECT scripts FROM tickets ORDER BY subject`)).rows).toEqual([
        { scripts: latin },
        { scripts: latin | bengali },
      ]);
      expect(await ticketScriptsLeftToRefine(database.db)).toBe(false);
    } finally {
      await database.close();
      await empty.drop();
    }
  }, 60_000);

  it('leaves a desk that had no tickets nothing to work out', async () => {
    // test databases are copies of a template migrated while empty
    const empty = await createTestDatabase();
    try {
      expect(await ticketScriptsLeftToRefine(empty.database.db)).toBe(false);
    } finally {
      await empty.drop();
    }
  });
});
