import { and, eq, sql } from 'drizzle-orm';
import { reusableQuery } from '../../platform/db/reusable-query.ts';
import { chatClientMessages, chatSessions } from '../../platform/db/schema/index.ts';

const P = (name: string) => sql.placeholder(name);

/** The stored message of a (conversation, clientId), if any; built once (platform/db/reusable-query.ts). */
export const storedClientMessage = reusableQuery((db) =>
  db
    .select({ seq: chatClientMessages.seq, messageId: chatClientMessages.messageId })
    .from(chatClientMessages)
    .where(and(eq(chatClientMessages.ticketId, P('ticketId')), eq(chatClientMessages.clientId, P('clientId')))),
);

/**
 * Stores a visitor message's clientId and moves the chat's `updated_at`, in one statement: they were two round trips
 * on every visitor message (issue #10). ON CONFLICT DO NOTHING: an empty answer means the clientId was stored by
 * another transaction meanwhile, and the caller must roll back (see lockConversationForMessage). The UPDATE runs
 * whatever the INSERT does (a data-modifying WITH always runs), which is harmless: the caller rolls back then.
 * Values arrive encoded: `now` as ISO text.
 */
export const rememberClientMessage = reusableQuery((db) => {
  const remembered = db.$with('remembered', { seq: sql<number>`seq` }).as(
    sql`INSERT INTO chat_client_messages (ticket_id, client_id, message_id, seq, created_at)
        VALUES (${P('ticketId')}::uuid, ${P('clientId')}::text, ${P('messageId')}::uuid, ${P('seq')}::int,
                ${P('now')}::timestamptz)
        ON CONFLICT (ticket_id, client_id) DO NOTHING
        RETURNING seq`,
  );
  return db
    .with(remembered)
    .update(chatSessions)
    .set({ updatedAt: sql`${P('now')}::timestamptz` })
    .where(eq(chatSessions.ticketId, P('ticketId')))
    .returning({ remembered: sql<number>`(SELECT count(*) FROM remembered)::int` });
});
