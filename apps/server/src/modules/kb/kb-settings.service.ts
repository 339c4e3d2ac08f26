import type { KbLocale, KbSettings, UpdateKbSettingsBody } from '@seva/contracts';
import { eq, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import { kbSettings } from '../../platform/db/schema/index.ts';
import { recordEvent } from '../../platform/events.ts';

export const DEFAULT_KB_SETTINGS: KbSettings = {
  title: 'Help Centre',
  logoUrl: null,
  primaryColour: '#1f6feb',
  contactUrl: null,
  customDomain: null,
  defaultLocale: 'en',
};

/** The help centre's branding (one row; defaults until someone saves). */
export async function getKbSettings(db: DbOrTx): Promise<KbSettings> {
  const [row] = await db.select().from(kbSettings).where(eq(kbSettings.id, 1)).limit(1);
  if (!row) return { ...DEFAULT_KB_SETTINGS };
  return {
    title: row.title,
    logoUrl: row.logoUrl,
    primaryColour: /^#[0-9a-fA-F]{6}$/.test(row.primaryColour) ? row.primaryColour : DEFAULT_KB_SETTINGS.primaryColour,
    contactUrl: row.contactUrl,
    customDomain: row.customDomain,
    defaultLocale: row.defaultLocale as KbLocale,
  };
}

export async function updateKbSettings(
  tx: DbOrTx,
  input: { actor: Actor; changes: UpdateKbSettingsBody; now: Date },
): Promise<KbSettings> {
  const next = { ...(await getKbSettings(tx)) };
  for (const [k, v] of Object.entries(input.changes)) {
    if (v !== undefined) (next as Record<string, unknown>)[k] = v;
  }
  await tx
    .insert(kbSettings)
    .values({ id: 1, ...next, updatedAt: input.now })
    .onConflictDoUpdate({
      target: kbSettings.id,
      set: {
        title: sql`excluded.title`,
        logoUrl: sql`excluded.logo_url`,
        primaryColour: sql`excluded.primary_colour`,
        contactUrl: sql`excluded.contact_url`,
        customDomain: sql`excluded.custom_domain`,
        defaultLocale: sql`excluded.default_locale`,
        updatedAt: input.now,
      },
    });
  await recordEvent(tx, {
    type: 'kb_settings.updated',
    actor: input.actor,
    payload: { changes: Object.keys(input.changes) },
    at: input.now,
  });
  return next;
}
