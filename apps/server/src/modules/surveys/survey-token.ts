import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { settings } from '../../platform/db/schema/index.ts';

const KEY_SETTING = 'surveys.signing_key';

/**
 * The key that signs survey links: derived from SEVA_SECRET when it is set, otherwise a random key created once
 * and kept in the settings table (so every process of the desk signs alike).
 */
export async function surveySigningKey(db: DbOrTx, secret: string | undefined): Promise<Buffer> {
  if (secret) return createHmac('sha256', secret).update('seva-survey-links').digest();
  const read = async () => (await db.select().from(settings).where(eq(settings.key, KEY_SETTING)))[0];
  let row = await read();
  if (!row) {
    await db
      .insert(settings)
      .values({ key: KEY_SETTING, value: randomBytes(32).toString('base64url') })
      .onConflictDoNothing();
    row = await read();
  }
  return Buffer.from(String(row?.value), 'base64url');
}

function mac(key: Buffer, surveyId: string): string {
  return createHmac('sha256', key).update(`survey:${surveyId}`).digest('base64url').slice(0, 32);
}

/** `<survey id>.<signature>`: unforgeable without the key, and the same whenever the link is rebuilt. */
export function signSurveyToken(key: Buffer, surveyId: string): string {
  return `${surveyId}.${mac(key, surveyId)}`;
}

/** The survey id a token names, or null when the signature does not match. */
export function verifySurveyToken(key: Buffer, token: string): string | null {
  const dot = token.indexOf('.');
  if (dot <= 0) return null;
  const id = token.slice(0, dot);
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const given = Buffer.from(token.slice(dot + 1));
  const expected = Buffer.from(mac(key, id));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return id;
}

export function hashSurveyToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
