import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enableAutoPrepare } from '../src/platform/db/auto-prepare.ts';
import { connectDatabase } from '../src/platform/db/client.ts';
import { createTestDatabase, type TestDatabase } from './harness.ts';

/** Repeated queries become prepared statements on the server, within a bound; see platform/db/auto-prepare.ts. */
let db: TestDatabase;
const pools: pg.Pool[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  for (const p of pools) await p.end();
  await db.drop();
});

async function preparedOn(client: pg.PoolClient): Promise<string[]> {
  const { rows } = await client.query<{ statement: string }>(
    'SELECT statement FROM pg_prepared_statements ORDER BY prepare_time',
  );
  return rows.map((r) => r.statement);
}

describe('auto-prepared statements', () => {
  it('prepares a parameterised query the second time it runs, and answers the same from then on', async () => {
    const c = await db.database.pool.connect();
    try {
      const text = 'SELECT $1::int + 1 AS x /* auto-prepare test */';
      expect((await c.query(text, [1])).rows).toEqual([{ x: 2 }]);
      expect(await preparedOn(c)).not.toContain(text);
      expect((await c.query(text, [2])).rows).toEqual([{ x: 3 }]);
      expect(await preparedOn(c)).toContain(text);
      expect((await c.query({ text, values: [41] })).rows).toEqual([{ x: 42 }]);
      // a text without values (BEGIN, scripts) is never named
      await c.query('SELECT 1 AS plain');
      await c.query('SELECT 1 AS plain');
      expect(await preparedOn(c)).not.toContain('SELECT 1 AS plain');
    } finally {
      c.release();
    }
    expect(db.database.preparedStatements().prepared).toBeGreaterThan(0);
  });

  it('drizzle queries inside a transaction use the prepared statement on that connection', async () => {
    const { sql } = await import('drizzle-orm');
    const seen = await db.database.db.transaction(async (tx) => {
      for (let i = 0; i < 3; i += 1) await tx.execute(sql`SELECT ${i}::int AS n /* drizzle tx */`);
      return tx.execute(sql`SELECT statement FROM pg_prepared_statements WHERE statement LIKE ${'%drizzle tx%'}`);
    });
    expect(seen.rows.map((r) => r.statement)).toEqual(['SELECT $1::int AS n /* drizzle tx */']);
  });

  it('prepares at most maxStatements texts per process; the rest run unnamed', async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    pools.push(pool);
    const stats = enableAutoPrepare(pool, { threshold: 1, maxStatements: 2 });
    for (const k of [1, 2, 3, 4]) {
      expect((await pool.query(`SELECT $1::int * ${k} AS v`, [10])).rows).toEqual([{ v: 10 * k }]);
    }
    const c = await pool.connect();
    try {
      expect(await preparedOn(c)).toEqual(['SELECT $1::int * 1 AS v', 'SELECT $1::int * 2 AS v']);
    } finally {
      c.release();
    }
    expect(stats().prepared).toBe(2);
  });

  it('a statement that fails keeps failing with its own error, not with a missing prepared statement', async () => {
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    pools.push(pool);
    enableAutoPrepare(pool, { threshold: 1 });
    for (let i = 0; i < 2; i += 1) {
      await expect(pool.query('SELECT $1::int FROM no_such_table', [1])).rejects.toThrow(
        /relation "no_such_table" does not exist/,
      );
    }
    expect((await pool.query('SELECT $1::int AS ok', [1])).rows).toEqual([{ ok: 1 }]);
  });

  it('can be switched off (a pooler in transaction mode cannot keep prepared statements)', async () => {
    const database = connectDatabase(db.url, { max: 1, preparedStatements: false });
    try {
      const c = await database.pool.connect();
      try {
        for (let i = 0; i < 3; i += 1) await c.query('SELECT $1::int AS off', [i]);
        expect(await preparedOn(c)).toEqual([]);
      } finally {
        c.release();
      }
      expect(database.preparedStatements().prepared).toBe(0);
    } finally {
      await database.close();
    }
  });
});
