import { type InsightsSettings, UpdateInsightsSettingsBody } from '@seva/contracts';
import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { Actor } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import { settings } from '../../platform/db/schema/index.ts';
import { recordEvent } from '../../platform/events.ts';

const KEY = 'insights';

export const DEFAULT_INSIGHTS_SETTINGS: InsightsSettings = {
  alertRecipientIds: [],
  spikeFactor: 3,
  spikeMinCount: 5,
  baselineWeeks: 4,
  firstResponseTargetSeconds: 4 * 3600,
  serviceLevel: 0.8,
  targetSeconds: 20,
  chatConcurrency: 2,
  shrinkage: 0.3,
  occupancy: 0.85,
  defaultHandleSeconds: { phone: 300, chat: 420, email: 480, web: 480, api: 480 },
  hourlyCostByRole: { agent: 20, supervisor: 30, admin: 35, collaborator: 40 },
  currency: 'USD',
};

export async function getInsightsSettings(db: DbOrTx): Promise<InsightsSettings> {
  const [row] = await db.select().from(settings).where(eq(settings.key, KEY));
  const stored = (row?.value ?? {}) as Partial<InsightsSettings>;
  return { ...DEFAULT_INSIGHTS_SETTINGS, ...stored };
}

export async function updateInsightsSettings(
  tx: DbOrTx,
  input: { actor: Actor; body: z.infer<typeof UpdateInsightsSettingsBody>; now: Date },
): Promise<InsightsSettings> {
  const next = { ...(await getInsightsSettings(tx)), ...input.body };
  await tx
    .insert(settings)
    .values({ key: KEY, value: next, updatedAt: input.now })
    .onConflictDoUpdate({ target: settings.key, set: { value: next, updatedAt: input.now } });
  await recordEvent(tx, { type: 'insights.settings_updated', actor: input.actor, payload: { changed: Object.keys(input.body) }, at: input.now });
  return next;
}
