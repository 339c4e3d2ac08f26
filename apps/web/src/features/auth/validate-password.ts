/** Password rules the server enforces too (packages/contracts PASSWORD_MIN_LENGTH / MAX); checked here for quick feedback. */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;

export type PasswordProblem = 'tooShort' | 'tooLong' | 'mismatch' | null;

export function passwordProblem(password: string, confirmation?: string): PasswordProblem {
  if (password.length < PASSWORD_MIN) return 'tooShort';
  if (password.length > PASSWORD_MAX) return 'tooLong';
  if (confirmation !== undefined && confirmation !== password) return 'mismatch';
  return null;
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isEmail(value: string): boolean {
  return value.length <= 320 && EMAIL_RE.test(value.trim());
}

export type PasswordStrength = 0 | 1 | 2 | 3 | 4;

/**
 * A rough strength score for the meter under new-password fields (0 = too short … 4 = strong). Length counts most
 * (a passphrase of ordinary words is strong); a mix of kinds of characters helps; one repeated character does not.
 * Counts characters, not bytes, so Bengali and Hindi passphrases score fairly.
 */
export function passwordStrength(password: string): PasswordStrength {
  const chars = [...password];
  if (chars.length < PASSWORD_MIN) return 0;
  if (new Set(chars).size <= 2) return 1;
  const kinds = [/\p{Ll}/u, /\p{Lu}/u, /\p{Nd}/u, /[^\p{L}\p{Nd}]/u, /[^\p{ASCII}]/u].filter((re) =>
    re.test(password),
  ).length;
  let score = chars.length >= 24 ? 4 : chars.length >= 18 ? 3 : chars.length >= 14 ? 2 : 1;
  if (kinds >= 3) score += 1;
  return Math.min(4, score) as PasswordStrength;
}
