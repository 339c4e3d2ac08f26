import { randomBytes } from 'node:crypto';
import type {
  ChannelDelivery,
  ChannelTestMessageBody,
  CreateChannelBody,
  MessagingChannel,
  UpdateChannelBody,
} from '@seva/contracts';
import { and, eq } from 'drizzle-orm';
import type pg from 'pg';
import type { Actor } from '../../platform/auth/permissions.ts';
import type { Db } from '../../platform/db/client.ts';
import { channelDeliveries, channels, teams } from '../../platform/db/schema/index.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import type { Jobs } from '../../platform/jobs/jobs.ts';
import { checkUrlShape, SafeFetchError } from '../../platform/net/safe-fetch.ts';
import { withClientTransaction } from '../../platform/db/client-transaction.ts';
import type { SecretBox } from '../email/secret-box.ts';
import type { ChannelRow, PlainCredentials } from './adapters/adapter.ts';
import { isValidTimezone } from './business-hours.ts';
import { credentialNames, openCredentials, sealCredentials } from './channel-credentials.ts';
import { deliverChannelMessageJob } from './channels.jobs.ts';
import { newMediaKey } from './media-links.ts';

export interface ChannelsServiceDeps {
  db: Db;
  pool: pg.Pool;
  box: SecretBox;
  jobs: Jobs;
  now: () => Date;
  allowLoopbackPorts: readonly number[];
}

/** What each kind needs before it can work (checked on create and update). */
const REQUIRED: Record<string, { settings: string[]; credentials: string[] }> = {
  api: { settings: [], credentials: [] },
  sms: { settings: ['accountSid', 'phoneNumber'], credentials: ['authToken'] },
  whatsapp: { settings: ['phoneNumberId'], credentials: ['appSecret', 'accessToken', 'verifyToken'] },
  messenger: { settings: ['pageId'], credentials: ['appSecret', 'accessToken', 'verifyToken'] },
  instagram: { settings: ['pageId'], credentials: ['appSecret', 'accessToken', 'verifyToken'] },
  telegram: { settings: [], credentials: ['botToken', 'webhookSecret'] },
};

export function hookPathFor(row: Pick<ChannelRow, 'id' | 'kind'>): string {
  return row.kind === 'api' ? `/hooks/channels/${row.id}/messages` : `/hooks/channels/${row.id}`;
}

export function toChannelDto(box: SecretBox, row: ChannelRow): MessagingChannel {
  return {
    id: row.id,
    kind: row.kind as MessagingChannel['kind'],
    name: row.name,
    status: row.status as MessagingChannel['status'],
    teamId: row.teamId,
    language: row.language,
    autoReplies: row.autoReplies,
    businessHours: row.businessHours ?? null,
    awayReplies: row.awayReplies,
    costPerMessage: row.costPerMessageMicros / 1_000_000,
    currency: row.currency,
    callbackUrl: row.callbackUrl,
    settings: row.settings,
    credentialsSet: credentialNames(box, row),
    hookPath: hookPathFor(row),
    lastError: row.lastError,
    lastErrorAt: row.lastErrorAt?.toISOString() ?? null,
    lastInboundAt: row.lastInboundAt?.toISOString() ?? null,
    lastOutboundAt: row.lastOutboundAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toDeliveryDto(d: typeof channelDeliveries.$inferSelect): ChannelDelivery {
  return {
    id: d.id,
    channelId: d.channelId,
    kind: d.kind,
    ticketId: d.ticketId,
    messageId: d.messageId,
    recipient: d.recipient,
    status: d.status as ChannelDelivery['status'],
    providerMessageId: d.providerMessageId,
    attempts: d.attempts,
    lastError: d.lastError,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
  };
}

function checkOutboundUrl(field: string, url: string | null | undefined, allow: readonly number[]): void {
  if (!url) return;
  try {
    checkUrlShape(url, { allowLoopbackPorts: allow });
  } catch (err) {
    if (err instanceof SafeFetchError) {
      throw new AppError('VALIDATION_FAILED', 'Some fields are not valid', {
        errors: [{ path: field, message: err.message }],
      });
    }
    throw err;
  }
}

function checkTimezone(hours: { timezone: string } | null | undefined): void {
  if (hours && !isValidTimezone(hours.timezone)) {
    throw new AppError('VALIDATION_FAILED', 'Some fields are not valid', {
      errors: [{ path: 'businessHours.timezone', message: 'not a known time zone' }],
    });
  }
}

async function checkTeam(db: Db, teamId: string | null | undefined): Promise<void> {
  if (!teamId) return;
  const [t] = await db.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId));
  if (!t)
    throw new AppError('VALIDATION_FAILED', 'Some fields are not valid', {
      errors: [{ path: 'teamId', message: 'no such team' }],
    });
}

function checkComplete(
  kind: string,
  settings: Record<string, string>,
  creds: PlainCredentials,
  callbackUrl: string | null,
): void {
  const need = REQUIRED[kind] ?? { settings: [], credentials: [] };
  const errors = [
    ...need.settings
      .filter((k) => !settings[k])
      .map((k) => ({ path: `settings.${k}`, message: 'required for this channel' })),
    ...need.credentials
      .filter((k) => !(creds as Record<string, string | undefined>)[k])
      .map((k) => ({ path: `credentials.${k}`, message: 'required for this channel' })),
    ...(kind === 'api' && !callbackUrl ? [{ path: 'callbackUrl', message: 'required for the API channel' }] : []),
  ];
  if (errors.length > 0) throw new AppError('VALIDATION_FAILED', 'Some fields are not valid', { errors });
}

function micros(cost: number | undefined): number | undefined {
  return cost === undefined ? undefined : Math.round(cost * 1_000_000);
}

export async function listChannels(db: Db): Promise<ChannelRow[]> {
  return db.select().from(channels).orderBy(channels.createdAt);
}

export async function getChannel(db: Db, id: string): Promise<ChannelRow> {
  const [row] = await db.select().from(channels).where(eq(channels.id, id));
  if (!row) throw notFound('Channel');
  return row;
}

/** Creates a channel; the API channel gets a signing secret, returned once in `secret`. */
export async function createChannel(
  deps: ChannelsServiceDeps,
  input: { actor: Actor; body: CreateChannelBody },
): Promise<{ row: ChannelRow; secret: string | null }> {
  const b = input.body;
  checkOutboundUrl('callbackUrl', b.callbackUrl, deps.allowLoopbackPorts);
  checkOutboundUrl('settings.apiBaseUrl', b.settings?.apiBaseUrl, deps.allowLoopbackPorts);
  checkTimezone(b.businessHours);
  await checkTeam(deps.db, b.teamId);
  const secret = b.kind === 'api' ? randomBytes(32).toString('base64url') : null;
  const creds: PlainCredentials = { ...(b.credentials ?? {}), ...(secret ? { secret } : {}), mediaKey: newMediaKey() };
  const settings = Object.fromEntries(
    Object.entries(b.settings ?? {}).filter(([, v]) => typeof v === 'string' && v !== ''),
  ) as Record<string, string>;
  checkComplete(b.kind, settings, creds, b.callbackUrl ?? null);
  const now = deps.now();
  const row = await deps.db.transaction(async (tx) => {
    const [created] = await tx
      .insert(channels)
      .values({
        kind: b.kind,
        name: b.name,
        teamId: b.teamId ?? null,
        language: b.language ?? null,
        autoReplies: b.autoReplies ?? {},
        businessHours: b.businessHours ?? null,
        awayReplies: b.awayReplies ?? {},
        costPerMessageMicros: micros(b.costPerMessage) ?? 0,
        currency: b.currency ?? 'USD',
        callbackUrl: b.callbackUrl ?? null,
        settings,
        credentialsEnc: sealCredentials(deps.box, creds),
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    if (!created) throw new Error('channel insert returned nothing');
    await recordEvent(tx, {
      type: 'channel.created',
      actor: input.actor,
      payload: { channelId: created.id, kind: created.kind, name: created.name },
      at: now,
    });
    return created;
  });
  return { row, secret };
}

export async function updateChannel(
  deps: ChannelsServiceDeps,
  input: { actor: Actor; id: string; body: UpdateChannelBody },
): Promise<ChannelRow> {
  const b = input.body;
  const current = await getChannel(deps.db, input.id);
  checkOutboundUrl('callbackUrl', b.callbackUrl, deps.allowLoopbackPorts);
  checkOutboundUrl('settings.apiBaseUrl', b.settings?.apiBaseUrl, deps.allowLoopbackPorts);
  checkTimezone(b.businessHours);
  await checkTeam(deps.db, b.teamId);
  const creds = { ...openCredentials(deps.box, current), ...(b.credentials ?? {}) };
  const settings = b.settings
    ? (Object.fromEntries(
        Object.entries({ ...current.settings, ...b.settings }).filter(([, v]) => typeof v === 'string' && v !== ''),
      ) as Record<string, string>)
    : current.settings;
  const callbackUrl = b.callbackUrl === undefined ? current.callbackUrl : b.callbackUrl;
  checkComplete(current.kind, settings, creds, callbackUrl);
  const now = deps.now();
  const configChanged = b.credentials !== undefined || b.settings !== undefined || b.callbackUrl !== undefined;
  // new credentials or settings clear an error; an explicit status wins
  const status = b.status ?? (current.status === 'error' && configChanged ? 'active' : current.status);
  const resumed = current.status === 'paused' && status === 'active';
  return withClientTransaction(deps.pool, async ({ tx, client }) => {
    const [row] = await tx
      .update(channels)
      .set({
        ...(b.name !== undefined ? { name: b.name } : {}),
        ...(b.teamId !== undefined ? { teamId: b.teamId } : {}),
        ...(b.language !== undefined ? { language: b.language } : {}),
        ...(b.autoReplies !== undefined ? { autoReplies: b.autoReplies } : {}),
        ...(b.businessHours !== undefined ? { businessHours: b.businessHours } : {}),
        ...(b.awayReplies !== undefined ? { awayReplies: b.awayReplies } : {}),
        ...(b.costPerMessage !== undefined ? { costPerMessageMicros: micros(b.costPerMessage) } : {}),
        ...(b.currency !== undefined ? { currency: b.currency } : {}),
        callbackUrl,
        settings,
        credentialsEnc: sealCredentials(deps.box, creds),
        status,
        ...(status === 'active' && current.status === 'error' ? { lastError: null, lastErrorAt: null } : {}),
        updatedAt: now,
      })
      .where(eq(channels.id, input.id))
      .returning();
    if (!row) throw notFound('Channel');
    await recordEvent(tx, {
      type: 'channel.updated',
      actor: input.actor,
      payload: {
        channelId: row.id,
        changed: Object.keys(b)
          .filter((k) => k !== 'credentials')
          .concat(b.credentials ? ['credentials'] : []),
        status,
      },
      at: now,
    });
    if (resumed) {
      // deliveries held while the channel was paused go out now
      const held = await tx
        .select({ id: channelDeliveries.id })
        .from(channelDeliveries)
        .where(and(eq(channelDeliveries.channelId, row.id), eq(channelDeliveries.status, 'queued')));
      for (const d of held)
        await deps.jobs.send(
          deliverChannelMessageJob,
          { deliveryId: d.id },
          { client, singletonKey: `${d.id}:resume:${now.getTime()}` },
        );
    }
    return row;
  });
}

export async function deleteChannel(deps: ChannelsServiceDeps, input: { actor: Actor; id: string }): Promise<void> {
  const row = await getChannel(deps.db, input.id);
  await deps.db.transaction(async (tx) => {
    await tx.delete(channels).where(eq(channels.id, row.id));
    await recordEvent(tx, {
      type: 'channel.deleted',
      actor: input.actor,
      payload: { channelId: row.id, kind: row.kind, name: row.name },
      at: deps.now(),
    });
  });
}

/** A new signing secret for the API channel (the old one stops working at once); returned only here. */
export async function rotateChannelSecret(
  deps: ChannelsServiceDeps,
  input: { actor: Actor; id: string },
): Promise<{ row: ChannelRow; secret: string }> {
  const row = await getChannel(deps.db, input.id);
  if (row.kind !== 'api')
    throw new AppError(
      'CONFLICT',
      'Only the API channel has a Seva signing secret; provider channels use the provider credentials',
    );
  const secret = randomBytes(32).toString('base64url');
  const creds = { ...openCredentials(deps.box, row), secret };
  const now = deps.now();
  const [updated] = await deps.db.transaction(async (tx) => {
    const r = await tx
      .update(channels)
      .set({ credentialsEnc: sealCredentials(deps.box, creds), updatedAt: now })
      .where(eq(channels.id, row.id))
      .returning();
    await recordEvent(tx, {
      type: 'channel.secret_rotated',
      actor: input.actor,
      payload: { channelId: row.id },
      at: now,
    });
    return r;
  });
  if (!updated) throw notFound('Channel');
  return { row: updated, secret };
}

/** Queues a test message to `to` through the channel (shown in the channel's deliveries with its outcome). */
export async function sendTestMessage(
  deps: ChannelsServiceDeps,
  input: { actor: Actor; id: string; body: ChannelTestMessageBody },
): Promise<ChannelDelivery> {
  const row = await getChannel(deps.db, input.id);
  if (row.status === 'paused') throw new AppError('CONFLICT', 'The channel is paused: resume it to send');
  const now = deps.now();
  return withClientTransaction(deps.pool, async ({ tx, client }) => {
    const [d] = await tx
      .insert(channelDeliveries)
      .values({
        idempotencyKey: `test:${row.id}:${randomBytes(8).toString('hex')}`,
        channelId: row.id,
        kind: 'test',
        recipient: input.body.to,
        text: input.body.text,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    if (!d) throw new Error('delivery insert returned nothing');
    await deps.jobs.send(deliverChannelMessageJob, { deliveryId: d.id }, { client, singletonKey: d.id });
    await recordEvent(tx, {
      type: 'channel.test_queued',
      actor: input.actor,
      payload: { channelId: row.id, deliveryId: d.id },
      at: now,
    });
    return toDeliveryDto(d);
  });
}
