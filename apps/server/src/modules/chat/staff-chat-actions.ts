import { sql } from 'drizzle-orm';
import type { StaffActor } from '../../platform/auth/permissions.ts';
import type { Deps } from '../../platform/deps.ts';
import type { StaffChatActions } from '../../platform/realtime/realtime-hub.ts';
import { chatVisibleTo } from './chats.repository.ts';
import { markChatRead } from './chats.service.ts';

/** What the staff socket may do on a chat: the same visibility and rules as the HTTP routes. */
export function createStaffChatActions(deps: Pick<Deps, 'db' | 'clock'>): StaffChatActions {
  return {
    async maySee(actor: StaffActor, ticketId: string) {
      const r = await deps.db.execute(sql`
        SELECT 1 FROM chat_sessions cs JOIN tickets t ON t.id = cs.ticket_id WHERE cs.ticket_id = ${ticketId} AND ${chatVisibleTo(actor)}`);
      return r.rows.length > 0;
    },
    async markRead(actor: StaffActor, ticketId: string, seq: number) {
      await markChatRead(deps, { actor, ticketId, seq });
    },
  };
}
