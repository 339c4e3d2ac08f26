import type { Conditions } from '@seva/contracts';
import { asc, eq, sql } from 'drizzle-orm';
import { cachedConfig } from '../../platform/config-cache.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import { reusableQuery } from '../../platform/db/reusable-query.ts';
import { routingRules, teamRouting, ticketRouting, tickets } from '../../platform/db/schema/index.ts';
import { recordEvent } from '../../platform/events.ts';
import { patchNewTicket } from '../../platform/new-ticket-snapshot.ts';
import { runTicketHooks, type TicketHookEvent } from '../../platform/ticket-hooks.ts';
import { conditionsHold } from '../automations/evaluate-conditions.ts';
import { loadRuleFacts } from '../automations/load-facts.ts';
import { normaliseTags } from '../tickets/normalise-tags.ts';
import { assignInTeam, teamCandidates } from './assign-ticket.ts';

const SYSTEM = { kind: 'system' } as const;

/** Words of a rule's keyword list found in the text (case-insensitive, any script). */
export function keywordHit(keywords: readonly string[], text: string): boolean {
  const hay = text.toLowerCase().normalize('NFC');
  return keywords.some((k) => k.trim() && hay.includes(k.trim().toLowerCase().normalize('NFC')));
}

/** The help widget a chat came in through (null for other channels). */
async function ticketWidget(tx: DbOrTx, ticketId: string): Promise<string | null> {
  const r = await tx.execute<{ widget_id: string }>(
    sql`SELECT widget_id FROM chat_sessions WHERE ticket_id = ${ticketId}`,
  );
  return r.rows[0]?.widget_id ?? null;
}

/** The mailbox an email ticket came in through (null for other channels). */
async function ticketMailbox(tx: DbOrTx, ticketId: string): Promise<string | null> {
  const r = await tx.execute<{ mailbox_id: string }>(
    sql`SELECT mailbox_id FROM email_threads WHERE ticket_id = ${ticketId}`,
  );
  return r.rows[0]?.mailbox_id ?? null;
}

/**
 * A reopened ticket goes back to whoever had it only if they can take work now and are still in its team (the rules
 * may have moved it); otherwise it is released to the team's queue so the strategy can pick someone who is there.
 */
async function releaseIfAssigneeCannotTakeIt(tx: DbOrTx, ticketId: string, now: Date): Promise<boolean> {
  const [t] = await tx
    .select({ teamId: tickets.teamId, assigneeId: tickets.assigneeId })
    .from(tickets)
    .where(eq(tickets.id, ticketId));
  if (!t?.teamId || !t.assigneeId) return false;
  // only teams that route their work; a manual team's tickets stay with whoever has them
  const [cfg] = await tx
    .select({ strategy: teamRouting.strategy })
    .from(teamRouting)
    .where(eq(teamRouting.teamId, t.teamId));
  if (!cfg || cfg.strategy === 'manual') return false;
  const current = (await teamCandidates(tx, t.teamId, now)).find((c) => c.id === t.assigneeId);
  if (current?.available) return false;
  const reason = current ? 'reopened_assignee_unavailable' : 'reopened_assignee_not_in_team';
  await tx.update(tickets).set({ assigneeId: null, updatedAt: now }).where(eq(tickets.id, ticketId));
  patchNewTicket(tx, ticketId, { assigneeId: null, updatedAt: now });
  await recordEvent(tx, {
    type: 'ticket.assigned',
    actor: SYSTEM,
    ticketId,
    payload: { assigneeId: { from: t.assigneeId, to: null }, reason: `routing:${reason}` },
    at: now,
  });
  return true;
}

/** Active routing rules in order, from the process's configuration cache (platform/config-cache.ts); read-only. */
const activeRoutingRules = cachedConfig('routing_rules', 'active', (db) =>
  db
    .select()
    .from(routingRules)
    .where(eq(routingRules.active, true))
    .orderBy(asc(routingRules.position), asc(routingRules.name)),
);

/** Runs for every new ticket (built once: platform/db/reusable-query.ts). */
const saveRouting = reusableQuery((db) =>
  db
    .insert(ticketRouting)
    .values({
      ticketId: sql.placeholder('ticketId'),
      requiredSkills: sql.placeholder('requiredSkills'),
      requiredLanguage: sql.placeholder('requiredLanguage'),
      ruleIds: sql.placeholder('ruleIds'),
      routedAt: sql.placeholder('routedAt'),
    })
    .onConflictDoUpdate({
      target: ticketRouting.ticketId,
      set: {
        requiredSkills: sql`excluded.required_skills`,
        requiredLanguage: sql`excluded.required_language`,
        ruleIds: sql`excluded.rule_ids`,
        routedAt: sql`excluded.routed_at`,
      },
    }),
);

/**
 * Routes a new or reopened ticket: every active rule whose conditions (mailboxes, widgets, keywords) hold, in order, may set
 * the team, required skills, priority and tags (a later rule's team or priority wins, skills and tags add up); the
 * ticket's language becomes a required language; then the team's strategy assigns it (unless someone already has it
 * who can still take it — see releaseIfAssigneeCannotTakeIt for reopened tickets).
 */
export async function routeTicket(
  tx: DbOrTx,
  ticketId: string,
  now: Date,
  opts: { reopened?: boolean } = {},
): Promise<void> {
  const facts = await loadRuleFacts(tx, ticketId, now);
  if (!facts) return;
  const rules = await activeRoutingRules(tx);
  // the first message is read only when a rule looks for keywords
  const [first] = rules.some((r) => r.keywords.length > 0)
    ? (
        await tx.execute<{ body: string }>(
          sql`SELECT body_text AS body FROM messages WHERE ticket_id = ${ticketId} AND kind = 'public' ORDER BY seq LIMIT 1`,
        )
      ).rows
    : [];
  const text = `${facts.subject}\n${first?.body ?? ''}`;
  const mailboxId = rules.some((r) => r.mailboxIds.length > 0) ? await ticketMailbox(tx, ticketId) : null;
  const widgetId = rules.some((r) => r.widgetIds.length > 0) ? await ticketWidget(tx, ticketId) : null;
  const skills = new Set<string>();
  const matched: string[] = [];
  const set: Partial<typeof tickets.$inferInsert> = {};
  let tags = facts.tags as string[];
  for (const rule of rules) {
    if (
      !conditionsHold(rule.conditions as Conditions, {
        ...facts,
        team_id: set.teamId ?? facts.team_id,
        priority: set.priority ?? facts.priority,
      })
    )
      continue;
    if (rule.mailboxIds.length > 0 && !(mailboxId && rule.mailboxIds.includes(mailboxId))) continue;
    if (rule.widgetIds.length > 0 && !(widgetId && rule.widgetIds.includes(widgetId))) continue;
    if (rule.keywords.length > 0 && !keywordHit(rule.keywords, text)) continue;
    matched.push(rule.id);
    const a = rule.actions;
    if (a.teamId) set.teamId = a.teamId;
    if (a.priority) set.priority = a.priority;
    for (const s of a.skills ?? []) skills.add(s.toLowerCase());
    if (a.addTags?.length) tags = normaliseTags([...tags, ...a.addTags]);
  }
  if (tags.length !== (facts.tags as string[]).length) set.tags = tags;
  if (Object.keys(set).length > 0) {
    await tx
      .update(tickets)
      .set({ ...set, updatedAt: now })
      .where(eq(tickets.id, ticketId));
    patchNewTicket(tx, ticketId, {
      updatedAt: now,
      ...(set.teamId ? { teamId: set.teamId } : {}),
      ...(set.priority ? { priority: set.priority } : {}),
      ...(set.tags ? { tags: set.tags } : {}),
    });
    await recordEvent(tx, {
      type: 'ticket.routed',
      actor: SYSTEM,
      ticketId,
      payload: { rules: matched, ...set },
      at: now,
    });
  }
  const language = typeof facts.language === 'string' && facts.language ? (facts.language.split('-')[0] ?? null) : null;
  await saveRouting(tx, {
    ticketId,
    requiredSkills: [...skills],
    requiredLanguage: language,
    ruleIds: matched,
    routedAt: now,
  });
  const released = opts.reopened ? await releaseIfAssigneeCannotTakeIt(tx, ticketId, now) : false;
  // a new ticket is as the rules left it (a reopened one may just have been released: read it again)
  const known = opts.reopened
    ? undefined
    : {
        teamId: set.teamId ?? (typeof facts.team_id === 'string' ? facts.team_id : null),
        assigneeId: typeof facts.assignee_id === 'string' ? facts.assignee_id : null,
        status: String(facts.status),
      };
  const assigned = await assignInTeam(tx, ticketId, now, known ? { known } : {});
  // nobody took it: the other hooks still hear that the assignee changed (assignInTeam tells them when it assigns)
  if (released && !assigned)
    await runTicketHooks(tx, { kind: 'updated', ticketId, actor: SYSTEM, now, changed: ['assigneeId'] });
}

/** Ticket hook, order 100 (before SLAs pick a policy from the team and priority routing set). */
export async function handleRoutingHook(tx: DbOrTx, e: TicketHookEvent): Promise<void> {
  if (e.kind === 'created') await routeTicket(tx, e.ticketId, e.now);
  else if (
    e.kind === 'status' &&
    (e.from === 'solved' || e.from === 'closed') &&
    e.to !== 'solved' &&
    e.to !== 'closed'
  )
    await routeTicket(tx, e.ticketId, e.now, { reopened: true });
  else if (e.kind === 'updated' && e.changed.includes('teamId')) await assignInTeam(tx, e.ticketId, e.now);
}
