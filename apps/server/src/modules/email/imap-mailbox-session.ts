import type { ImapFlow } from 'imapflow';
import type pg from 'pg';
import { describeImapError, type ImapEndpoint, imapClientOptions } from './imap-client-options.ts';
import { syncImapFolder } from './sync-imap-folder.ts';

export interface ImapSessionLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface ImapMailboxSessionOptions {
  pool: pg.Pool;
  /** tells this process's ingest workers a mail was stored */
  wakeInbound?: () => void;
  mailboxId: string;
  mailboxAddress: string;
  folder: string;
  endpoint: ImapEndpoint;
  /** a pass runs at least this often even when IDLE reports nothing (or the server has no IDLE) */
  pollMs: number;
  backoff: { initialMs: number; maxMs: number };
  log: ImapSessionLog;
}

export interface ImapMailboxSession {
  stop(): Promise<void>;
}

/** Health shown on the admin screen: an IMAP error (prefixed `IMAP:`) while failing, cleared by the next good pass. */
async function recordImapError(pool: pg.Pool, mailboxId: string, message: string): Promise<void> {
  await pool.query(
    `UPDATE mailboxes SET status = 'error', last_error = $2, last_error_at = now() WHERE id = $1 AND status <> 'disabled'`,
    [mailboxId, `IMAP: ${message}`.slice(0, 2000)],
  );
}

async function recordImapSynced(pool: pg.Pool, mailboxId: string): Promise<void> {
  await pool.query(
    `UPDATE mailboxes SET imap_last_sync_at = now(),
       status = CASE WHEN status = 'error' AND last_error LIKE 'IMAP:%' THEN 'active' ELSE status END,
       last_error = CASE WHEN status = 'error' AND last_error LIKE 'IMAP:%' THEN NULL ELSE last_error END
     WHERE id = $1`,
    [mailboxId],
  );
}

/**
 * One mailbox's connection, for as long as this process holds the mailbox's advisory lock: connect (TLS verified),
 * open the folder, take new mail, IDLE until the server reports more (or the poll interval passes), repeat. Any
 * failure is written to the mailbox's status and retried with exponential backoff; nothing is marked \Seen that is
 * not committed.
 */
export function startImapMailboxSession(opts: ImapMailboxSessionOptions): ImapMailboxSession {
  let stopped = false;
  let client: ImapFlow | null = null;
  let wakeUp: (() => void) | null = null;
  const failures = new Map<number, number>();
  const secrets = [opts.endpoint.password];
  const ctx = { mailboxId: opts.mailboxId, host: opts.endpoint.host, folder: opts.folder };

  // set when the server reports mail while no one is sleeping, so a report during a pass is never lost
  let pending = false;
  const wake = () => {
    const w = wakeUp;
    wakeUp = null;
    if (w) w();
    else pending = true;
  };
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      if (pending || stopped) {
        pending = false;
        resolve();
        return;
      }
      const timer = setTimeout(() => {
        wakeUp = null;
        resolve();
      }, ms);
      wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  const connectAndServe = async (): Promise<void> => {
    // loaded with the first IMAP mailbox, not at start-up (~0.2 s to load)
    const { ImapFlow } = await import('imapflow');
    const c = new ImapFlow(imapClientOptions(opts.endpoint));
    client = c;
    // errors also reject the pending command; this keeps an unhandled 'error' from taking the process down
    c.on('error', () => {});
    c.on('close', wake);
    c.on('exists', wake);
    await c.connect();
    if (stopped) return;
    await c.mailboxOpen(opts.folder);
    let announced = false;
    while (!stopped) {
      // anything reported before this pass starts is covered by it
      pending = false;
      const result = await syncImapFolder({ pool: opts.pool, wake: opts.wakeInbound }, c, {
        mailboxId: opts.mailboxId,
        mailboxAddress: opts.mailboxAddress,
        folder: opts.folder,
        maxMessageBytes: opts.endpoint.maxMessageBytes,
        failures,
        isStopped: () => stopped,
      });
      if (stopped) return;
      await recordImapSynced(opts.pool, opts.mailboxId);
      attempt = 0;
      if (!announced) {
        opts.log.info(ctx, 'imap: mailbox connected');
        announced = true;
      }
      if (result.stored + result.quarantined > 0) opts.log.info({ ...ctx, ...result }, 'imap: took new mail');
      if (!c.usable) throw new Error('the IMAP server closed the connection');
      // IDLE until the server reports new mail; the next command breaks IDLE by itself
      c.idle().catch(() => {});
      await sleep(opts.pollMs);
      if (!c.usable && !stopped) throw new Error('the IMAP server closed the connection');
    }
  };

  let attempt = 0;
  const run = async (): Promise<void> => {
    while (!stopped) {
      try {
        await connectAndServe();
      } catch (err) {
        if (stopped) break;
        const message = describeImapError(err, secrets);
        opts.log.warn({ ...ctx, error: message, attempt }, 'imap: mailbox failed; reconnecting with backoff');
        await recordImapError(opts.pool, opts.mailboxId, message).catch(() => {});
      } finally {
        const c = client;
        client = null;
        if (c) {
          c.removeAllListeners('close');
          c.removeAllListeners('exists');
          if (c.usable && stopped) await c.logout().catch(() => {});
          c.close();
        }
      }
      if (stopped) break;
      // the failed connection's own close event must not cut the backoff short
      pending = false;
      const base = Math.min(opts.backoff.maxMs, opts.backoff.initialMs * 2 ** attempt);
      attempt += 1;
      await sleep(Math.round(base * (0.8 + Math.random() * 0.4)));
    }
  };
  const done = run();

  return {
    async stop() {
      stopped = true;
      wake();
      // a pass in progress finishes its current message (stored and \Seen); a connection that hangs is cut after 5 s
      // a connect or login in progress is cut short
      if (client && !client.usable) client.close();
      let timer: NodeJS.Timeout | undefined;
      const cut = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          client?.close();
          resolve();
        }, 5_000);
      });
      await Promise.race([done, cut]);
      clearTimeout(timer);
      await done;
    },
  };
}
