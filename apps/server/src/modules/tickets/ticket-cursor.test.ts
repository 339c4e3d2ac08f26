import { describe, expect, it } from 'vitest';
import { decodeTicketCursor, encodeTicketCursor } from './ticket-cursor.ts';

const id = '0b7c1a3e-4d5f-4a6b-8c9d-0e1f2a3b4c5d';

describe('ticket cursors', () => {
  it('round-trips the keys of each sort', () => {
    const a = { sort: 'updated_desc' as const, keys: ['2026-01-05T09:00:00.123456Z', id] };
    expect(decodeTicketCursor(encodeTicketCursor(a), 'updated_desc')).toEqual(a);
    const b = { sort: 'priority_desc' as const, keys: [3, '2026-01-05T09:00:00Z', id] };
    expect(decodeTicketCursor(encodeTicketCursor(b), 'priority_desc')).toEqual(b);
  });

  it('is opaque url-safe text', () => {
    expect(encodeTicketCursor({ sort: 'created_asc', keys: ['2026-01-05T09:00:00Z', id] })).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('refuses garbage, tampered keys and cursors from another sort', () => {
    const good = encodeTicketCursor({ sort: 'updated_desc', keys: ['2026-01-05T09:00:00Z', id] });
    expect(() => decodeTicketCursor(good, 'created_desc')).toThrow(/cursor/);
    expect(() => decodeTicketCursor('not-json', 'updated_desc')).toThrow(/cursor/);
    const sqlish = Buffer.from(JSON.stringify({ s: 'updated_desc', k: ["2026'; DROP TABLE tickets;--", id] })).toString(
      'base64url',
    );
    expect(() => decodeTicketCursor(sqlish, 'updated_desc')).toThrow(/cursor/);
  });
});
