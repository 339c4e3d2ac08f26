import { describe, expect, it } from 'vitest';
import { expiryFrom, scopeKey, scopesFor, sortTokens, tokenState } from './token-status.ts';

const now = new Date('2026-11-22T12:00:00Z');

describe('API token display', () => {
  it('tells active, revoked and expired tokens apart', () => {
    expect(tokenState({ revokedAt: null, expiresAt: null }, now)).toBe('active');
    expect(tokenState({ revokedAt: '2026-11-01T00:00:00Z', expiresAt: null }, now)).toBe('revoked');
    expect(tokenState({ revokedAt: null, expiresAt: '2026-11-22T11:59:59Z' }, now)).toBe('expired');
    expect(tokenState({ revokedAt: null, expiresAt: '2026-12-01T00:00:00Z' }, now)).toBe('active');
  });

  it('offers the admin scope only to admins', () => {
    expect(scopesFor('admin')).toContain('admin');
    expect(scopesFor('agent')).not.toContain('admin');
    expect(scopesFor('agent')).toContain('tickets:write');
  });

  it('computes an expiry a number of days ahead, or none', () => {
    expect(expiryFrom('never', now)).toBeNull();
    expect(expiryFrom('30', now)).toBe('2026-12-22T12:00:00.000Z');
  });

  it('lists active tokens first, newest first', () => {
    const tokens = [
      { id: 'old', revokedAt: null, expiresAt: null, createdAt: '2026-01-01T00:00:00Z' },
      { id: 'revoked', revokedAt: '2026-11-01T00:00:00Z', expiresAt: null, createdAt: '2026-11-20T00:00:00Z' },
      { id: 'new', revokedAt: null, expiresAt: null, createdAt: '2026-11-01T00:00:00Z' },
    ];
    expect(sortTokens(tokens, now).map((t) => t.id)).toEqual(['new', 'old', 'revoked']);
  });

  it('makes translation keys without the namespace separator', () => {
    expect(scopeKey('tickets:read')).toBe('tickets_read');
  });
});
