import type { RoutingRuleBody, StaffRouting, UpdateStaffRoutingBody } from '@seva/contracts';
import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/permissions.ts';
import type { Db, DbOrTx } from '../../platform/db/client.ts';
import {
  mailboxes,
  routingRules,
  staffAvailability,
  staffLanguages,
  staffSkills,
  staffUsers,
  teamRouting,
  teams,
  widgets,
} from '../../platform/db/schema/index.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import { requeueChatsOf } from '../chat/chats.service.ts';
import { offerQueuedChats } from '../chat/offer-queued-chats.ts';

const invalid = (path: string, message: string) =>
  new AppError('VALIDATION_FAILED', message, { errors: [{ path, message }] });

interface StaffRow {
  id: string;
  name: string;
  status: string | null;
  routable: boolean | null;
  max_open: number | null;
  max_chats: number | null;
  open_tickets: number;
  skills: Array<{ skill: string; level: number }> | null;
  languages: Array<{ language: string; level: number }> | null;
  [key: string]: unknown;
}

export async function listStaffRouting(db: DbOrTx, only?: string): Promise<StaffRouting[]> {
  const r = await db.execute<StaffRow>(sql`
    SELECT s.id, s.name, a.status, coalesce(a.routable, s.role <> 'collaborator') AS routable, a.max_open_tickets AS max_open, a.max_chats,
           (SELECT count(*) FROM tickets t WHERE t.assignee_id = s.id AND t.status IN ('new', 'open', 'pending', 'on_hold'))::int AS open_tickets,
           (SELECT jsonb_agg(jsonb_build_object('skill', k.skill, 'level', k.level) ORDER BY k.level DESC, k.skill) FROM staff_skills k WHERE k.user_id = s.id) AS skills,
           (SELECT jsonb_agg(jsonb_build_object('language', l.language, 'level', l.level) ORDER BY l.level DESC) FROM staff_languages l WHERE l.user_id = s.id) AS languages
      FROM staff_users s LEFT JOIN staff_availability a ON a.user_id = s.id
     WHERE s.status = 'active' ${only ? sql`AND s.id = ${only}` : sql``}
     ORDER BY s.name`);
  return r.rows.map((x) => ({
    userId: x.id,
    name: x.name,
    status: (x.status ?? 'offline') as StaffRouting['status'],
    routable: x.routable ?? true,
    maxOpenTickets: x.max_open ?? 20,
    maxChats: x.max_chats ?? 3,
    openTickets: x.open_tickets,
    skills: x.skills ?? [],
    languages: x.languages ?? [],
  }));
}

/** Skills, languages, capacity and availability of one person; the person themself may only change availability. */
export async function updateStaffRouting(
  tx: DbOrTx,
  actor: Actor,
  userId: string,
  body: UpdateStaffRoutingBody,
  now: Date,
): Promise<StaffRouting> {
  const [u] = await tx
    .select({ id: staffUsers.id, role: staffUsers.role })
    .from(staffUsers)
    .where(eq(staffUsers.id, userId));
  if (!u) throw notFound('Person');
  const set: Partial<typeof staffAvailability.$inferInsert> = { updatedAt: now };
  if (body.status !== undefined) set.status = body.status;
  if (body.maxOpenTickets !== undefined) set.maxOpenTickets = body.maxOpenTickets;
  if (body.maxChats !== undefined) set.maxChats = body.maxChats;
  if (body.routable !== undefined) set.routable = body.routable;
  // collaborators (people outside support) take routed work only on a duty shift unless an admin says otherwise
  await tx
    .insert(staffAvailability)
    .values({ userId, routable: u.role !== 'collaborator', ...set })
    .onConflictDoUpdate({ target: staffAvailability.userId, set });
  if (body.skills) {
    await tx.delete(staffSkills).where(eq(staffSkills.userId, userId));
    for (const s of new Map(body.skills.map((x) => [x.skill, x])).values())
      await tx.insert(staffSkills).values({ userId, skill: s.skill, level: s.level });
  }
  if (body.languages) {
    await tx.delete(staffLanguages).where(eq(staffLanguages.userId, userId));
    for (const l of new Map(body.languages.map((x) => [x.language, x])).values())
      await tx.insert(staffLanguages).values({ userId, language: l.language, level: l.level });
  }
  await recordEvent(tx, {
    type: 'staff.routing_updated',
    actor,
    payload: { userId, changed: Object.keys(body) },
    at: now,
  });
  // going away or offline hands their live chats back to the queue (offered to the next available person)
  if (body.status === 'away' || body.status === 'offline')
    await requeueChatsOf(tx, { userId, now, reason: body.status });
  // someone came online or has more room: chats waiting in the queue are offered now
  if (body.status === 'online' || body.maxChats !== undefined) await offerQueuedChats(tx, now);
  const [out] = await listStaffRouting(tx, userId);
  if (!out) throw notFound('Person');
  return out;
}

export async function setTeamStrategy(tx: DbOrTx, teamId: string, strategy: string, now: Date): Promise<void> {
  const [t] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId));
  if (!t) throw notFound('Team');
  await tx
    .insert(teamRouting)
    .values({ teamId, strategy, updatedAt: now })
    .onConflictDoUpdate({ target: teamRouting.teamId, set: { strategy, updatedAt: now } });
}

export async function teamStrategies(db: DbOrTx): Promise<Record<string, string>> {
  const rows = await db.select().from(teamRouting);
  return Object.fromEntries(rows.map((r) => [r.teamId, r.strategy]));
}

type RuleRow = typeof routingRules.$inferSelect;
const ruleDto = (r: RuleRow) => ({
  id: r.id,
  name: r.name,
  position: r.position,
  active: r.active,
  conditions: r.conditions as RoutingRuleBody['conditions'],
  keywords: r.keywords,
  mailboxIds: r.mailboxIds,
  widgetIds: r.widgetIds,
  actions: r.actions,
});

export async function listRoutingRules(db: DbOrTx) {
  return (await db.select().from(routingRules).orderBy(asc(routingRules.position), asc(routingRules.name))).map(
    ruleDto,
  );
}

async function checkRule(db: DbOrTx, body: RoutingRuleBody) {
  if (body.actions.teamId) {
    const [t] = await db.select({ id: teams.id }).from(teams).where(eq(teams.id, body.actions.teamId));
    if (!t) throw invalid('body.actions.teamId', 'no such team');
  }
  const wanted = [...new Set(body.mailboxIds ?? [])];
  if (wanted.length > 0) {
    const found = await db.select({ id: mailboxes.id }).from(mailboxes).where(inArray(mailboxes.id, wanted));
    if (found.length !== wanted.length) throw invalid('body.mailboxIds', 'no such mailbox');
  }
  const wantedWidgets = [...new Set(body.widgetIds ?? [])];
  if (wantedWidgets.length > 0) {
    const found = await db.select({ id: widgets.id }).from(widgets).where(inArray(widgets.id, wantedWidgets));
    if (found.length !== wantedWidgets.length) throw invalid('body.widgetIds', 'no such widget');
  }
}

export async function saveRoutingRule(tx: DbOrTx, id: string | null, body: RoutingRuleBody, now: Date) {
  await checkRule(tx, body);
  const values = {
    name: body.name,
    position: body.position ?? 0,
    active: body.active ?? true,
    conditions: body.conditions,
    keywords: body.keywords,
    // absent on a change keeps the rule's mailboxes (clients that do not know the field do not erase it)
    ...(body.mailboxIds !== undefined || !id ? { mailboxIds: [...new Set(body.mailboxIds ?? [])] } : {}),
    ...(body.widgetIds !== undefined || !id ? { widgetIds: [...new Set(body.widgetIds ?? [])] } : {}),
    actions: body.actions,
    updatedAt: now,
  };
  const [r] = id
    ? await tx.update(routingRules).set(values).where(eq(routingRules.id, id)).returning()
    : await tx
        .insert(routingRules)
        .values({ ...values, createdAt: now })
        .returning();
  if (!r) throw notFound('Routing rule');
  return ruleDto(r);
}

export async function deleteRoutingRule(tx: DbOrTx, id: string) {
  const gone = await tx.delete(routingRules).where(eq(routingRules.id, id)).returning({ id: routingRules.id });
  if (gone.length === 0) throw notFound('Routing rule');
}

/**
 * Who knows about something: declared skills (level × 10) plus tickets they solved in categories or with tags that
 * match the query (one point each, last 365 days), filtered to people who speak the language when one is asked.
 */
export async function findExperts(db: Db, q: { q?: string | undefined; language?: string | undefined }, now: Date) {
  const term = (q.q ?? '').trim().toLowerCase();
  const like = `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const since = new Date(now.getTime() - 365 * 86_400_000).toISOString();
  const r = await db.execute<{
    id: string;
    name: string;
    status: string | null;
    skill_score: number;
    solved: number;
    skills: Array<{ skill: string; level: number }> | null;
    languages: string[] | null;
  }>(sql`
    SELECT s.id, s.name, a.status,
           coalesce((SELECT sum(k.level) FROM staff_skills k WHERE k.user_id = s.id AND ${term ? sql`k.skill LIKE ${like}` : sql`true`}), 0)::int AS skill_score,
           (SELECT count(*) FROM tickets t LEFT JOIN categories c ON c.id = t.category_id
             WHERE t.assignee_id = s.id AND t.status IN ('solved', 'closed') AND t.solved_at >= ${since}::timestamptz
               AND ${term ? sql`(lower(coalesce(c.name, '')) LIKE ${like} OR EXISTS (SELECT 1 FROM unnest(t.tags) g WHERE g LIKE ${like}))` : sql`false`})::int AS solved,
           (SELECT jsonb_agg(jsonb_build_object('skill', k.skill, 'level', k.level) ORDER BY k.level DESC) FROM staff_skills k WHERE k.user_id = s.id) AS skills,
           (SELECT array_agg(l.language ORDER BY l.level DESC) FROM staff_languages l WHERE l.user_id = s.id) AS languages
      FROM staff_users s LEFT JOIN staff_availability a ON a.user_id = s.id
     WHERE s.status = 'active'
       ${q.language ? sql`AND EXISTS (SELECT 1 FROM staff_languages l WHERE l.user_id = s.id AND l.language = ${q.language.toLowerCase()})` : sql``}`);
  return r.rows
    .map((x) => ({
      userId: x.id,
      name: x.name,
      status: (x.status ?? 'offline') as 'online' | 'away' | 'offline',
      score: x.skill_score * 10 + x.solved,
      skills: x.skills ?? [],
      languages: x.languages ?? [],
      solvedMatching: x.solved,
    }))
    .filter((x) => !term || x.score > 0)
    .sort((a, b) => b.score - a.score || a.name.localeCompare(b.name))
    .slice(0, 50);
}

export async function assignmentReport(db: Db, from: string, to: string) {
  const r = await db.execute<{ user_id: string | null; name: string | null; day: string; n: number }>(sql`
    SELECT l.user_id, s.name, to_char(l.at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*)::int AS n
      FROM assignment_log l LEFT JOIN staff_users s ON s.id = l.user_id
     WHERE l.at >= ${from}::date AND l.at < (${to}::date + 1)
     GROUP BY 1, 2, 3 ORDER BY 3, 2`);
  return { rows: r.rows.map((x) => ({ userId: x.user_id, name: x.name ?? '', day: x.day, assigned: x.n })) };
}

export async function transferReport(db: Db, from: string, to: string) {
  const r = await db.execute<{
    id: string;
    name: string;
    transfers: number;
    kept: number;
    missed: number;
    open: number;
  }>(sql`
    SELECT s.id, s.name, count(f.*)::int AS transfers,
           count(*) FILTER (WHERE f.missed_at IS NULL AND (f.state = 'closed' OR f.reminded_at IS NOT NULL))::int AS kept,
           count(*) FILTER (WHERE f.missed_at IS NOT NULL)::int AS missed,
           count(*) FILTER (WHERE f.state = 'open' AND f.missed_at IS NULL AND f.reminded_at IS NULL)::int AS open
      FROM ticket_followups f JOIN staff_users s ON s.id = f.owner_id
     WHERE f.created_at >= ${from}::date AND f.created_at < (${to}::date + 1)
     GROUP BY s.id, s.name ORDER BY transfers DESC, s.name`);
  return {
    rows: r.rows.map((x) => ({
      userId: x.id,
      name: x.name,
      transfers: x.transfers,
      followupsKept: x.kept,
      followupsMissed: x.missed,
      followupsOpen: x.open,
    })),
  };
}
