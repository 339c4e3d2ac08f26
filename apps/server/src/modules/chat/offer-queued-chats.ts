import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { lockChatRow, offerChat } from './offer-chat.ts';

/**
 * Chats waiting in the queue with nobody offered, oldest first, are offered to whoever can take them now (each is
 * tried: a later chat may suit another team or language).
 */
export async function offerQueuedChats(tx: DbOrTx, now: Date, limit = 50): Promise<number> {
  const r = await tx.execute<{ ticket_id: string }>(sql`
    SELECT ticket_id FROM chat_sessions WHERE status = 'waiting' AND offered_to_id IS NULL ORDER BY created_at LIMIT ${limit}`);
  let offered = 0;
  for (const row of r.rows) {
    // a chat someone is accepting or handing on right now is theirs to settle; never wait for it here
    if (!(await lockChatRow(tx, row.ticket_id, { skipLocked: true }))) continue;
    if (await offerChat(tx, { ticketId: row.ticket_id, now })) offered += 1;
  }
  return offered;
}
