import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pendingMigrationCount } from '../src/platform/db/migrate.ts';
import { createTestDatabase, type TestDatabase } from './harness.ts';

/**
 * `seva serve` (without --migrate) refuses to start while a migration is pending. "Pending" must mean what the
 * migrator would apply — files newer than the newest applied one — or an edited migration file would leave a desk
 * that `serve` sends to `migrate` and `migrate` leaves as it is.
 */
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});

afterAll(async () => {
  await db?.drop();
});

describe('pending migrations', () => {
  it('counts none on a migrated database, also when an applied file has since been edited', async () => {
    expect(await pendingMigrationCount(db.url)).toBe(0);
    // what an edit of the newest applied file looks like from the database: a different hash
    await db.database.pool.query(
      `UPDATE drizzle.__drizzle_migrations SET hash = 'edited'
        WHERE created_at = (SELECT max(created_at) FROM drizzle.__drizzle_migrations)`,
    );
    expect(await pendingMigrationCount(db.url)).toBe(0);
  });

  it('counts the files newer than the newest applied one', async () => {
    await db.database.pool.query(
      `DELETE FROM drizzle.__drizzle_migrations
        WHERE created_at IN (SELECT created_at FROM drizzle.__drizzle_migrations ORDER BY created_at DESC LIMIT 2)`,
    );
    expect(await pendingMigrationCount(db.url)).toBe(2);
    await db.database.pool.query('TRUNCATE drizzle.__drizzle_migrations');
    expect(await pendingMigrationCount(db.url)).toBeGreaterThan(40);
  });
});
