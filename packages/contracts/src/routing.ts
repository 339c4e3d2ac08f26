import { z } from 'zod';
import { Conditions } from './automations.ts';
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

export const TimeOffBody = z.object({ startsAt: z.iso.datetime({ offset: true }), endsAt: z.iso.datetime({ offset: true }), note: z.string().max(500).optional() }).strict();
export const DutyShiftBody = z
  .object({ userId: z.uuid(), teamId: z.uuid().nullable().optional(), startsAt: z.iso.datetime({ offset: true }), endsAt: z.iso.datetime({ offset: true }), note: z.string().max(500).optional() })
  .strict();

/** Current and coming time off and duty shifts (the admin's rota screen); ended ones drop out. */
export const TimeOffEntry = z.object({ id: z.uuid(), userId: z.uuid(), name: z.string(), startsAt: z.string(), endsAt: z.string(), note: z.string() });
export type TimeOffEntry = z.infer<typeof TimeOffEntry>;
export const TimeOffList = z.object({ items: z.array(TimeOffEntry) });
export const DutyShift = TimeOffEntry.extend({ teamId: z.uuid().nullable(), teamName: z.string().nullable() });
export type DutyShift = z.infer<typeof DutyShift>;
export const DutyShiftList = z.object({ items: z.array(DutyShift) });

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
