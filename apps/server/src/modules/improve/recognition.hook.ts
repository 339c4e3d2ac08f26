import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { registerTicketHook } from '../../platform/ticket-hooks.ts';
import { rows } from './improve.repository.ts';
import { type Award, awardsForStatusChange } from './scoring.ts';

export async function insertAwards(tx: DbOrTx, awards: readonly Award[], ticketId: string | null, now: Date): Promise<void> {
  for (const a of awards) {
    await tx.execute(sql`INSERT INTO recognition_awards (staff_id, ticket_id, reason, points, key, created_at)
      VALUES (${a.staffId}, ${ticketId}, ${a.reason}, ${a.points}, ${a.key}, ${now.toISOString()}::timestamptz)
      ON CONFLICT (key) DO NOTHING`);
  }
}

/** Points follow every status change of a ticket, in the same transaction (after routing, SLAs and triggers). */
registerTicketHook({
  name: 'recognition',
  order: 600,
  async handle(tx, e) {
    if (e.kind !== 'status') return;
    const [facts] = await rows<{
      assignee_id: string | null;
      replies: number;
      reopens: number;
      solve_to: string | null;
      fcr_to: string | null;
      fcr_revoked: boolean;
    }>(
      tx,
      sql`SELECT t.assignee_id,
            (SELECT count(*) FROM messages m WHERE m.ticket_id = t.id AND m.kind = 'public' AND m.author_type = 'staff'
              AND m.status <> 'pending_approval')::int AS replies,
            (SELECT count(*) FROM recognition_awards a WHERE a.key LIKE ${`reopen:${e.ticketId}:%`})::int AS reopens,
            (SELECT staff_id FROM recognition_awards a WHERE a.key = ${`solve:${e.ticketId}`}) AS solve_to,
            (SELECT staff_id FROM recognition_awards a WHERE a.key = ${`fcr:${e.ticketId}`}) AS fcr_to,
            EXISTS (SELECT 1 FROM recognition_awards a WHERE a.key = ${`fcr-revoked:${e.ticketId}`}) AS fcr_revoked
          FROM tickets t WHERE t.id = ${e.ticketId}`,
    );
    if (!facts) return;
    const awards = awardsForStatusChange({
      ticketId: e.ticketId,
      from: e.from,
      to: e.to,
      assigneeId: facts.assignee_id,
      staffPublicReplies: facts.replies,
      previousReopens: facts.reopens,
      solveAwardedTo: facts.solve_to,
      fcrAwardedTo: facts.fcr_revoked ? null : facts.fcr_to,
    });
    await insertAwards(tx, awards, e.ticketId, e.now);
  },
});
