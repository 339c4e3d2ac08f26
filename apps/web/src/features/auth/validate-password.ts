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
