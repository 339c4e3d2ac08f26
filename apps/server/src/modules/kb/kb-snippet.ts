import { normaliseForSearch } from '../../platform/text/normalise.ts';
import { escapeHtml } from './kb-escape.ts';
import { type QueryUnit, wordMatches } from './kb-query.ts';

const WORD = /[\p{L}\p{M}\p{N}\u200C\u200D]+/gu;
const WINDOW = 28;

/**
 * A short piece of the article text around the best cluster of matches, HTML-escaped, with matched words wrapped
 * in <mark>. Only our own <mark> tags are unescaped.
 */
export function makeSnippet(text: string, units: readonly QueryUnit[], maxWords = WINDOW): string {
  const tokens: Array<{ start: number; end: number; unit: number }> = [];
  for (const m of text.matchAll(WORD)) {
    const start = m.index ?? 0;
    const norm = normaliseForSearch(m[0]);
    const unit = units.findIndex((u) => wordMatches(u, norm));
    tokens.push({ start, end: start + m[0].length, unit });
  }
  if (tokens.length === 0) return escapeHtml(text.slice(0, 200));
  let best = 0;
  let bestScore = -1;
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]?.unit === -1 && i !== 0) continue;
    const seen = new Set<number>();
    let hits = 0;
    for (let j = i; j < Math.min(tokens.length, i + maxWords); j++) {
      const u = tokens[j]?.unit ?? -1;
      if (u >= 0) {
        hits += 1;
        seen.add(u);
      }
    }
    const score = seen.size * 10 + hits;
    if (score > bestScore) {
      bestScore = score;
      best = i;
    }
  }
  const startToken = Math.max(0, best - 3);
  const endToken = Math.min(tokens.length, startToken + maxWords) - 1;
  const from = tokens[startToken]?.start ?? 0;
  let out = startToken > 0 ? '… ' : '';
  let cursor = from;
  for (let k = startToken; k <= endToken; k++) {
    const t = tokens[k];
    if (!t) continue;
    out += escapeHtml(text.slice(cursor, t.start).replace(/\s+/g, ' '));
    const word = escapeHtml(text.slice(t.start, t.end));
    out += t.unit >= 0 ? `<mark>${word}</mark>` : word;
    cursor = t.end;
  }
  if (endToken < tokens.length - 1) out += ' …';
  return out.replace(/<\/mark> <mark>/g, ' ');
}
