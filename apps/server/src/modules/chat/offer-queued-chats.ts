import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { offerChat } from './offer-chat.ts';

/**
 * Chats waiting in the queue with nobody offered, oldest first, are offered to whoever can take them now; stops at
 * the first one nobody could take only when nobody at all has room (a later chat may need another team or language).
 */
export async function offerQueuedChats(tx: DbOrTx, now: Date, limit = 50): Promise<number> {
  const r = await tx.execute<{ ticket_id: string }>(sql`
    SELECT ticket_id FROM chat_sessions WHERE status = 'waiting' AND offered_to_id IS NULL ORDER BY created_at LIMIT ${limit}`);
  let offered = 0;
  for (const row of r.rows) if (await offerChat(tx, { ticketId: row.ticket_id, now })) offered += 1;
  return offered;
}
