import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { Db } from '../../platform/db/client.ts';
import { findMailboxForRecipient } from './mailboxes.service.ts';
import { DataSpool, SPOOL_IN_MEMORY_BYTES } from './spool-data.ts';
import { storeInboundEmail } from './store-inbound-email.ts';

export interface SmtpListenerOptions {
  db: Db;
  pool: pg.Pool;
  /** tells this process's ingest workers a mail was stored */
  wakeInbound?: () => void;
  port: number;
  host: string;
  maxMessageBytes: number;
  /** directory for spooling DATA of more than SPOOL_IN_MEMORY_BYTES to disk (never held in memory while it streams) */
  spoolDir: string;
  /** bytes of a message held in memory before it goes to its spool file (default SPOOL_IN_MEMORY_BYTES) */
  spoolMemoryBytes?: number;
  maxRecipients?: number;
  /** STARTTLS: PEM certificate chain and key; without them STARTTLS is not offered */
  tls?: { cert: Buffer; key: Buffer };
  /** refuse MAIL FROM with 530 until the session is encrypted (needs `tls`) */
  requireTls?: boolean;
  /** new connections per remote address per minute */
  maxConnectionsPerMinute?: number;
  log: {
    info(obj: object, msg: string): void;
    warn(obj: object, msg: string): void;
    error(obj: object, msg: string): void;
  };
}

export interface SmtpListener {
  port: number;
  close(): Promise<void>;
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

interface SessionState {
  mailboxIds: Map<string, { mailboxId: string; tagged: boolean }>;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Spool files left by a process that died mid-DATA (killed, crashed). Nothing in them was acknowledged — the sender
 * got no 250 and will send again — so they are only litter. Files of live processes (other workers sharing the data
 * directory) are left alone.
 */
async function removeOrphanedSpoolFiles(spoolDir: string): Promise<void> {
  for (const name of await fs.readdir(spoolDir)) {
    const pid = Number(/^(\d+)-/.exec(name)?.[1]);
    if (name.endsWith('.eml') && (!Number.isInteger(pid) || (pid !== process.pid && !isAlive(pid)))) {
      await fs.rm(path.join(spoolDir, name), { force: true });
    }
  }
}

/**
 * Seva's own MX: accepts mail only for configured mailboxes (no open relay: 550 otherwise), refuses oversize
 * messages with 552 while they stream to a spool file, and answers 250 only after the raw bytes and their
 * processing job are committed in PostgreSQL. Any storage failure answers 451 so the sender retries later.
 */
export async function startSmtpListener(opts: SmtpListenerOptions): Promise<SmtpListener> {
  const maxRecipients = opts.maxRecipients ?? 50;
  const perMinute = opts.maxConnectionsPerMinute ?? 120;
  const connections = new Map<string, { count: number; windowStart: number }>();
  const states = new WeakMap<SMTPServerSession, SessionState>();
  await fs.mkdir(opts.spoolDir, { recursive: true, mode: 0o700 });
  await removeOrphanedSpoolFiles(opts.spoolDir);

  const stateOf = (session: SMTPServerSession): SessionState => {
    let s = states.get(session);
    if (!s) {
      s = { mailboxIds: new Map() };
      states.set(session, s);
    }
    return s;
  };

  const server = new SMTPServer({
    name: 'seva',
    banner: 'Seva help desk',
    authOptional: true,
    // STARTTLS only with a certificate; AUTH never (we are an MX, not a submission server)
    disabledCommands: opts.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(opts.tls ? { key: opts.tls.key, cert: opts.tls.cert, minVersion: 'TLSv1.2' as const } : {}),
    size: opts.maxMessageBytes,
    maxClients: 100,
    socketTimeout: 60_000,
    closeTimeout: 5_000,
    logger: false,
    onConnect(session, callback) {
      const key = session.remoteAddress ?? 'unknown';
      const now = Date.now();
      const entry = connections.get(key);
      if (!entry || now - entry.windowStart > 60_000) connections.set(key, { count: 1, windowStart: now });
      else if (++entry.count > perMinute) return callback(smtpError(421, '4.7.0 Too many connections, slow down'));
      if (connections.size > 10_000) connections.clear();
      callback();
    },
    onMailFrom(_address, session, callback) {
      if (opts.requireTls && !session.secure) {
        callback(smtpError(530, '5.7.0 Must issue a STARTTLS command first'));
        return;
      }
      stateOf(session).mailboxIds.clear();
      callback();
    },
    onRcptTo(address, session, callback) {
      const state = stateOf(session);
      if (session.envelope.rcptTo.length >= maxRecipients) {
        callback(smtpError(452, '4.5.3 Too many recipients'));
        return;
      }
      findMailboxForRecipient(opts.db, address.address).then(
        (found) => {
          if (!found?.mailbox.isSmtpEnabled) {
            callback(
              smtpError(
                550,
                `5.1.1 <${address.address}>: Recipient address rejected: not a mailbox here (relay access denied)`,
              ),
            );
            return;
          }
          state.mailboxIds.set(address.address.toLowerCase(), {
            mailboxId: found.mailbox.id,
            tagged: found.tag !== null,
          });
          callback();
        },
        (err: Error) => {
          opts.log.error({ err }, 'smtp: recipient lookup failed');
          callback(smtpError(451, '4.3.0 Temporary failure, try again later'));
        },
      );
    },
    onData(stream: SMTPServerDataStream, session, callback) {
      // named after this process, so a restart can tell a dead process's half-received files from live ones
      // (in memory up to spoolMemoryBytes, see spool-data.ts)
      const spool = new DataSpool(
        path.join(opts.spoolDir, `${process.pid}-${randomUUID()}.eml`),
        opts.spoolMemoryBytes ?? SPOOL_IN_MEMORY_BYTES,
      );
      const finish = async (): Promise<void> => {
        try {
          await pipeline(stream, spool);
          if (stream.sizeExceeded) {
            callback(smtpError(552, `5.3.4 Message too big (limit ${opts.maxMessageBytes} bytes)`));
            return;
          }
          const state = stateOf(session);
          const targets = [...state.mailboxIds.values()];
          // a plus-addressed recipient (reply token) decides the mailbox; otherwise the first one named
          const target = targets.find((t) => t.tagged) ?? targets[0];
          if (!target) {
            callback(smtpError(554, '5.5.1 No valid recipients'));
            return;
          }
          const raw = await spool.contents();
          const mailFrom = session.envelope.mailFrom;
          const stored = await storeInboundEmail(
            { pool: opts.pool, wake: opts.wakeInbound },
            {
              mailboxId: target.mailboxId,
              source: 'smtp',
              envelopeFrom: mailFrom === false ? '' : mailFrom.address,
              envelopeTo: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
              remoteAddress: session.remoteAddress ?? null,
              raw,
            },
          );
          callback(null, stored.duplicate ? `Already have it as ${stored.id}` : `Queued as ${stored.id}`);
        } catch (err) {
          opts.log.error({ err }, 'smtp: could not store a message; answered 451');
          // drain whatever is left so the session stays in sync
          stream.resume();
          callback(smtpError(451, '4.3.0 Could not store the message, try again later'));
        } finally {
          await spool.discard();
        }
      };
      void finish();
    },
  });
  server.on('error', (err) => opts.log.warn({ err }, 'smtp: connection error'));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  opts.log.info({ port }, 'smtp listener ready');
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
