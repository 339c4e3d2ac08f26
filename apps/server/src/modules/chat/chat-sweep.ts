import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { requeueChatsOf } from './chats.service.ts';
import { lockChatRow, offerChat, passChatOffer } from './offer-chat.ts';
import { offerQueuedChats } from './offer-queued-chats.ts';

export interface ChatSweepResult {
  /** offers nobody answered in time, moved on */
  escalated: number;
  /** people who could no longer take their chats (away, offline, time off) whose chats were requeued */
  requeued: number;
  /** queued chats offered to someone who has room now */
  offered: number;
}

/**
 * The chat worker's round (every SEVA_CHAT_SWEEP_SECONDS): offers older than their widget's offer timeout move on to
 * the next available person; chats of people who can no longer take them go back to the queue; queued chats are
 * offered to whoever has room now. Each chat is handled in its own transaction with its rows locked (SKIP LOCKED:
 * a chat someone is accepting right now is left alone), so two workers never handle the same chat twice.
 */
export async function sweepChats(db: Db, now: Date): Promise<ChatSweepResult> {
  const result: ChatSweepResult = { escalated: 0, requeued: 0, offered: 0 };
  const expired = await db.execute<{ ticket_id: string }>(sql`
    SELECT cs.ticket_id FROM chat_sessions cs JOIN widgets w ON w.id = cs.widget_id
     WHERE cs.status = 'waiting' AND cs.offered_to_id IS NOT NULL
       AND cs.offered_at <= ${now.toISOString()}::timestamptz - make_interval(secs => w.offer_timeout_seconds)
     ORDER BY cs.offered_at LIMIT 200`);
  for (const { ticket_id } of expired.rows) {
    await db.transaction(async (tx) => {
      if (!(await lockChatRow(tx, ticket_id, { skipLocked: true }))) return;
      const locked = await tx.execute<{ offered_to_id: string }>(sql`
        SELECT cs.offered_to_id FROM chat_sessions cs JOIN widgets w ON w.id = cs.widget_id
         WHERE cs.ticket_id = ${ticket_id} AND cs.status = 'waiting' AND cs.offered_to_id IS NOT NULL
           AND cs.offered_at <= ${now.toISOString()}::timestamptz - make_interval(secs => w.offer_timeout_seconds)`);
      const row = locked.rows[0];
      if (!row) return;
      await passChatOffer(tx, { ticketId: ticket_id, userId: row.offered_to_id, now });
      result.escalated += 1;
    });
  }
  // people holding chats or offers who are no longer online (or whose time off began)
  const at = now.toISOString();
  const gone = await db.execute<{ user_id: string }>(sql`
    SELECT DISTINCT h.user_id FROM (
      SELECT CASE WHEN status = 'active' THEN accepted_by_id ELSE offered_to_id END AS user_id
        FROM chat_sessions WHERE (status = 'active' AND accepted_by_id IS NOT NULL) OR (status = 'waiting' AND offered_to_id IS NOT NULL)) h
      LEFT JOIN staff_availability a ON a.user_id = h.user_id
     WHERE coalesce(a.status, 'offline') <> 'online'
        OR EXISTS (SELECT 1 FROM staff_time_off o WHERE o.user_id = h.user_id AND o.starts_at <= ${at}::timestamptz AND o.ends_at > ${at}::timestamptz)`);
  for (const { user_id } of gone.rows) {
    result.requeued += await db.transaction((tx) => requeueChatsOf(tx, { userId: user_id, now, reason: 'unavailable' }));
  }
  const queued = await db.execute<{ ticket_id: string }>(sql`
    SELECT ticket_id FROM chat_sessions WHERE status = 'waiting' AND offered_to_id IS NULL ORDER BY created_at LIMIT 200`);
  for (const { ticket_id } of queued.rows) {
    const to = await db.transaction(async (tx) => {
      if (!(await lockChatRow(tx, ticket_id, { skipLocked: true }))) return null;
      const still = await tx.execute(sql`SELECT 1 FROM chat_sessions WHERE ticket_id = ${ticket_id} AND status = 'waiting' AND offered_to_id IS NULL`);
      return still.rows.length > 0 ? offerChat(tx, { ticketId: ticket_id, now }) : null;
    });
    if (to) result.offered += 1;
  }
  return result;
}

export { offerQueuedChats };
