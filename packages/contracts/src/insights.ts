import { z } from 'zod';

/** Query shared by the dashboard, drill-down and export: a time range and optional dimension filters. */
export const InsightsFilterQuery = z.object({
  /** ISO date-time; default: 30 days before `to` */
  from: z.iso.datetime({ offset: true }).optional(),
  /** ISO date-time, exclusive; default: now */
  to: z.iso.datetime({ offset: true }).optional(),
  channel: z.string().max(40).optional(),
  /** a category id, or `none` */
  categoryId: z.string().max(40).optional(),
  teamId: z.string().max(40).optional(),
  assigneeId: z.string().max(40).optional(),
  language: z.string().max(20).optional(),
  /** bucket size of the time series */
  interval: z.enum(['hour', 'day', 'week']).optional(),
  /** IANA time zone for buckets and heatmaps (default UTC) */
  tz: z.string().max(60).optional(),
});
export type InsightsFilterQuery = z.infer<typeof InsightsFilterQuery>;

export const InsightsBreakdownRow = z.object({
  key: z.string(),
  label: z.string(),
  created: z.number(),
  solved: z.number(),
});
export type InsightsBreakdownRow = z.infer<typeof InsightsBreakdownRow>;

export const InsightsDurationStats = z.object({
  count: z.number(),
  /** seconds; null when there is nothing to measure */
  mean: z.number().nullable(),
  median: z.number().nullable(),
  p75: z.number().nullable(),
  p90: z.number().nullable(),
  p95: z.number().nullable(),
});
export type InsightsDurationStats = z.infer<typeof InsightsDurationStats>;

export const InsightsPeopleTimes = z.object({
  key: z.string(),
  label: z.string(),
  firstResponse: InsightsDurationStats,
  resolution: InsightsDurationStats,
});

export const InsightsDashboard = z.object({
  from: z.string(),
  to: z.string(),
  interval: z.enum(['hour', 'day', 'week']),
  totals: z.object({
    created: z.number(),
    solved: z.number(),
    firstResponses: z.number(),
    backlogNow: z.number(),
    /** share of first responses within the target (settings.firstResponseTargetSeconds); null without responses */
    firstResponseTargetRate: z.number().nullable(),
    /** SLA achievement: share of SLA clock cycles finished in the range within their target; null without any */
    slaAchievementRate: z.number().nullable(),
  }),
  series: z.array(z.object({ bucket: z.string(), created: z.number(), solved: z.number(), backlog: z.number() })),
  byChannel: z.array(InsightsBreakdownRow),
  byCategory: z.array(InsightsBreakdownRow),
  byLanguage: z.array(InsightsBreakdownRow),
  byTeam: z.array(InsightsBreakdownRow),
  byAssignee: z.array(InsightsBreakdownRow),
  byTag: z.array(z.object({ key: z.string(), label: z.string(), created: z.number() })),
  firstResponse: InsightsDurationStats,
  resolution: InsightsDurationStats,
  timesByTeam: z.array(InsightsPeopleTimes),
  timesByAssignee: z.array(InsightsPeopleTimes),
});
export type InsightsDashboard = z.infer<typeof InsightsDashboard>;

export const InsightsDrilldownQuery = InsightsFilterQuery.extend({
  /** which tickets: created in the range, solved in it, first answered in it, or open now */
  metric: z.enum(['created', 'solved', 'first_response', 'open', 'sla_achieved', 'sla_breached']).default('created'),
  /** SLA drill-down (metric sla_*): the tickets behind one row of the SLA table */
  slaBy: z.enum(['policy', 'team', 'assignee', 'channel', 'metric']).optional(),
  slaKey: z.string().max(60).optional(),
  tag: z.string().max(100).optional(),
  /** custom field filter as key:value */
  field: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type InsightsDrilldownQuery = z.infer<typeof InsightsDrilldownQuery>;

export const InsightsDrilldown = z.object({
  total: z.number(),
  ticketIds: z.array(z.uuid()),
});
export type InsightsDrilldown = z.infer<typeof InsightsDrilldown>;

export const InsightsExportQuery = InsightsFilterQuery.extend({
  report: z
    .enum(['series', 'channels', 'categories', 'languages', 'teams', 'assignees', 'tags', 'heatmap'])
    .default('series'),
});

export const HotButtonsQuery = InsightsFilterQuery.extend({
  dimension: z.string().max(120).default('category'),
  limit: z.coerce.number().int().min(1).max(100).default(10),
});
export const HotButton = z.object({
  key: z.string(),
  label: z.string(),
  count: z.number(),
  previous: z.number(),
  /** (count − previous) / previous; null when previous is 0 */
  change: z.number().nullable(),
  share: z.number(),
});
export const HotButtons = z.object({
  dimension: z.string(),
  from: z.string(),
  to: z.string(),
  previousFrom: z.string(),
  items: z.array(HotButton),
});
export type HotButtons = z.infer<typeof HotButtons>;

export const InsightsAlert = z.object({
  id: z.uuid(),
  kind: z.string(),
  categoryId: z.string().nullable(),
  categoryName: z.string(),
  hour: z.string(),
  count: z.number(),
  baseline: z.number(),
  ratio: z.number(),
  createdAt: z.string(),
});
export const InsightsAlertList = z.object({ items: z.array(InsightsAlert) });
export type InsightsAlert = z.infer<typeof InsightsAlert>;

export const HeatmapQuery = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  channel: z.string().max(40).optional(),
  tz: z.string().max(60).optional(),
});
export const Heatmap = z.object({
  from: z.string(),
  to: z.string(),
  tz: z.string(),
  weeks: z.number(),
  /** cells[weekday 0=Sunday][hour 0..23] = arrivals (total over the range) */
  cells: z.array(z.array(z.number())),
  /** average arrivals per week in each cell */
  averages: z.array(z.array(z.number())),
  max: z.number(),
});
export type Heatmap = z.infer<typeof Heatmap>;

export const StaffingQuery = z.object({
  /** weeks of history the forecast averages (weekly seasonality) */
  weeks: z.coerce.number().int().min(1).max(26).default(4),
  tz: z.string().max(60).optional(),
});
export const StaffingHour = z.object({
  weekday: z.number(),
  hour: z.number(),
  arrivals: z.number(),
  byChannel: z.record(z.string(), z.number()),
  onFloor: z.number(),
  required: z.number(),
  scheduled: z.number(),
  gap: z.number(),
});
export const StaffingPlan = z.object({
  tz: z.string(),
  weeks: z.number(),
  parameters: z.object({
    serviceLevel: z.number(),
    targetSeconds: z.number(),
    chatConcurrency: z.number(),
    shrinkage: z.number(),
    occupancy: z.number(),
  }),
  handleSeconds: z.record(z.string(), z.number()),
  hours: z.array(StaffingHour),
  suggestedShifts: z.array(
    z.object({ weekday: z.number(), startHour: z.number(), endHour: z.number(), agents: z.number() }),
  ),
  totals: z.object({ requiredAgentHours: z.number(), scheduledAgentHours: z.number(), shortAgentHours: z.number() }),
});
export type StaffingPlan = z.infer<typeof StaffingPlan>;

export const InsightsShift = z.object({
  id: z.uuid(),
  staffId: z.uuid(),
  weekday: z.number().int().min(0).max(6),
  startHour: z.number().int().min(0).max(23),
  endHour: z.number().int().min(1).max(24),
  channel: z.string().nullable(),
});
export const CreateInsightsShiftBody = z
  .object({
    staffId: z.uuid(),
    weekday: z.number().int().min(0).max(6),
    startHour: z.number().int().min(0).max(23),
    endHour: z.number().int().min(1).max(24),
    channel: z.string().max(40).nullable().optional(),
  })
  .strict()
  .refine((s) => s.endHour > s.startHour, { message: 'a shift ends after it starts', path: ['endHour'] });
export type InsightsShift = z.infer<typeof InsightsShift>;
export const InsightsShiftList = z.object({ items: z.array(InsightsShift) });
export type InsightsShiftList = z.infer<typeof InsightsShiftList>;

export const CostReport = z.object({
  from: z.string(),
  to: z.string(),
  currency: z.string(),
  channels: z.array(
    z.object({
      channel: z.string(),
      contacts: z.number(),
      resolved: z.number(),
      handleSeconds: z.number(),
      cost: z.number(),
      costPerContact: z.number().nullable(),
      costPerResolved: z.number().nullable(),
    }),
  ),
  selfService: z.object({
    /** help-centre sessions that opened an article and did not go on to contact us */
    ticketsAvoided: z.number(),
    /** what those contacts would have cost at the average cost per contact */
    estimatedSaving: z.number(),
  }),
});
export type CostReport = z.infer<typeof CostReport>;

export const InsightsSettings = z.object({
  alertRecipientIds: z.array(z.uuid()).max(50),
  spikeFactor: z.number().min(1.5).max(50),
  spikeMinCount: z.number().int().min(1).max(10_000),
  baselineWeeks: z.number().int().min(1).max(26),
  firstResponseTargetSeconds: z
    .number()
    .int()
    .min(60)
    .max(30 * 86_400),
  serviceLevel: z.number().min(0.1).max(0.999),
  targetSeconds: z.number().int().min(1).max(86_400),
  chatConcurrency: z.number().int().min(1).max(10),
  shrinkage: z.number().min(0).max(0.9),
  occupancy: z.number().min(0.3).max(1),
  /** handle seconds per contact used when nothing has been measured */
  defaultHandleSeconds: z.record(z.string(), z.number().int().min(1).max(86_400)),
  /** loaded hourly cost per staff role */
  hourlyCostByRole: z.record(z.string(), z.number().min(0).max(100_000)),
  currency: z.string().min(3).max(3),
});
export type InsightsSettings = z.infer<typeof InsightsSettings>;
export const UpdateInsightsSettingsBody = InsightsSettings.partial().strict();

export const RebuildInsightsResult = z.object({ tickets: z.number() });

export const CUSTOMER_RISK_REASONS = [
  'repeat_contacts',
  'reopened',
  'negative_sentiment',
  'bad_rating',
  'slow_response',
  'silent_after_complaint',
] as const;
export const CustomerRiskReason = z.enum(CUSTOMER_RISK_REASONS);

export const CustomersAtRiskQuery = z.object({
  days: z.coerce.number().int().min(7).max(365).default(30),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  /** compute the lists now instead of answering from the background snapshot (kept for the next readers) */
  refresh: z.enum(['true', 'false']).optional(),
});
export const CustomerAtRisk = z.object({
  customerId: z.uuid(),
  name: z.string(),
  /** 0 (at risk) … 100 (healthy) */
  health: z.number(),
  contacts: z.number(),
  lastContactAt: z.string().nullable(),
  reasons: z.array(z.object({ reason: CustomerRiskReason, count: z.number() })),
});
export const CustomersAtRisk = z.object({
  days: z.number(),
  /** when the lists were computed (ISO); a background snapshot is at most 15 minutes old */
  asOf: z.string(),
  atRisk: z.array(CustomerAtRisk),
  /** customers who contacted us regularly before and not at all in the period */
  lowEngagement: z.array(
    z.object({ customerId: z.uuid(), name: z.string(), previousContacts: z.number(), lastContactAt: z.string() }),
  ),
});
export type CustomersAtRisk = z.infer<typeof CustomersAtRisk>;

/** Filters a scheduled report applies to the dashboard (the same as the dashboard's own). */
export const InsightsReportFilters = z
  .object({
    channel: z.string().max(40).optional(),
    categoryId: z.string().max(40).optional(),
    teamId: z.string().max(40).optional(),
    assigneeId: z.string().max(40).optional(),
    language: z.string().max(20).optional(),
  })
  .strict();
export type InsightsReportFilters = z.infer<typeof InsightsReportFilters>;

/** A person's subscription to a scheduled email report (a dashboard digest). */
export const InsightsReportSubscription = z.object({
  id: z.uuid(),
  staffId: z.uuid(),
  frequency: z.enum(['daily', 'weekly']),
  /** weekly: 0 = Sunday … 6 = Saturday */
  weekday: z.number().int().min(0).max(6),
  /** local hour it goes out */
  hour: z.number().int().min(0).max(23),
  timeZone: z.string(),
  filters: InsightsReportFilters,
  createdAt: z.string(),
  /** when the last report went out, if one has */
  lastSentAt: z.string().nullable(),
});
export type InsightsReportSubscription = z.infer<typeof InsightsReportSubscription>;
export const InsightsReportSubscriptionList = z.object({ items: z.array(InsightsReportSubscription) });

export const CreateInsightsReportBody = z
  .object({
    frequency: z.enum(['daily', 'weekly']),
    weekday: z.number().int().min(0).max(6).default(1),
    hour: z.number().int().min(0).max(23).default(7),
    timeZone: z.string().min(1).max(60).default('UTC'),
    filters: InsightsReportFilters.default({}),
  })
  .strict();
export type CreateInsightsReportBody = z.infer<typeof CreateInsightsReportBody>;

/** SLA achievement on the dashboard: finished SLA clock cycles (`sla_outcomes`) whose time falls in the range. */
export const InsightsSlaQuery = InsightsFilterQuery.pick({
  from: true,
  to: true,
  channel: true,
  teamId: true,
  assigneeId: true,
}).extend({
  by: z.enum(['policy', 'team', 'assignee', 'channel', 'metric']).default('policy'),
});
export type InsightsSlaQuery = z.infer<typeof InsightsSlaQuery>;

export const InsightsSlaRow = z.object({
  /** policy/team/person id, channel or metric; `none` when the outcome has none */
  key: z.string(),
  label: z.string(),
  total: z.number().int(),
  achieved: z.number().int(),
  breached: z.number().int(),
  /** 0..1; null without outcomes */
  rate: z.number().nullable(),
});
export const InsightsSla = z.object({
  from: z.string(),
  to: z.string(),
  by: z.string(),
  total: InsightsSlaRow.omit({ key: true, label: true }),
  rows: z.array(InsightsSlaRow),
});
export type InsightsSla = z.infer<typeof InsightsSla>;
