import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { reusableQuery } from '../../platform/db/reusable-query.ts';
import { assignmentLog, teamRouting, ticketRouting, tickets } from '../../platform/db/schema/index.ts';
import { recordEvent } from '../../platform/events.ts';
import { patchNewTicket } from '../../platform/new-ticket-snapshot.ts';
import { runTicketHooks } from '../../platform/ticket-hooks.ts';
import { type Candidate, chooseAssignee, type Needs, type Strategy } from './choose-assignee.ts';

const SYSTEM = { kind: 'system' } as const;

interface MemberRow {
  id: string;
  status: string | null;
  routable: boolean | null;
  max_open: number | null;
  on_time_off: boolean;
  on_shift: boolean;
  open_tickets: number;
  weighted: number;
  skills: Record<string, number> | null;
  languages: Record<string, number> | null;
  [key: string]: unknown;
}

/** The team's members with what decides who may take work now: availability, time off, rota, capacity, load. */
export async function teamCandidates(tx: DbOrTx, teamId: string, now: Date): Promise<Candidate[]> {
  const at = now.toISOString();
  const r = await tx.execute<MemberRow>(sql`
    SELECT s.id, a.status, coalesce(a.routable, s.role <> 'collaborator') AS routable, a.max_open_tickets AS max_open,
           EXISTS (SELECT 1 FROM staff_time_off o WHERE o.user_id = s.id AND o.starts_at <= ${at}::timestamptz AND o.ends_at > ${at}::timestamptz) AS on_time_off,
           EXISTS (SELECT 1 FROM duty_shifts d WHERE d.user_id = s.id AND (d.team_id IS NULL OR d.team_id = ${teamId})
                     AND d.starts_at <= ${at}::timestamptz AND d.ends_at > ${at}::timestamptz) AS on_shift,
           (SELECT count(*) FROM tickets t WHERE t.assignee_id = s.id AND t.status IN ('new', 'open', 'pending', 'on_hold'))::int AS open_tickets,
           (SELECT coalesce(sum(CASE t.priority WHEN 'urgent' THEN 4 WHEN 'high' THEN 2 ELSE 1 END), 0) FROM tickets t
             WHERE t.assignee_id = s.id AND t.status IN ('new', 'open', 'pending', 'on_hold'))::int AS weighted,
           (SELECT jsonb_object_agg(k.skill, k.level) FROM staff_skills k WHERE k.user_id = s.id) AS skills,
           (SELECT jsonb_object_agg(l.language, l.level) FROM staff_languages l WHERE l.user_id = s.id) AS languages
      FROM team_members m JOIN staff_users s ON s.id = m.user_id LEFT JOIN staff_availability a ON a.user_id = s.id
     WHERE m.team_id = ${teamId} AND s.status = 'active'
     ORDER BY s.id`);
  return r.rows.map((m) => ({
    id: m.id,
    // a person without a row has never gone online; non-support people (not routable: collaborators by default)
    // take work only on a duty shift
    available: m.status === 'online' && !m.on_time_off && ((m.routable ?? true) || m.on_shift),
    openTickets: m.open_tickets,
    maxOpenTickets: m.max_open ?? 20,
    weightedLoad: m.weighted,
    skills: m.skills ?? {},
    // someone who declared no languages is taken to answer in English, the desk's default
    languages: m.languages ?? { en: 3 },
  }));
}

async function isLiveChat(tx: DbOrTx, ticketId: string): Promise<boolean> {
  const r = await tx.execute(sql`SELECT 1 FROM chat_sessions WHERE ticket_id = ${ticketId} AND status <> 'ended'`);
  return r.rows.length > 0;
}

/** Runs for every new ticket (built once: platform/db/reusable-query.ts). */
const assignmentOf = reusableQuery((db) =>
  db
    .select({ teamId: tickets.teamId, assigneeId: tickets.assigneeId, status: tickets.status })
    .from(tickets)
    .where(eq(tickets.id, sql.placeholder('ticketId'))),
);

/**
 * Assigns an unassigned ticket inside its team by the team's strategy. A per-team advisory lock (held to the end of
 * the transaction) makes concurrent tickets queue here, so each sees the others' assignments and nobody is overfilled.
 */
export async function assignInTeam(
  tx: DbOrTx,
  ticketId: string,
  now: Date,
  opts: {
    exclude?: readonly string[];
    /** the ticket's team, assignee and status as the caller has just read or written them (saves reading them) */
    known?: { teamId: string | null; assigneeId: string | null; status: string };
  } = {},
): Promise<string | null> {
  const t = opts.known ?? (await assignmentOf(tx, { ticketId }))[0];
  if (!t?.teamId || t.assigneeId || t.status === 'solved' || t.status === 'closed') return null;
  // a live chat is offered to people with chat capacity (modules/chat) and assigned when someone accepts it
  if (await isLiveChat(tx, ticketId)) return null;
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`seva.routing.team:${t.teamId}`}))`);
  const [cfg] = await tx.select().from(teamRouting).where(eq(teamRouting.teamId, t.teamId));
  const strategy = (cfg?.strategy ?? 'manual') as Strategy;
  const [needsRow] = await tx.select().from(ticketRouting).where(eq(ticketRouting.ticketId, ticketId));
  const needs: Needs = { skills: needsRow?.requiredSkills ?? [], language: needsRow?.requiredLanguage ?? null };
  const excluded = new Set(opts.exclude ?? []);
  const candidates = (await teamCandidates(tx, t.teamId, now)).filter((c) => !excluded.has(c.id));
  const choice = chooseAssignee(candidates, strategy, needs, cfg?.lastAssigneeId ?? null);
  if (!choice.userId) {
    await tx
      .insert(ticketRouting)
      .values({ ticketId, waitingReason: choice.reason, routedAt: now })
      .onConflictDoUpdate({ target: ticketRouting.ticketId, set: { waitingReason: choice.reason } });
    return null;
  }
  await tx.update(tickets).set({ assigneeId: choice.userId, updatedAt: now }).where(eq(tickets.id, ticketId));
  patchNewTicket(tx, ticketId, { assigneeId: choice.userId, updatedAt: now });
  await tx
    .insert(teamRouting)
    .values({ teamId: t.teamId, strategy, lastAssigneeId: choice.userId, updatedAt: now })
    .onConflictDoUpdate({ target: teamRouting.teamId, set: { lastAssigneeId: choice.userId, updatedAt: now } });
  await tx
    .insert(ticketRouting)
    .values({ ticketId, waitingReason: null, routedAt: now })
    .onConflictDoUpdate({ target: ticketRouting.ticketId, set: { waitingReason: null } });
  await tx
    .insert(assignmentLog)
    .values({ ticketId, userId: choice.userId, teamId: t.teamId, strategy, reason: choice.reason, at: now });
  await recordEvent(tx, {
    type: 'ticket.assigned',
    actor: SYSTEM,
    ticketId,
    payload: { assigneeId: { from: null, to: choice.userId }, reason: `routing:${choice.reason}` },
    at: now,
  });
  await runTicketHooks(tx, { kind: 'updated', ticketId, actor: SYSTEM, now, changed: ['assigneeId'] });
  return choice.userId;
}
