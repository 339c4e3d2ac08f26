import type { DeskSettings, UpdateSettingsBody } from '@seva/contracts';
import { DeskSettings as DeskSettingsSchema } from '@seva/contracts';
import { inArray, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import { settings } from '../../platform/db/schema/index.ts';
import { recordEvent } from '../../platform/events.ts';

export type { DeskSettings } from '@seva/contracts';

/** Desk-wide settings and the row key each is stored under in the `settings` table. */
const KEYS = {
  collaboratorRepliesNeedApproval: 'collaborator_replies_need_approval',
  deskName: 'desk_name',
  defaultLocale: 'default_locale',
} as const satisfies Record<keyof DeskSettings, string>;

export const DEFAULT_SETTINGS: DeskSettings = {
  collaboratorRepliesNeedApproval: false,
  deskName: 'Seva',
  defaultLocale: 'en',
};

/** Reads the desk settings; any missing or malformed value falls back to its default. */
export async function getSettings(db: DbOrTx): Promise<DeskSettings> {
  const rows = await db
    .select({ key: settings.key, value: settings.value })
    .from(settings)
    .where(inArray(settings.key, Object.values(KEYS)));
  const byKey = new Map(rows.map((r) => [r.key, r.value]));
  const result: DeskSettings = { ...DEFAULT_SETTINGS };
  for (const [field, key] of Object.entries(KEYS) as [keyof DeskSettings, string][]) {
    if (!byKey.has(key)) continue;
    const parsed = DeskSettingsSchema.shape[field].safeParse(byKey.get(key));
    if (parsed.success) (result as Record<string, unknown>)[field] = parsed.data;
  }
  return result;
}

export interface UpdateSettingsInput {
  actor: Actor;
  changes: UpdateSettingsBody;
  now: Date;
}

/** Writes the given settings (inside the caller's transaction) and records `settings.updated`. */
export async function updateSettings(tx: DbOrTx, input: UpdateSettingsInput): Promise<DeskSettings> {
  const before = await getSettings(tx);
  const changed: Partial<DeskSettings> = {};
  for (const [field, value] of Object.entries(input.changes) as [keyof DeskSettings, unknown][]) {
    if (value === undefined || before[field] === value) continue;
    (changed as Record<string, unknown>)[field] = value;
    await tx
      .insert(settings)
      .values({ key: KEYS[field], value, updatedAt: input.now })
      .onConflictDoUpdate({ target: settings.key, set: { value: sql`excluded.value`, updatedAt: input.now } });
  }
  if (Object.keys(changed).length > 0) {
    await recordEvent(tx, {
      type: 'settings.updated',
      actor: input.actor,
      payload: { changes: changed },
      at: input.now,
    });
  }
  return { ...before, ...changed };
}
