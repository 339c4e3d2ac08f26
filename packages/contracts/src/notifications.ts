import { z } from 'zod';

/** mention | rule | sla_warning | sla_breached | spike | rating_followup | quality_review */
export const NOTIFICATION_KINDS = [
  'mention',
  'rule',
  'sla_warning',
  'sla_breached',
  'spike',
  'rating_followup',
  'quality_review',
] as const;

export const Notification = z.object({
  id: z.uuid(),
  kind: z.string(),
  ticketId: z.uuid().nullable(),
  /** what the bell shows: ticketNumber, ticketSubject and per kind by, message, metric, policyName, categoryName, count, ratio, rating, score */
  data: z.record(z.string(), z.union([z.string(), z.number(), z.null()])),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type Notification = z.infer<typeof Notification>;

export const NotificationList = z.object({ items: z.array(Notification), unread: z.number() });
export type NotificationList = z.infer<typeof NotificationList>;

export const NotificationListQuery = z.object({
  unread: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
  limit: z.coerce.number().int().min(1).max(100).default(30),
  before: z.iso.datetime({ offset: true }).optional(),
});

export const MarkNotificationBody = z.object({ read: z.boolean() }).strict();
