import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Start-up time is mostly loading modules. Packages that only a rarely used feature needs, and that take long to
 * load, are imported where they are used (`await import(…)`), not at the top of a module: date-holidays (every
 * country's holidays, ~0.25 s; importing a holiday list) and imapflow (~0.2 s; the first IMAP mailbox). Measured on
 * the 2-core VM: `seva help` 1.65–1.85 s → 1.17–1.21 s with both loaded lazily.
 */
const LOADED_WHEN_USED = ['date-holidays', 'imapflow'];
const SRC = path.resolve(import.meta.dirname, '../src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

describe('start-up imports', () => {
  it('imports the slow-to-load packages of rarely used features only where they are used', () => {
    const files = sources(SRC);
    expect(files.length).toBeGreaterThan(100);
    const offenders: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const pkg of LOADED_WHEN_USED) {
        // a static import that is not type-only (import type … / import { type … } only) loads the package at start-up
        const statics = [
          ...text.matchAll(new RegExp(`^import\\s+(?!type\\s)([^;]*?)from\\s+'${pkg}(/[^']*)?';`, 'gms')),
        ];
        for (const m of statics) {
          const names = m[1] ?? '';
          const typeOnly =
            /^\{[^}]*\}\s*$/.test(names.trim()) &&
            names
              .replace(/[{}\s]/g, '')
              .split(',')
              .every((n) => n.startsWith('type'));
          if (!typeOnly) offenders.push(`${path.relative(SRC, file)}: ${m[0]}`);
        }
      }
    }
    expect(offenders).toEqual([]);
    // and they are still used, lazily (else this test guards nothing)
    const all = files.map((f) => readFileSync(f, 'utf8')).join('\n');
    for (const pkg of LOADED_WHEN_USED) expect(all).toContain(`await import('${pkg}')`);
  });
});
