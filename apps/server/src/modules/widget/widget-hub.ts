import type { ChatStatus, WidgetMessage, WidgetServerMessage } from '@seva/contracts';
import { WIDGET_CLOSE } from '@seva/contracts';
import { sql } from 'drizzle-orm';
import type { WebSocket } from 'ws';
import type { Deps } from '../../platform/deps.ts';
import { type ChatSignal, ChatSignalListener, publishChatSignal } from '../../platform/realtime/chat-signals.ts';
import { type EventNote, PgEventListener } from '../../platform/realtime/index.ts';
import { loadConversation, openChatIds, type VisitorScope } from './conversations.repository.ts';
import { TokenBucket, WIDGET_LIMITS } from './rate-limiter.ts';
import { loadWidgetMessages } from './widget-messages.repository.ts';

/** One read of a conversation's new messages, shared by every socket a NOTIFY for it is delivered to. */
type SharedRead = () => Promise<WidgetMessage[]>;

const MAX_BUFFERED_BYTES = 1024 * 1024;
const FLUSH_BATCH = 500;
/** how long a visitor's own message waits for its NOTIFY before it is pushed without (see pushNew) */
const OWN_MESSAGE_FALLBACK_MS = 500;
/** per socket, and sockets per visitor in one process */
export const MAX_SUBSCRIPTIONS = 20;
const MAX_SOCKETS_PER_VISITOR = 10;

export interface Subscription {
  ticketId: string;
  /** newest seq sent on this socket: live pushes send only what comes after it */
  lastSeq: number;
  sent: Set<number>;
  status: ChatStatus | null;
  agentName: string | null;
  agentReadSeq: number;
  /** everything sent for this conversation runs through this chain: replay, live pushes, statuses */
  chain: Promise<void>;
  /**
   * The read a live flush queued on the chain (not started yet) will use; null when none is queued. A later NOTIFY
   * replaces it with its own read rather than queueing a second flush: the queued one then reads after that NOTIFY.
   */
  queuedRead: SharedRead | null;
}

export interface VisitorConnection {
  socket: WebSocket;
  scope: VisitorScope;
  name: string | null;
  subs: Map<string, Subscription>;
  alive: boolean;
  bucket: TokenBucket;
  refusals: number[];
  /** incoming client frames are handled one at a time, in order */
  inbox: Promise<void>;
  /** every frame, whatever its type: a flood of pings or typing is dropped before it costs a query */
  frames: TokenBucket;
  lastTouchAt: number;
  /** ticketId → last typing state published and when */
  typing: Map<string, { isTyping: boolean; at: number }>;
}

export interface WidgetHubOptions {
  deps: Deps;
  log: {
    warn(obj: object, msg: string): void;
    info(obj: object, msg: string): void;
    error(obj: object, msg: string): void;
  };
  heartbeatMs?: number;
}

/**
 * The visitor side of realtime in one process: widget sockets, fed by the event log (LISTEN seva_events, replayed
 * after a drop) and by ephemeral chat signals. What a socket receives is decided here and only here: messages come
 * from `loadWidgetMessages` (the customer-visible filter), each seq at most once per socket, in order.
 */
export class WidgetHub {
  private readonly connections = new Set<VisitorConnection>();
  private readonly byTicket = new Map<string, Set<VisitorConnection>>();
  private readonly listener: PgEventListener;
  private readonly signals: ChatSignalListener;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly opts: WidgetHubOptions) {
    const { database } = opts.deps;
    this.listener = new PgEventListener({
      url: database.url,
      pool: database.pool,
      log: opts.log,
      onEvent: (note) => this.dispatch(note),
      onOverflow: () => this.resyncAll(),
    });
    this.signals = new ChatSignalListener({ url: database.url, log: opts.log, onSignal: (s) => this.onSignal(s) });
  }

  get eventListener(): PgEventListener {
    return this.listener;
  }

  async start(): Promise<void> {
    await this.listener.start();
    await this.signals.start();
    const every = this.opts.heartbeatMs ?? 25_000;
    this.timer = setInterval(() => void this.sweep(), every);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    for (const c of this.connections) c.socket.close(1001, 'server shutting down');
    this.connections.clear();
    this.byTicket.clear();
    await this.signals.stop();
    await this.listener.stop();
  }

  /** Resolves when every event received so far has been handed on (tests). */
  idle(): Promise<void> {
    return this.listener.idle();
  }

  add(conn: VisitorConnection): void {
    if (this.stopped) {
      conn.socket.close(1001, 'server shutting down');
      return;
    }
    const mine = [...this.connections].filter((c) => c.scope.id === conn.scope.id).length;
    if (mine >= MAX_SOCKETS_PER_VISITOR) {
      conn.socket.close(WIDGET_CLOSE.rateLimited, 'too many connections');
      return;
    }
    this.connections.add(conn);
    this.send(conn, { type: 'ready' });
    void this.touch([conn.scope.id]);
    void this.presence(conn.scope.id, true);
  }

  remove(conn: VisitorConnection): void {
    this.connections.delete(conn);
    for (const ticketId of conn.subs.keys()) this.byTicket.get(ticketId)?.delete(conn);
    const stillHere = [...this.connections].some((c) => c.scope.id === conn.scope.id);
    if (!stillHere && !this.stopped) void this.presence(conn.scope.id, false);
  }

  newConnection(socket: WebSocket, scope: VisitorScope, name: string | null): VisitorConnection {
    return {
      socket,
      scope,
      name,
      subs: new Map(),
      alive: true,
      bucket: new TokenBucket(WIDGET_LIMITS.socketBurst, WIDGET_LIMITS.socketPerSecond),
      refusals: [],
      inbox: Promise.resolve(),
      frames: new TokenBucket(WIDGET_LIMITS.socketFrameBurst, WIDGET_LIMITS.socketFramesPerSecond),
      lastTouchAt: 0,
      typing: new Map(),
    };
  }

  /** Subscribes (or re-subscribes) and replays everything after `afterSeq`, then `subscribed`, then live. */
  subscribe(conn: VisitorConnection, ticketId: string, afterSeq: number): Promise<void> {
    let sub = conn.subs.get(ticketId);
    if (!sub) {
      sub = {
        ticketId,
        lastSeq: afterSeq,
        sent: new Set(),
        status: null,
        agentName: null,
        agentReadSeq: 0,
        chain: Promise.resolve(),
        queuedRead: null,
      };
      conn.subs.set(ticketId, sub);
      const set = this.byTicket.get(ticketId) ?? new Set<VisitorConnection>();
      this.byTicket.set(ticketId, set);
      set.add(conn);
    } else {
      sub.lastSeq = Math.max(sub.lastSeq, afterSeq);
    }
    const s = sub;
    return this.enqueue(conn, s, async () => {
      await this.flush(conn, s);
      const c = await loadConversation(this.opts.deps.db, ticketId);
      if (!c) return;
      s.status = c.chatStatus;
      s.agentName = c.agentName;
      s.agentReadSeq = c.agentReadSeq;
      this.send(conn, {
        type: 'subscribed',
        conversationId: ticketId,
        lastSeq: s.lastSeq,
        chatStatus: c.chatStatus,
        agentName: c.agentName,
        agentReadSeq: c.agentReadSeq,
      });
    });
  }

  /**
   * After the visitor's own message (`seq`) is stored: make sure it (and anything before it) is pushed. The
   * message's own NOTIFY flushes it anyway; pushing here too read it a second time on every visitor message (issue
   * #10: this path started first in 11 of 12 probed messages, before the listener's socket was even read, and the
   * NOTIFY's read that followed found nothing). So while the listener is up this only waits a moment and reads if the
   * message has still not gone out (a lost NOTIFY); with the listener down it reads at once, as it always did.
   */
  pushNew(conn: VisitorConnection, ticketId: string, seq: number): void {
    const sub = conn.subs.get(ticketId);
    if (!sub || sub.lastSeq >= seq) return;
    const push = () => {
      if (this.stopped || !this.connections.has(conn) || sub.lastSeq >= seq) return;
      void this.enqueue(conn, sub, () => (sub.lastSeq >= seq ? Promise.resolve() : this.flush(conn, sub)));
    };
    if (this.listener.state === 'listening') setTimeout(push, OWN_MESSAGE_FALLBACK_MS).unref();
    else push();
  }

  /** Counts a refused message; true when the socket has been refused so often that it must be closed. */
  refuse(conn: VisitorConnection): boolean {
    const now = Date.now();
    conn.refusals = conn.refusals.filter((t) => t > now - 60_000);
    conn.refusals.push(now);
    if (conn.refusals.length >= WIDGET_LIMITS.socketRefusalsBeforeClose) {
      conn.socket.close(WIDGET_CLOSE.rateLimited, 'too many messages');
      return true;
    }
    return false;
  }

  send(conn: VisitorConnection, msg: WidgetServerMessage): void {
    const socket = conn.socket;
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.opts.log.warn({ visitorId: conn.scope.id }, 'widget: dropping a visitor socket that cannot keep up');
      socket.terminate();
      return;
    }
    socket.send(JSON.stringify(msg));
  }

  private enqueue(conn: VisitorConnection, sub: Subscription, work: () => Promise<void>): Promise<void> {
    sub.chain = sub.chain.then(work).catch((err: unknown) => {
      this.opts.log.error({ err, ticketId: sub.ticketId }, 'widget: delivery to a visitor failed');
      conn.socket.close(1011, 'internal error');
    });
    return sub.chain;
  }

  /**
   * Queues a flush for a NOTIFY, unless one is queued already and has not started: that one takes this request's
   * read instead (several notes of one commit cost one read). Its old read may already have been started by another
   * socket, before this NOTIFY arrived, so it must not be kept.
   */
  private requestFlush(conn: VisitorConnection, sub: Subscription, read: SharedRead): void {
    const queued = sub.queuedRead !== null;
    sub.queuedRead = read;
    if (queued) return;
    void this.enqueue(conn, sub, () => {
      const first = sub.queuedRead ?? undefined;
      sub.queuedRead = null;
      return this.flush(conn, sub, first);
    });
  }

  /**
   * A read of the conversation's messages after the lowest `lastSeq` of `subs`, made once, when the first of them
   * needs it. It starts after the NOTIFY arrived, so it sees that message; and `lastSeq` only grows, so it covers
   * every socket's own position when its turn comes.
   */
  private sharedRead(ticketId: string, subs: Subscription[]): SharedRead {
    let read: Promise<WidgetMessage[]> | null = null;
    return () => {
      read ??= loadWidgetMessages(this.opts.deps.db, {
        ticketId,
        afterSeq: Math.min(...subs.map((s) => s.lastSeq)),
        limit: FLUSH_BATCH,
      });
      return read;
    };
  }

  /** Sends every visible message after the last one sent, in seq order; `first` (a shared read) stands for its first read. */
  private async flush(conn: VisitorConnection, sub: Subscription, first?: SharedRead): Promise<void> {
    for (let read = first; ; read = undefined) {
      const items = read
        ? await read()
        : await loadWidgetMessages(this.opts.deps.db, {
            ticketId: sub.ticketId,
            afterSeq: sub.lastSeq,
            limit: FLUSH_BATCH,
          });
      for (const message of items) {
        if (message.seq <= sub.lastSeq || sub.sent.has(message.seq)) continue;
        sub.sent.add(message.seq);
        sub.lastSeq = message.seq;
        this.send(conn, { type: 'message', conversationId: sub.ticketId, message });
      }
      if (items.length < FLUSH_BATCH || conn.socket.readyState !== conn.socket.OPEN) return;
    }
  }

  /** A reply approved after later messages went out: sent once, late (clients order by seq). */
  private async sendApproved(conn: VisitorConnection, sub: Subscription, eventId: number): Promise<void> {
    const { rows } = await this.opts.deps.db.execute<{ message_id: string | null }>(
      sql`SELECT payload->>'messageId' AS message_id FROM events WHERE id = ${eventId}`,
    );
    const id = rows[0]?.message_id;
    if (!id) return;
    const [message] = await loadWidgetMessages(this.opts.deps.db, { messageIds: [id] });
    if (!message || sub.sent.has(message.seq) || message.seq > sub.lastSeq) return this.flush(conn, sub);
    sub.sent.add(message.seq);
    this.send(conn, { type: 'message', conversationId: sub.ticketId, message });
  }

  private async sendStatus(conn: VisitorConnection, sub: Subscription): Promise<void> {
    const c = await loadConversation(this.opts.deps.db, sub.ticketId);
    if (!c) return;
    if (c.chatStatus !== sub.status || c.agentName !== sub.agentName) {
      sub.status = c.chatStatus;
      sub.agentName = c.agentName;
      this.send(conn, {
        type: 'status',
        conversationId: sub.ticketId,
        chatStatus: c.chatStatus,
        agentName: c.agentName,
      });
    }
    if (c.agentReadSeq > sub.agentReadSeq) {
      sub.agentReadSeq = c.agentReadSeq;
      this.send(conn, { type: 'read', conversationId: sub.ticketId, seq: c.agentReadSeq });
    }
  }

  private dispatch(note: EventNote): void {
    if (!note.ticketId) return;
    const conns = this.byTicket.get(note.ticketId);
    if (!conns || conns.size === 0) return;
    const targets: Array<[VisitorConnection, Subscription]> = [];
    for (const conn of conns) {
      const sub = conn.subs.get(note.ticketId);
      if (sub) targets.push([conn, sub]);
    }
    if (note.type === 'message.approved') {
      for (const [conn, sub] of targets) void this.enqueue(conn, sub, () => this.sendApproved(conn, sub, note.id));
    } else if (note.type.startsWith('message.')) {
      // one read of the new messages for all the visitor's sockets on this conversation, not one per socket
      const read = this.sharedRead(
        note.ticketId,
        targets.map(([, sub]) => sub),
      );
      for (const [conn, sub] of targets) this.requestFlush(conn, sub, read);
    } else if (note.type.startsWith('chat.') || note.type === 'ticket.assigned') {
      for (const [conn, sub] of targets) void this.enqueue(conn, sub, () => this.sendStatus(conn, sub));
    }
  }

  private resyncAll(): void {
    for (const conn of this.connections) {
      for (const sub of conn.subs.values()) {
        void this.enqueue(conn, sub, async () => {
          await this.flush(conn, sub);
          await this.sendStatus(conn, sub);
        });
      }
    }
  }

  private onSignal(signal: ChatSignal): void {
    if (signal.kind !== 'typing' || signal.from !== 'staff') return;
    for (const conn of this.byTicket.get(signal.ticketId) ?? []) {
      this.send(conn, {
        type: 'typing',
        conversationId: signal.ticketId,
        name: signal.name,
        isTyping: signal.isTyping,
      });
    }
  }

  /** Pings every socket, drops the ones that did not answer, and keeps last_seen_at fresh for the rest. */
  async sweep(): Promise<void> {
    const alive: string[] = [];
    for (const c of this.connections) {
      if (!c.alive) {
        c.socket.terminate();
        this.remove(c);
        continue;
      }
      c.alive = false;
      alive.push(c.scope.id);
      try {
        c.socket.ping();
      } catch {
        c.socket.terminate();
        this.remove(c);
      }
    }
    await this.touch(alive);
  }

  async touch(visitorIds: string[]): Promise<void> {
    if (visitorIds.length === 0) return;
    const ids = [...new Set(visitorIds)];
    await this.opts.deps.db
      .execute(sql`UPDATE chat_visitors SET last_seen_at = ${this.opts.deps.clock.now().toISOString()}::timestamptz
                    WHERE id IN (${sql.join(
                      ids.map((id) => sql`${id}::uuid`),
                      sql`, `,
                    )})`)
      .catch((err: unknown) => this.opts.log.warn({ err }, 'widget: could not record visitors as seen'));
  }

  private async presence(visitorId: string, online: boolean): Promise<void> {
    try {
      const ticketIds = await openChatIds(this.opts.deps.db, visitorId);
      await publishChatSignal(this.opts.deps.database.pool, { kind: 'presence', visitorId, ticketIds, online });
    } catch (err) {
      this.opts.log.warn({ err }, 'widget: presence signal failed');
    }
  }
}
