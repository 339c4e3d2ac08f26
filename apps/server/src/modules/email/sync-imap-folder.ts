import type { ImapFlow } from 'imapflow';
import type pg from 'pg';
import { storeInboundEmail } from './store-inbound-email.ts';

export interface SyncImapFolderDeps {
  pool: pg.Pool;
  /** tells this process's ingest workers a mail was stored */
  wake?: () => void;
}

export interface SyncImapFolderOptions {
  mailboxId: string;
  mailboxAddress: string;
  folder: string;
  maxMessageBytes: number;
  /** per-UID fetch failures, kept by the session across reconnects (a message the server cannot serve) */
  failures: Map<number, number>;
  /** checked between messages so a stop or a settings change does not wait for a long backlog */
  isStopped: () => boolean;
}

export interface SyncImapFolderResult {
  stored: number;
  duplicates: number;
  quarantined: number;
}

/** fetch attempts for one message before it is recorded as quarantined and skipped */
const MAX_FETCH_FAILURES = 3;
/** on a UIDVALIDITY change, mail that arrived this long before the last pass is scanned again (deduplicated) */
const RESCAN_MARGIN_MS = 24 * 60 * 60 * 1000;

interface FolderState {
  uidValidity: number | null;
  lastUid: number;
  lastSyncAt: Date | null;
}

async function readState(pool: pg.Pool, mailboxId: string): Promise<FolderState> {
  const { rows } = await pool.query<{
    imap_uid_validity: string | null;
    imap_last_uid: string;
    imap_last_sync_at: Date | null;
  }>('SELECT imap_uid_validity, imap_last_uid, imap_last_sync_at FROM mailboxes WHERE id = $1', [mailboxId]);
  const r = rows[0];
  if (!r) throw new Error('the mailbox was deleted');
  return {
    uidValidity: r.imap_uid_validity === null ? null : Number(r.imap_uid_validity),
    lastUid: Number(r.imap_last_uid),
    lastSyncAt: r.imap_last_sync_at,
  };
}

/** a stand-in raw message for a poison message, stable across re-scans so it is recorded once */
function poisonRecord(
  opts: SyncImapFolderOptions,
  uidValidity: number,
  uid: number,
  headers: Buffer | null,
  note: string,
): Buffer {
  const marker = `X-Seva-Imap-Source: ${opts.folder}; uidvalidity=${uidValidity}; uid=${uid}\r\nX-Seva-Imap-Quarantine: ${note}\r\n`;
  return Buffer.concat([Buffer.from(marker, 'utf8'), headers ?? Buffer.from('\r\n')]);
}

/**
 * Stores one message through the same path as the SMTP listener (raw bytes + processing job in one transaction)
 * and marks it \Seen only after that commit. Returns what happened. IMAP errors on a connection that is still
 * usable count against the message; anything else (database down, connection lost) is thrown to the session.
 */
async function takeMessage(
  deps: SyncImapFolderDeps,
  client: ImapFlow,
  opts: SyncImapFolderOptions,
  uidValidity: number,
  uid: number,
): Promise<'stored' | 'duplicate' | 'quarantined' | 'gone'> {
  const range = String(uid);
  let raw: Buffer;
  let quarantine: string | undefined;
  try {
    const meta = await client.fetchOne(range, { uid: true, size: true }, { uid: true });
    if (!meta) return 'gone';
    const size = meta.size ?? 0;
    if (size > opts.maxMessageBytes) {
      const head = await client.fetchOne(range, { headers: true }, { uid: true });
      const headers = head ? (head.headers?.subarray(0, 64 * 1024) ?? null) : null;
      quarantine = `message too big: ${size} bytes (limit ${opts.maxMessageBytes}); left on the IMAP server`;
      raw = poisonRecord(opts, uidValidity, uid, headers, 'too big');
    } else {
      const full = await client.fetchOne(range, { source: true }, { uid: true });
      if (!full) return 'gone';
      if (!full.source) throw new Error(`the server returned no content for UID ${uid}`);
      raw = full.source;
    }
  } catch (err) {
    if (!client.usable) throw err;
    const n = (opts.failures.get(uid) ?? 0) + 1;
    opts.failures.set(uid, n);
    if (n < MAX_FETCH_FAILURES) throw err;
    quarantine = `could not be fetched from the IMAP server after ${n} attempts: ${(err as Error).message ?? String(err)}`;
    raw = poisonRecord(opts, uidValidity, uid, null, 'unreadable');
  }
  const stored = await storeInboundEmail(deps, {
    mailboxId: opts.mailboxId,
    source: 'imap',
    envelopeFrom: '',
    envelopeTo: [opts.mailboxAddress],
    remoteAddress: null,
    raw,
    quarantine,
  });
  opts.failures.delete(uid);
  // after COMMIT only: accepted means stored
  await client.messageFlagsAdd(range, ['\\Seen'], { uid: true });
  if (quarantine !== undefined) return stored.duplicate ? 'duplicate' : 'quarantined';
  return stored.duplicate ? 'duplicate' : 'stored';
}

/**
 * One pass over the open folder: every UID above the last one taken (under the same UIDVALIDITY) is stored, marked
 * \Seen, and only then counted as taken. First contact takes the unseen mail; a UIDVALIDITY change re-scans unseen
 * mail and everything since the last pass, which is safe because storing is idempotent on mailbox + Message-ID +
 * content hash.
 */
export async function syncImapFolder(
  deps: SyncImapFolderDeps,
  client: ImapFlow,
  opts: SyncImapFolderOptions,
): Promise<SyncImapFolderResult> {
  const result: SyncImapFolderResult = { stored: 0, duplicates: 0, quarantined: 0 };
  const mailbox = client.mailbox;
  if (!mailbox) throw new Error(`the folder ${opts.folder} is not open`);
  const uidValidity = Number(mailbox.uidValidity);
  const state = await readState(deps.pool, opts.mailboxId);
  const count = (outcome: Awaited<ReturnType<typeof takeMessage>>) => {
    if (outcome === 'stored') result.stored += 1;
    else if (outcome === 'duplicate') result.duplicates += 1;
    else if (outcome === 'quarantined') result.quarantined += 1;
  };

  if (state.uidValidity !== uidValidity) {
    const uidNextAtStart = Number.isFinite(mailbox.uidNext) ? mailbox.uidNext : 0;
    const query =
      state.uidValidity === null || !state.lastSyncAt
        ? { seen: false }
        : { or: [{ seen: false }, { since: new Date(state.lastSyncAt.getTime() - RESCAN_MARGIN_MS) }] };
    const uids = ((await client.search(query, { uid: true })) || []).sort((a, b) => a - b);
    let highest = 0;
    for (const uid of uids) {
      if (opts.isStopped()) return result;
      count(await takeMessage(deps, client, opts, uidValidity, uid));
      highest = Math.max(highest, uid);
    }
    await deps.pool.query('UPDATE mailboxes SET imap_uid_validity = $2, imap_last_uid = $3 WHERE id = $1', [
      opts.mailboxId,
      uidValidity,
      Math.max(highest, uidNextAtStart - 1, 0),
    ]);
    return result;
  }

  const found = (await client.search({ uid: `${state.lastUid + 1}:*` }, { uid: true })) || [];
  // `n:*` always includes the highest UID, even when it is below n
  const uids = found.filter((u) => u > state.lastUid).sort((a, b) => a - b);
  for (const uid of uids) {
    if (opts.isStopped()) return result;
    count(await takeMessage(deps, client, opts, uidValidity, uid));
    await deps.pool.query(
      'UPDATE mailboxes SET imap_last_uid = GREATEST(imap_last_uid, $3) WHERE id = $1 AND imap_uid_validity = $2',
      [opts.mailboxId, uidValidity, uid],
    );
  }
  return result;
}
