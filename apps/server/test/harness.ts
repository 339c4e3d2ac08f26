import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { inject } from 'vitest';
import { buildApp } from '../src/app.ts';
import { type Config, loadConfig } from '../src/config.ts';
import { type Clock, ManualClock } from '../src/platform/clock.ts';
import { connectDatabase, type Database } from '../src/platform/db/client.ts';
import type { Deps } from '../src/platform/deps.ts';

export interface TestDatabase {
  url: string;
  name: string;
  database: Database;
  drop(): Promise<void>;
}

async function adminQuery(text: string): Promise<void> {
  const admin = new pg.Client({ connectionString: inject('pgAdminUrl') });
  await admin.connect();
  try {
    await admin.query(text);
  } finally {
    await admin.end();
  }
}

function databaseUrl(name: string): string {
  const u = new URL(inject('pgAdminUrl'));
  u.pathname = `/${name}`;
  return u.toString();
}

/** A fresh database for one test file, cloned from the migrated template. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = inject('pgTemplate');
  const name = `${template}_f${randomBytes(5).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE ${pg.escapeIdentifier(template)}`);
  const url = databaseUrl(name);
  const database = connectDatabase(url, { max: 10 });
  return {
    url,
    name,
    database,
    drop: async () => {
      await database.close();
      await adminQuery(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
    },
  };
}

/** An empty database, not migrated (for tests of migrating itself); the caller drops it. */
export async function createEmptyDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `seva_empty_${randomBytes(5).toString('hex')}`;
  await adminQuery(
    `CREATE DATABASE ${pg.escapeIdentifier(name)} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0`,
  );
  return {
    url: databaseUrl(name),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`),
  };
}

export interface TestApp {
  app: FastifyInstance;
  deps: Deps;
  db: TestDatabase;
  clock: Clock;
  config: Config;
  close(): Promise<void>;
}

export interface TestAppOptions {
  clock?: Clock;
  env?: Record<string, string>;
}

/** Builds the real app on a fresh database. Use app.inject() for requests. */
export async function createTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'seva-test-data-'));
  // Test apps run the api and realtime roles; a test that needs the job worker and SMTP listener asks for it
  // with env SEVA_ROLES=api,realtime,worker.
  const config = loadConfig({
    NODE_ENV: 'test',
    SEVA_DATA_DIR: dataDir,
    SEVA_LOG_LEVEL: process.env.SEVA_TEST_LOG === '1' ? 'error' : 'silent',
    SEVA_ROLES: 'api,realtime',
    ...opts.env,
  });
  const clock = opts.clock ?? new ManualClock(new Date());
  const app = await buildApp({ config, database: db.database, clock, logger: process.env.SEVA_TEST_LOG === '1' });
  await app.ready();
  return {
    app,
    deps: app.deps,
    db,
    clock,
    config,
    close: async () => {
      await app.close();
      await db.drop();
      await fs.rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs `change` (a write to sessions, API tokens or staff made straight in the database) and waits until this
 * app's credential cache has heard of it over NOTIFY, as another process would (platform/auth/credential-cache.ts).
 */
export async function heard<T>(t: TestApp, change: () => Promise<T>): Promise<T> {
  const invalidated = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no credential notification within 5 s')), 5000);
    t.app.credentialCache.once('invalidated', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  const result = await change();
  await invalidated;
  return result;
}
