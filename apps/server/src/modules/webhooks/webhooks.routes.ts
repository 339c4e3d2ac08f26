import {
  CreateWebhookBody,
  UpdateWebhookBody,
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookDeliveryParams,
  WebhookIdParams,
  Webhook,
  WebhookList,
  WebhookWithSecret,
} from '@seva/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireActor } from '../../platform/auth/authenticate.ts';
import {
  createWebhook,
  deleteWebhook,
  listDeliveries,
  listWebhooks,
  queueDelivery,
  redeliver,
  rotateWebhookSecret,
  updateWebhook,
  type WebhookCtx,
} from './webhooks.service.ts';

const tags = ['webhooks'];
const admin = { policy: 'settings:manage' } as const;

export async function webhooksRoutes(app: FastifyInstance, opts: { ctx: WebhookCtx }): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { db, clock } = app.deps;
  const { ctx } = opts;

  r.get('/webhooks', { config: admin, schema: { tags, summary: 'Outgoing webhooks', response: { 200: WebhookList } } }, async () => ({ items: await listWebhooks(db) }));
  r.post(
    '/webhooks',
    { config: admin, schema: { tags, summary: 'Add a webhook (the signing secret is shown once)', body: CreateWebhookBody, response: { 201: WebhookWithSecret } } },
    async (req, reply) => {
      const actor = requireActor(req);
      return reply.status(201).send(await db.transaction((tx) => createWebhook(tx, ctx, { actor, body: req.body, now: clock.now() })));
    },
  );
  r.patch(
    '/webhooks/:id',
    { config: admin, schema: { tags, summary: 'Change a webhook', params: WebhookIdParams, body: UpdateWebhookBody, response: { 200: Webhook } } },
    async (req) => {
      const actor = requireActor(req);
      return db.transaction((tx) => updateWebhook(tx, ctx, { actor, id: req.params.id, body: req.body, now: clock.now() }));
    },
  );
  r.post(
    '/webhooks/:id/rotate-secret',
    { config: admin, schema: { tags, summary: 'Replace the signing secret (shown once)', params: WebhookIdParams, response: { 200: WebhookWithSecret } } },
    async (req) => {
      const actor = requireActor(req);
      return db.transaction((tx) => rotateWebhookSecret(tx, ctx, { actor, id: req.params.id, now: clock.now() }));
    },
  );
  r.delete('/webhooks/:id', { config: admin, schema: { tags, summary: 'Delete a webhook and its log', params: WebhookIdParams } }, async (req, reply) => {
    const actor = requireActor(req);
    await db.transaction((tx) => deleteWebhook(tx, { actor, id: req.params.id, now: clock.now() }));
    return reply.status(204).send();
  });
  r.get(
    '/webhooks/:id/deliveries',
    { config: admin, schema: { tags, summary: 'The delivery log (newest first)', params: WebhookIdParams, response: { 200: WebhookDeliveryList } } },
    async (req) => ({ items: await listDeliveries(db, req.params.id) }),
  );
  r.post(
    '/webhooks/:id/deliveries/:deliveryId/redeliver',
    { config: admin, schema: { tags, summary: 'Send a delivery again', params: WebhookDeliveryParams, response: { 200: WebhookDelivery } } },
    async (req) => db.transaction((tx) => redeliver(tx, { id: req.params.id, deliveryId: req.params.deliveryId, now: clock.now() })),
  );
  r.post(
    '/webhooks/:id/ping',
    { config: admin, schema: { tags, summary: 'Queue a test delivery', params: WebhookIdParams, response: { 202: WebhookDelivery } } },
    async (req, reply) =>
      reply
        .status(202)
        .send(await db.transaction((tx) => queueDelivery(tx, { webhookId: req.params.id, eventType: 'webhook.ping', ticketId: null, data: { hello: 'Seva' }, now: clock.now() }))),
  );
}
