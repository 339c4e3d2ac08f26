import { describe, expect, it } from 'vitest';
import { safeNext } from './safe-next.ts';

describe('safeNext', () => {
  it('keeps a path on this site, with its query', () => {
    expect(safeNext('/tickets/1042')).toBe('/tickets/1042');
    expect(safeNext('/search?q=refund')).toBe('/search?q=refund');
  });

  it('refuses to send someone to another site', () => {
    for (const bad of [
      '//evil.example',
      'https://evil.example/',
      '/\\evil.example',
      'javascript:alert(1)',
      'evil.example',
      '/\t/evil.example',
    ]) {
      expect(safeNext(bad), bad).toBe('/');
    }
  });

  it('falls back to the inbox when there is nothing, or it would loop back to a sign-in screen', () => {
    expect(safeNext(undefined)).toBe('/');
    expect(safeNext('')).toBe('/');
    expect(safeNext('/login?next=/x')).toBe('/');
    expect(safeNext('/setup')).toBe('/');
  });
});
