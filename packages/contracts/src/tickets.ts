import { z } from 'zod';
import { MessageBodyFields } from './messages.ts';

/** Ticket wire types (see docs/api.md "Tickets and messages"). */

export const TICKET_STATUSES = ['new', 'open', 'pending', 'on_hold', 'solved', 'closed'] as const;
export const TicketStatus = z.enum(TICKET_STATUSES);
export type TicketStatus = z.infer<typeof TicketStatus>;

export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const TicketPriority = z.enum(TICKET_PRIORITIES);
export type TicketPriority = z.infer<typeof TicketPriority>;

export const TICKET_TYPES = ['question', 'incident', 'problem', 'task'] as const;
export const TicketType = z.enum(TICKET_TYPES);
export type TicketType = z.infer<typeof TicketType>;

export const CHANNELS = [
  'email',
  'chat',
  'web',
  'api',
  'phone',
  'sms',
  'whatsapp',
  'messenger',
  'instagram',
  'telegram',
] as const;
export const Channel = z.enum(CHANNELS);
export type Channel = z.infer<typeof Channel>;

export const TICKET_VIEWS = ['mine', 'unassigned', 'my_teams', 'all', 'collaborating'] as const;
export const TicketView = z.enum(TICKET_VIEWS);
export type TicketView = z.infer<typeof TicketView>;

export const TICKET_SORTS = ['updated_desc', 'updated_asc', 'created_desc', 'created_asc', 'priority_desc', 'sla_due_asc'] as const;
export const TicketSort = z.enum(TICKET_SORTS);
export type TicketSort = z.infer<typeof TicketSort>;

/** merged_into / merged_from, split_from / split_into */
export const TICKET_LINK_KINDS = ['merged_into', 'merged_from', 'split_from', 'split_into', 'follow_up_of'] as const;

/** A BCP 47 language tag such as en, bn, hi or pt-BR. */
export const LanguageTag = z
  .string()
  .trim()
  .max(35)
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a language tag such as en, bn or hi');

export const MAX_TAGS = 50;
export const MAX_TAG_CHARS = 100;
export const Tags = z.array(z.string().max(MAX_TAG_CHARS)).max(MAX_TAGS);

export const CustomFieldValues = z.record(z.string().max(100), z.unknown());
export type CustomFieldValues = z.infer<typeof CustomFieldValues>;

export const TicketPerson = z.object({ id: z.uuid(), name: z.string() });

export const TicketSummary = z.object({
  id: z.uuid(),
  number: z.number().int(),
  subject: z.string(),
  status: TicketStatus,
  priority: TicketPriority,
  type: TicketType,
  channel: z.string(),
  language: z.string().nullable(),
  tags: z.array(z.string()),
  categoryId: z.uuid().nullable(),
  teamId: z.uuid().nullable(),
  assigneeId: z.uuid().nullable(),
  assignee: TicketPerson.nullable(),
  customer: z.object({ id: z.uuid(), name: z.string(), email: z.string().nullable() }),
  messageCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastMessageAt: z.string().nullable(),
  /** earliest due time among the running SLA clocks (null: no clock runs) */
  slaDueAt: z.string().nullable(),
  /** ok | at_risk | breached */
  slaState: z.enum(['ok', 'at_risk', 'breached']).nullable(),
});
export type TicketSummary = z.infer<typeof TicketSummary>;

export const TicketLink = z.object({ kind: z.string(), ticketId: z.uuid(), number: z.number().int() });
export type TicketLink = z.infer<typeof TicketLink>;

export const Ticket = TicketSummary.extend({
  problemId: z.uuid().nullable(),
  customFields: z.record(z.string(), z.unknown()),
  organisationId: z.uuid().nullable(),
  mergedIntoId: z.uuid().nullable(),
  links: z.array(TicketLink),
  collaborators: z.array(TicketPerson),
  incidentCount: z.number().int(),
  firstResponseAt: z.string().nullable(),
  solvedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
});
export type Ticket = z.infer<typeof Ticket>;

export const TicketList = z.object({ items: z.array(TicketSummary), nextCursor: z.string().nullable() });
export type TicketList = z.infer<typeof TicketList>;

/** Comma-separated list of enum values in a query string, e.g. `status=open,pending`. */
function commaList<T extends readonly [string, ...string[]]>(values: T) {
  return z
    .string()
    .max(500)
    .transform((s) =>
      s
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.enum(values)).min(1));
}

export const ListTicketsQuery = z.object({
  view: TicketView.optional(),
  status: commaList(TICKET_STATUSES).optional(),
  priority: commaList(TICKET_PRIORITIES).optional(),
  type: commaList(TICKET_TYPES).optional(),
  channel: commaList(CHANNELS).optional(),
  language: z
    .string()
    .max(200)
    .transform((s) =>
      s
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean),
    )
    .optional(),
  categoryId: z.uuid().optional(),
  /** one tag, or several separated by commas (tickets must carry all of them) */
  tag: z.string().max(500).optional(),
  assigneeId: z.union([z.uuid(), z.literal('none')]).optional(),
  teamId: z.uuid().optional(),
  customerId: z.uuid().optional(),
  sort: TicketSort.optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
  cursor: z.string().max(1000).optional(),
});
export type ListTicketsQuery = z.infer<typeof ListTicketsQuery>;

/** A ticket is addressed by its UUID or its human number. */
export const TicketIdParams = z.object({ id: z.string().min(1).max(64) });

export const CustomerRef = z.union([
  z.object({ id: z.uuid() }).strict(),
  z.object({ email: z.string().trim().max(320).pipe(z.email()), name: z.string().trim().max(200).optional() }).strict(),
]);
export type CustomerRef = z.infer<typeof CustomerRef>;

export const CreateTicketBody = z
  .object({
    subject: z.string().trim().min(1).max(500),
    customer: CustomerRef,
    message: z
      .object({ ...MessageBodyFields, internal: z.boolean().optional() })
      .strict()
      .refine((m) => (m.body ?? '').trim() !== '' || (m.html ?? '').trim() !== '', {
        message: 'a message needs a body or html',
        path: ['body'],
      }),
    priority: TicketPriority.optional(),
    type: TicketType.optional(),
    categoryId: z.uuid().nullable().optional(),
    tags: Tags.optional(),
    customFields: CustomFieldValues.optional(),
    language: LanguageTag.nullable().optional(),
    channel: Channel.optional(),
    teamId: z.uuid().nullable().optional(),
    assigneeId: z.uuid().nullable().optional(),
    problemId: z.uuid().nullable().optional(),
    attachmentIds: z.array(z.uuid()).max(20).optional(),
  })
  .strict();
export type CreateTicketBody = z.infer<typeof CreateTicketBody>;

export const UpdateTicketBody = z
  .object({
    subject: z.string().trim().min(1).max(500).optional(),
    status: TicketStatus.optional(),
    priority: TicketPriority.optional(),
    type: TicketType.optional(),
    problemId: z.uuid().nullable().optional(),
    categoryId: z.uuid().nullable().optional(),
    tags: Tags.optional(),
    /** merged into the existing values; null clears a field */
    customFields: CustomFieldValues.optional(),
    language: LanguageTag.nullable().optional(),
    teamId: z.uuid().nullable().optional(),
    assigneeId: z.uuid().nullable().optional(),
  })
  .strict();
export type UpdateTicketBody = z.infer<typeof UpdateTicketBody>;

export const TicketEvent = z.object({
  id: z.number().int(),
  type: z.string(),
  actor: z.object({ type: z.string(), id: z.string().nullable(), name: z.string().nullable() }).nullable(),
  payload: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});
export type TicketEvent = z.infer<typeof TicketEvent>;

export const TicketEventList = z.object({ items: z.array(TicketEvent) });
export type TicketEventList = z.infer<typeof TicketEventList>;

export const MergeTicketBody = z.object({ targetTicketId: z.string().min(1).max(64) }).strict();
export type MergeTicketBody = z.infer<typeof MergeTicketBody>;

export const SplitTicketBody = z
  .object({ messageId: z.uuid(), subject: z.string().trim().min(1).max(500).optional() })
  .strict();
export type SplitTicketBody = z.infer<typeof SplitTicketBody>;

export const CollaboratorBody = z.object({ userId: z.uuid() }).strict();
export type CollaboratorBody = z.infer<typeof CollaboratorBody>;

export const CollaboratorParams = z.object({ id: z.string().min(1).max(64), userId: z.uuid() });

export const CollaboratorList = z.object({ items: z.array(TicketPerson) });
export type CollaboratorList = z.infer<typeof CollaboratorList>;

export const NotifyIncidentsBody = z
  .object(MessageBodyFields)
  .strict()
  .refine((b) => (b.body ?? '').trim() !== '' || (b.html ?? '').trim() !== '', {
    message: 'a message needs a body or html',
    path: ['body'],
  });
export type NotifyIncidentsBody = z.infer<typeof NotifyIncidentsBody>;

export const NotifyIncidentsResult = z.object({
  items: z.array(z.object({ ticketId: z.uuid(), number: z.number().int(), messageId: z.uuid() })),
});
export type NotifyIncidentsResult = z.infer<typeof NotifyIncidentsResult>;

export const MAX_BULK_TICKETS = 100;

/** Apply the same change to many tickets; each ticket succeeds or fails on its own. */
export const BulkUpdateTicketsBody = z
  .object({
    ticketIds: z.array(z.string().min(1).max(64)).min(1).max(MAX_BULK_TICKETS),
    changes: UpdateTicketBody,
  })
  .strict();
export type BulkUpdateTicketsBody = z.infer<typeof BulkUpdateTicketsBody>;

export const BulkUpdateTicketsResult = z.object({
  items: z.array(
    z.object({
      ticketId: z.string(),
      ok: z.boolean(),
      /** the error code when not ok (NOT_FOUND, INVALID_TRANSITION, VALIDATION_FAILED …) */
      code: z.string().nullable(),
      message: z.string().nullable(),
    }),
  ),
});
export type BulkUpdateTicketsResult = z.infer<typeof BulkUpdateTicketsResult>;

/** Unresolved tickets (new, open, pending, on hold) per view, for the inbox sidebar. */
export const TicketCounts = z.object({
  mine: z.number().int(),
  unassigned: z.number().int(),
  myTeams: z.number().int(),
  collaborating: z.number().int(),
  all: z.number().int(),
});
export type TicketCounts = z.infer<typeof TicketCounts>;
