import { EventEmitter } from 'node:events';
import pg from 'pg';
import { reconnectTimer } from '../db/channel-listener.ts';
import { EVENTS_CHANNEL } from '../events.ts';

/** What `recordEvent` NOTIFYs on `seva_events`, and what a replay reads back from the event log. */
export interface EventNote {
  id: number;
  type: string;
  ticketId: string | null;
  customerId: string | null;
}

export interface EventListenerOptions {
  url: string;
  /** a pool for replay queries (the listening connection stays dedicated to LISTEN) */
  pool: pg.Pool;
  onEvent(note: EventNote): Promise<void> | void;
  /** too many events were missed to replay them one by one */
  onOverflow(): Promise<void> | void;
  log: {
    warn(obj: object, msg: string): void;
    info(obj: object, msg: string): void;
    error(obj: object, msg: string): void;
  };
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

export type ListenerState = 'idle' | 'connecting' | 'listening' | 'down' | 'stopped';

/** Ids below the newest seen that may still commit late (long transactions); a replay looks this far back. */
const REPLAY_SLACK = 1000;
const REPLAY_LIMIT = 5000;
const REMEMBERED_IDS = 8000;

/**
 * A dedicated PostgreSQL connection LISTENing on `seva_events`. Notifications are at most once, so when the
 * connection drops it reconnects with exponential backoff and replays from the event log everything after the last
 * event it saw (skipping ids already delivered), so no subscriber misses an event. Events are handed on one at a
 * time, in order. Emits 'state' (ListenerState) and 'replayed' (count).
 */
export class PgEventListener extends EventEmitter {
  private client: pg.Client | null = null;
  private stateValue: ListenerState = 'idle';
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  /** newest id delivered; replays start below it by REPLAY_SLACK */
  private lastSeenId: number | null = null;
  /** replays never go below the log's end at first connect: older events are history, not news */
  private floorId = 0;
  private readonly delivered = new Set<number>();
  private pending: EventNote[] | null = null;
  private chain: Promise<void> = Promise.resolve();
  private pid: number | null = null;

  constructor(private readonly opts: EventListenerOptions) {
    super();
  }

  get state(): ListenerState {
    return this.stateValue;
  }

  /** PostgreSQL backend pid of the listening connection (tests terminate it to simulate a drop). */
  get backendPid(): number | null {
    return this.pid;
  }

  /** Connects once; on failure keeps retrying in the background rather than failing the boot. */
  async start(): Promise<void> {
    if (this.stateValue !== 'idle') return;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.setState('stopped');
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const client = this.client;
    this.client = null;
    if (client) await client.end().catch(() => {});
    await this.chain;
  }

  /** Resolves when everything handed over so far has been delivered (tests, shutdown). */
  idle(): Promise<void> {
    return this.chain;
  }

  private isStopped(): boolean {
    return this.stateValue === 'stopped';
  }

  private setState(state: ListenerState): void {
    if (this.stateValue === 'stopped' && state !== 'stopped') return;
    this.stateValue = state;
    this.emit('state', state);
  }

  private async connect(): Promise<void> {
    if (this.stateValue === 'stopped') return;
    this.setState('connecting');
    const client = new pg.Client({
      connectionString: this.opts.url,
      application_name: 'seva-realtime',
      keepAlive: true,
    });
    let dropped = false;
    const onDrop = (err?: Error) => {
      if (dropped) return;
      dropped = true;
      if (this.client === client) this.client = null;
      client.end().catch(() => {});
      if (this.stateValue === 'stopped') return;
      this.opts.log.warn({ err: err?.message }, 'realtime listener lost its database connection; reconnecting');
      this.setState('down');
      this.scheduleReconnect();
    };
    client.on('error', onDrop);
    client.on('end', () => onDrop());
    client.on('notification', (msg) => {
      if (msg.channel !== EVENTS_CHANNEL || !msg.payload) return;
      const note = parseNote(msg.payload);
      if (!note) return;
      if (this.pending) this.pending.push(note);
      else this.enqueue(note);
    });
    try {
      await client.connect();
      if (this.isStopped()) {
        await client.end().catch(() => {});
        return;
      }
      this.client = client;
      this.pending = [];
      await client.query(`LISTEN ${EVENTS_CHANNEL}`);
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      this.pid = rows[0]?.pid ?? null;
      if (this.lastSeenId === null) {
        const r = await client.query<{ max: string | null }>('SELECT max(id)::text AS max FROM events');
        this.floorId = Number(r.rows[0]?.max ?? 0);
        this.lastSeenId = this.floorId;
      } else {
        await this.replay();
      }
      const buffered = this.pending;
      this.pending = null;
      for (const note of buffered) this.enqueue(note);
      this.attempt = 0;
      this.setState('listening');
    } catch (err) {
      this.pending = null;
      onDrop(err as Error);
    }
  }

  private async replay(): Promise<void> {
    const from = Math.max(this.floorId, (this.lastSeenId ?? 0) - REPLAY_SLACK);
    const { rows } = await this.opts.pool.query<{
      id: string;
      type: string;
      ticket_id: string | null;
      customer_id: string | null;
    }>(
      `SELECT id::text, type, ticket_id, customer_id FROM events WHERE id > $1 ORDER BY id LIMIT ${REPLAY_LIMIT + 1}`,
      [from],
    );
    if (rows.length > REPLAY_LIMIT) {
      this.opts.log.warn({ from }, 'realtime listener missed too many events to replay; asking clients to resync');
      const last = rows[rows.length - 1];
      this.delivered.clear();
      this.lastSeenId = last ? Number(last.id) : this.lastSeenId;
      this.chain = this.chain
        .then(() => this.opts.onOverflow())
        .catch((err) => this.opts.log.error({ err }, 'resync failed'));
      return;
    }
    let count = 0;
    for (const r of rows) {
      const id = Number(r.id);
      if (this.delivered.has(id)) continue;
      count += 1;
      this.enqueue({ id, type: r.type, ticketId: r.ticket_id, customerId: r.customer_id });
    }
    if (count > 0) this.opts.log.info({ count }, 'realtime listener replayed missed events');
    this.emit('replayed', count);
  }

  private enqueue(note: EventNote): void {
    if (this.delivered.has(note.id)) return;
    this.delivered.add(note.id);
    if (this.delivered.size > REMEMBERED_IDS) {
      const oldest = this.delivered.values().next().value;
      if (oldest !== undefined) this.delivered.delete(oldest);
    }
    if (this.lastSeenId === null || note.id > this.lastSeenId) this.lastSeenId = note.id;
    this.chain = this.chain
      .then(() => this.opts.onEvent(note))
      .catch((err) => this.opts.log.error({ err, eventId: note.id }, 'realtime delivery failed'));
  }

  private scheduleReconnect(): void {
    if (this.retryTimer || this.stateValue === 'stopped') return;
    this.retryTimer = reconnectTimer(this.attempt, this.opts, () => {
      this.retryTimer = null;
      void this.connect();
    });
    this.attempt += 1;
  }
}

function parseNote(payload: string): EventNote | null {
  try {
    const v = JSON.parse(payload) as Partial<EventNote>;
    if (typeof v.id !== 'number' || typeof v.type !== 'string') return null;
    return {
      id: v.id,
      type: v.type,
      ticketId: typeof v.ticketId === 'string' ? v.ticketId : null,
      customerId: typeof v.customerId === 'string' ? v.customerId : null,
    };
  } catch {
    return null;
  }
}
