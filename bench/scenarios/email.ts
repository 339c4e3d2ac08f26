import nodemailer from 'nodemailer';
import type pg from 'pg';
import WebSocket from 'ws';
import { type LatencySummary, sleep, summarise } from '../support/stats.ts';

/**
 * Email ingest end to end: this process (not the server) speaks SMTP to Seva's own listener with nodemailer over
 * several pooled connections for `duration` seconds, noting when each message got its `250`. A staff socket on
 * /api/v1/realtime notes when each `ticket.created` arrives; the inbound_emails table links ticket to Message-ID
 * afterwards. Accept-to-visible is the time between the two, as an agent's inbox would see it.
 */
export interface EmailResult {
  duration: number;
  concurrency: number;
  accepted: number;
  refused: number;
  acceptPerSecond: number;
  visible: number;
  /** tickets visible per second, from the first accept to the last ticket seen */
  visiblePerSecond: number;
  notVisibleAfterWait: number;
  acceptLatency: LatencySummary;
  acceptToVisible: LatencySummary;
}

export interface EmailOptions {
  baseUrl: string;
  token: string;
  smtpPort: number;
  mailbox: string;
  duration: number;
  concurrency: number;
  pool: pg.Pool;
  log: (m: string) => void;
}

export async function runEmailScenario(opts: EmailOptions): Promise<EmailResult> {
  const createdAt = new Map<string, number>();
  const ws = new WebSocket(
    `${opts.baseUrl.replace(/^http/, 'ws')}/api/v1/realtime?token=${encodeURIComponent(opts.token)}`,
  );
  await new Promise<void>((resolve, reject) => {
    ws.on('message', (raw) => {
      const m = JSON.parse(raw.toString()) as { type: string; ticketId?: string };
      if (m.type === 'realtime.ready') resolve();
      if (m.type === 'ticket.created' && m.ticketId && !createdAt.has(m.ticketId))
        createdAt.set(m.ticketId, performance.now());
    });
    ws.on('error', reject);
  });

  const run = Math.random().toString(36).slice(2, 8);
  const acceptedAt = new Map<string, number>();
  const acceptMs: number[] = [];
  let refused = 0;
  let seq = 0;
  const started = performance.now();
  const stopAt = started + opts.duration * 1000;
  const senders = Array.from({ length: opts.concurrency }, async (_, w) => {
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: opts.smtpPort,
      secure: false,
      ignoreTLS: true,
      pool: true,
      maxConnections: 1,
      maxMessages: Number.POSITIVE_INFINITY,
    });
    try {
      while (performance.now() < stopAt) {
        seq += 1;
        const id = `bench.${run}.${w}.${seq}@customers.example.org`;
        const t0 = performance.now();
        try {
          await transport.sendMail({
            from: `Customer ${seq % 500} <customer${seq % 500}.${run}@customers.example.org>`,
            to: opts.mailbox,
            subject: `Order ord${String(seq).padStart(7, '0')} has not arrived (${run})`,
            text: `Hello,\n\nMy order ord${String(seq).padStart(7, '0')} has not arrived yet. Could you check where it is?\n\nThanks`,
            messageId: `<${id}>`,
          });
          const t1 = performance.now();
          acceptedAt.set(id, t1);
          acceptMs.push(t1 - t0);
        } catch {
          refused += 1;
        }
      }
    } finally {
      transport.close();
    }
  });
  await Promise.all(senders);
  const sendSeconds = (performance.now() - started) / 1000;
  opts.log(
    `email: ${acceptedAt.size} accepted in ${sendSeconds.toFixed(1)} s (${refused} refused); waiting for tickets`,
  );

  // wait until every accepted message is a ticket someone saw arrive (or two minutes pass)
  const ids = [...acceptedAt.keys()];
  let linked = new Map<string, string>();
  const waitUntil = performance.now() + 120_000;
  for (;;) {
    const { rows } = await opts.pool.query<{ message_id_header: string; ticket_id: string | null }>(
      'SELECT message_id_header, ticket_id FROM inbound_emails WHERE message_id_header = ANY($1::text[]) AND ticket_id IS NOT NULL',
      [ids],
    );
    linked = new Map(rows.map((r) => [r.message_id_header, r.ticket_id as string]));
    const seen = [...linked.values()].filter((t) => createdAt.has(t)).length;
    if (seen >= ids.length || performance.now() > waitUntil) break;
    await sleep(500);
  }
  ws.close();
  const latencies: number[] = [];
  let lastSeen = started;
  for (const [id, at] of acceptedAt) {
    const ticket = linked.get(id);
    const seenAt = ticket ? createdAt.get(ticket) : undefined;
    if (seenAt === undefined) continue;
    latencies.push(Math.max(0, seenAt - at));
    lastSeen = Math.max(lastSeen, seenAt);
  }
  return {
    duration: opts.duration,
    concurrency: opts.concurrency,
    accepted: acceptedAt.size,
    refused,
    acceptPerSecond: Math.round(acceptedAt.size / sendSeconds),
    visible: latencies.length,
    visiblePerSecond: Math.round(latencies.length / ((lastSeen - started) / 1000)),
    notVisibleAfterWait: acceptedAt.size - latencies.length,
    acceptLatency: summarise(acceptMs),
    acceptToVisible: summarise(latencies),
  };
}
