import { AsyncLocalStorage } from 'node:async_hooks';
import type { AutomationAction, Conditions } from '@seva/contracts';
import { and, asc, eq, gte, sql } from 'drizzle-orm';
import { cachedConfig } from '../../platform/config-cache.ts';
import type { Db, DbOrTx } from '../../platform/db/client.ts';
import { automationRules, automationRuns, messages } from '../../platform/db/schema/index.ts';
import { forgetNewTicket } from '../../platform/new-ticket-snapshot.ts';
import type { TicketHookEvent } from '../../platform/ticket-hooks.ts';
import { applyAction } from './apply-actions.ts';
import { conditionsHold } from './evaluate-conditions.ts';
import { loadOpenTicketFacts, loadRuleFacts } from './load-facts.ts';

type RuleRow = Pick<typeof automationRules.$inferSelect, 'id' | 'name' | 'conditions' | 'actions'>;

/** A rule may run this often on one ticket per hour, across requests; beyond it is a loop and is stopped. */
export const MAX_RUNS_PER_TICKET_HOUR = 10;

/**
 * One chain of changes (a request, a worker step): which rules already ran on which ticket in it. Actions re-enter
 * the ticket hooks (inside savepoints, with other transaction objects), so the chain lives in AsyncLocalStorage:
 * whatever a rule sets off, it cannot run again on that ticket in the same chain.
 */
const chain = new AsyncLocalStorage<{ fired: Set<string> }>();

function inChain<T>(fn: (fired: Set<string>) => Promise<T>): Promise<T> {
  const ctx = chain.getStore();
  if (ctx) return fn(ctx.fired);
  const fresh = { fired: new Set<string>() };
  return chain.run(fresh, () => fn(fresh.fired));
}

async function messageStatus(tx: DbOrTx, messageId: string) {
  const [m] = await tx
    .select({ status: messages.status, meta: messages.meta })
    .from(messages)
    .where(eq(messages.id, messageId));
  return m ? { status: m.status, automated: (m.meta as { automated?: unknown }).automated === true } : null;
}

/** The trigger events a ticket hook event stands for. */
export async function triggerEventsFor(tx: DbOrTx, e: TicketHookEvent): Promise<string[]> {
  switch (e.kind) {
    case 'created':
      return ['ticket.created'];
    case 'updated':
      return ['ticket.updated'];
    case 'status':
      return ['status.changed'];
    case 'sla':
      return [e.moment === 'warning' ? 'sla.warning' : 'sla.breached'];
    case 'survey':
      return ['survey.answered'];
    case 'message': {
      if (e.messageKind !== 'public') return [];
      if (e.authorType === 'customer') return ['customer.replied'];
      if (e.authorType !== 'staff') return [];
      const m = e.message
        ? { status: e.message.status, automated: e.message.automated }
        : await messageStatus(tx, e.messageId);
      if (!m || m.status !== 'sent' || m.automated) return [];
      return ['agent.replied'];
    }
  }
}

async function record(
  tx: DbOrTx,
  rule: RuleRow,
  ticketId: string,
  cause: string,
  outcome: string,
  actions: string[],
  now: Date,
  error?: string,
) {
  await tx
    .insert(automationRuns)
    .values({ ruleId: rule.id, ticketId, cause, outcome, actions, error: error ?? null, at: now });
  if (outcome === 'ran') {
    await tx
      .update(automationRules)
      .set({ runCount: sql`${automationRules.runCount} + 1`, lastRunAt: now })
      .where(eq(automationRules.id, rule.id));
  }
}

/** Applies a rule's actions in a savepoint: a failing action (say, a status the ticket cannot take) rolls back the rule, not the change that set it off. */
async function fire(
  tx: DbOrTx,
  rule: RuleRow,
  ticketId: string,
  cause: string,
  now: Date,
): Promise<{ done: string[]; error?: string }> {
  const done: string[] = [];
  // the actions write through the savepoint, which a new ticket's snapshot does not follow (new-ticket-snapshot.ts)
  forgetNewTicket(tx, ticketId);
  try {
    await tx.transaction(async (sp) => {
      for (const a of rule.actions as AutomationAction[]) done.push(await applyAction(sp, ticketId, a, now, rule.name));
    });
    return { done };
  } catch (err) {
    return { done: [], error: err instanceof Error ? err.message.slice(0, 500) : 'failed' };
  }
}

/**
 * Active triggers in order, from the process's configuration cache (platform/config-cache.ts); read-only. Without
 * the run count and last run, which change as rules run and are not configuration.
 */
const activeTriggers = cachedConfig('automation_rules', 'active triggers', (db) =>
  db
    .select({
      id: automationRules.id,
      name: automationRules.name,
      events: automationRules.events,
      conditions: automationRules.conditions,
      actions: automationRules.actions,
    })
    .from(automationRules)
    .where(and(eq(automationRules.kind, 'trigger'), eq(automationRules.active, true)))
    .orderBy(asc(automationRules.position), asc(automationRules.name)),
);

/** The trigger hook (order 300: after routing and SLAs): every active trigger for the event whose conditions hold. */
export async function handleTriggerHook(tx: DbOrTx, e: TicketHookEvent): Promise<void> {
  const events = await triggerEventsFor(tx, e);
  if (events.length === 0) return;
  const rules = (await activeTriggers(tx)).filter((r) => r.events.some((ev) => events.includes(ev)));
  if (rules.length === 0) return;
  await inChain(async (fired) => {
    for (const rule of rules) {
      const facts = await loadRuleFacts(tx, e.ticketId, e.now);
      if (!facts || !conditionsHold(rule.conditions as Conditions, facts)) continue;
      const key = `${rule.id}:${e.ticketId}`;
      const cause = events.join(',');
      if (fired.has(key)) {
        if (!fired.has(`${key}:stopped`)) {
          fired.add(`${key}:stopped`);
          await record(
            tx,
            rule,
            e.ticketId,
            cause,
            'loop_stopped',
            [],
            e.now,
            'this trigger already ran on the ticket in this change',
          );
        }
        continue;
      }
      fired.add(key);
      const [recent] = await tx
        .select({ n: sql<number>`count(*)::int` })
        .from(automationRuns)
        .where(
          and(
            eq(automationRuns.ruleId, rule.id),
            eq(automationRuns.ticketId, e.ticketId),
            eq(automationRuns.outcome, 'ran'),
            gte(automationRuns.at, new Date(e.now.getTime() - 3_600_000)),
          ),
        );
      if ((recent?.n ?? 0) >= MAX_RUNS_PER_TICKET_HOUR) {
        await record(
          tx,
          rule,
          e.ticketId,
          cause,
          'loop_stopped',
          [],
          e.now,
          `ran ${MAX_RUNS_PER_TICKET_HOUR} times on this ticket in the last hour`,
        );
        continue;
      }
      const r = await fire(tx, rule, e.ticketId, cause, e.now);
      await record(tx, rule, e.ticketId, cause, r.error ? 'failed' : 'ran', r.done, e.now, r.error);
    }
  });
}

/**
 * One pass of the timed automations (worker): for every active automation and every unclosed ticket whose
 * conditions hold, the actions run once per ticket and status period (the period's start is the run's key), so
 * "pending for 3 days → remind" reminds once, and "pending for 7 days → solve" still comes later.
 */
export async function runAutomations(db: Db, now: Date, limit = 2000): Promise<number> {
  const rules = await db
    .select()
    .from(automationRules)
    .where(and(eq(automationRules.kind, 'automation'), eq(automationRules.active, true)))
    .orderBy(asc(automationRules.position), asc(automationRules.name));
  if (rules.length === 0) return 0;
  const candidates = await loadOpenTicketFacts(db, now, limit);
  let ran = 0;
  for (const rule of rules) {
    for (const c of candidates) {
      if (!conditionsHold(rule.conditions as Conditions, c)) continue;
      const did = await db.transaction(async (tx) => {
        // the facts again, under the ticket lock: an earlier rule or an agent may have changed it meanwhile
        await tx.execute(sql`SELECT 1 FROM tickets WHERE id = ${c.id} FOR UPDATE`);
        const facts = await loadRuleFacts(tx, c.id, now);
        if (!facts || facts.status === 'closed' || !conditionsHold(rule.conditions as Conditions, facts)) return false;
        const claimed = await tx
          .insert(automationRuns)
          .values({
            ruleId: rule.id,
            ticketId: c.id,
            cause: 'timer',
            outcome: 'ran',
            actions: [],
            onceKey: `${facts.status}@${facts.statusAt}`,
            at: now,
          })
          .onConflictDoNothing()
          .returning({ id: automationRuns.id });
        const run = claimed[0];
        if (!run) return false;
        const r = await inChain(async (fired) => {
          fired.add(`${rule.id}:${c.id}`);
          return fire(tx, rule, c.id, 'timer', now);
        });
        await tx
          .update(automationRuns)
          .set({ outcome: r.error ? 'failed' : 'ran', actions: r.done, error: r.error ?? null })
          .where(eq(automationRuns.id, run.id));
        if (!r.error) {
          await tx
            .update(automationRules)
            .set({ runCount: sql`${automationRules.runCount} + 1`, lastRunAt: now })
            .where(eq(automationRules.id, rule.id));
        }
        return !r.error;
      });
      if (did) ran += 1;
    }
  }
  return ran;
}
