import type pg from 'pg';
import type { WebSocket } from 'ws';
import { hasPermission, type StaffActor, type StaffRole } from '../auth/permissions.ts';
import type { Clock } from '../clock.ts';
import { ADDRESSED_EVENT_TYPES, addressedDelivery, isAddressedEvent } from './addressed-events.ts';
import { BatchedSender } from './batched-send.ts';
import { chatSignalDeliveries, isChatEvent, parseStaffChatMessage, safeChatPayload } from './chat-relay.ts';
import { type ChatSignal, ChatSignalListener, publishChatSignal } from './chat-signals.ts';
import { type EventNote, type ListenerState, PgEventListener } from './event-listener.ts';
import { type TicketAudience, TicketAudienceCache } from './ticket-audience.ts';

/** How the socket authenticated, so it can be closed when that credential stops being valid. */
export type RealtimeCredential = { kind: 'session'; idHash: string } | { kind: 'token'; tokenHash: string };

export interface RealtimeLog {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface RealtimeHubOptions {
  databaseUrl: string;
  pool: pg.Pool;
  clock: Clock;
  log: RealtimeLog;
  /** how often sockets are pinged (and credentials re-checked); 0 disables the timer (tests call sweep()) */
  heartbeatMs?: number;
  minBackoffMs?: number;
  /** what staff may do on a live chat from their socket (modules/chat provides it; without it chat messages are ignored) */
  chat?: StaffChatActions;
}

/** The chat rules the hub asks about when a staff socket sends `chat.typing` or `chat.read`. */
export interface StaffChatActions {
  /** the staff member may see this chat (else their message is ignored, as for a foreign ticket) */
  maySee(actor: StaffActor, ticketId: string): Promise<boolean>;
  markRead(actor: StaffActor, ticketId: string, seq: number): Promise<void>;
}

/** An event as the hub sends it: chat.* events carry their safe payload fields. */
type HubNote = EventNote & { payload?: Record<string, unknown> };

interface Connection {
  socket: WebSocket;
  actor: StaffActor;
  credential: RealtimeCredential;
  alive: boolean;
  /** live events wait here while a resuming client is replayed */
  buffer: Array<{ id: number; data: string | Buffer }> | null;
}

const REPLAY_MAX = 500;
/** a client that cannot keep up is dropped; it reconnects with ?since= and catches up */
const MAX_BUFFERED_BYTES = 1024 * 1024;
export const CLOSE_CREDENTIALS_REVOKED = 4401;

/**
 * The one place that decides which staff member hears about which event. Fed by PostgreSQL LISTEN/NOTIFY, so every
 * process sharing the database delivers every event to its own sockets. Admins, supervisors and agents hear about
 * every ticket; collaborators only about tickets assigned to them or where they collaborate.
 */
export class RealtimeHub {
  private readonly connections = new Set<Connection>();
  private readonly listener: PgEventListener;
  private readonly audiences: TicketAudienceCache;
  private readonly signals: ChatSignalListener;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly sender = new BatchedSender();

  constructor(private readonly opts: RealtimeHubOptions) {
    this.audiences = new TicketAudienceCache(opts.pool);
    this.listener = new PgEventListener({
      url: opts.databaseUrl,
      pool: opts.pool,
      log: opts.log,
      minBackoffMs: opts.minBackoffMs,
      onEvent: (note) => this.dispatch(note),
      onOverflow: () => this.broadcastResync(),
    });
    this.signals = new ChatSignalListener({
      url: opts.databaseUrl,
      log: opts.log,
      minBackoffMs: opts.minBackoffMs,
      onSignal: (signal) => {
        void this.dispatchSignal(signal).catch((err) =>
          opts.log.warn({ err }, 'realtime: could not relay a chat signal'),
        );
      },
    });
  }

  /** The listener of ephemeral chat signals (typing, page, presence) this hub relays to staff. */
  get chatSignalListener(): ChatSignalListener {
    return this.signals;
  }

  get eventListener(): PgEventListener {
    return this.listener;
  }

  get listenerState(): ListenerState {
    return this.listener.state;
  }

  async start(): Promise<void> {
    await this.listener.start();
    await this.signals.start();
    const every = this.opts.heartbeatMs ?? 30_000;
    if (every > 0) {
      this.timer = setInterval(() => void this.sweep(), every);
      this.timer.unref();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const c of this.connections) c.socket.close(1001, 'server shutting down');
    this.connections.clear();
    await this.listener.stop();
    await this.signals.stop();
  }

  stats(): { connections: number; byRole: Record<StaffRole, number> } {
    const byRole: Record<StaffRole, number> = { admin: 0, supervisor: 0, agent: 0, collaborator: 0 };
    for (const c of this.connections) byRole[c.actor.role] += 1;
    return { connections: this.connections.size, byRole };
  }

  /** Takes over an upgraded socket. `since` replays what the client missed while it was away. */
  attach(socket: WebSocket, actor: StaffActor, credential: RealtimeCredential, opts: { since?: number } = {}): void {
    if (this.stopped) {
      socket.close(1001, 'server shutting down');
      return;
    }
    const conn: Connection = { socket, actor, credential, alive: true, buffer: [] };
    this.connections.add(conn);
    socket.on('pong', () => {
      conn.alive = true;
    });
    socket.on('message', (raw) => {
      conn.alive = true;
      if (isPing(raw)) this.send(conn, JSON.stringify({ type: 'realtime.pong' }));
      else this.receiveChatMessage(conn, raw);
    });
    socket.on('close', () => {
      this.connections.delete(conn);
    });
    void this.synchronise(conn, opts.since).catch((err) => {
      this.opts.log.error({ err }, 'realtime: could not start a subscription');
      socket.close(1011, 'internal error');
    });
  }

  /** Pings every socket, drops those that did not answer the previous ping, and re-checks credentials. */
  async sweep(): Promise<void> {
    for (const c of this.connections) {
      if (!c.alive) {
        c.socket.terminate();
        this.connections.delete(c);
        continue;
      }
      c.alive = false;
      try {
        c.socket.ping();
      } catch {
        c.socket.terminate();
        this.connections.delete(c);
      }
    }
    await this.revalidate().catch((err) => this.opts.log.warn({ err }, 'realtime: credential re-check failed'));
  }

  /** Closes sockets whose session ended, token was revoked or account was disabled; picks up role changes. */
  async revalidate(): Promise<void> {
    if (this.connections.size === 0) return;
    const sessions = new Set<string>();
    const tokens = new Set<string>();
    for (const c of this.connections) {
      if (c.credential.kind === 'session') sessions.add(c.credential.idHash);
      else tokens.add(c.credential.tokenHash);
    }
    const { rows } = await this.opts.pool.query<{ kind: string; key: string; role: StaffRole }>(
      `SELECT 'session' AS kind, s.id_hash AS key, u.role
         FROM sessions s JOIN staff_users u ON u.id = s.user_id
        WHERE s.id_hash = ANY($1::text[]) AND s.expires_at > $3 AND u.status = 'active'
       UNION ALL
       SELECT 'token', t.token_hash, u.role
         FROM api_tokens t JOIN staff_users u ON u.id = t.user_id
        WHERE t.token_hash = ANY($2::text[]) AND t.revoked_at IS NULL
          AND (t.expires_at IS NULL OR t.expires_at > $3) AND u.status = 'active'`,
      [[...sessions], [...tokens], this.opts.clock.now()],
    );
    const valid = new Map(rows.map((r) => [`${r.kind}:${r.key}`, r.role]));
    for (const c of this.connections) {
      const key =
        c.credential.kind === 'session' ? `session:${c.credential.idHash}` : `token:${c.credential.tokenHash}`;
      const role = valid.get(key);
      if (!role) {
        this.connections.delete(c);
        c.socket.close(CLOSE_CREDENTIALS_REVOKED, 'credentials no longer valid');
      } else if (role !== c.actor.role) {
        c.actor = { ...c.actor, role };
      }
    }
  }

  /** Resolves when every event received so far has been handed to the sockets. */
  idle(): Promise<void> {
    return this.listener.idle();
  }

  private async synchronise(conn: Connection, since: number | undefined): Promise<void> {
    const sent = new Set<number>();
    let lastId: number | null;
    if (since === undefined) {
      const { rows } = await this.opts.pool.query<{ max: string | null }>('SELECT max(id)::text AS max FROM events');
      lastId = rows[0]?.max == null ? null : Number(rows[0].max);
    } else {
      lastId = since;
      const missed = await this.missedEvents(conn.actor, since);
      if (missed.length > REPLAY_MAX) {
        this.send(conn, JSON.stringify({ type: 'realtime.resync' }));
        const last = missed[missed.length - 1];
        if (last) lastId = last.id;
      } else {
        for (const note of missed) {
          if (!this.mayReceive(conn.actor, note, null)) continue;
          this.send(conn, eventMessage(note));
          sent.add(note.id);
          lastId = Math.max(lastId ?? 0, note.id);
        }
      }
    }
    const buffered = conn.buffer ?? [];
    conn.buffer = null;
    for (const b of buffered) {
      if (sent.has(b.id)) continue;
      this.send(conn, b.data);
      lastId = Math.max(lastId ?? 0, b.id);
    }
    this.send(conn, JSON.stringify({ type: 'realtime.ready', eventId: lastId }));
  }

  /** Events after `since` this actor may see (visibility applied in SQL for collaborators). */
  private async missedEvents(actor: StaffActor, since: number): Promise<HubNote[]> {
    const collaborator = actor.role === 'collaborator';
    const { rows } = await this.opts.pool.query<{
      id: string;
      type: string;
      ticket_id: string | null;
      customer_id: string | null;
      payload: Record<string, unknown> | null;
    }>(
      `SELECT e.id::text, e.type, e.ticket_id, e.customer_id,
              CASE WHEN e.type LIKE 'chat.%' OR e.type = ANY($3::text[]) THEN e.payload END AS payload
         FROM events e
        WHERE e.id > $1
          AND CASE WHEN e.type = ANY($3::text[]) THEN coalesce(e.payload->'userIds' ? $2::text, false)
          ${
            collaborator
              ? `ELSE e.ticket_id IS NOT NULL AND (
                   EXISTS (SELECT 1 FROM tickets t WHERE t.id = e.ticket_id AND t.assignee_id = $2)
                   OR EXISTS (SELECT 1 FROM ticket_collaborators c WHERE c.ticket_id = e.ticket_id AND c.user_id = $2))`
              : 'ELSE $2::uuid IS NOT NULL'
          } END
        ORDER BY e.id
        LIMIT ${REPLAY_MAX + 1}`,
      [since, actor.userId, ADDRESSED_EVENT_TYPES],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      type: r.type,
      ticketId: r.ticket_id,
      customerId: r.customer_id,
      ...(r.payload
        ? { payload: isAddressedEvent(r.type) ? addressedDelivery(r.payload).payload : safeChatPayload(r.payload) }
        : {}),
    }));
  }

  private async dispatch(event: EventNote): Promise<void> {
    if (this.connections.size === 0) return;
    if (isAddressedEvent(event.type)) {
      await this.dispatchAddressed(event);
      return;
    }
    const note: HubNote = isChatEvent(event.type) ? { ...event, payload: await this.chatPayload(event.id) } : event;
    let audience: TicketAudience | null = null;
    if (note.ticketId && [...this.connections].some((c) => c.actor.role === 'collaborator')) {
      audience = await this.audiences.get(note.ticketId, { fresh: note.type.startsWith('ticket.') });
    }
    // encoded once for every socket it goes to
    const data = Buffer.from(eventMessage(note));
    for (const c of this.connections) {
      if (!this.mayReceive(c.actor, note, audience)) continue;
      if (c.buffer) c.buffer.push({ id: note.id, data });
      else this.send(c, data);
    }
  }

  /** A personal notification (see addressed-events.ts): only the staff it names hear of it. */
  private async dispatchAddressed(event: EventNote): Promise<void> {
    const { rows } = await this.opts.pool.query<{ payload: unknown }>('SELECT payload FROM events WHERE id = $1', [
      event.id,
    ]);
    const delivery = addressedDelivery(rows[0]?.payload);
    if (delivery.userIds.size === 0) return;
    const data = eventMessage({ ...event, payload: delivery.payload });
    for (const c of this.connections) {
      if (!delivery.userIds.has(c.actor.userId)) continue;
      if (c.buffer) c.buffer.push({ id: event.id, data });
      else this.send(c, data);
    }
  }

  /** `audience` null means visibility was already checked (replay) or nobody restricted is listening. */
  private mayReceive(actor: StaffActor, note: EventNote, audience: TicketAudience | null): boolean {
    if (note.ticketId) {
      if (!hasPermission(actor, 'tickets:read')) return false;
      if (actor.role !== 'collaborator' || audience === null) return true;
      return audience.userIds.has(actor.userId);
    }
    if (note.customerId) return actor.role !== 'collaborator' && hasPermission(actor, 'customers:read');
    return true;
  }

  private async chatPayload(eventId: number): Promise<Record<string, unknown>> {
    const { rows } = await this.opts.pool.query<{ payload: unknown }>('SELECT payload FROM events WHERE id = $1', [
      eventId,
    ]);
    return safeChatPayload(rows[0]?.payload);
  }

  /** Typing, page and presence signals go to staff who may see the chat's ticket (never back to whoever typed). */
  private async dispatchSignal(signal: ChatSignal): Promise<void> {
    if (this.connections.size === 0) return;
    for (const d of chatSignalDeliveries(signal)) {
      const restricted = [...this.connections].some((c) => c.actor.role === 'collaborator');
      const audience = restricted ? await this.audiences.get(d.ticketId, { fresh: false }) : null;
      for (const c of this.connections) {
        if (c.buffer || c.actor.userId === d.fromStaffId) continue;
        if (!this.mayReceive(c.actor, { id: 0, type: 'chat.signal', ticketId: d.ticketId, customerId: null }, audience))
          continue;
        this.send(c, d.data);
      }
    }
  }

  /** `chat.typing` and `chat.read` from a staff socket, for chats they may see; anything else is ignored. */
  private receiveChatMessage(conn: Connection, raw: unknown): void {
    const chat = this.opts.chat;
    const msg = chat ? parseStaffChatMessage(raw) : null;
    if (!chat || !msg) return;
    const actor = conn.actor;
    void (async () => {
      if (!hasPermission(actor, 'tickets:read') || !(await chat.maySee(actor, msg.ticketId))) return;
      if (msg.type === 'chat.typing') {
        await publishChatSignal(this.opts.pool, {
          kind: 'typing',
          ticketId: msg.ticketId,
          from: 'staff',
          staffId: actor.userId,
          name: actor.name,
          isTyping: msg.isTyping,
        });
      } else {
        await chat.markRead(actor, msg.ticketId, msg.seq);
      }
    })().catch((err: unknown) =>
      this.opts.log.warn({ err: (err as Error)?.message }, 'realtime: a chat message from staff failed'),
    );
  }

  private broadcastResync(): void {
    const data = JSON.stringify({ type: 'realtime.resync' });
    for (const c of this.connections) {
      if (c.buffer) c.buffer.push({ id: -1, data });
      else this.send(c, data);
    }
  }

  private send(conn: Connection, data: string | Buffer): void {
    const socket = conn.socket;
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.opts.log.warn({ userId: conn.actor.userId }, 'realtime: dropping a client that cannot keep up');
      this.connections.delete(conn);
      socket.terminate();
      return;
    }
    this.sender.send(socket, data);
  }
}

function eventMessage(note: HubNote): string {
  return JSON.stringify({
    type: note.type,
    ticketId: note.ticketId,
    ...(note.customerId ? { customerId: note.customerId } : {}),
    eventId: note.id,
    ...(note.payload ? { payload: note.payload } : {}),
  });
}

function isPing(raw: unknown): boolean {
  const text = Buffer.isBuffer(raw) ? raw.toString('utf8') : typeof raw === 'string' ? raw : '';
  if (text.length > 200) return false;
  try {
    const v = JSON.parse(text) as { type?: unknown };
    return v?.type === 'ping';
  } catch {
    return false;
  }
}
