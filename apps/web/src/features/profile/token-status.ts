import type { TokenScope } from '@seva/contracts';

/** Scopes a token can carry (mirrors packages/contracts TOKEN_SCOPES); `admin` is offered only to admins. */
export const SCOPES = [
  'tickets:read',
  'tickets:write',
  'customers:read',
  'customers:write',
  'admin',
] as const satisfies readonly TokenScope[];

export function scopesFor(role: string): TokenScope[] {
  return SCOPES.filter((s) => s !== 'admin' || role === 'admin');
}

/** A translation key part for a scope (":" separates namespaces in i18next keys, so it becomes "_"). */
export function scopeKey(scope: TokenScope): string {
  return scope.replace(':', '_');
}

export type TokenState = 'active' | 'revoked' | 'expired';

export function tokenState(
  token: { revokedAt: string | null; expiresAt: string | null },
  now: Date = new Date(),
): TokenState {
  if (token.revokedAt) return 'revoked';
  if (token.expiresAt && new Date(token.expiresAt).getTime() <= now.getTime()) return 'expired';
  return 'active';
}

export const EXPIRY_CHOICES = ['never', '30', '90', '365'] as const;
export type ExpiryChoice = (typeof EXPIRY_CHOICES)[number];

/** The expiry timestamp for a choice ("30" = thirty days from now), or null for a token that does not expire. */
export function expiryFrom(choice: ExpiryChoice, now: Date = new Date()): string | null {
  if (choice === 'never') return null;
  return new Date(now.getTime() + Number(choice) * 86_400_000).toISOString();
}

/** Active tokens first, newest first within each group. */
export function sortTokens<T extends { revokedAt: string | null; expiresAt: string | null; createdAt: string }>(
  tokens: readonly T[],
  now: Date = new Date(),
): T[] {
  const rank = (t: T) => (tokenState(t, now) === 'active' ? 0 : 1);
  return [...tokens].sort((a, b) => rank(a) - rank(b) || b.createdAt.localeCompare(a.createdAt));
}
