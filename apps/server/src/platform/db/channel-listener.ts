import { EventEmitter } from 'node:events';
import pg from 'pg';

export interface ChannelListenerOptions {
  url: string;
  /** the NOTIFY channel (a plain identifier) */
  channel: string;
  /** shown in pg_stat_activity */
  applicationName: string;
  onPayload(payload: string): void;
  log: { warn(obj: object, msg: string): void };
  /** what the log says when the connection drops */
  what: string;
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

export type ChannelListenerState = 'listening' | 'down';

/**
 * A dedicated PostgreSQL connection LISTENing on one channel, reconnecting with exponential backoff. Notifications
 * are at most once: whoever relies on them must treat the time it was 'down' as "anything may have happened".
 * Emits 'state' ('listening' once LISTEN is in place, 'down' when the connection is lost).
 */
export class PgChannelListener extends EventEmitter {
  private client: pg.Client | null = null;
  private stopped = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private listening = false;

  constructor(private readonly opts: ChannelListenerOptions) {
    super();
  }

  /** LISTEN is in place: every notification committed from now on arrives */
  get isListening(): boolean {
    return this.listening;
  }

  /** PostgreSQL backend pid of the listening connection (tests terminate it to simulate a drop). */
  async backendPid(): Promise<number | null> {
    const client = this.client;
    if (!client || !this.listening) return null;
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    return rows[0]?.pid ?? null;
  }

  /** Connects once; on failure keeps retrying in the background rather than failing the boot. */
  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.listening = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const client = this.client;
    this.client = null;
    if (client) await client.end().catch(() => {});
  }

  private setListening(value: boolean): void {
    this.listening = value;
    this.emit('state', value ? 'listening' : 'down');
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({
      connectionString: this.opts.url,
      application_name: this.opts.applicationName,
      keepAlive: true,
    });
    let dropped = false;
    const onDrop = (err?: Error) => {
      if (dropped) return;
      dropped = true;
      if (this.client === client) this.client = null;
      client.end().catch(() => {});
      if (this.stopped) return;
      this.opts.log.warn({ err: err?.message }, `${this.opts.what} lost its database connection; reconnecting`);
      this.setListening(false);
      this.scheduleReconnect();
    };
    client.on('error', onDrop);
    client.on('end', () => onDrop());
    client.on('notification', (msg) => {
      if (msg.channel === this.opts.channel) this.opts.onPayload(msg.payload ?? '');
    });
    try {
      await client.connect();
      if (this.stopped) {
        await client.end().catch(() => {});
        return;
      }
      this.client = client;
      await client.query(`LISTEN ${this.opts.channel}`);
      this.attempt = 0;
      this.setListening(true);
    } catch (err) {
      onDrop(err as Error);
    }
  }

  private scheduleReconnect(): void {
    if (this.retryTimer || this.stopped) return;
    this.retryTimer = reconnectTimer(this.attempt, this.opts, () => {
      this.retryTimer = null;
      void this.connect();
    });
    this.attempt += 1;
  }
}

/**
 * The next reconnection of a listening connection: exponential backoff from `minBackoffMs` (250 ms) to
 * `maxBackoffMs` (15 s), ±25% jitter so processes that lost the database together do not return together.
 */
export function reconnectTimer(
  attempt: number,
  opts: { minBackoffMs?: number; maxBackoffMs?: number },
  reconnect: () => void,
): NodeJS.Timeout {
  const min = opts.minBackoffMs ?? 250;
  const max = opts.maxBackoffMs ?? 15_000;
  const delay = Math.min(max, min * 2 ** attempt) * (0.75 + Math.random() * 0.5);
  const timer = setTimeout(reconnect, delay);
  timer.unref();
  return timer;
}
