import type { CostReport, Heatmap, StaffingPlan } from '@seva/contracts';
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { type Range, resolveRange, resolveTimeZone, rows } from './insights-query.ts';
import { getInsightsSettings } from './insights-settings.ts';
import { rollupRows } from './rollup-range.ts';
import { type HourPlan, requiredAgents, suggestPartTimeShifts } from './staffing-plan.ts';

/** Arrivals per weekday × hour in the desk's time zone, from the hourly rollup. */
export async function heatmap(
  deps: Deps,
  q: { from?: string | undefined; to?: string | undefined; channel?: string | undefined; tz?: string | undefined },
): Promise<Heatmap> {
  const range = resolveRange(q, deps.clock.now(), 28);
  const tz = resolveTimeZone(q.tz);
  const rs = await rows<{ d: number; h: number; n: number }>(
    deps.db,
    sql`SELECT extract(dow FROM hour AT TIME ZONE ${tz})::int AS d, extract(hour FROM hour AT TIME ZONE ${tz})::int AS h, sum(created)::int AS n
          FROM insight_hourly
         WHERE hour >= ${range.from.toISOString()}::timestamptz AND hour < ${range.to.toISOString()}::timestamptz
           ${q.channel ? sql`AND channel = ${q.channel}` : sql``}
         GROUP BY 1, 2`,
  );
  const cells = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
  for (const r of rs) {
    const row = cells[r.d];
    if (row) row[r.h] = r.n;
  }
  const weeks = Math.max(1, (range.to.getTime() - range.from.getTime()) / (7 * 86_400_000));
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    tz,
    weeks: Math.round(weeks * 100) / 100,
    cells,
    averages: cells.map((r) => r.map((n) => Math.round((n / weeks) * 100) / 100)),
    max: Math.max(0, ...cells.flat()),
  };
}

/** Measured handle seconds per contact by channel over the window, from the per-message handle times. */
async function measuredHandleSeconds(db: DbOrTx, range: Range): Promise<Map<string, number>> {
  const rs = await rows<{ channel: string; secs: number; contacts: number }>(
    db,
    sql`SELECT t.channel, sum(m.handle_seconds)::float8 AS secs, count(DISTINCT m.ticket_id)::int AS contacts
          FROM messages m JOIN tickets t ON t.id = m.ticket_id
         WHERE m.created_at >= ${range.from.toISOString()}::timestamptz AND m.created_at < ${range.to.toISOString()}::timestamptz
           AND m.author_type = 'staff' AND m.handle_seconds > 0
         GROUP BY 1`,
  );
  return new Map(rs.filter((r) => r.contacts > 0).map((r) => [r.channel, r.secs / r.contacts]));
}

/**
 * The staffing plan for a typical week: arrivals per hour forecast as the mean of the same hour over the last
 * `weeks` weeks, handle times measured (or the configured defaults), agents needed per hour (Erlang C for phone,
 * Erlang C with concurrency for chat, workload for email), grossed up for shrinkage, against the shifts on file.
 */
export async function staffingPlan(deps: Deps, q: { weeks: number; tz?: string | undefined }): Promise<StaffingPlan> {
  const db = deps.db;
  const tz = resolveTimeZone(q.tz);
  const cfg = await getInsightsSettings(db);
  const now = deps.clock.now();
  const to = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000);
  const range = { from: new Date(to.getTime() - q.weeks * 7 * 86_400_000), to };
  const rs = await rows<{ d: number; h: number; channel: string; n: number }>(
    db,
    sql`SELECT extract(dow FROM hour AT TIME ZONE ${tz})::int AS d, extract(hour FROM hour AT TIME ZONE ${tz})::int AS h, channel, sum(created)::int AS n
          FROM insight_hourly WHERE hour >= ${range.from.toISOString()}::timestamptz AND hour < ${range.to.toISOString()}::timestamptz
         GROUP BY 1, 2, 3`,
  );
  const measured = await measuredHandleSeconds(db, range);
  const channels = [...new Set(rs.map((r) => r.channel))].sort();
  const handleSeconds: Record<string, number> = {};
  for (const c of channels)
    handleSeconds[c] = Math.round(
      measured.get(c) ?? cfg.defaultHandleSeconds[c] ?? cfg.defaultHandleSeconds.email ?? 480,
    );
  const shifts = await rows<{ weekday: number; start_hour: number; end_hour: number }>(
    db,
    sql`SELECT weekday, start_hour, end_hour FROM insight_shifts`,
  );
  const scheduled = Array.from({ length: 7 }, () => Array.from({ length: 24 }, () => 0));
  for (const s of shifts)
    for (let h = s.start_hour; h < s.end_hour; h += 1) {
      const row = scheduled[s.weekday];
      if (row && h < 24) row[h] = (row[h] ?? 0) + 1;
    }
  const params = {
    serviceLevel: cfg.serviceLevel,
    targetSeconds: cfg.targetSeconds,
    chatConcurrency: cfg.chatConcurrency,
    shrinkage: cfg.shrinkage,
    occupancy: cfg.occupancy,
  };
  const hours: Array<HourPlan & { byChannel: Record<string, number> }> = [];
  for (let d = 0; d < 7; d += 1) {
    for (let h = 0; h < 24; h += 1) {
      const byChannel: Record<string, number> = {};
      for (const r of rs) if (r.d === d && r.h === h) byChannel[r.channel] = Math.round((r.n / q.weeks) * 100) / 100;
      const arrivals = Object.values(byChannel).reduce((a, b) => a + b, 0);
      const need = requiredAgents(
        Object.entries(byChannel).map(([channel, a]) => ({
          channel,
          arrivalsPerHour: a,
          handleSeconds: handleSeconds[channel] ?? 480,
        })),
        params,
      );
      const sch = scheduled[d]?.[h] ?? 0;
      hours.push({
        weekday: d,
        hour: h,
        arrivals: Math.round(arrivals * 100) / 100,
        byChannel,
        onFloor: Math.round(need.onFloor * 100) / 100,
        required: need.required,
        scheduled: sch,
        gap: need.required - sch,
      });
    }
  }
  return {
    tz,
    weeks: q.weeks,
    parameters: params,
    handleSeconds,
    hours,
    suggestedShifts: suggestPartTimeShifts(hours),
    totals: {
      requiredAgentHours: hours.reduce((s, h) => s + h.required, 0),
      scheduledAgentHours: hours.reduce((s, h) => s + h.scheduled, 0),
      shortAgentHours: hours.reduce((s, h) => s + Math.max(0, h.gap), 0),
    },
  };
}

/**
 * Cost per channel: the handle time staff recorded on messages, at the loaded hourly cost of their role, divided
 * by contacts (tickets created) and resolved tickets in the range; plus contacts avoided by self-service.
 */
export async function costReport(
  deps: Deps,
  q: { from?: string | undefined; to?: string | undefined },
): Promise<CostReport> {
  const db = deps.db;
  const range = resolveRange(q, deps.clock.now());
  const cfg = await getInsightsSettings(db);
  const handled = await rows<{ channel: string; role: string; secs: number }>(
    db,
    sql`SELECT t.channel, s.role, sum(m.handle_seconds)::float8 AS secs
          FROM messages m JOIN tickets t ON t.id = m.ticket_id JOIN staff_users s ON s.id = m.author_staff_id
         WHERE m.created_at >= ${range.from.toISOString()}::timestamptz AND m.created_at < ${range.to.toISOString()}::timestamptz
           AND m.handle_seconds > 0
         GROUP BY 1, 2`,
  );
  const volume = await rows<{ channel: string; created: number; solved: number }>(
    db,
    sql`SELECT channel, sum(created)::int AS created, sum(solved)::int AS solved FROM ${rollupRows(range, [])} r GROUP BY 1`,
  );
  const channels = [...new Set([...handled.map((r) => r.channel), ...volume.map((r) => r.channel)])].sort();
  const round2 = (n: number) => Math.round(n * 100) / 100;
  const out = channels.map((channel) => {
    const hs = handled.filter((r) => r.channel === channel);
    const handleSeconds = hs.reduce((s, r) => s + r.secs, 0);
    const cost = hs.reduce(
      (s, r) => s + (r.secs / 3600) * (cfg.hourlyCostByRole[r.role] ?? cfg.hourlyCostByRole.agent ?? 0),
      0,
    );
    const v = volume.find((r) => r.channel === channel);
    const contacts = v?.created ?? 0;
    const resolved = v?.solved ?? 0;
    return {
      channel,
      contacts,
      resolved,
      handleSeconds: Math.round(handleSeconds),
      cost: round2(cost),
      costPerContact: contacts === 0 ? null : round2(cost / contacts),
      costPerResolved: resolved === 0 ? null : round2(cost / resolved),
    };
  });
  const [avoided] = await rows<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM (
          SELECT payload->>'sessionId' AS sid FROM events
           WHERE type IN ('kb_deflection.article_opened', 'kb_deflection.contact_abandoned', 'kb_deflection.contact_submitted')
             AND created_at >= ${range.from.toISOString()}::timestamptz AND created_at < ${range.to.toISOString()}::timestamptz
           GROUP BY 1
          HAVING bool_or(type = 'kb_deflection.article_opened') AND bool_or(type = 'kb_deflection.contact_abandoned')
             AND NOT bool_or(type = 'kb_deflection.contact_submitted')) s`,
  );
  const totalCost = out.reduce((s, r) => s + r.cost, 0);
  const totalContacts = out.reduce((s, r) => s + r.contacts, 0);
  const ticketsAvoided = avoided?.n ?? 0;
  return {
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    currency: cfg.currency,
    channels: out,
    selfService: {
      ticketsAvoided,
      estimatedSaving: totalContacts === 0 ? 0 : round2((totalCost / totalContacts) * ticketsAvoided),
    },
  };
}
