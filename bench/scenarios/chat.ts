import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import WebSocket from 'ws';
import { type LatencySummary, mapLimit, sleep, summarise } from '../support/stats.ts';

/**
 * Live chat: `visitors` widget sockets (a share of them in a conversation) and `agents` staff sockets, all from this
 * process over loopback. For `duration` seconds messages flow at `rate` per second in total, alternating per
 * conversation: the visitor writes on its socket (measured until the conversation's agent socket hears
 * `message.added`), then the agent replies over HTTP (measured until the visitor's socket gets the `message`). One
 * message per conversation is in flight at a time, so every delivery is matched to its send. Afterwards the
 * messages stored in PostgreSQL are counted against those sent.
 */
export interface ChatOptions {
  baseUrl: string;
  adminToken: string;
  /** API tokens of the agents (one staff socket each) */
  agentTokens: string[];
  visitors: number;
  conversations: number;
  rate: number;
  duration: number;
  pool: pg.Pool;
  log: (m: string) => void;
}

export interface ChatResult {
  visitors: number;
  visitorSockets: number;
  agentSockets: number;
  conversations: number;
  targetRate: number;
  duration: number;
  sent: number;
  delivered: number;
  /** messages stored (visitor and agent) during the run, counted in PostgreSQL */
  persisted: number;
  lost: number;
  refused: number;
  achievedRate: number;
  /** frames all agent sockets received per second (every agent hears about every ticket) */
  agentFramesPerSecond: number;
  visitorToAgent: LatencySummary;
  agentToVisitor: LatencySummary;
  /** from the agent's 201 (committed) to the visitor's socket; 0 when the push arrived before the HTTP answer */
  agentCommitToVisitor: LatencySummary;
  all: LatencySummary;
  visitorAck: LatencySummary;
  setupSeconds: number;
}

interface Pending {
  dir: 'visitor' | 'agent';
  t0: number;
  clientId?: string;
  /** when the agent's HTTP request answered 201 (the reply is stored and committed) */
  t1?: number;
}

function ip(i: number): string {
  return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
}

function openWs(url: string, onMessage: (m: Record<string, unknown>) => void, readyType: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const timer = setTimeout(() => reject(new Error(`no ${readyType} from ${url.split('?')[0]}`)), 60_000);
    ws.on('message', (raw) => {
      const m = JSON.parse(raw.toString()) as Record<string, unknown>;
      if (m.type === readyType) {
        clearTimeout(timer);
        resolve(ws);
      }
      onMessage(m);
    });
    ws.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

export async function runChatScenario(opts: ChatOptions): Promise<ChatResult> {
  const setupStarted = performance.now();
  const base = opts.baseUrl;
  const wsBase = base.replace(/^http/, 'ws');
  const widgetRes = await fetch(`${base}/api/v1/widgets`, {
    method: 'POST',
    headers: { authorization: `Bearer ${opts.adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Bench shop' }),
  });
  if (widgetRes.status !== 201) throw new Error(`widget: ${widgetRes.status} ${await widgetRes.text()}`);
  const key = ((await widgetRes.json()) as { publicKey: string }).publicKey;

  // visitors (each from its own address, as real visitors are; the widget's limits are per address)
  const visitors = await mapLimit(
    Array.from({ length: opts.visitors }, (_, i) => i),
    16,
    async (i) => {
      const res = await fetch(`${base}/widget/v1/visitors`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': ip(i + 1) },
        body: JSON.stringify({ key }),
      });
      if (res.status !== 200) throw new Error(`visitor: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { visitorToken: string }).visitorToken;
    },
  );
  opts.log(`chat: ${visitors.length} visitors`);
  const conversations = await mapLimit(visitors.slice(0, opts.conversations), 8, async (token, i) => {
    const res = await fetch(`${base}/widget/v1/conversations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-seva-visitor': token, 'x-forwarded-for': ip(i + 1) },
      body: JSON.stringify({ clientId: `c-${randomUUID()}`, body: 'Hello, my order has not arrived yet' }),
    });
    if (res.status !== 201) throw new Error(`conversation: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { conversation: { id: string } }).conversation.id;
  });
  opts.log(`chat: ${conversations.length} conversations`);

  const pending = new Map<string, Pending>();
  const v2a: number[] = [];
  const a2v: number[] = [];
  const a2vAfterCommit: number[] = [];
  const acks: number[] = [];
  const ackWaiting = new Map<string, number>();
  let refused = 0;
  let agentFrames = 0;
  let measuring = false;
  const convIndex = new Map(conversations.map((c, i) => [c, i]));

  // agent sockets: conversation i belongs to agent i % agents
  const agents = await mapLimit(opts.agentTokens, 16, (token, a) =>
    openWs(
      `${wsBase}/api/v1/realtime?token=${encodeURIComponent(token)}`,
      (m) => {
        if (measuring) agentFrames += 1;
        if (m.type !== 'message.added' || typeof m.ticketId !== 'string') return;
        const i = convIndex.get(m.ticketId);
        if (i === undefined || i % opts.agentTokens.length !== a) return;
        const p = pending.get(m.ticketId);
        if (p?.dir !== 'visitor') return;
        pending.delete(m.ticketId);
        if (measuring) v2a.push(performance.now() - p.t0);
      },
      'realtime.ready',
    ),
  );
  opts.log(`chat: ${agents.length} agent sockets`);

  // visitor sockets: the first `conversations` subscribe to their chat
  const sockets = await mapLimit(visitors, 32, async (token, i) => {
    const conversationId = conversations[i];
    let subscribed: () => void = () => {};
    const done = new Promise<void>((r) => {
      subscribed = r;
    });
    const ws = await openWs(
      `${wsBase}/widget/v1/socket?key=${encodeURIComponent(key)}&token=${encodeURIComponent(token)}`,
      (m) => {
        if (m.type === 'subscribed') subscribed();
        if (!conversationId) return;
        const p = pending.get(conversationId);
        const ackT0 = typeof m.clientId === 'string' ? ackWaiting.get(m.clientId) : undefined;
        if (m.type === 'ack' && ackT0 !== undefined) {
          ackWaiting.delete(m.clientId as string);
          if (measuring) acks.push(performance.now() - ackT0);
        } else if (m.type === 'error' && ackT0 !== undefined) {
          ackWaiting.delete(m.clientId as string);
          refused += 1;
          if (p?.clientId === m.clientId) pending.delete(conversationId);
        } else if (
          m.type === 'message' &&
          p?.dir === 'agent' &&
          (m.message as { authorType?: string }).authorType === 'staff'
        ) {
          pending.delete(conversationId);
          const now = performance.now();
          if (measuring) {
            a2v.push(now - p.t0);
            a2vAfterCommit.push(p.t1 === undefined ? 0 : now - p.t1);
          }
        }
      },
      'ready',
    );
    if (conversationId) {
      ws.send(JSON.stringify({ type: 'subscribe', conversationId, afterSeq: 0 }));
      await done;
    }
    return ws;
  });
  const setupSeconds = (performance.now() - setupStarted) / 1000;
  opts.log(`chat: ${sockets.length} visitor sockets open; measuring for ${opts.duration} s at ${opts.rate} msg/s`);

  const runStarted = new Date();
  const nextDir = conversations.map(() => 'visitor' as 'visitor' | 'agent');
  let sent = 0;
  let cursor = 0;
  measuring = true;
  const t0 = performance.now();
  const end = t0 + opts.duration * 1000;
  const httpSends: Array<Promise<void>> = [];
  while (performance.now() < end) {
    const due = Math.floor(((performance.now() - t0) / 1000) * opts.rate) - sent;
    for (let k = 0; k < due; k += 1) {
      // the next conversation with nothing in flight
      let i = -1;
      for (let tries = 0; tries < conversations.length; tries += 1) {
        const c = (cursor + tries) % conversations.length;
        if (!pending.has(conversations[c] as string)) {
          i = c;
          break;
        }
      }
      if (i < 0) break;
      cursor = i + 1;
      const conversationId = conversations[i] as string;
      sent += 1;
      const dir = nextDir[i] as 'visitor' | 'agent';
      nextDir[i] = dir === 'visitor' ? 'agent' : 'visitor';
      if (dir === 'visitor') {
        const clientId = `c-${randomUUID()}`;
        const at = performance.now();
        pending.set(conversationId, { dir, t0: at, clientId });
        ackWaiting.set(clientId, at);
        sockets[i]?.send(
          JSON.stringify({ type: 'message', conversationId, clientId, body: `Any news about my order? (${sent})` }),
        );
      } else {
        const entry: Pending = { dir, t0: performance.now() };
        pending.set(conversationId, entry);
        const token = opts.agentTokens[i % opts.agentTokens.length] as string;
        httpSends.push(
          fetch(`${base}/api/v1/tickets/${conversationId}/messages`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
            body: JSON.stringify({ body: `It is on its way and arrives tomorrow (${sent}).` }),
          }).then(
            async (res) => {
              entry.t1 = performance.now();
              await res.arrayBuffer();
              if (res.status !== 201) {
                refused += 1;
                pending.delete(conversationId);
              }
            },
            () => {
              refused += 1;
              pending.delete(conversationId);
            },
          ),
        );
      }
    }
    await sleep(5);
  }
  const elapsed = (performance.now() - t0) / 1000;
  await Promise.all(httpSends);
  // let what is in flight arrive (up to 10 s), then count what never did
  const drainUntil = performance.now() + 10_000;
  while (pending.size > 0 && performance.now() < drainUntil) await sleep(50);
  measuring = false;
  const lost = pending.size;
  const { rows } = await opts.pool.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM messages WHERE ticket_id = ANY($1::uuid[]) AND created_at >= $2',
    [conversations, runStarted],
  );
  for (const ws of [...sockets, ...agents]) ws.terminate();
  const delivered = v2a.length + a2v.length;
  return {
    visitors: opts.visitors,
    visitorSockets: sockets.length,
    agentSockets: agents.length,
    conversations: conversations.length,
    targetRate: opts.rate,
    duration: opts.duration,
    sent,
    delivered,
    persisted: rows[0]?.n ?? 0,
    lost,
    refused,
    achievedRate: Math.round(sent / elapsed),
    agentFramesPerSecond: Math.round(agentFrames / elapsed),
    visitorToAgent: summarise(v2a),
    agentToVisitor: summarise(a2v),
    agentCommitToVisitor: summarise(a2vAfterCommit),
    all: summarise([...v2a, ...a2v]),
    visitorAck: summarise(acks),
    setupSeconds: Math.round(setupSeconds),
  };
}
