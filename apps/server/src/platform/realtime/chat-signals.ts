import { sql } from 'drizzle-orm';
import pg from 'pg';
import { PgChannelListener } from '../db/channel-listener.ts';
import type { DbOrTx } from '../db/client.ts';

/**
 * Ephemeral live-chat signals (typing, page changes, presence) that every Seva process sharing the database must
 * hear but that are not worth a row in the event log. Carried by NOTIFY on `seva_chat_signals`; at most once, no
 * replay — a missed typing indicator is harmless. Durable things (messages, read receipts, status) go through the
 * event log (`recordEvent`) instead.
 */
export const CHAT_SIGNALS_CHANNEL = 'seva_chat_signals';

export type ChatSignal =
  | {
      kind: 'typing';
      ticketId: string;
      from: 'visitor' | 'staff';
      staffId?: string;
      name: string | null;
      isTyping: boolean;
    }
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
export class ChatSignalListener extends PgChannelListener {
  constructor(opts: ChatSignalListenerOptions) {
    super({
      url: opts.url,
      channel: CHAT_SIGNALS_CHANNEL,
      applicationName: 'seva-chat-signals',
      what: 'chat signal listener',
      log: opts.log,
      minBackoffMs: opts.minBackoffMs,
      maxBackoffMs: opts.maxBackoffMs,
      onPayload: (payload) => {
        const signal = parseSignal(payload);
        if (signal) opts.onSignal(signal);
      },
    });
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
