import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendMessage } from '../src/modules/tickets/ticket-writes.ts';
import { EVENTS_CHANNEL } from '../src/platform/events.ts';
import { createStaff, type TestStaff } from './factories.ts';
import { createTestApp, type TestApp } from './harness.ts';
import { openTicket } from './tickets-helpers.ts';

// appendMessage numbers the message, moves the ticket's counters, inserts the message and its `message.added` event
// in one statement (tickets/append-message-row.ts); the event is announced like every other.

let t: TestApp;
let agent: TestStaff;

beforeAll(async () => {
  t = await createTestApp();
  agent = await createStaff(t, 'agent');
});
afterAll(async () => {
  await t?.close();
});

describe('appending a message', () => {
  it('numbers concurrent messages on one ticket without gaps, each with its own event', async () => {
    const ticket = await openTicket(t, agent);
    const actor = { kind: 'system' } as const;
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.deps.db.transaction((tx) =>
          appendMessage(tx, {
            ticketId: ticket.id,
            kind: i % 4 === 0 ? 'internal' : 'public',
            authorType: 'system',
            channel: 'api',
            body: `note ${i}`,
            status: 'sent',
            actor,
            now: new Date(),
          }),
        ),
      ),
    );
    const { rows: msgs } = await t.deps.database.pool.query<{ id: string; seq: number; kind: string }>(
      'SELECT id, seq, kind FROM messages WHERE ticket_id = $1 ORDER BY seq',
      [ticket.id],
    );
    expect(msgs.map((m) => m.seq)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    const { rows: counters } = await t.deps.database.pool.query<{ last_seq: number; message_count: number }>(
      'SELECT last_seq, message_count FROM tickets WHERE id = $1',
      [ticket.id],
    );
    expect(counters[0]).toEqual({ last_seq: 21, message_count: 21 });
    const { rows: events } = await t.deps.database.pool.query<{
      payload: { messageId: string; seq: number; kind: string; attachmentCount: number };
      actor_type: string;
    }>(`SELECT payload, actor_type FROM events WHERE ticket_id = $1 AND type = 'message.added' ORDER BY id`, [
      ticket.id,
    ]);
    expect(events).toHaveLength(21);
    const bySeq = new Map(msgs.map((m) => [m.seq, m]));
    for (const e of events) {
      const m = bySeq.get(e.payload.seq);
      expect(e.payload.messageId).toBe(m?.id);
      expect(e.payload.kind).toBe(m?.kind);
      expect(e.payload.attachmentCount).toBe(0);
    }
    expect(events.slice(1).every((e) => e.actor_type === 'system')).toBe(true);
  });

  it('announces the event after COMMIT in a transaction, and at once on a plain handle', async () => {
    const ticket = await openTicket(t, agent);
    const listener = new pg.Client({ connectionString: t.deps.database.url });
    await listener.connect();
    const heard: Array<{ id: number; type: string; ticketId: string }> = [];
    listener.on('notification', (n) => {
      const note = JSON.parse(n.payload ?? '{}');
      if (note.ticketId === ticket.id && note.type === 'message.added') heard.push(note);
    });
    await listener.query(`LISTEN ${EVENTS_CHANNEL}`);
    try {
      const input = {
        ticketId: ticket.id,
        kind: 'public' as const,
        authorType: 'system' as const,
        channel: 'api',
        status: 'sent' as const,
        actor: { kind: 'system' as const },
        now: new Date(),
      };
      // rolled back: nothing is announced
      await t.deps.db
        .transaction(async (tx) => {
          await appendMessage(tx, { ...input, body: 'never' });
          throw new Error('roll back');
        })
        .catch(() => undefined);
      const inTx = await t.deps.db.transaction((tx) => appendMessage(tx, { ...input, body: 'in a transaction' }));
      const plain = await appendMessage(t.deps.db, { ...input, body: 'on a plain handle' });
      const deadline = Date.now() + 5_000;
      while (heard.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 100));
      const { rows } = await t.deps.database.pool.query<{ id: string; seq: number }>(
        `SELECT id, (payload->>'seq')::int AS seq FROM events WHERE ticket_id = $1 AND type = 'message.added' ORDER BY id`,
        [ticket.id],
      );
      const ids = new Map(rows.map((r) => [r.seq, Number(r.id)]));
      expect(heard.map((h) => h.id)).toEqual([ids.get(inTx.seq), ids.get(plain.seq)]);
      expect(inTx.seq).toBe(2);
      expect(plain.seq).toBe(3);
    } finally {
      await listener.end();
    }
  });
});
