import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { afterCommit } from '../db/before-commit.ts';
import { PgChannelListener } from '../db/channel-listener.ts';

/**
 * Signed-in requests resolve their session or API token from process memory instead of reading it on every request
 * (one round trip of two on a typical read: docs/decisions/0012-credential-cache.md).
 *
 * Nothing is trusted longer than the database says it may be:
 * - Any change that can end or narrow a credential — a session ended, a token revoked or re-scoped, a staff member
 *   disabled, renamed or given another role — fires a trigger (migration 0039) that NOTIFYs `seva_credentials` when
 *   it commits, and every process listening empties its cache. A service in this process also empties it the moment
 *   its own change commits (`credentialsChanged`), so a request that follows the change never sees the old answer.
 * - The cache is used only while the listening connection is up and has been seen to hear: after every (re)connect
 *   a NOTIFY is sent from a connection of its own and the cache stays off until it arrives (behind a pooler in
 *   transaction mode it never does, and the cache stays off). A drop (when notifications may be lost) empties it and
 *   lookups go to the database until LISTEN is back and heard again. `enabled: false` (SEVA_CREDENTIAL_CACHE=off)
 *   turns it off altogether.
 * - A read that raced a change is not kept: each read remembers the cache's generation when it started, and an
 *   answer read before an emptying is dropped.
 * - Entries are kept at most `maxAgeMs` (a backstop), expiry times are checked on every use, and only credentials
 *   that exist are cached (a flood of made-up tokens cannot fill memory).
 */
export const CREDENTIALS_CHANNEL = 'seva_credentials';

const caches = new Set<CredentialCache>();

/** Empties every credential cache of this process once `db`'s transaction commits (at once outside one). */
export function credentialsChanged(db: object): void {
  if (!afterCommit(db, async () => forgetAll())) forgetAll();
}

function forgetAll(): void {
  for (const cache of caches) cache.invalidate();
}

export interface CredentialCacheOptions {
  databaseUrl: string;
  log: { warn(obj: object, msg: string): void };
  /** false: never answer from memory (default true) */
  enabled?: boolean;
  maxEntries?: number;
  maxAgeMs?: number;
  minBackoffMs?: number;
  /** how long a reconnected listener may take to hear its own probe before the cache stays off (default 5 s) */
  probeTimeoutMs?: number;
  /** where the probe is sent from (default databaseUrl; a test sends it where the listener cannot hear it) */
  probeUrl?: string;
}

const PROBE = 'probe:';

interface Entry<T> {
  value: T;
  readAt: number;
}

/** Emits 'invalidated' each time it is emptied (tests wait for it). */
export class CredentialCache extends EventEmitter {
  private generationValue = 0;
  private readonly entries = new Map<string, Entry<unknown>>();
  private readonly listener: PgChannelListener;
  private readonly maxEntries: number;
  private readonly maxAgeMs: number;
  /** the probe this connection of the listener is waiting to hear, then null once heard */
  private probe: { token: string; heard: () => void } | null = null;
  private hearing = false;
  private firstProbe: Promise<void> = Promise.resolve();

  constructor(private readonly opts: CredentialCacheOptions) {
    super();
    this.maxEntries = opts.maxEntries ?? 20_000;
    this.maxAgeMs = opts.maxAgeMs ?? 60_000;
    this.listener = new PgChannelListener({
      url: opts.databaseUrl,
      channel: CREDENTIALS_CHANNEL,
      applicationName: 'seva-credentials',
      what: 'credential cache listener',
      log: opts.log,
      minBackoffMs: opts.minBackoffMs,
      onPayload: (payload) => this.onPayload(payload),
    });
    // up or down, anything may have changed while it was not listening
    this.listener.on('state', (state: string) => {
      this.hearing = false;
      this.invalidate();
      if (state === 'listening' && this.opts.enabled !== false) this.firstProbe = this.sendProbe();
    });
  }

  async start(): Promise<void> {
    if (this.opts.enabled === false) return;
    caches.add(this);
    await this.listener.start();
    // the first requests after start-up find the cache on when notifications arrive at all
    await this.firstProbe;
  }

  async stop(): Promise<void> {
    caches.delete(this);
    await this.listener.stop();
    this.invalidate();
  }

  /** answering from memory: listening, and its own probe was heard on this connection */
  get ready(): boolean {
    return this.hearing && this.listener.isListening;
  }

  private onPayload(payload: string): void {
    if (payload.startsWith(PROBE)) {
      if (this.probe && payload === `${PROBE}${this.probe.token}`) this.probe.heard();
      return;
    }
    this.invalidate();
  }

  /** NOTIFYs from a connection of its own and waits to hear it on the listening one. */
  private async sendProbe(): Promise<void> {
    const token = randomUUID();
    const timeoutMs = this.opts.probeTimeoutMs ?? 5000;
    let timer: NodeJS.Timeout | undefined;
    const heard = new Promise<boolean>((resolve) => {
      this.probe = { token, heard: () => resolve(true) };
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const client = new pg.Client({
      connectionString: this.opts.probeUrl ?? this.opts.databaseUrl,
      application_name: 'seva-credentials-probe',
    });
    try {
      await client.connect();
      await client.query('SELECT pg_notify($1, $2)', [CREDENTIALS_CHANNEL, `${PROBE}${token}`]);
    } catch {
      // the database went away again: the listener reconnects and probes anew
    } finally {
      await client.end().catch(() => {});
    }
    const ok = await heard;
    clearTimeout(timer);
    if (this.probe?.token !== token) return; // a newer connection probes for itself
    this.probe = null;
    if (ok && this.listener.isListening) {
      this.invalidate();
      this.hearing = true;
    } else if (this.listener.isListening) {
      this.opts.log.warn(
        { timeoutMs },
        'credential cache off: its own notification never arrived (a pooler in transaction mode?); credentials are read on every request',
      );
    }
  }

  /** the listening connection (tests drop it) */
  get channelListener(): PgChannelListener {
    return this.listener;
  }

  /** Taken before a database read whose answer may be kept with `set`. */
  get generation(): number {
    return this.generationValue;
  }

  get size(): number {
    return this.entries.size;
  }

  get<T>(key: string): T | undefined {
    if (!this.ready) return undefined;
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (performance.now() - entry.readAt > this.maxAgeMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value as T;
  }

  /** Keeps `value`, read from the database after `generation` was taken — unless the cache was emptied since. */
  set<T>(key: string, value: T, generation: number): void {
    if (!this.ready || generation !== this.generationValue) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { value, readAt: performance.now() });
  }

  /** Empties the cache; a read begun before this is not kept (its generation is gone). */
  invalidate(): void {
    this.generationValue += 1;
    this.entries.clear();
    this.emit('invalidated');
  }
}
