import { randomUUID } from 'node:crypto';
import { and, eq, like, sql } from 'drizzle-orm';
import type { Mail } from 'nodemailer';
import { ROLE_PERMISSIONS, type StaffRole } from '../../platform/auth/permissions.ts';
import {
  categories,
  insightReportSubscriptions,
  outboundEmails,
  staffUsers,
  teams,
} from '../../platform/db/schema/index.ts';
import type { Deps } from '../../platform/deps.ts';
import { surveyResults } from '../surveys/survey-results.ts';
import { dashboard } from './dashboard.service.ts';
import {
  deliverNoticeEmail,
  deskBaseUrl,
  type NoticeMail,
  noReplyAddress,
  type OutboundEmailRow,
} from './deliver-notice-email.ts';
import { hotButtons } from './hot-buttons.service.ts';
import { type ReportFacts, renderReportEmail } from './insights-report-mail.ts';
import { slaAchievement } from './insights-sla.ts';
import { latestDuePeriod, type ReportSchedule, zonedTime } from './report-schedule.ts';
import { reportKey } from './report-subscriptions.service.ts';

/** pg-boss runs the report sender on this schedule (UTC); each run sends what has become due since. */
export const REPORT_CRON = '*/15 * * * *';
/** a report that fails this many times is marked failed and not tried again */
const MAX_REPORT_ATTEMPTS = 5;
const DAY_MS = 86_400_000;

type Subscription = typeof insightReportSubscriptions.$inferSelect;

const schedule = (s: Subscription): ReportSchedule => ({
  frequency: s.frequency as 'daily' | 'weekly',
  weekday: s.weekday,
  hour: s.hour,
  timeZone: s.timeZone,
});

/** The period a report key names (its first local day), in the subscription's zone. */
function periodOf(s: Subscription, periodKey: string): { from: Date; to: Date } {
  const [y, m, d] = periodKey.split('-').map(Number) as [number, number, number];
  const span = s.frequency === 'daily' ? 1 : 7;
  const end = new Date(Date.UTC(y, m - 1, d) + span * DAY_MS);
  return {
    from: zonedTime(y, m, d, 0, s.timeZone),
    to: zonedTime(end.getUTCFullYear(), end.getUTCMonth() + 1, end.getUTCDate(), 0, s.timeZone),
  };
}

/** Builds one report's email: the dashboard's key figures, hot buttons with trend, SLA achievement and CSAT. */
export async function composeReportEmail(deps: Deps, row: OutboundEmailRow): Promise<NoticeMail> {
  const [, subscriptionId, periodKey] = row.idempotencyKey.split(':');
  if (!subscriptionId || !periodKey) return { skip: 'malformed key' };
  const [sub] = await deps.db
    .select()
    .from(insightReportSubscriptions)
    .where(eq(insightReportSubscriptions.id, subscriptionId));
  if (!sub) return { skip: 'the subscription was cancelled' };
  const [person] = await deps.db.select().from(staffUsers).where(eq(staffUsers.id, sub.staffId));
  if (person?.status !== 'active' || !ROLE_PERMISSIONS[person.role as StaffRole]?.has('reports:read')) {
    return { skip: 'the subscriber may no longer read reports' };
  }
  const { from, to } = periodOf(sub, periodKey);
  const f = sub.filters;
  const range = { from: from.toISOString(), to: to.toISOString() };
  const filters = {
    channel: f.channel,
    categoryId: f.categoryId,
    teamId: f.teamId,
    assigneeId: f.assigneeId,
    language: f.language,
  };
  const [dash, hot, sla, csat] = await Promise.all([
    dashboard(deps, { ...range, ...filters, tz: sub.timeZone }),
    hotButtons(deps, { ...range, ...filters, dimension: 'category', limit: 5 }),
    slaAchievement(deps, { ...range, ...filters, by: 'policy' }),
    surveyResults(deps, { ...range, kind: 'csat' }),
  ]);
  // CSAT for the filtered slice where the results have it (person, team, category, channel), else the desk's
  const group = f.assigneeId
    ? csat.byAssignee.find((g) => g.key === f.assigneeId)
    : f.teamId
      ? csat.byTeam.find((g) => g.key === f.teamId)
      : f.categoryId
        ? csat.byCategory.find((g) => g.key === f.categoryId)
        : f.channel
          ? csat.byChannel.find((g) => g.key === f.channel)
          : undefined;
  const sliced = Boolean(f.assigneeId || f.teamId || f.categoryId || f.channel);
  const csatFacts = sliced
    ? { score: group?.score ?? null, answered: group?.answered ?? 0, target: csat.target }
    : { score: csat.score, answered: csat.answered, target: csat.target };

  const labels: ReportFacts['filters'] = [];
  const nameOf = async (table: typeof categories | typeof teams | typeof staffUsers, id: string) => {
    if (id === 'none') return '—';
    const [r] = await deps.db.select({ name: table.name }).from(table).where(sql`${table.id}::text = ${id}`);
    return r?.name ?? id;
  };
  if (f.channel) labels.push({ field: 'channel', value: f.channel });
  if (f.categoryId) labels.push({ field: 'category', value: await nameOf(categories, f.categoryId) });
  if (f.teamId) labels.push({ field: 'team', value: await nameOf(teams, f.teamId) });
  if (f.assigneeId) labels.push({ field: 'assignee', value: await nameOf(staffUsers, f.assigneeId) });
  if (f.language) labels.push({ field: 'language', value: f.language });

  const query = new URLSearchParams({
    ...range,
    ...(Object.fromEntries(Object.entries(filters).filter(([, v]) => v)) as Record<string, string>),
  });
  const mail = renderReportEmail(person.locale, {
    name: person.name,
    frequency: sub.frequency as 'daily' | 'weekly',
    from,
    to,
    timeZone: sub.timeZone,
    filters: labels,
    created: dash.totals.created,
    solved: dash.totals.solved,
    backlogNow: dash.totals.backlogNow,
    firstResponseMedianSeconds: dash.firstResponse.median,
    resolutionMedianSeconds: dash.resolution.median,
    hotButtons: hot.items.map((h) => ({ label: h.label, count: h.count, change: h.change })),
    sla: {
      rate: sla.total.rate,
      total: sla.total.total,
      rows: sla.rows.slice(0, 5).map((r) => ({ label: r.label, rate: r.rate, total: r.total })),
    },
    csat: csatFacts,
    dashboardUrl: `${deskBaseUrl(deps.config)}/insights?${query}`,
  });
  return {
    mail: {
      from: { name: 'Seva', address: noReplyAddress(deps.config.publicUrl) },
      to: row.recipient,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
    },
  };
}

/** Queues the report of one subscription's latest due period (once: the key is unique) and returns its row id. */
async function queueReport(deps: Deps, s: Subscription & { email: string }, periodKey: string): Promise<void> {
  await deps.db
    .insert(outboundEmails)
    .values({
      idempotencyKey: reportKey(s.id, periodKey),
      kind: 'report',
      recipient: s.email.toLowerCase(),
      messageIdHeader: `seva.report.${randomUUID()}@seva.invalid`,
    })
    .onConflictDoNothing();
}

/**
 * Sends every scheduled report that is due: for each subscription the latest period whose hour has passed (never
 * one that was due before the person subscribed), plus any earlier report still queued after a failed attempt.
 * A report goes out once per subscription and period whichever process or run gets to it (the outbound row is
 * unique and locked while it is sent). `only` sends one subscription's latest period at once (the "send now").
 */
export async function sendDueReports(input: { deps: Deps; transport: Mail | null; only?: string }): Promise<number> {
  const { deps } = input;
  const now = deps.clock.now();
  const subs = await deps.db
    .select({ s: insightReportSubscriptions, email: staffUsers.email })
    .from(insightReportSubscriptions)
    .innerJoin(staffUsers, eq(staffUsers.id, insightReportSubscriptions.staffId))
    .where(
      and(eq(staffUsers.status, 'active'), input.only ? eq(insightReportSubscriptions.id, input.only) : undefined),
    );
  let sent = 0;
  for (const { s, email } of subs) {
    const period = latestDuePeriod(schedule(s), now);
    if (input.only || period.dueAt >= s.createdAt) await queueReport(deps, { ...s, email }, period.key);
    const queued = await deps.db
      .select()
      .from(outboundEmails)
      .where(
        and(
          eq(outboundEmails.kind, 'report'),
          like(outboundEmails.idempotencyKey, `report:${s.id}:%`),
          eq(outboundEmails.status, 'queued'),
        ),
      );
    for (const row of queued) {
      try {
        const result = await deliverNoticeEmail(
          { db: deps.db, now: () => deps.clock.now(), transport: () => input.transport },
          {
            outboundEmailId: row.id,
            ctx: { jobId: 'report', retryCount: row.attempts, retryLimit: MAX_REPORT_ATTEMPTS - 1 },
            compose: () => composeReportEmail(deps, row),
          },
        );
        if (result === 'sent') sent += 1;
      } catch {
        // stays queued with its error; the next run tries again
      }
    }
  }
  return sent;
}
