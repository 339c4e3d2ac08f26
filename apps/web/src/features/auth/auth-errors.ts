import type { TFunction } from 'i18next';
import { ApiError } from '../../lib/api.ts';

/**
 * Turning API problems into words people can act on. Known error codes get a translated sentence; a field error
 * from the server (problem+json `errors[]`) is shown under that field. Shared by the auth, admin and profile screens.
 */
const CODE_KEYS: Record<string, string> = {
  INVALID_CREDENTIALS: 'auth:errors.invalidCredentials',
  LOCKED_OUT: 'auth:errors.lockedOut',
  RATE_LIMITED: 'auth:errors.rateLimited',
  SETUP_ALREADY_DONE: 'auth:errors.setupAlreadyDone',
  ALREADY_EXISTS: 'auth:errors.alreadyExists',
  FORBIDDEN: 'auth:errors.forbidden',
  UNAUTHENTICATED: 'auth:errors.unauthenticated',
  CSRF_FAILED: 'auth:errors.unauthenticated',
  NOT_FOUND: 'auth:errors.notFound',
  VALIDATION_FAILED: 'auth:errors.validation',
};

/** The translation key for an error, or null when only the server's own wording says what happened. */
export function errorKey(err: unknown): string | null {
  if (err instanceof ApiError) {
    if (err.code && CODE_KEYS[err.code]) return CODE_KEYS[err.code] as string;
    if (err.status >= 500) return 'auth:errors.server';
    return null;
  }
  if (err instanceof TypeError) return 'auth:errors.network';
  return 'auth:errors.unknown';
}

/** A sentence for an error: translated by code; conflicts keep the server's explanation (it names the rule). */
export function errorMessage(t: TFunction, err: unknown): string {
  const key = errorKey(err);
  if (key) return t(key);
  return err instanceof ApiError && err.message ? err.message : t('auth:errors.unknown');
}

/** The server's message for one field (path as in the request body, e.g. "email" or "options.0.value"). */
export function fieldError(err: unknown, path: string): string | undefined {
  return err instanceof ApiError ? err.fieldError(path) : undefined;
}
