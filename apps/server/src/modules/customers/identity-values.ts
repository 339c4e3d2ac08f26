import { AppError } from '../../platform/errors.ts';

/**
 * Pure normalisation of customer identities, shared by every way a customer is created or found, so
 * `Asha@Example.COM` and `asha@example.com`, or `+880 1712-345678` and `+8801712345678`, are one person.
 */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DOMAIN = /^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/;

/** Bengali (০-৯), Devanagari (०-९) and other Unicode decimal digits read as ASCII digits. */
function asciiDigits(input: string): string {
  return input.replace(/\p{Nd}/gu, (d) => {
    const code = d.codePointAt(0) ?? 0;
    // every Unicode decimal digit block is ten consecutive code points starting at a zero
    for (const zero of [0x30, 0x660, 0x6f0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66, 0xff10]) {
      if (code >= zero && code <= zero + 9) return String(code - zero);
    }
    return d;
  });
}

export function normaliseEmail(value: string): string | null {
  const email = value.normalize('NFC').trim().toLowerCase();
  return EMAIL.test(email) && email.length <= 320 ? email : null;
}

/** `+` and digits only: spaces, dashes, dots, brackets dropped; `00` international prefix becomes `+`. */
export function normalisePhone(value: string): string | null {
  const raw = asciiDigits(value.trim());
  if (/[^\d\s+().\-/]/.test(raw)) return null;
  let digits = raw.replace(/\D/g, '');
  if (!/^[\s(]*\+/.test(raw) && digits.startsWith('00')) digits = digits.slice(2);
  if (digits.length < 5 || digits.length > 15) return null;
  return `+${digits}`;
}

/** A lower-case email domain without a leading `@`. */
export function normaliseDomain(value: string): string | null {
  const d = value.trim().toLowerCase().replace(/^@/, '').replace(/\.$/, '');
  return DOMAIN.test(d) ? d : null;
}

export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1);
}

export type IdentityKindValue = 'email' | 'phone' | 'external';

/** Normalises an identity value or throws a validation error naming the field. */
export function normaliseIdentity(kind: IdentityKindValue, value: string, path: string): string {
  if (kind === 'email') {
    const v = normaliseEmail(value);
    if (!v)
      throw new AppError('VALIDATION_FAILED', `"${value}" is not a valid email address`, {
        errors: [{ path, message: 'not a valid email address' }],
      });
    return v;
  }
  if (kind === 'phone') {
    const v = normalisePhone(value);
    if (!v)
      throw new AppError('VALIDATION_FAILED', `"${value}" is not a valid phone number`, {
        errors: [{ path, message: 'not a valid phone number (5 to 15 digits)' }],
      });
    return v;
  }
  const v = value.trim();
  if (v.length === 0 || v.length > 320)
    throw new AppError('VALIDATION_FAILED', 'The external id is not valid', {
      errors: [{ path, message: '1 to 320 characters' }],
    });
  return v;
}
