import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { connectDatabase, type Database, POOL_IDLE_MS } from '../src/platform/db/client.ts';
import { createTestDatabase, type TestDatabase } from './harness.ts';

/**
 * The pool keeps its connections through a lull (POOL_IDLE_MS): a pool that shrank after node-postgres's default
 * 10 s made the next burst wait for new connections (docs/performance.md, tenth session).
 */
let t: TestDatabase;
let db: Database;

beforeAll(async () => {
  t = await createTestDatabase();
  db = connectDatabase(t.url, { max: 3 });
});

afterEach(() => {
  vi.useRealTimers();
});

afterAll(async () => {
  await db?.close();
  await t?.drop();
});

describe('the connection pool', () => {
  it('keeps idle connections through a lull of a minute, and gives them back after POOL_IDLE_MS', async () => {
    // the pool's idle timers are faked; the connections and their queries stay real
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    await Promise.all([1, 2, 3].map(() => db.pool.query('SELECT pg_sleep(0.05)')));
    expect(db.pool.totalCount).toBe(3);
    expect(db.pool.idleCount).toBe(3);
    const { pid } = (await db.pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0] ?? { pid: 0 };
    vi.advanceTimersByTime(60_000);
    expect(db.pool.totalCount).toBe(3);
    const again = (await db.pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]?.pid;
    expect(again).toBe(pid);
    vi.advanceTimersByTime(POOL_IDLE_MS + 1_000);
    expect(db.pool.totalCount).toBe(0);
  });
});
