import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Every user-visible string is translated: each namespace exists in en, bn and hi with exactly the same keys, no value
 * is empty, Bengali and Hindi are not English copies, and every `t('ns:key')` used in the source exists.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const localesDir = path.join(here, 'locales');
const srcDir = path.resolve(here, '..');
const LANGS = ['en', 'bn', 'hi'] as const;

type Tree = { [k: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

function load(lang: string): Map<string, Map<string, string>> {
  const dir = path.join(localesDir, lang);
  const out = new Map<string, Map<string, string>>();
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    out.set(file.replace(/\.json$/, ''), flatten(JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Tree));
  }
  return out;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'locales' ? [] : sourceFiles(p);
    return /\.(ts|tsx)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

const byLang = Object.fromEntries(LANGS.map((l) => [l, load(l)])) as Record<(typeof LANGS)[number], Map<string, Map<string, string>>>;
// Values that are legitimately the same in every language (brand names, placeholders only, symbols).
const SAME_OK = /^(Seva|[\s{}()\d:/.,%+\-–—…#@]*|\{\{[a-zA-Z]+\}\}|[A-Z0-9_]{2,}|E-?mail|URL|API|CSV|SLA|ID)$/;

describe('translations', () => {
  it('have the same namespaces in every language', () => {
    const en = [...byLang.en.keys()].sort();
    for (const l of LANGS) expect([...byLang[l].keys()].sort(), `namespaces in ${l}`).toEqual(en);
  });

  it('have every key in every language and no empty value', () => {
    const missing: string[] = [];
    for (const [ns, keys] of byLang.en) {
      const all = new Set<string>();
      for (const l of LANGS) for (const k of byLang[l].get(ns)?.keys() ?? []) all.add(k);
      for (const l of LANGS) {
        for (const k of all) {
          const v = byLang[l].get(ns)?.get(k);
          if (v === undefined || v.trim() === '') missing.push(`${l}:${ns}:${k}`);
        }
      }
      void keys;
    }
    expect(missing).toEqual([]);
  });

  it('are real translations, not English copies', () => {
    const copies: string[] = [];
    for (const [ns, keys] of byLang.en) {
      for (const [k, en] of keys) {
        for (const l of ['bn', 'hi'] as const) {
          const v = byLang[l].get(ns)?.get(k);
          if (v !== undefined && v === en && !SAME_OK.test(en)) copies.push(`${l}:${ns}:${k}`);
        }
      }
    }
    expect(copies).toEqual([]);
  });

  it('cover every key the source code uses', () => {
    const used = new Set<string>();
    const re = /\bt\(\s*['"`]([a-z][\w-]*:[\w.-]+)['"`]/g;
    for (const file of sourceFiles(srcDir)) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(re)) used.add(m[1] as string);
    }
    const unknown = [...used].filter((full) => {
      const [ns, key] = full.split(':') as [string, string];
      return !byLang.en.get(ns)?.has(key) && !byLang.en.get(ns)?.has(`${key}_one`);
    });
    expect(used.size).toBeGreaterThan(0);
    expect(unknown).toEqual([]);
  });
});
