import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { settings } from '../../platform/db/schema/index.ts';
import type { HelpStrings } from './help-i18n.ts';

/**
 * The help centre's contact form: field limits, validation with per-field messages (keys into the help strings,
 * so the page shows them in the visitor's language), and the signed form token that makes a forged cross-site
 * post useless (with the Origin / Sec-Fetch-Site check in the route).
 */
export const CONTACT_LIMITS = { name: 200, email: 254, subject: 200, message: 10_000 } as const;
/** a form token older than this is refused (the form is shown again with everything typed kept) */
export const FORM_TOKEN_MAX_AGE_MS = 24 * 60 * 60_000;

export interface ContactValues {
  name: string;
  email: string;
  subject: string;
  message: string;
  categoryId: string;
  /** the deflection session the page's script made (empty without JS) */
  deflectionSession: string;
}

export type ContactField = 'name' | 'email' | 'subject' | 'message' | 'categoryId' | 'files';
export interface ContactFieldError {
  field: ContactField;
  key: keyof HelpStrings;
  vars?: Record<string, string | number>;
}

const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** The typed values of a posted form, normalised (line endings, NFC) but not yet judged. */
export function readContactForm(body: Record<string, unknown> | undefined): ContactValues {
  const b = body ?? {};
  const clean = (v: unknown) => str(v).normalize('NFC').replace(/\r\n?/g, '\n');
  const session = str(b.deflectionSession);
  return {
    name: clean(b.name).trim(),
    email: clean(b.email).trim(),
    subject: clean(b.subject).replace(/\s+/g, ' ').trim(),
    message: clean(b.message).trim(),
    categoryId: str(b.categoryId).trim(),
    deflectionSession: /^[A-Za-z0-9_-]{8,64}$/.test(session) ? session : '',
  };
}

export function validateContactForm(v: ContactValues, categoryIds: ReadonlySet<string>): ContactFieldError[] {
  const errors: ContactFieldError[] = [];
  const need = (field: ContactField, value: string, max: number) => {
    if (value === '') errors.push({ field, key: 'errRequired' });
    else if ([...value].length > max) errors.push({ field, key: 'errTooLong', vars: { max } });
  };
  need('name', v.name, CONTACT_LIMITS.name);
  if (v.email === '') errors.push({ field: 'email', key: 'errRequired' });
  else if (v.email.length > CONTACT_LIMITS.email || !EMAIL.test(v.email))
    errors.push({ field: 'email', key: 'errEmail' });
  need('subject', v.subject, CONTACT_LIMITS.subject);
  need('message', v.message, CONTACT_LIMITS.message);
  if (v.categoryId !== '' && !categoryIds.has(v.categoryId)) errors.push({ field: 'categoryId', key: 'errCategory' });
  return errors;
}

const KEY_SETTING = 'help.form_key';

/** The key form tokens are signed with: from SEVA_SECRET, else a random key kept in settings (same in every process). */
export async function helpFormKey(db: DbOrTx, secret: string | undefined): Promise<Buffer> {
  if (secret) return createHmac('sha256', secret).update('seva-help-contact-form').digest();
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

function mac(key: Buffer, issuedAt: number): string {
  return createHmac('sha256', key).update(`help-contact:${issuedAt}`).digest('base64url').slice(0, 32);
}

export function signFormToken(key: Buffer, now: Date): string {
  const issuedAt = now.getTime();
  return `${issuedAt}.${mac(key, issuedAt)}`;
}

/** True when the token was made by us and is not older than FORM_TOKEN_MAX_AGE_MS. */
export function verifyFormToken(key: Buffer, token: unknown, now: Date): boolean {
  if (typeof token !== 'string') return false;
  const m = /^(\d{1,15})\.([A-Za-z0-9_-]{32})$/.exec(token);
  if (!m) return false;
  const issuedAt = Number(m[1]);
  const age = now.getTime() - issuedAt;
  if (age < -60_000 || age > FORM_TOKEN_MAX_AGE_MS) return false;
  const given = Buffer.from(m[2] as string);
  const expected = Buffer.from(mac(key, issuedAt));
  return given.length === expected.length && timingSafeEqual(given, expected);
}
