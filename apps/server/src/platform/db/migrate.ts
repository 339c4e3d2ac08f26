import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { connectDatabase } from './client.ts';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../drizzle');

/** Applies every pending migration. An explicit step (`seva migrate`), never implicit at boot. */
export async function runMigrations(url: string): Promise<void> {
  const database = connectDatabase(url, { max: 1 });
  try {
    await migrate(database.db, { migrationsFolder: MIGRATIONS_DIR });
  } finally {
    await database.close();
  }
}

/** True when every migration on disk has been applied. Serving refuses to start on an unmigrated database. */
export async function pendingMigrationCount(url: string): Promise<number> {
  const { readMigrationFiles } = await import('drizzle-orm/migrator');
  const files = readMigrationFiles({ migrationsFolder: MIGRATIONS_DIR });
  const database = connectDatabase(url, { max: 1 });
  try {
    const { rows } = await database.pool.query<{ exists: boolean }>(
      `SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS exists`,
    );
    if (!rows[0]?.exists) return files.length;
    const applied = await database.pool.query<{ hash: string }>('SELECT hash FROM drizzle.__drizzle_migrations');
    const done = new Set(applied.rows.map((r) => r.hash));
    return files.filter((f) => !done.has(f.hash)).length;
  } finally {
    await database.close();
  }
}
