import { EventEmitter } from 'node:events';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { DbOrTx } from '../db/client.ts';

/**
 * Ephemeral live-chat signals (typing, page changes, presence) that every Seva process sharing the database must
 * hear but that are not worth a row in the event log. Carried by NOTIFY on `seva_chat_signals`; at most once, no
 * replay — a missed typing indicator is harmless. Durable things (messages, read receipts, status) go through the
 * event log (`recordEvent`) instead.
 */
export const CHAT_SIGNALS_CHANNEL = 'seva_chat_signals';

export type ChatSignal =
  | { kind: 'typing'; ticketId: string; from: 'visitor' | 'staff'; staffId?: string; name: string | null; isTyping: boolean }
  /** the visitor moved to another page (the agent's visitor panel updates live) */
  | { kind: 'page'; visitorId: string; ticketIds: string[]; url: string | null; title: string | null }
  /** a visitor's widget socket connected or went away */
  | { kind: 'presence'; visitorId: string; ticketIds: string[]; online: boolean };

/** Publishes a signal (inside a transaction it is delivered on commit). Payloads stay far below NOTIFY's 8 kB. */
export async function publishChatSignal(db: DbOrTx | pg.Pool, signal: ChatSignal): Promise<void> {
  const payload = JSON.stringify(signal);
  if (payload.length > 7000) throw new Error('chat signal too large');
  if (db instanceof pg.Pool) {
    await db.query('SELECT pg_notify($1, $2)', [CHAT_SIGNALS_CHANNEL, payload]);
    return;
  }
  await db.execute(sql`SELECT pg_notify(${CHAT_SIGNALS_CHANNEL}, ${payload})`);
}

export interface ChatSignalListenerOptions {
  url: string;
  onSignal(signal: ChatSignal): void;
  log: { warn(obj: object, msg: string): void };
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

/** A dedicated connection LISTENing on `seva_chat_signals`, reconnecting with backoff. Emits 'state'. */
export class ChatSignalListener extends EventEmitter {
  private client: pg.Client | null = null;
  private stopped = false;
  private attempt = 0;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(private readonly opts: ChatSignalListenerOptions) {
    super();
  }

  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const client = this.client;
    this.client = null;
    if (client) await client.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.opts.url, application_name: 'seva-chat-signals', keepAlive: true });
    let dropped = false;
    const onDrop = (err?: Error) => {
      if (dropped) return;
      dropped = true;
      if (this.client === client) this.client = null;
      client.end().catch(() => {});
      if (this.stopped) return;
      this.opts.log.warn({ err: err?.message }, 'chat signal listener lost its database connection; reconnecting');
      this.emit('state', 'down');
      this.scheduleReconnect();
    };
    client.on('error', onDrop);
    client.on('end', () => onDrop());
    client.on('notification', (msg) => {
      if (msg.channel !== CHAT_SIGNALS_CHANNEL || !msg.payload) return;
      const signal = parseSignal(msg.payload);
      if (signal) this.opts.onSignal(signal);
    });
    try {
      await client.connect();
      if (this.stopped) {
        await client.end().catch(() => {});
        return;
      }
      this.client = client;
      await client.query(`LISTEN ${CHAT_SIGNALS_CHANNEL}`);
      this.attempt = 0;
      this.emit('state', 'listening');
    } catch (err) {
      onDrop(err as Error);
    }
  }

  private scheduleReconnect(): void {
    if (this.retryTimer || this.stopped) return;
    const min = this.opts.minBackoffMs ?? 250;
    const max = this.opts.maxBackoffMs ?? 15_000;
    const delay = Math.min(max, min * 2 ** this.attempt) * (0.75 + Math.random() * 0.5);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, delay);
    this.retryTimer.unref();
  }
}

function parseSignal(payload: string): ChatSignal | null {
  try {
    const v = JSON.parse(payload) as Partial<ChatSignal>;
    if (v && (v.kind === 'typing' || v.kind === 'page' || v.kind === 'presence')) return v as ChatSignal;
    return null;
  } catch {
    return null;
  }
}
