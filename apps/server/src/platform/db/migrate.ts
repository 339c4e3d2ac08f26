import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { serverPath } from '../server-root.ts';
import { connectDatabase } from './client.ts';

export const MIGRATIONS_DIR = serverPath('drizzle');

/** pg_advisory_lock key held while migrating ('seva' + 'migr' as two int4s would read worse; any constant works) */
const MIGRATION_LOCK_KEY = 7_336_201_815;

/**
 * Applies every pending migration. An explicit step (`seva migrate`, or `seva serve --migrate` as `npm start`
 * runs it), never implicit at boot. Processes starting together take turns on an advisory lock, so each migration
 * runs once and the later ones find nothing left to do.
 */
export async function runMigrations(url: string): Promise<void> {
  const lock = new pg.Client({ connectionString: url, application_name: 'seva-migrate-lock' });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const database = connectDatabase(url, { max: 1 });
    try {
      await migrate(database.db, { migrationsFolder: MIGRATIONS_DIR });
    } finally {
      await database.close();
    }
  } finally {
    // ending the session releases the lock, also when the migration failed
    await lock.end();
  }
}

/**
 * How many migrations on disk `runMigrations` would apply: the ones newer than the newest applied (drizzle's migrator
 * goes by each file's timestamp, not its hash). Serving refuses to start while any is pending. Counting by hash
 * instead would disagree with the migrator after an edited migration file: `serve` would demand a `migrate` that
 * then applies nothing, for ever.
 */
export async function pendingMigrationCount(url: string): Promise<number> {
  const { readMigrationFiles } = await import('drizzle-orm/migrator');
  const files = readMigrationFiles({ migrationsFolder: MIGRATIONS_DIR });
  const database = connectDatabase(url, { max: 1 });
  try {
    const { rows } = await database.pool.query<{ exists: boolean }>(
      `SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS exists`,
    );
    if (!rows[0]?.exists) return files.length;
    const last = await database.pool.query<{ at: string | null }>(
      'SELECT max(created_at)::text AS at FROM drizzle.__drizzle_migrations',
    );
    const appliedUpTo = Number(last.rows[0]?.at ?? Number.NEGATIVE_INFINITY);
    return files.filter((f) => f.folderMillis > appliedUpTo).length;
  } finally {
    await database.close();
  }
}
