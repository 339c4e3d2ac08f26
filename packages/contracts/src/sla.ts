import { z } from 'zod';
import { CHANNELS, TICKET_PRIORITIES } from './tickets.ts';

/** SLAs (issue 7): business-hours calendars, policies, per-ticket clocks and achievement. See docs/sla.md. */

export const SLA_METRICS = ['first_response', 'next_response', 'periodic_update', 'resolution'] as const;
export const SlaMetric = z.enum(SLA_METRICS);
export type SlaMetric = z.infer<typeof SlaMetric>;

export const SLA_STATES = ['ok', 'at_risk', 'breached'] as const;
export const SlaState = z.enum(SLA_STATES);
export type SlaState = z.infer<typeof SlaState>;

export const SlaIdParams = z.object({ id: z.uuid() });

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time of day as HH:MM');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

/** One working shift in local time; a day may have several (split shifts). */
export const Shift = z
  .object({ start: hhmm, end: hhmm })
  .strict()
  .refine((s) => s.start < s.end, { message: 'a shift ends after it starts', path: ['end'] });
export type Shift = z.infer<typeof Shift>;

/** Keys 0 (Sunday) … 6 (Saturday). */
export const WeeklyShifts = z.partialRecord(z.enum(['0', '1', '2', '3', '4', '5', '6']), z.array(Shift).max(6));
export type WeeklyShifts = z.infer<typeof WeeklyShifts>;

const timeZone = z
  .string()
  .min(1)
  .max(64)
  .refine(
    (tz) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    },
    { message: 'an IANA time zone such as Asia/Dhaka or Asia/Kolkata' },
  );

export const CalendarAssignmentTarget = z.object({ kind: z.enum(['team', 'mailbox', 'widget']), id: z.uuid() }).strict();
export type CalendarAssignmentTarget = z.infer<typeof CalendarAssignmentTarget>;

export const CreateCalendarBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    timeZone,
    weekly: WeeklyShifts,
    isDefault: z.boolean().optional(),
    assignments: z.array(CalendarAssignmentTarget).max(200).optional(),
  })
  .strict();
export type CreateCalendarBody = z.infer<typeof CreateCalendarBody>;

export const UpdateCalendarBody = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    timeZone: timeZone.optional(),
    weekly: WeeklyShifts.optional(),
    isDefault: z.boolean().optional(),
    assignments: z.array(CalendarAssignmentTarget).max(200).optional(),
  })
  .strict();
export type UpdateCalendarBody = z.infer<typeof UpdateCalendarBody>;

export const CalendarHoliday = z.object({
  id: z.uuid(),
  day: isoDate,
  name: z.string(),
  kind: z.enum(['holiday', 'closure']),
  source: z.string(),
});
export type CalendarHoliday = z.infer<typeof CalendarHoliday>;

export const BusinessCalendar = z.object({
  id: z.uuid(),
  name: z.string(),
  timeZone: z.string(),
  weekly: WeeklyShifts,
  isDefault: z.boolean(),
  assignments: z.array(CalendarAssignmentTarget),
  holidays: z.array(CalendarHoliday),
  updatedAt: z.string(),
});
export type BusinessCalendar = z.infer<typeof BusinessCalendar>;

export const CalendarList = z.object({ items: z.array(BusinessCalendar) });

export const AddHolidayBody = z
  .object({ day: isoDate, name: z.string().trim().min(1).max(200), kind: z.enum(['holiday', 'closure']).default('holiday') })
  .strict();
export type AddHolidayBody = z.infer<typeof AddHolidayBody>;

export const HolidayParams = z.object({ id: z.uuid(), holidayId: z.uuid() });

/** Countries with a ready holiday list (ISO 3166-1 alpha-2), imported through the date-holidays library. */
export const HOLIDAY_COUNTRIES = ['BD', 'IN', 'NP', 'LK', 'PK', 'GB', 'US', 'AE', 'SG', 'MY'] as const;
export const ImportHolidaysBody = z
  .object({
    country: z.enum(HOLIDAY_COUNTRIES),
    /** a state/division code where the library has one, e.g. IN + "MH" */
    region: z.string().trim().max(10).optional(),
    year: z.number().int().min(2000).max(2100),
    /** public holidays only (default) or also bank/optional ones */
    includeOptional: z.boolean().default(false),
  })
  .strict();
export type ImportHolidaysBody = z.infer<typeof ImportHolidaysBody>;
export const ImportHolidaysResult = z.object({ added: z.number().int(), skipped: z.number().int(), holidays: z.array(CalendarHoliday) });

export const SlaConditions = z
  .object({
    priorities: z.array(z.enum(TICKET_PRIORITIES)).max(4).optional(),
    channels: z.array(z.enum(CHANNELS)).max(CHANNELS.length).optional(),
    categoryIds: z.array(z.uuid()).max(100).optional(),
    organisationIds: z.array(z.uuid()).max(100).optional(),
    customerTiers: z.array(z.string().trim().min(1).max(50)).max(20).optional(),
  })
  .strict();
export type SlaConditions = z.infer<typeof SlaConditions>;

const minutes = z.number().int().min(1).max(60 * 24 * 365);
export const SlaTargets = z
  .object({
    firstResponse: minutes.optional(),
    nextResponse: minutes.optional(),
    periodicUpdate: minutes.optional(),
    resolution: minutes.optional(),
  })
  .strict()
  .refine((t) => Object.values(t).some((v) => v !== undefined), { message: 'set at least one target' });
export type SlaTargets = z.infer<typeof SlaTargets>;

export const SlaEscalationAction = z.discriminatedUnion('type', [
  z.object({ type: z.literal('notify_assignee') }).strict(),
  z.object({ type: z.literal('notify_team_lead') }).strict(),
  z.object({ type: z.literal('raise_priority') }).strict(),
  z
    .object({ type: z.literal('reassign'), userId: z.uuid().optional(), teamId: z.uuid().optional() })
    .strict()
    .refine((a) => a.userId || a.teamId, { message: 'reassign to a person or a team' }),
]);
export type SlaEscalationAction = z.infer<typeof SlaEscalationAction>;

export const SlaEscalation = z
  .object({ when: z.enum(['warning', 'breach']), metric: SlaMetric.optional(), actions: z.array(SlaEscalationAction).min(1).max(10) })
  .strict();
export type SlaEscalation = z.infer<typeof SlaEscalation>;

export const CreateSlaPolicyBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    description: z.string().max(2000).optional(),
    position: z.number().int().min(0).max(10000).optional(),
    active: z.boolean().optional(),
    conditions: SlaConditions.default({}),
    targets: SlaTargets,
    businessHours: z.boolean().default(true),
    calendarId: z.uuid().nullable().optional(),
    warnPercent: z.number().int().min(1).max(99).default(75),
    escalations: z.array(SlaEscalation).max(20).default([]),
  })
  .strict();
export type CreateSlaPolicyBody = z.infer<typeof CreateSlaPolicyBody>;

export const UpdateSlaPolicyBody = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    description: z.string().max(2000).optional(),
    position: z.number().int().min(0).max(10000).optional(),
    active: z.boolean().optional(),
    conditions: SlaConditions.optional(),
    targets: SlaTargets.optional(),
    businessHours: z.boolean().optional(),
    calendarId: z.uuid().nullable().optional(),
    warnPercent: z.number().int().min(1).max(99).optional(),
    escalations: z.array(SlaEscalation).max(20).optional(),
  })
  .strict();
export type UpdateSlaPolicyBody = z.infer<typeof UpdateSlaPolicyBody>;

export const SlaPolicy = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string(),
  position: z.number().int(),
  active: z.boolean(),
  conditions: SlaConditions,
  targets: z.object({
    firstResponse: z.number().int().optional(),
    nextResponse: z.number().int().optional(),
    periodicUpdate: z.number().int().optional(),
    resolution: z.number().int().optional(),
  }),
  businessHours: z.boolean(),
  calendarId: z.uuid().nullable(),
  warnPercent: z.number().int(),
  escalations: z.array(SlaEscalation),
  updatedAt: z.string(),
});
export type SlaPolicy = z.infer<typeof SlaPolicy>;
export const SlaPolicyList = z.object({ items: z.array(SlaPolicy) });

export const SlaClock = z.object({
  metric: SlaMetric,
  state: z.enum(['running', 'paused', 'met', 'breached']),
  /** at_risk once past the warning share, breached once past due */
  health: SlaState,
  targetMinutes: z.number().int(),
  businessHours: z.boolean(),
  cycle: z.number().int(),
  consumedSeconds: z.number().int(),
  startedAt: z.string(),
  warnAt: z.string().nullable(),
  dueAt: z.string().nullable(),
  breachedAt: z.string().nullable(),
  metAt: z.string().nullable(),
});
export type SlaClock = z.infer<typeof SlaClock>;

export const TicketSla = z.object({
  policy: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  dueAt: z.string().nullable(),
  state: SlaState.nullable(),
  clocks: z.array(SlaClock),
});
export type TicketSla = z.infer<typeof TicketSla>;

export const SlaReportQuery = z.object({
  from: isoDate,
  to: isoDate,
  by: z.enum(['policy', 'team', 'assignee', 'channel', 'metric']).default('policy'),
});
export type SlaReportQuery = z.infer<typeof SlaReportQuery>;

export const SlaReportRow = z.object({
  key: z.string().nullable(),
  label: z.string(),
  total: z.number().int(),
  achieved: z.number().int(),
  breached: z.number().int(),
  /** 0..1, null without outcomes */
  rate: z.number().nullable(),
  medianUsedMinutes: z.number().nullable(),
});
export const SlaReport = z.object({ from: isoDate, to: isoDate, by: z.string(), rows: z.array(SlaReportRow) });
export type SlaReport = z.infer<typeof SlaReport>;
