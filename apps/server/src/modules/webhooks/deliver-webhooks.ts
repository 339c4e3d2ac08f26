import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.ts';
import { webhookDeliveries, webhooks } from '../../platform/db/schema/index.ts';
import { SafeFetchError, type SafeFetchOptions, safeFetch } from '../../platform/net/safe-fetch.ts';
import type { SecretBox } from '../email/secret-box.ts';
import { retryDelaySeconds, signWebhook } from './sign-webhook.ts';

export interface DeliverDeps {
  db: Db;
  box: SecretBox;
  now: () => Date;
  net: Pick<SafeFetchOptions, 'allowLoopbackPorts' | 'timeoutMs' | 'resolve'>;
}

interface Due {
  id: string;
  webhook_id: string;
  url: string;
  secret_sealed: string;
  event_type: string;
  payload: Record<string, unknown>;
  attempts: number;
  [key: string]: unknown;
}

const USER_AGENT = 'Seva-Webhooks/1';

/**
 * Sends every delivery that is due, each attempt claimed by pushing its next attempt a deadline ahead (so two
 * workers never send the same one twice at once), then records the answer: 2xx delivered; anything else (an error
 * status, a refused address, a redirect to a private address, a timeout) is retried with backoff until it gives up.
 */
export async function deliverDueWebhooks(deps: DeliverDeps, limit = 20): Promise<number> {
  const now = deps.now();
  const claimed = await deps.db.transaction(async (tx) => {
    const r = await tx.execute<Due>(sql`
      SELECT d.id, d.webhook_id, w.url, w.secret_sealed, d.event_type, d.payload, d.attempts
        FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
       WHERE d.status IN ('pending', 'failed') AND d.next_attempt_at <= ${now.toISOString()}::timestamptz AND w.active
       ORDER BY d.next_attempt_at
       LIMIT ${limit}
       FOR UPDATE OF d SKIP LOCKED`);
    for (const d of r.rows) {
      await tx
        .update(webhookDeliveries)
        .set({ nextAttemptAt: new Date(now.getTime() + 120_000) })
        .where(eq(webhookDeliveries.id, d.id));
    }
    return r.rows;
  });
  for (const d of claimed) await attempt(deps, d);
  return claimed.length;
}

async function attempt(deps: DeliverDeps, d: Due): Promise<void> {
  const body = JSON.stringify({ id: d.id, ...d.payload });
  const sentAt = deps.now();
  let status: number | null = null;
  let error: string | null = null;
  let response: string | null = null;
  try {
    const secret = deps.box.open(d.secret_sealed);
    const res = await safeFetch(d.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': USER_AGENT,
        'x-seva-event': d.event_type,
        'x-seva-delivery': d.id,
        'x-seva-signature': signWebhook(secret, Math.floor(sentAt.getTime() / 1000), body),
      },
      body,
      timeoutMs: deps.net.timeoutMs ?? 10_000,
      maxResponseBytes: 64 * 1024,
      ...(deps.net.allowLoopbackPorts ? { allowLoopbackPorts: deps.net.allowLoopbackPorts } : {}),
      ...(deps.net.resolve ? { resolve: deps.net.resolve } : {}),
    });
    status = res.status;
    response = res.text().slice(0, 500);
    if (status < 200 || status >= 300) error = `the receiver answered ${status}`;
  } catch (err) {
    error = err instanceof SafeFetchError ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : 'unknown error';
  }
  const finished = deps.now();
  const attempts = d.attempts + 1;
  if (!error) {
    await deps.db.transaction(async (tx) => {
      await tx
        .update(webhookDeliveries)
        .set({ status: 'delivered', attempts, lastStatusCode: status, lastError: null, lastResponse: response, deliveredAt: finished, nextAttemptAt: null, updatedAt: finished })
        .where(eq(webhookDeliveries.id, d.id));
      await tx.update(webhooks).set({ consecutiveFailures: 0, lastDeliveryAt: finished, lastError: null }).where(eq(webhooks.id, d.webhook_id));
    });
    return;
  }
  const delay = retryDelaySeconds(attempts);
  await deps.db.transaction(async (tx) => {
    await tx
      .update(webhookDeliveries)
      .set({
        status: delay === null ? 'gave_up' : 'failed',
        attempts,
        lastStatusCode: status,
        lastError: error,
        lastResponse: response,
        nextAttemptAt: delay === null ? null : new Date(finished.getTime() + delay * 1000),
        updatedAt: finished,
      })
      .where(eq(webhookDeliveries.id, d.id));
    await tx
      .update(webhooks)
      .set({ consecutiveFailures: sql`${webhooks.consecutiveFailures} + 1`, lastError: error })
      .where(eq(webhooks.id, d.webhook_id));
  });
}
