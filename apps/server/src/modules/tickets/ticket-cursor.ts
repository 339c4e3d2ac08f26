import type { TicketSort } from '@seva/contracts';
import { AppError } from '../../platform/errors.ts';

/**
 * Keyset pagination cursors: an opaque base64url JSON `{ s: sort, k: [...keys] }` where the keys are the last row's
 * sort values (priority rank, timestamp as an exact UTC string with microseconds, id).
 */
export interface TicketCursor {
  sort: TicketSort;
  /** [timestamp, id] or, for priority_desc, [rank, timestamp, id] */
  keys: Array<string | number>;
}

export function encodeTicketCursor(c: TicketCursor): string {
  return Buffer.from(JSON.stringify({ s: c.sort, k: c.keys }), 'utf8').toString('base64url');
}

const TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function badCursor(): AppError {
  return new AppError('VALIDATION_FAILED', 'The cursor is not valid for this list', {
    errors: [{ path: 'querystring.cursor', message: 'not a cursor from this list (start again without it)' }],
  });
}

/** Decodes a cursor and checks it belongs to the requested sort. */
export function decodeTicketCursor(raw: string, sort: TicketSort): TicketCursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  if (typeof parsed !== 'object' || parsed === null) throw badCursor();
  const { s, k } = parsed as { s?: unknown; k?: unknown };
  if (s !== sort || !Array.isArray(k)) throw badCursor();
  const keys = k as unknown[];
  if (sort === 'priority_desc') {
    const [rank, ts, id] = keys;
    if (keys.length !== 3 || typeof rank !== 'number' || !Number.isInteger(rank)) throw badCursor();
    if (typeof ts !== 'string' || !TS.test(ts) || typeof id !== 'string' || !UUID.test(id)) throw badCursor();
    return { sort, keys: [rank, ts, id] };
  }
  const [ts, id] = keys;
  if (keys.length !== 2 || typeof ts !== 'string' || !TS.test(ts) || typeof id !== 'string' || !UUID.test(id)) {
    throw badCursor();
  }
  return { sort, keys: [ts, id] };
}
