import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { type DatabaseHandle, startEmbeddedPostgres } from '../src/platform/db/embedded.ts';
import { runMigrations } from '../src/platform/db/migrate.ts';

/**
 * One PostgreSQL for the whole run: embedded by default, or the server in DATABASE_URL (CI runs the suite once
 * against Debian's postgresql that way). A template database is migrated once; every test file clones it.
 */
let handle: DatabaseHandle | null = null;
let tmpDir: string | null = null;
let adminUrl = '';
let templateName = '';

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function setup(project: TestProject): Promise<void> {
  if (process.env.DATABASE_URL) {
    adminUrl = process.env.DATABASE_URL;
  } else {
    tmpDir = await fs.mkdtemp(path.join(os.tmpdir(), 'seva-test-pg-'));
    await fs.chmod(tmpDir, 0o755);
    handle = await startEmbeddedPostgres({ dataDir: tmpDir, database: 'postgres' });
    adminUrl = handle.url;
  }
  templateName = `seva_tpl_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(
      `CREATE DATABASE ${templateName} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`,
    );
  } finally {
    await client.end();
  }
  await runMigrations(withDatabase(adminUrl, templateName));
  project.provide('pgAdminUrl', adminUrl);
  project.provide('pgTemplate', templateName);
}

export async function teardown(): Promise<void> {
  if (adminUrl && templateName) {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2`,
        [templateName, `${templateName}_f%`],
      );
      for (const r of rows) await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(r.datname)} WITH (FORCE)`);
    } finally {
      await client.end();
    }
  }
  await handle?.stop();
  if (tmpDir) await fs.rm(tmpDir, { recursive: true, force: true });
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
  }
}
