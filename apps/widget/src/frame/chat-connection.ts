import type { ChatStatus, WidgetClientMessage, WidgetMessage, WidgetPage, WidgetServerMessage } from '@seva/contracts';
import {
  acknowledgeMessage,
  createDeliveryState,
  type DeliveryState,
  enqueueMessage,
  makeClientId,
  pendingMessages,
  receiveMessage,
  reconnectDelay,
} from './delivery.ts';

/** What the chat screen shows; replaced (never mutated) on every change. */
export interface ChatView {
  delivery: DeliveryState;
  chatStatus: ChatStatus;
  agentName: string | null;
  agentReadSeq: number;
  typingName: string | null;
  isTyping: boolean;
  connected: boolean;
  /** a message key for a problem the visitor should know about */
  notice: 'slowDown' | 'error' | null;
}

export interface ChatConnectionOptions {
  widgetKey: string;
  conversationId: string;
  token: () => string | null;
  onChange: (view: ChatView) => void;
  /** the visitor token is no longer valid (close code 4401) */
  onUnauthorised: () => void;
  initial?: { messages?: WidgetMessage[]; chatStatus?: ChatStatus; agentName?: string | null };
}

const PING_MS = 25_000;
const PONG_TIMEOUT_MS = 10_000;
const TYPING_CLEAR_MS = 6_000;

/**
 * One conversation over /widget/v1/socket: subscribes with the last seq it has (the server replays the rest, in
 * order), resends every unacked message after each (re)subscribe, reconnects with backoff after any loss.
 */
export class ChatConnection {
  private socket: WebSocket | null = null;
  private attempt = 0;
  private stopped = false;
  private subscribed = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setInterval> | null = null;
  private pongTimer: ReturnType<typeof setTimeout> | null = null;
  private typingTimer: ReturnType<typeof setTimeout> | null = null;
  private view: ChatView;

  constructor(private readonly opts: ChatConnectionOptions) {
    let delivery = createDeliveryState();
    for (const m of opts.initial?.messages ?? []) delivery = receiveMessage(delivery, m);
    this.view = {
      delivery,
      chatStatus: opts.initial?.chatStatus ?? 'waiting',
      agentName: opts.initial?.agentName ?? null,
      agentReadSeq: 0,
      typingName: null,
      isTyping: false,
      connected: false,
      notice: null,
    };
  }

  get current(): ChatView {
    return this.view;
  }

  start(): void {
    this.stopped = false;
    window.addEventListener('online', this.reconnectNow);
    window.addEventListener('offline', this.abandon);
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    window.removeEventListener('online', this.reconnectNow);
    window.removeEventListener('offline', this.abandon);
    this.clearTimers();
    const s = this.socket;
    this.socket = null;
    s?.close(1000);
  }

  /** The visitor writes a message: queued with a fresh clientId, sent now when subscribed, else after reconnect. */
  send(body: string, attachmentIds: string[] = []): void {
    const clientId = makeClientId();
    this.update({ delivery: enqueueMessage(this.view.delivery, { clientId, body, attachmentIds, createdAt: new Date().toISOString() }) });
    if (this.subscribed) this.transmitMessage(clientId, body, attachmentIds);
  }

  setTyping(isTyping: boolean): void {
    if (this.subscribed) this.transmit({ type: 'typing', conversationId: this.opts.conversationId, isTyping });
  }

  markRead(seq: number): void {
    if (this.subscribed && seq > 0) this.transmit({ type: 'read', conversationId: this.opts.conversationId, seq });
  }

  sendPage(page: WidgetPage): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.transmit({ type: 'page', page });
  }

  private readonly reconnectNow = () => {
    if (this.stopped || this.socket) return;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.connect();
  };

  private connect(): void {
    const token = this.opts.token();
    if (!token || this.stopped) return;
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(`${scheme}://${location.host}/widget/v1/socket?key=${encodeURIComponent(this.opts.widgetKey)}&token=${encodeURIComponent(token)}`);
    this.socket = socket;
    this.subscribed = false;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      this.attempt = 0;
      this.update({ connected: true });
      this.transmit({ type: 'subscribe', conversationId: this.opts.conversationId, afterSeq: this.view.delivery.lastSeq });
      this.startPing();
    };
    socket.onmessage = (event) => {
      if (this.socket !== socket || typeof event.data !== 'string') return;
      let data: WidgetServerMessage;
      try {
        data = JSON.parse(event.data) as WidgetServerMessage;
      } catch {
        return;
      }
      this.handle(data);
    };
    socket.onclose = (event) => {
      if (this.socket === socket) this.closed(event.code);
    };
  }

  /** The connection is gone (closed by either side, or given up on): reconnect unless told not to. */
  private closed(code: number): void {
    this.socket = null;
    this.subscribed = false;
    this.clearTimers();
    this.update({ connected: false, typingName: null, isTyping: false });
    if (this.stopped) return;
    if (code === 4401) {
      this.opts.onUnauthorised();
      return;
    }
    const delay = code === 4429 ? 10_000 : reconnectDelay(this.attempt++);
    if (code === 4429) this.update({ notice: 'slowDown' });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
  }

  /** Stop waiting on a socket the network has dropped (offline, or no pong): its close may take minutes to come. */
  private readonly abandon = () => {
    const s = this.socket;
    if (!s) return;
    s.onopen = s.onmessage = s.onclose = null;
    try {
      s.close(4000, 'gone');
    } catch {
      // already closing
    }
    this.closed(4000);
  };

  private handle(data: WidgetServerMessage): void {
    const id = this.opts.conversationId;
    switch (data.type) {
      case 'subscribed':
        if (data.conversationId !== id) return;
        this.subscribed = true;
        this.update({ chatStatus: data.chatStatus, agentName: data.agentName, agentReadSeq: data.agentReadSeq });
        for (const m of pendingMessages(this.view.delivery)) this.transmitMessage(m.clientId, m.body, m.attachmentIds);
        return;
      case 'message':
        if (data.conversationId !== id) return;
        this.update({
          delivery: receiveMessage(this.view.delivery, data.message),
          ...(data.message.authorType === 'staff' ? { typingName: null, isTyping: false } : {}),
        });
        return;
      case 'ack':
        if (data.conversationId !== id) return;
        this.update({ delivery: acknowledgeMessage(this.view.delivery, data.clientId), notice: null });
        return;
      case 'typing':
        if (data.conversationId !== id) return;
        if (this.typingTimer) clearTimeout(this.typingTimer);
        this.update({ isTyping: data.isTyping, typingName: data.name });
        if (data.isTyping) this.typingTimer = setTimeout(() => this.update({ isTyping: false }), TYPING_CLEAR_MS);
        return;
      case 'read':
        if (data.conversationId !== id) return;
        this.update({ agentReadSeq: Math.max(this.view.agentReadSeq, data.seq) });
        return;
      case 'status':
        if (data.conversationId !== id) return;
        this.update({ chatStatus: data.chatStatus, agentName: data.agentName ?? this.view.agentName });
        return;
      case 'error':
        if (data.code === 'RATE_LIMITED') this.update({ notice: 'slowDown' });
        else if (data.clientId) {
          // refused for good (too long, bad attachment …): it will not be sent again
          this.update({ delivery: acknowledgeMessage(this.view.delivery, data.clientId), notice: 'error' });
        }
        return;
      case 'pong':
        if (this.pongTimer) clearTimeout(this.pongTimer);
        this.pongTimer = null;
        return;
      default:
        return;
    }
  }

  private transmitMessage(clientId: string, body: string, attachmentIds: string[]): void {
    this.transmit({
      type: 'message',
      conversationId: this.opts.conversationId,
      clientId,
      body,
      ...(attachmentIds.length > 0 ? { attachmentIds } : {}),
    });
  }

  private transmit(msg: WidgetClientMessage): void {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(msg));
  }

  private startPing(): void {
    this.pingTimer = setInterval(() => {
      this.transmit({ type: 'ping' });
      if (this.pongTimer) return;
      this.pongTimer = setTimeout(this.abandon, PONG_TIMEOUT_MS);
    }, PING_MS);
  }

  private clearTimers(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.pingTimer) clearInterval(this.pingTimer);
    if (this.pongTimer) clearTimeout(this.pongTimer);
    if (this.typingTimer) clearTimeout(this.typingTimer);
    this.reconnectTimer = this.pingTimer = this.pongTimer = this.typingTimer = null;
  }

  private update(patch: Partial<ChatView>): void {
    this.view = { ...this.view, ...patch };
    this.opts.onChange(this.view);
  }
}
