import { z } from 'zod';

/** Outgoing webhooks (issue 7): signed, retried, logged, SSRF-safe. See docs/webhooks.md. */

export const WEBHOOK_EVENTS = [
  'ticket.created',
  'ticket.updated',
  'ticket.status_changed',
  'ticket.assigned',
  'ticket.priority_changed',
  'ticket.tags_changed',
  'ticket.merged',
  'message.added',
  'message.approved',
  'message.delivery_failed',
  'sla.warning',
  'sla.breached',
  'survey.answered',
  'customer.created',
] as const;
export const WebhookEvent = z.enum(WEBHOOK_EVENTS);

export const WebhookIdParams = z.object({ id: z.uuid() });
export const WebhookDeliveryParams = z.object({ id: z.uuid(), deliveryId: z.uuid() });

const url = z
  .string()
  .trim()
  .max(2000)
  .url()
  .refine((u) => /^https?:\/\//i.test(u), { message: 'an http:// or https:// URL' });

export const CreateWebhookBody = z
  .object({
    name: z.string().trim().min(1).max(100),
    url,
    events: z.array(WebhookEvent).max(WEBHOOK_EVENTS.length).default([]),
    active: z.boolean().default(true),
  })
  .strict();
export type CreateWebhookBody = z.infer<typeof CreateWebhookBody>;

export const UpdateWebhookBody = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    url: url.optional(),
    events: z.array(WebhookEvent).max(WEBHOOK_EVENTS.length).optional(),
    active: z.boolean().optional(),
  })
  .strict();
export type UpdateWebhookBody = z.infer<typeof UpdateWebhookBody>;

export const Webhook = z.object({
  id: z.uuid(),
  name: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  active: z.boolean(),
  consecutiveFailures: z.number().int(),
  lastDeliveryAt: z.string().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
});
export type Webhook = z.infer<typeof Webhook>;
export const WebhookList = z.object({ items: z.array(Webhook) });
/** The signing secret is shown only here: on create and on rotate. */
export const WebhookWithSecret = Webhook.extend({ secret: z.string() });

export const WebhookDelivery = z.object({
  id: z.uuid(),
  eventType: z.string(),
  eventId: z.number().int().nullable(),
  ticketId: z.uuid().nullable(),
  status: z.enum(['pending', 'delivered', 'failed', 'gave_up']),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  lastResponse: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
  payload: z.record(z.string(), z.unknown()),
});
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;
export const WebhookDeliveryList = z.object({ items: z.array(WebhookDelivery) });
