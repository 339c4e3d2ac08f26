import type { SurveyKind, SurveySettings, UpdateSurveySettingsBody } from '@seva/contracts';
import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { Actor } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import { settings } from '../../platform/db/schema/index.ts';
import { recordEvent } from '../../platform/events.ts';

const KEY = 'surveys';

export const DEFAULT_SURVEY_SETTINGS: SurveySettings = {
  csatEnabled: true,
  sampleRate: 1,
  capDays: 7,
  expiresDays: 14,
  targetRate: 0.98,
  badAtOrBelow: 2,
  cesEnabled: false,
  npsEveryDays: 0,
  delayMinutes: 0,
  offChannels: { csat: [], ces: [], nps: [] },
  questions: { csat: {}, ces: {}, nps: {} },
};

/** The desk's wording of a survey's question in a language, if it set one. */
export function customQuestion(cfg: SurveySettings, kind: SurveyKind, language: string): string | undefined {
  const q = cfg.questions[kind]?.[language as 'en' | 'bn' | 'hi']?.trim();
  return q ? q : undefined;
}

export async function getSurveySettings(db: DbOrTx): Promise<SurveySettings> {
  const [row] = await db.select().from(settings).where(eq(settings.key, KEY));
  const stored = (row?.value ?? {}) as Partial<SurveySettings>;
  return {
    ...DEFAULT_SURVEY_SETTINGS,
    ...stored,
    offChannels: { ...DEFAULT_SURVEY_SETTINGS.offChannels, ...stored.offChannels },
    questions: { ...DEFAULT_SURVEY_SETTINGS.questions, ...stored.questions },
  };
}

export async function updateSurveySettings(
  tx: DbOrTx,
  input: { actor: Actor; body: z.infer<typeof UpdateSurveySettingsBody>; now: Date },
): Promise<SurveySettings> {
  const next = { ...(await getSurveySettings(tx)), ...input.body };
  await tx
    .insert(settings)
    .values({ key: KEY, value: next, updatedAt: input.now })
    .onConflictDoUpdate({ target: settings.key, set: { value: next, updatedAt: input.now } });
  await recordEvent(tx, {
    type: 'surveys.settings_updated',
    actor: input.actor,
    payload: { changed: Object.keys(input.body) },
    at: input.now,
  });
  return next;
}
