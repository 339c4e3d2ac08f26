import { and, asc, eq } from 'drizzle-orm';
import { cachedConfig } from '../../platform/config-cache.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import { messages, slaOutcomes, slaPolicies, ticketSlaClocks, tickets } from '../../platform/db/schema/index.ts';
import { patchNewTicket } from '../../platform/new-ticket-snapshot.ts';
import type { TicketHookEvent } from '../../platform/ticket-hooks.ts';
import { type ClockTiming, health, schedule, usedSeconds } from './clock-math.ts';
import { CalendarCache, type ClockRow, type Metric, timingOf } from './clock-timing.ts';
import { resolveCalendarId } from './load-calendar.ts';
import { choosePolicy } from './match-policy.ts';
import { recordOutcome } from './record-outcome.ts';
import { clocksOf, loadTicket, type TicketState } from './sla-ticket-state.ts';

/**
 * SLA clocks, kept in step with the ticket inside the ticket's own transaction (ticket hook, order 200):
 *
 *   first_response   from creation until the first public staff reply that reaches the customer
 *   next_response    from each customer message after that until the next public staff reply (a cycle each)
 *   periodic_update  from each public staff reply until the next one, while the ticket is unsolved (a cycle each)
 *   resolution       from creation until solved; resumes (keeping the time used) when the ticket reopens
 *
 * Every clock pauses while the ticket is pending (waiting on the customer) and resumes when it leaves pending.
 * Solving or closing the ticket fulfils every running clock. Due/warning instants are recomputed whenever a clock
 * starts, resumes or its policy changes; the worker's sweep (sla-sweep.ts) turns them into warnings and breaches.
 */

const TARGET_KEY = {
  first_response: 'firstResponse',
  next_response: 'nextResponse',
  periodic_update: 'periodicUpdate',
  resolution: 'resolution',
} as const;
const METRICS: Metric[] = ['first_response', 'next_response', 'periodic_update', 'resolution'];
const DONE = new Set(['solved', 'closed']);
/** ticket fields whose change can select another policy or calendar */
const POLICY_FIELDS = new Set(['priority', 'channel', 'categoryId', 'organisationId', 'customerId', 'teamId']);

async function meet(
  tx: DbOrTx,
  t: TicketState,
  clock: ClockRow,
  now: Date,
  cache: CalendarCache,
  byStaffId: string | null,
) {
  if (clock.metAt) return;
  const used = usedSeconds(await timingOf(clock, cache), now);
  await tx
    .update(ticketSlaClocks)
    .set({
      state: 'met',
      metAt: now,
      metById: byStaffId,
      consumedSeconds: used,
      runningSince: null,
      warnAt: null,
      dueAt: null,
    })
    .where(eq(ticketSlaClocks.id, clock.id));
  await recordOutcome(tx, t, clock, used, now);
}

async function pause(tx: DbOrTx, clock: ClockRow, now: Date, cache: CalendarCache) {
  if (clock.metAt || !clock.runningSince) return;
  const used = usedSeconds(await timingOf(clock, cache), now);
  await tx
    .update(ticketSlaClocks)
    .set({ state: 'paused', consumedSeconds: used, runningSince: null, warnAt: null, dueAt: null })
    .where(eq(ticketSlaClocks.id, clock.id));
}

async function resume(tx: DbOrTx, clock: ClockRow, now: Date) {
  if (clock.metAt || clock.runningSince) return;
  await tx.update(ticketSlaClocks).set({ state: 'running', runningSince: now }).where(eq(ticketSlaClocks.id, clock.id));
}

interface PolicyRow {
  id: string;
  targets: Record<string, number | undefined>;
  businessHours: boolean;
  calendarId: string | null;
  warnPercent: number;
}

/** Every SLA policy in order, from the process's configuration cache (platform/config-cache.ts); read-only. */
const allPolicies = cachedConfig('sla_policies', 'all', (db) =>
  db.select().from(slaPolicies).orderBy(asc(slaPolicies.position), asc(slaPolicies.name)),
);

async function currentPolicy(tx: DbOrTx, t: TicketState): Promise<PolicyRow | null> {
  if (!t.slaPolicyId) return null;
  const p = (await allPolicies(tx)).find((x) => x.id === t.slaPolicyId);
  return p ? { ...p, targets: p.targets as Record<string, number | undefined> } : null;
}

/** Starts a clock (or a new cycle of it) at `now`; paused from the start when the ticket is pending. */
async function startCycle(
  tx: DbOrTx,
  t: TicketState,
  p: PolicyRow,
  metric: Metric,
  existing: ClockRow | undefined,
  now: Date,
) {
  const target = p.targets[TARGET_KEY[metric]];
  if (!target) return;
  const calendarId = await resolveCalendarId(tx, t.id, p.calendarId);
  const running = t.status !== 'pending';
  const fresh = {
    policyId: p.id,
    targetMinutes: target,
    businessHours: p.businessHours,
    calendarId,
    warnPercent: p.warnPercent,
    state: running ? 'running' : 'paused',
    consumedSeconds: 0,
    runningSince: running ? now : null,
    startedAt: now,
    warnAt: null,
    dueAt: null,
    warnedAt: null,
    breachedAt: null,
    metAt: null,
    metById: null,
  };
  if (existing) {
    await tx
      .update(ticketSlaClocks)
      .set({ ...fresh, cycle: existing.cycle + 1 })
      .where(eq(ticketSlaClocks.id, existing.id));
  } else {
    await tx.insert(ticketSlaClocks).values({ ...fresh, ticketId: t.id, metric, cycle: 1 });
    patchNewTicket(tx, t.id, { noClocks: false });
  }
}

/**
 * Chooses the ticket's policy again and brings its clocks in line: new targets apply to running clocks (time used
 * is kept), metrics the new policy does not measure stop, and first response/resolution start from the ticket's
 * creation if they were not running yet.
 */
export async function syncPolicy(tx: DbOrTx, ticketId: string, now: Date): Promise<void> {
  const loaded = await loadTicket(tx, ticketId);
  if (!loaded) return;
  const { t, clocks } = loaded;
  const chosen = choosePolicy(await allPolicies(tx), t);
  if ((chosen?.id ?? null) !== t.slaPolicyId) {
    await tx
      .update(tickets)
      .set({ slaPolicyId: chosen?.id ?? null })
      .where(eq(tickets.id, ticketId));
    t.slaPolicyId = chosen?.id ?? null;
    patchNewTicket(tx, ticketId, { slaPolicyId: t.slaPolicyId });
  }
  const cache = new CalendarCache(tx);
  const calendarId = chosen ? await resolveCalendarId(tx, ticketId, chosen.calendarId) : null;
  for (const metric of METRICS) {
    const clock = clocks.get(metric);
    const target = chosen ? (chosen.targets as Record<string, number | undefined>)[TARGET_KEY[metric]] : undefined;
    if (clock && !clock.metAt) {
      if (!chosen || !target) {
        await tx.delete(ticketSlaClocks).where(eq(ticketSlaClocks.id, clock.id));
        continue;
      }
      // bring the time used up to now under the old rules before switching to the new ones
      const used = usedSeconds(await timingOf(clock, cache), now);
      await tx
        .update(ticketSlaClocks)
        .set({
          policyId: chosen.id,
          targetMinutes: target,
          businessHours: chosen.businessHours,
          calendarId,
          warnPercent: chosen.warnPercent,
          consumedSeconds: used,
          runningSince: clock.runningSince ? now : null,
        })
        .where(eq(ticketSlaClocks.id, clock.id));
      continue;
    }
    if (clock || !chosen || !target || DONE.has(t.status)) continue;
    if (metric === 'first_response' && t.firstResponseAt) continue;
    if (metric !== 'first_response' && metric !== 'resolution') continue;
    // measured from the ticket's creation, however late the policy arrived
    const running = t.status !== 'pending';
    const timing: ClockTiming = {
      targetMinutes: target,
      warnPercent: chosen.warnPercent,
      consumedSeconds: 0,
      runningSince: t.createdAt,
      calendar: chosen.businessHours ? await cache.get(calendarId) : null,
    };
    patchNewTicket(tx, ticketId, { noClocks: false });
    await tx.insert(ticketSlaClocks).values({
      ticketId,
      policyId: chosen.id,
      metric,
      targetMinutes: target,
      businessHours: chosen.businessHours,
      calendarId,
      warnPercent: chosen.warnPercent,
      state: running ? 'running' : 'paused',
      consumedSeconds: running ? 0 : usedSeconds(timing, now),
      runningSince: running ? t.createdAt : null,
      startedAt: t.createdAt,
    });
  }
  // no policy, no clocks and nothing shown on the ticket: rescheduling would write the nulls it already has
  if (!chosen && clocks.size === 0 && t.slaDueAt === null && t.slaState === null) return;
  await reschedule(tx, ticketId, now);
}

async function onPublicStaffReply(
  tx: DbOrTx,
  t: TicketState,
  clocks: Map<Metric, ClockRow>,
  messageId: string,
  now: Date,
  staffId: string | null,
) {
  const [m] = await tx
    .select({ status: messages.status, meta: messages.meta })
    .from(messages)
    .where(eq(messages.id, messageId));
  if (!m || m.status === 'pending_approval' || m.status === 'rejected') return;
  if ((m.meta as { automated?: unknown } | null)?.automated === true) return; // a rule's message is no response
  const cache = new CalendarCache(tx);
  for (const metric of ['first_response', 'next_response', 'periodic_update'] as const) {
    const c = clocks.get(metric);
    if (c && !c.metAt) await meet(tx, t, c, now, cache, staffId);
  }
  const p = await currentPolicy(tx, t);
  if (p && !DONE.has(t.status)) {
    const fresh = await clocksOf(tx, t.id);
    await startCycle(tx, t, p, 'periodic_update', fresh.get('periodic_update'), now);
  }
}

async function onCustomerMessage(tx: DbOrTx, t: TicketState, clocks: Map<Metric, ClockRow>, now: Date) {
  const first = clocks.get('first_response');
  const answered = t.firstResponseAt !== null || (first?.metAt ?? null) !== null;
  if (!answered) return;
  const next = clocks.get('next_response');
  if (next && !next.metAt) return; // still waiting for our answer to an earlier message
  const p = await currentPolicy(tx, t);
  if (p) await startCycle(tx, t, p, 'next_response', next, now);
}

async function onStatus(
  tx: DbOrTx,
  t: TicketState,
  clocks: Map<Metric, ClockRow>,
  from: string,
  to: string,
  now: Date,
) {
  const cache = new CalendarCache(tx);
  if (DONE.has(to)) {
    for (const c of clocks.values()) await meet(tx, t, c, now, cache, t.assigneeId);
    return;
  }
  if (DONE.has(from)) {
    // reopened: resolution carries on from the time it had used; the earlier outcome no longer stands
    const r = clocks.get('resolution');
    if (r?.metAt) {
      await tx
        .update(ticketSlaClocks)
        .set({
          state: to === 'pending' ? 'paused' : 'running',
          metAt: null,
          metById: null,
          runningSince: to === 'pending' ? null : now,
        })
        .where(eq(ticketSlaClocks.id, r.id));
      await tx
        .delete(slaOutcomes)
        .where(
          and(eq(slaOutcomes.ticketId, t.id), eq(slaOutcomes.metric, 'resolution'), eq(slaOutcomes.cycle, r.cycle)),
        );
    } else if (!r) {
      await syncPolicy(tx, t.id, now);
    }
    return;
  }
  if (to === 'pending') for (const c of clocks.values()) await pause(tx, c, now, cache);
  else if (from === 'pending') for (const c of clocks.values()) await resume(tx, c, now);
}

/** Recomputes due/warning instants of running clocks and the ticket's SLA summary (due time and state). */
export async function reschedule(tx: DbOrTx, ticketId: string, now: Date): Promise<void> {
  const clocks = [...(await clocksOf(tx, ticketId)).values()];
  const cache = new CalendarCache(tx);
  let dueAt: Date | null = null;
  let worst: 'ok' | 'at_risk' | 'breached' | null = null;
  const rank = { ok: 0, at_risk: 1, breached: 2 } as const;
  for (const c of clocks) {
    if (c.metAt) continue;
    const timing = await timingOf(c, cache);
    const s = schedule(timing);
    if (c.runningSince) {
      await tx.update(ticketSlaClocks).set({ warnAt: s.warnAt, dueAt: s.dueAt }).where(eq(ticketSlaClocks.id, c.id));
      if (s.dueAt && (!dueAt || s.dueAt < dueAt)) dueAt = s.dueAt;
    }
    const h = c.runningSince || c.breachedAt ? health(timing, now, c.breachedAt) : null;
    if (h && (worst === null || rank[h] > rank[worst])) worst = h;
  }
  await tx.update(tickets).set({ slaDueAt: dueAt, slaState: worst }).where(eq(tickets.id, ticketId));
  patchNewTicket(tx, ticketId, { slaDueAt: dueAt, slaState: worst });
}

/** The ticket hook (order 200: after routing has set team and priority, before triggers). */
export async function handleSlaHook(tx: DbOrTx, e: TicketHookEvent): Promise<void> {
  switch (e.kind) {
    case 'created':
      await syncPolicy(tx, e.ticketId, e.now);
      return;
    case 'updated':
      if (e.changed.some((f) => POLICY_FIELDS.has(f))) await syncPolicy(tx, e.ticketId, e.now);
      return;
    case 'message': {
      if (e.messageKind !== 'public') return;
      // no policy when the message was added (a new ticket's first message, a desk without SLAs): nothing to time
      if (e.ticketSlaPolicyId === null) return;
      const loaded = await loadTicket(tx, e.ticketId);
      if (!loaded?.t.slaPolicyId) return;
      const { t, clocks } = loaded;
      if (e.authorType === 'staff') {
        await onPublicStaffReply(tx, t, clocks, e.messageId, e.now, e.actor.kind === 'staff' ? e.actor.userId : null);
      } else if (e.authorType === 'customer') {
        await onCustomerMessage(tx, t, clocks, e.now);
      }
      await reschedule(tx, e.ticketId, e.now);
      return;
    }
    case 'status': {
      const loaded = await loadTicket(tx, e.ticketId);
      if (!loaded) return;
      const { t, clocks } = loaded;
      if (!t.slaPolicyId) {
        if (DONE.has(e.from) && !DONE.has(e.to)) await syncPolicy(tx, e.ticketId, e.now);
        return;
      }
      await onStatus(tx, t, clocks, e.from, e.to, e.now);
      await reschedule(tx, e.ticketId, e.now);
      return;
    }
  }
}
