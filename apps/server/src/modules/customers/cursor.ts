import { AppError } from '../../platform/errors.ts';

/** Opaque cursors: base64url JSON of the last row's sort key. Tampered cursors answer 400, never 500. */
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}

export function decodeCursor<T>(cursor: string | undefined, check: (v: unknown) => v is T): T | null {
  if (!cursor) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (!check(parsed)) {
    throw new AppError('VALIDATION_FAILED', 'The cursor is not valid', {
      errors: [{ path: 'querystring.cursor', message: 'not a cursor from this list' }],
    });
  }
  return parsed;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(v: unknown): v is string {
  return typeof v === 'string' && UUID.test(v);
}

/** [iso timestamp, id] */
export function isTimeIdCursor(v: unknown): v is [string, string] {
  return (
    Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && !Number.isNaN(Date.parse(v[0])) && isUuid(v[1])
  );
}

/** [score, id] */
export function isScoreIdCursor(v: unknown): v is [number, string] {
  return Array.isArray(v) && v.length === 2 && typeof v[0] === 'number' && Number.isFinite(v[0]) && isUuid(v[1]);
}

/** [name, id] */
export function isTextIdCursor(v: unknown): v is [string, string] {
  return Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && v[0].length <= 1000 && isUuid(v[1]);
}
