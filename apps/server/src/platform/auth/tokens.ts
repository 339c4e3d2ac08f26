import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Random, URL-safe secret values. Only their sha256 is stored. */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

export const API_TOKEN_PREFIX = 'seva_';
export const SESSION_COOKIE = 'seva_session';
export const CSRF_HEADER = 'x-csrf-token';
export const SESSION_TTL_MS = 14 * 24 * 60 * 60 * 1000;
