import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';

/** Someone who may be offered a chat, with their chat load. */
export interface ChatCandidate {
  id: string;
  name: string;
  /** online, not on time off, routable or on a duty shift (the same rule as ticket routing) */
  available: boolean;
  /** accepted chats still running */
  activeChats: number;
  /** waiting chats offered to them right now */
  offeredChats: number;
  maxChats: number;
  languages: Record<string, number>;
  isTeamMember: boolean;
}

interface CandidateRow {
  id: string;
  name: string;
  status: string | null;
  routable: boolean | null;
  on_time_off: boolean;
  on_shift: boolean;
  max_chats: number | null;
  active_chats: number;
  offered_chats: number;
  languages: Record<string, number> | null;
  is_member: boolean;
  [key: string]: unknown;
}

/**
 * People who may take chats: every active agent, supervisor and admin plus the members of `teamId` (only the members
 * with `onlyTeam`); collaborators only on a duty shift. Availability follows `teamCandidates` in modules/routing.
 */
export async function listChatCandidates(db: DbOrTx, input: { teamId: string | null; onlyTeam?: boolean; now: Date }): Promise<ChatCandidate[]> {
  const at = input.now.toISOString();
  const teamId = input.teamId;
  const member = teamId ? sql`EXISTS (SELECT 1 FROM team_members m WHERE m.team_id = ${teamId} AND m.user_id = s.id)` : sql`false`;
  const anyone = sql`(s.role IN ('agent', 'supervisor', 'admin') OR EXISTS (SELECT 1 FROM duty_shifts d0 WHERE d0.user_id = s.id
            AND d0.starts_at <= ${at}::timestamptz AND d0.ends_at > ${at}::timestamptz))`;
  const scope = teamId && input.onlyTeam ? member : teamId ? sql`(${member} OR ${anyone})` : anyone;
  const shiftTeam = teamId ? sql`(d.team_id IS NULL OR d.team_id = ${teamId})` : sql`true`;
  const r = await db.execute<CandidateRow>(sql`
    SELECT s.id, s.name, a.status, coalesce(a.routable, s.role <> 'collaborator') AS routable, a.max_chats,
           EXISTS (SELECT 1 FROM staff_time_off o WHERE o.user_id = s.id AND o.starts_at <= ${at}::timestamptz AND o.ends_at > ${at}::timestamptz) AS on_time_off,
           EXISTS (SELECT 1 FROM duty_shifts d WHERE d.user_id = s.id AND ${shiftTeam}
                     AND d.starts_at <= ${at}::timestamptz AND d.ends_at > ${at}::timestamptz) AS on_shift,
           (SELECT count(*) FROM chat_sessions c WHERE c.accepted_by_id = s.id AND c.status = 'active')::int AS active_chats,
           (SELECT count(*) FROM chat_sessions c WHERE c.offered_to_id = s.id AND c.status = 'waiting')::int AS offered_chats,
           (SELECT jsonb_object_agg(l.language, l.level) FROM staff_languages l WHERE l.user_id = s.id) AS languages,
           ${member} AS is_member
      FROM staff_users s LEFT JOIN staff_availability a ON a.user_id = s.id
     WHERE s.status = 'active' AND ${scope}
     ORDER BY s.id`);
  return r.rows.map((m) => ({
    id: m.id,
    name: m.name,
    available: m.status === 'online' && !m.on_time_off && ((m.routable ?? true) || m.on_shift),
    activeChats: m.active_chats,
    offeredChats: m.offered_chats,
    maxChats: m.max_chats ?? 3,
    languages: m.languages ?? { en: 3 },
    isTeamMember: m.is_member,
  }));
}

/** May be offered one more chat now. */
export function hasChatCapacity(c: ChatCandidate): boolean {
  return c.available && c.activeChats + c.offeredChats < c.maxChats;
}
