import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import WebSocket from 'ws';
import type { Db } from '../src/platform/db/client.ts';
import { customers, ticketCollaborators, tickets } from '../src/platform/db/schema/index.ts';
import { recordEvent } from '../src/platform/events.ts';

/** Starts the app on a loopback port and answers its ws:// base address. */
export async function listenOnLoopback(app: FastifyInstance): Promise<string> {
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return address.replace(/^http/, 'ws');
}

export interface TestSocket {
  ws: WebSocket;
  received: Array<Record<string, unknown>>;
  /** the next message (already received or future) matching `match` */
  waitFor(match: (m: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  closed: Promise<{ code: number; reason: string }>;
}

export function openSocket(url: string, opts: WebSocket.ClientOptions = {}): Promise<TestSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, opts);
    const received: Array<Record<string, unknown>> = [];
    const waiters: Array<{
      match: (m: Record<string, unknown>) => boolean;
      resolve: (m: Record<string, unknown>) => void;
    }> = [];
    const closed = new Promise<{ code: number; reason: string }>((res) => {
      ws.on('close', (code, reason) => res({ code, reason: reason.toString() }));
    });
    ws.on('message', (raw) => {
      const m = JSON.parse(raw.toString()) as Record<string, unknown>;
      received.push(m);
      for (const w of [...waiters]) {
        if (w.match(m)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(m);
        }
      }
    });
    ws.on('unexpected-response', (_req, res) => {
      reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { statusCode: res.statusCode }));
    });
    ws.on('error', reject);
    ws.on('open', () => {
      resolve({
        ws,
        received,
        closed,
        waitFor: (match, timeoutMs = 5000) => {
          const hit = received.find(match);
          if (hit) return Promise.resolve(hit);
          return new Promise((res, rej) => {
            const timer = setTimeout(
              () => rej(new Error(`no matching message within ${timeoutMs} ms: got ${JSON.stringify(received)}`)),
              timeoutMs,
            );
            waiters.push({
              match,
              resolve: (m) => {
                clearTimeout(timer);
                res(m);
              },
            });
          });
        },
      });
    });
  });
}

/** A customer and a ticket, inserted directly (the tickets module owns the real write path). */
export async function insertTicket(
  db: Db,
  opts: { assigneeId?: string | null; collaboratorIds?: string[] } = {},
): Promise<{ ticketId: string; customerId: string }> {
  const [customer] = await db.insert(customers).values({ name: 'Mina Roy' }).returning({ id: customers.id });
  if (!customer) throw new Error('no customer');
  const [ticket] = await db
    .insert(tickets)
    .values({
      subject: `Realtime ${randomUUID()}`,
      channel: 'email',
      customerId: customer.id,
      assigneeId: opts.assigneeId ?? null,
    })
    .returning({ id: tickets.id });
  if (!ticket) throw new Error('no ticket');
  for (const userId of opts.collaboratorIds ?? []) {
    await db.insert(ticketCollaborators).values({ ticketId: ticket.id, userId });
  }
  return { ticketId: ticket.id, customerId: customer.id };
}

/** Writes an event the way services do: inside a transaction, NOTIFY on commit. */
export async function writeEvent(
  db: Db,
  type: string,
  ticketId: string | null,
  customerId: string | null = null,
): Promise<number> {
  return db.transaction((tx) =>
    recordEvent(tx, { type, actor: { kind: 'system' }, ticketId, customerId, payload: {} }),
  );
}
