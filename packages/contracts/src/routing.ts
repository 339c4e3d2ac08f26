import { z } from 'zod';
import { Conditions } from './automations.ts';
import { CreateCalendarBody } from './sla.ts';
import { TicketPriority } from './tickets.ts';

/** Routing and teamwork (issue 6): skills, availability, rules, assignment, transfers with follow-up. See docs/routing.md. */

export const AVAILABILITY = ['online', 'away', 'offline'] as const;
export const Availability = z.enum(AVAILABILITY);
export const STRATEGIES = ['manual', 'round_robin', 'least_loaded', 'skills'] as const;

const level = z.number().int().min(1).max(5);
const skillName = z.string().trim().toLowerCase().min(1).max(60);

export const SetAvailabilityBody = z.object({ status: Availability }).strict();

export const UpdateStaffRoutingBody = z
  .object({
    skills: z.array(z.object({ skill: skillName, level }).strict()).max(50).optional(),
    languages: z.array(z.object({ language: z.string().trim().toLowerCase().min(2).max(12), level }).strict()).max(20).optional(),
    maxOpenTickets: z.number().int().min(0).max(1000).optional(),
    maxChats: z.number().int().min(0).max(50).optional(),
    routable: z.boolean().optional(),
    status: Availability.optional(),
  })
  .strict();
export type UpdateStaffRoutingBody = z.infer<typeof UpdateStaffRoutingBody>;

export const StaffRouting = z.object({
  userId: z.uuid(),
  name: z.string(),
  status: Availability,
  routable: z.boolean(),
  maxOpenTickets: z.number().int(),
  maxChats: z.number().int(),
  openTickets: z.number().int(),
  skills: z.array(z.object({ skill: z.string(), level: z.number().int() })),
  languages: z.array(z.object({ language: z.string(), level: z.number().int() })),
});
export type StaffRouting = z.infer<typeof StaffRouting>;
export const StaffRoutingList = z.object({ items: z.array(StaffRouting) });

export const TeamStrategyBody = z.object({ strategy: z.enum(STRATEGIES) }).strict();

export const RoutingRuleBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    position: z.number().int().min(0).max(10000).optional(),
    active: z.boolean().optional(),
    conditions: Conditions.default({ all: [], any: [] }),
    keywords: z.array(z.string().trim().min(1).max(100)).max(50).default([]),
    /** only email tickets that came in through one of these mailboxes (absent or empty: any ticket; absent on a change keeps them) */
    mailboxIds: z.array(z.uuid()).max(50).optional(),
    /** only chats that came in through one of these help widgets (absent or empty: any ticket; absent on a change keeps them) */
    widgetIds: z.array(z.uuid()).max(50).optional(),
    actions: z
      .object({ teamId: z.uuid().optional(), skills: z.array(skillName).max(10).optional(), priority: TicketPriority.optional(), addTags: z.array(z.string().trim().min(1).max(100)).max(20).optional() })
      .strict()
      .refine((a) => Object.keys(a).length > 0, { message: 'a rule sets a team, skills, priority or tags' }),
  })
  .strict();
export type RoutingRuleBody = z.infer<typeof RoutingRuleBody>;
export const RoutingRule = z.object({
  id: z.uuid(),
  name: z.string(),
  position: z.number().int(),
  active: z.boolean(),
  conditions: Conditions,
  keywords: z.array(z.string()),
  mailboxIds: z.array(z.string()),
  widgetIds: z.array(z.string()),
  actions: z.object({ teamId: z.string().optional(), skills: z.array(z.string()).optional(), priority: z.string().optional(), addTags: z.array(z.string()).optional() }),
});
export const RoutingRuleList = z.object({ items: z.array(RoutingRule) });

export const TransferBody = z
  .object({
    toUserId: z.uuid().optional(),
    toTeamId: z.uuid().optional(),
    /** why, for the colleague (an internal note) */
    note: z.string().trim().min(1, 'say why you hand it on').max(5000),
    /** tell the customer who has the ticket now, in their language */
    customerMessage: z.string().trim().min(1).max(5000).optional(),
    /** false: do not post customerMessage even when given; true: customerMessage is required */
    tellCustomer: z.boolean().optional(),
    /** when the follow-up is due (default: one business day) */
    followUpDueAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict()
  .refine((b) => b.toUserId || b.toTeamId, { message: 'transfer to a person or a team', path: ['toUserId'] })
  .refine((b) => b.tellCustomer !== true || b.customerMessage, { message: 'write the message for the customer', path: ['customerMessage'] });
export type TransferBody = z.infer<typeof TransferBody>;

export const Followup = z.object({
  id: z.uuid(),
  ticket: z.object({ id: z.uuid(), number: z.number().int(), subject: z.string(), status: z.string(), assigneeName: z.string().nullable() }),
  note: z.string(),
  dueAt: z.string(),
  state: z.enum(['open', 'closed']),
  overdue: z.boolean(),
  contactedCustomer: z.boolean().nullable(),
  createdAt: z.string(),
});
export type Followup = z.infer<typeof Followup>;
export const FollowupList = z.object({ items: z.array(Followup) });
export const CloseFollowupBody = z.object({ contactedCustomer: z.boolean() }).strict();
export const EscalateBody = z.object({ note: z.string().trim().min(1).max(5000) }).strict();

const instant = z.iso.datetime({ offset: true });
export const TimeOffBody = z.object({ startsAt: instant, endsAt: instant, note: z.string().max(500).optional() }).strict();
export const DutyShiftBody = z
  .object({ userId: z.uuid(), teamId: z.uuid().nullable().optional(), startsAt: instant, endsAt: instant, note: z.string().max(500).optional() })
  .strict();
const someChange = (b: object) => Object.keys(b).length > 0;
/** A change to time off: any of its fields (the person stays). Overlapping another period of theirs is a 409. */
export const UpdateTimeOffBody = z
  .object({ startsAt: instant.optional(), endsAt: instant.optional(), note: z.string().max(500).optional() })
  .strict()
  .refine(someChange, { message: 'change the start, the end or the note' });
export type UpdateTimeOffBody = z.infer<typeof UpdateTimeOffBody>;
/** A change to one duty shift (also one occurrence of a repeating shift): team, times, note (the person stays). */
export const UpdateDutyShiftBody = z
  .object({ teamId: z.uuid().nullable().optional(), startsAt: instant.optional(), endsAt: instant.optional(), note: z.string().max(500).optional() })
  .strict()
  .refine(someChange, { message: 'change the team, the start, the end or the note' });
export type UpdateDutyShiftBody = z.infer<typeof UpdateDutyShiftBody>;

/** Current and coming time off and duty shifts (the admin's rota screen); ended ones drop out. */
export const TimeOffEntry = z.object({ id: z.uuid(), userId: z.uuid(), name: z.string(), startsAt: z.string(), endsAt: z.string(), note: z.string() });
export type TimeOffEntry = z.infer<typeof TimeOffEntry>;
export const TimeOffList = z.object({ items: z.array(TimeOffEntry) });
export const DutyShift = TimeOffEntry.extend({
  teamId: z.uuid().nullable(),
  teamName: z.string().nullable(),
  /** the repeating shift it is an occurrence of (null: a one-off shift) */
  seriesId: z.uuid().nullable(),
});
export type DutyShift = z.infer<typeof DutyShift>;
export const DutyShiftList = z.object({ items: z.array(DutyShift) });
export const DutyShiftsQuery = z.object({
  /** true: only one-off shifts, without the occurrences of repeating ones */
  oneOff: z.enum(['true', 'false']).optional(),
});

// ---- repeating duty shifts ----

/** Days a repeating shift may span, first to last: a year, so its occurrences stay a bounded set of rows. */
export const MAX_SERIES_DAYS = 366;
const wallTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM, e.g. 09:00');
const localDay = z.iso.date();
/** an IANA time zone, checked as the SLA calendars check theirs */
export const TimeZone = CreateCalendarBody.shape.timeZone;
const weekdays = z
  .array(z.number().int().min(0).max(6))
  .min(1, 'choose at least one weekday')
  .max(7);

export interface SeriesShape {
  startTime: string;
  endTime: string;
  startsOn: string;
  until: string;
}
/** What is wrong with a repeating shift's times and days as a whole (for the server and the form), or null. */
export function seriesProblem(s: SeriesShape): { path: 'endTime' | 'until'; message: string } | null {
  if (s.startTime === s.endTime) return { path: 'endTime', message: 'a shift ends at another time than it starts' };
  if (s.until < s.startsOn) return { path: 'until', message: 'the last day comes on or after the first' };
  const days = (Date.parse(`${s.until}T00:00:00Z`) - Date.parse(`${s.startsOn}T00:00:00Z`)) / 86_400_000;
  if (days >= MAX_SERIES_DAYS) return { path: 'until', message: `a repeating shift runs for at most ${MAX_SERIES_DAYS} days; add another for later` };
  return null;
}

const seriesFields = {
  teamId: z.uuid().nullable().optional(),
  /** local weekdays, 0 = Sunday … 6 = Saturday */
  weekdays,
  /** local wall times; an end at or before the start is on the next day (a night shift) */
  startTime: wallTime,
  endTime: wallTime,
  timeZone: TimeZone,
  /** first and last local day, inclusive */
  startsOn: localDay,
  until: localDay,
  note: z.string().max(500).optional(),
};
export const DutyShiftSeriesBody = z
  .object({ userId: z.uuid(), ...seriesFields })
  .strict()
  .superRefine((b, ctx) => {
    const p = seriesProblem(b);
    if (p) ctx.addIssue({ code: 'custom', path: [p.path], message: p.message });
  });
export type DutyShiftSeriesBody = z.infer<typeof DutyShiftSeriesBody>;
/** A change to a repeating shift: its occurrences that have not ended are written anew (one-off changes to them are replaced). */
export const UpdateDutyShiftSeriesBody = z
  .object({
    teamId: seriesFields.teamId,
    weekdays: weekdays.optional(),
    startTime: wallTime.optional(),
    endTime: wallTime.optional(),
    timeZone: TimeZone.optional(),
    startsOn: localDay.optional(),
    until: localDay.optional(),
    note: seriesFields.note,
  })
  .strict()
  .refine(someChange, { message: 'change something about the repeating shift' });
export type UpdateDutyShiftSeriesBody = z.infer<typeof UpdateDutyShiftSeriesBody>;
export const DutyShiftSeries = z.object({
  id: z.uuid(),
  userId: z.uuid(),
  name: z.string(),
  teamId: z.uuid().nullable(),
  teamName: z.string().nullable(),
  weekdays: z.array(z.number().int()),
  startTime: z.string(),
  endTime: z.string(),
  timeZone: z.string(),
  startsOn: z.string(),
  until: z.string(),
  note: z.string(),
  /** the next occurrence that has not ended (null: none left) */
  nextStartsAt: z.string().nullable(),
  /** occurrences that have not ended */
  upcoming: z.number().int(),
});
export type DutyShiftSeries = z.infer<typeof DutyShiftSeries>;
export const DutyShiftSeriesList = z.object({ items: z.array(DutyShiftSeries) });

export const ExpertsQuery = z.object({ q: z.string().trim().max(100).optional(), language: z.string().trim().max(12).optional() });
export const Expert = z.object({
  userId: z.uuid(),
  name: z.string(),
  status: Availability,
  score: z.number(),
  skills: z.array(z.object({ skill: z.string(), level: z.number().int() })),
  languages: z.array(z.string()),
  solvedMatching: z.number().int(),
});
export const ExpertList = z.object({ items: z.array(Expert) });

export const RoutingReportQuery = z.object({ from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) });
export const AssignmentReport = z.object({ rows: z.array(z.object({ userId: z.uuid().nullable(), name: z.string(), day: z.string(), assigned: z.number().int() })) });
export const TransferReport = z.object({
  rows: z.array(z.object({ userId: z.uuid(), name: z.string(), transfers: z.number().int(), followupsKept: z.number().int(), followupsMissed: z.number().int(), followupsOpen: z.number().int() })),
});
