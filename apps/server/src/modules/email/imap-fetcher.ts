import pg from 'pg';
import { imapSecurityMode } from './imap-client-options.ts';
import { type ImapMailboxSession, type ImapSessionLog, startImapMailboxSession } from './imap-mailbox-session.ts';
import type { SecretBox } from './secret-box.ts';

export interface ImapFetcherOptions {
  pool: pg.Pool;
  /** connection string for the dedicated connection that holds the per-mailbox advisory locks */
  databaseUrl: string;
  /** tells this process's ingest workers a mail was stored */
  wakeInbound?: () => void;
  box: SecretBox;
  maxMessageBytes: number;
  /** how often the mailbox table is read for new, changed, enabled or disabled IMAP mailboxes */
  settingsPollMs?: number;
  /** a pass at least this often even without IDLE news */
  pollMs?: number;
  backoff?: { initialMs: number; maxMs: number };
  log: ImapSessionLog & { error(obj: object, msg: string): void };
}

export interface ImapFetcher {
  /** read the settings now (tests; otherwise every settingsPollMs) */
  refresh(): Promise<void>;
  /** mailbox ids this process is fetching */
  running(): string[];
  stop(): Promise<void>;
}

interface MailboxSettingsRow {
  id: string;
  address: string;
  imap_host: string;
  imap_port: number | null;
  imap_user: string;
  imap_password_enc: string;
  imap_folder: string;
  imap_security: string;
  updated_at: Date;
}

interface Running {
  fingerprint: string;
  session: ImapMailboxSession;
}

const LOCK_SQL = `SELECT pg_try_advisory_lock(hashtextextended('seva.imap-fetcher:' || $1::text, 0)) AS ok`;
const UNLOCK_SQL = `SELECT pg_advisory_unlock(hashtextextended('seva.imap-fetcher:' || $1::text, 0))`;

function fingerprintOf(r: MailboxSettingsRow): string {
  return JSON.stringify([
    r.address,
    r.imap_host,
    r.imap_port,
    r.imap_user,
    r.imap_password_enc,
    r.imap_folder,
    r.imap_security,
    r.updated_at.toISOString(),
  ]);
}

/**
 * Runs in processes with the `worker` role. Every few seconds it reads which mailboxes have IMAP enabled (and are
 * not switched off), and for each one takes a PostgreSQL advisory lock on a dedicated connection: only the process
 * holding a mailbox's lock fetches it, so any number of workers is safe, and when that process dies its lock goes
 * with its connection and another worker takes over. A changed setting restarts the mailbox's session; a disabled
 * or deleted mailbox stops it and releases the lock.
 */
export function startImapFetcher(opts: ImapFetcherOptions): ImapFetcher {
  const sessions = new Map<string, Running>();
  let lockClient: pg.Client | null = null;
  let stopped = false;
  let ticking: Promise<void> | null = null;

  /** advisory locks are re-entrant, so every stop releases the lock (a restart takes it again) */
  const stopSession = async (id: string, unlock: boolean): Promise<void> => {
    const r = sessions.get(id);
    if (!r) return;
    sessions.delete(id);
    await r.session.stop();
    if (unlock && lockClient) await lockClient.query(UNLOCK_SQL, [id]).catch(() => {});
  };

  const dropAll = async (): Promise<void> => {
    await Promise.all([...sessions.keys()].map((id) => stopSession(id, false)));
  };

  const ensureLockClient = async (): Promise<pg.Client> => {
    if (lockClient) return lockClient;
    const c = new pg.Client({ connectionString: opts.databaseUrl, application_name: 'seva-imap-fetcher' });
    const lost = (err: unknown) => {
      if (lockClient !== c) return;
      // the locks went with the connection: stop fetching until they are taken again
      opts.log.error({ err }, 'imap: lock connection lost; stopping sessions');
      lockClient = null;
      void dropAll();
    };
    c.on('error', lost);
    c.on('end', () => lost(new Error('connection ended')));
    await c.connect();
    lockClient = c;
    return c;
  };

  const tick = async (): Promise<void> => {
    if (stopped) return;
    const { rows } = await opts.pool.query<MailboxSettingsRow>(
      `SELECT id, address, imap_host, imap_port, imap_user, imap_password_enc, imap_folder, imap_security, updated_at
         FROM mailboxes
        WHERE is_imap_enabled AND status <> 'disabled'
          AND imap_host IS NOT NULL AND imap_user IS NOT NULL AND imap_password_enc IS NOT NULL`,
    );
    const wanted = new Map(rows.map((r) => [r.id, r]));
    for (const [id, running] of [...sessions]) {
      const row = wanted.get(id);
      if (!row || fingerprintOf(row) !== running.fingerprint) await stopSession(id, true);
    }
    const client = await ensureLockClient();
    for (const row of rows) {
      if (stopped) return;
      if (sessions.has(row.id)) continue;
      const { rows: lock } = await client.query<{ ok: boolean }>(LOCK_SQL, [row.id]);
      if (!lock[0]?.ok) continue;
      let password: string;
      try {
        password = opts.box.open(row.imap_password_enc);
      } catch {
        await opts.pool.query(
          `UPDATE mailboxes SET status = 'error', last_error = $2, last_error_at = now() WHERE id = $1 AND status <> 'disabled'`,
          [row.id, 'IMAP: the stored password cannot be decrypted (was SEVA_SECRET changed?); enter it again'],
        );
        await client.query(UNLOCK_SQL, [row.id]);
        continue;
      }
      const session = startImapMailboxSession({
        pool: opts.pool,
        wakeInbound: opts.wakeInbound,
        mailboxId: row.id,
        mailboxAddress: row.address,
        folder: row.imap_folder,
        endpoint: {
          host: row.imap_host,
          port: row.imap_port,
          user: row.imap_user,
          password,
          security: imapSecurityMode(row.imap_security),
          maxMessageBytes: opts.maxMessageBytes,
        },
        pollMs: opts.pollMs ?? 30_000,
        backoff: opts.backoff ?? { initialMs: 1_000, maxMs: 5 * 60_000 },
        log: opts.log,
      });
      sessions.set(row.id, { fingerprint: fingerprintOf(row), session });
    }
  };

  const refresh = async (): Promise<void> => {
    while (ticking) await ticking;
    ticking = tick()
      .catch((err: unknown) => opts.log.error({ err }, 'imap: reading mailbox settings failed'))
      .finally(() => {
        ticking = null;
      });
    await ticking;
  };

  const timer = setInterval(() => {
    if (!ticking) void refresh();
  }, opts.settingsPollMs ?? 3_000);
  void refresh();

  return {
    refresh,
    running: () => [...sessions.keys()],
    async stop() {
      stopped = true;
      clearInterval(timer);
      while (ticking) await ticking;
      await dropAll();
      const c = lockClient;
      lockClient = null;
      // ending the connection releases every advisory lock it held
      await c?.end().catch(() => {});
    },
  };
}
