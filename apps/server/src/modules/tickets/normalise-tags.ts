import { MAX_TAG_CHARS } from '@seva/contracts';

// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const INVISIBLE = /[\u0000-\u001F\u007F\u200B\uFEFF]/g;

/**
 * Tags are trimmed, lower-cased (NFC), inner whitespace becomes '-', commas separate tags, empties are dropped and
 * duplicates removed (first occurrence keeps its place).
 */
export function normaliseTags(input: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const raw of input) {
    for (const part of raw.split(',')) {
      const tag = part
        .normalize('NFC')
        .replace(INVISIBLE, '')
        .trim()
        .toLowerCase()
        .replace(/\s+/gu, '-')
        .slice(0, MAX_TAG_CHARS);
      if (tag === '' || seen.has(tag)) continue;
      seen.add(tag);
      out.push(tag);
    }
  }
  return out;
}
