import type { CreateWebhookBody, UpdateWebhookBody, Webhook, WebhookDelivery } from '@seva/contracts';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import { webhookDeliveries, webhooks } from '../../platform/db/schema/index.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import { checkUrlShape } from '../../platform/net/safe-fetch.ts';
import type { SecretBox } from '../email/secret-box.ts';
import { newWebhookSecret } from './sign-webhook.ts';
import { ticketSnapshot } from './webhook-payload.ts';

type Row = typeof webhooks.$inferSelect;
type DeliveryRow = typeof webhookDeliveries.$inferSelect;

export function toWebhookDto(w: Row): Webhook {
  return {
    id: w.id,
    name: w.name,
    url: w.url,
    events: w.events,
    active: w.active,
    consecutiveFailures: w.consecutiveFailures,
    lastDeliveryAt: w.lastDeliveryAt?.toISOString() ?? null,
    lastError: w.lastError,
    createdAt: w.createdAt.toISOString(),
  };
}

export function toDeliveryDto(d: DeliveryRow): WebhookDelivery {
  return {
    id: d.id,
    eventType: d.eventType,
    eventId: d.eventId,
    ticketId: d.ticketId,
    status: d.status as WebhookDelivery['status'],
    attempts: d.attempts,
    nextAttemptAt: d.nextAttemptAt?.toISOString() ?? null,
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    lastResponse: d.lastResponse,
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
    payload: d.payload,
  };
}

/** The URL's shape (scheme, no credentials, no literal private address) is checked on save; DNS is checked on send. */
function checkUrl(url: string, allowLoopbackPorts: readonly number[]): void {
  try {
    checkUrlShape(url, { allowLoopbackPorts });
  } catch (err) {
    throw new AppError('VALIDATION_FAILED', 'This URL cannot receive webhooks', {
      errors: [{ path: 'body.url', message: err instanceof Error ? err.message : 'not allowed' }],
    });
  }
}

async function nameFree(db: DbOrTx, name: string, except?: string) {
  const [dup] = await db.select({ id: webhooks.id }).from(webhooks).where(sql`lower(${webhooks.name}) = lower(${name})`);
  if (dup && dup.id !== except) throw new AppError('CONFLICT', 'A webhook with this name already exists', { errors: [{ path: 'body.name', message: 'already used' }] });
}

export interface WebhookCtx {
  box: SecretBox;
  allowLoopbackPorts: readonly number[];
}

export async function listWebhooks(db: DbOrTx): Promise<Webhook[]> {
  return (await db.select().from(webhooks).orderBy(webhooks.name)).map(toWebhookDto);
}

export async function createWebhook(tx: DbOrTx, ctx: WebhookCtx, input: { actor: Actor; body: CreateWebhookBody; now: Date }) {
  const { body, now } = input;
  checkUrl(body.url, ctx.allowLoopbackPorts);
  await nameFree(tx, body.name);
  const secret = newWebhookSecret();
  const [w] = await tx
    .insert(webhooks)
    .values({
      name: body.name,
      url: body.url,
      events: body.events,
      active: body.active,
      secretSealed: ctx.box.seal(secret),
      fromEventId: sql`(SELECT coalesce(max(id), 0) FROM events)`,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  if (!w) throw new Error('webhook insert returned nothing');
  await recordEvent(tx, { type: 'webhook.created', actor: input.actor, payload: { webhookId: w.id, name: w.name, events: w.events }, at: now });
  return { ...toWebhookDto(w), secret };
}

export async function updateWebhook(tx: DbOrTx, ctx: WebhookCtx, input: { actor: Actor; id: string; body: UpdateWebhookBody; now: Date }) {
  const { body, now } = input;
  if (body.url) checkUrl(body.url, ctx.allowLoopbackPorts);
  if (body.name) await nameFree(tx, body.name, input.id);
  const [w] = await tx
    .update(webhooks)
    .set({
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.url !== undefined ? { url: body.url } : {}),
      ...(body.events !== undefined ? { events: body.events } : {}),
      // switching a failing webhook back on starts it with a clean slate
      ...(body.active !== undefined ? { active: body.active, ...(body.active ? { consecutiveFailures: 0 } : {}) } : {}),
      updatedAt: now,
    })
    .where(eq(webhooks.id, input.id))
    .returning();
  if (!w) throw notFound('Webhook');
  await recordEvent(tx, { type: 'webhook.updated', actor: input.actor, payload: { webhookId: w.id, changed: Object.keys(body) }, at: now });
  return toWebhookDto(w);
}

export async function rotateWebhookSecret(tx: DbOrTx, ctx: WebhookCtx, input: { actor: Actor; id: string; now: Date }) {
  const secret = newWebhookSecret();
  const [w] = await tx.update(webhooks).set({ secretSealed: ctx.box.seal(secret), updatedAt: input.now }).where(eq(webhooks.id, input.id)).returning();
  if (!w) throw notFound('Webhook');
  await recordEvent(tx, { type: 'webhook.secret_rotated', actor: input.actor, payload: { webhookId: w.id }, at: input.now });
  return { ...toWebhookDto(w), secret };
}

export async function deleteWebhook(tx: DbOrTx, input: { actor: Actor; id: string; now: Date }) {
  const gone = await tx.delete(webhooks).where(eq(webhooks.id, input.id)).returning({ id: webhooks.id, name: webhooks.name });
  if (gone.length === 0) throw notFound('Webhook');
  await recordEvent(tx, { type: 'webhook.deleted', actor: input.actor, payload: { webhookId: input.id, name: gone[0]?.name }, at: input.now });
}

export async function listDeliveries(db: DbOrTx, webhookId: string): Promise<WebhookDelivery[]> {
  const [w] = await db.select({ id: webhooks.id }).from(webhooks).where(eq(webhooks.id, webhookId));
  if (!w) throw notFound('Webhook');
  const rows = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, webhookId)).orderBy(desc(webhookDeliveries.createdAt)).limit(200);
  return rows.map(toDeliveryDto);
}

/** Sends a delivery again now (a fresh set of attempts), e.g. after the receiver was fixed. */
export async function redeliver(tx: DbOrTx, input: { id: string; deliveryId: string; now: Date }): Promise<WebhookDelivery> {
  const [d] = await tx
    .update(webhookDeliveries)
    .set({ status: 'pending', attempts: 0, nextAttemptAt: input.now, updatedAt: input.now })
    .where(and(eq(webhookDeliveries.id, input.deliveryId), eq(webhookDeliveries.webhookId, input.id)))
    .returning();
  if (!d) throw notFound('Delivery');
  return toDeliveryDto(d);
}

/** Queues a delivery outside the event stream: a test ping, or an automation's "call webhook" action. */
export async function queueDelivery(
  tx: DbOrTx,
  input: { webhookId: string; eventType: string; ticketId: string | null; data: Record<string, unknown>; now: Date },
): Promise<WebhookDelivery> {
  const [w] = await tx.select({ id: webhooks.id }).from(webhooks).where(eq(webhooks.id, input.webhookId));
  if (!w) throw notFound('Webhook');
  const payload = {
    type: input.eventType,
    occurredAt: input.now.toISOString(),
    ticket: input.ticketId ? await ticketSnapshot(tx, input.ticketId) : null,
    data: input.data,
  };
  const [d] = await tx
    .insert(webhookDeliveries)
    .values({ webhookId: w.id, eventType: input.eventType, ticketId: input.ticketId, payload, nextAttemptAt: input.now, createdAt: input.now, updatedAt: input.now })
    .returning();
  if (!d) throw new Error('delivery insert returned nothing');
  return toDeliveryDto(d);
}
