import { normaliseForSearch } from '../../platform/text/normalise.ts';

/**
 * Search snippets, built safely: the stored text is cut to a window, every piece is HTML-escaped, and only our own
 * <mark> tags are added around words that match the query. Customer content can therefore never inject markup.
 */
const WORD = /[\p{L}\p{M}\p{N}\u200C\u200D]+/gu;
const MAX_SCAN = 20_000;

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`);
}

/** Optimal string alignment distance (Damerau–Levenshtein with adjacent swaps), stopping early above `max`. */
export function editDistance(a: string, b: string, max: number): number {
  const x = [...a];
  const y = [...b];
  if (Math.abs(x.length - y.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i += 1) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= y.length; j += 1) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) v = Math.min(v, (prev2[j - 2] ?? 0) + 1);
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[y.length] ?? max + 1;
}

/** A normalised word of the text matches a normalised query term: as a prefix, or within a typo or two. */
export function wordMatches(word: string, term: string): boolean {
  if (word.startsWith(term)) return true;
  const n = [...term].length;
  if (n < 4) return false;
  const allowed = n >= 8 ? 2 : 1;
  if (editDistance(word, term, allowed) <= allowed) return true;
  // a typo in a partial word: compare with the start of the word
  const head = [...word].slice(0, n).join('');
  return head.length < word.length && editDistance(head, term, allowed) <= allowed;
}

export interface SnippetOptions {
  /** normalised query terms */
  terms: readonly string[];
  /** characters of context, roughly */
  maxLength?: number;
}

interface Token {
  start: number;
  end: number;
  hit: boolean;
}

export function buildSnippet(text: string, opts: SnippetOptions): string {
  const maxLength = opts.maxLength ?? 200;
  const flat = text.slice(0, MAX_SCAN).replace(/\s+/gu, ' ').trim();
  const tokens: Token[] = [];
  for (const m of flat.matchAll(WORD)) {
    const start = m.index ?? 0;
    const norm = normaliseForSearch(m[0]);
    const hit = norm !== '' && norm.split(' ').some((w) => opts.terms.some((t) => wordMatches(w, t)));
    tokens.push({ start, end: start + m[0].length, hit });
  }
  // the window holding the most matches, starting a little before the first of them
  const hits = tokens.filter((t) => t.hit);
  let from = 0;
  if (hits.length > 0) {
    let best = 0;
    let bestCount = -1;
    for (let i = 0; i < hits.length; i += 1) {
      const h = hits[i];
      if (!h) continue;
      const count = hits.filter((o) => o.start >= h.start && o.end <= h.start + maxLength).length;
      if (count > bestCount) {
        bestCount = count;
        best = h.start;
      }
    }
    from = Math.max(0, best - Math.floor(maxLength / 4));
    // do not start in the middle of a word
    const inside = tokens.find((t) => t.start < from && t.end > from);
    if (inside) from = inside.start;
    while (from > 0 && from < flat.length && flat[from] === ' ') from += 1;
  }
  let to = Math.min(flat.length, from + maxLength);
  const cut = tokens.find((t) => t.start < to && t.end > to);
  if (cut) to = cut.hit ? cut.end : cut.start;
  if (to <= from) to = Math.min(flat.length, from + maxLength);
  while (to > from && flat[to - 1] === ' ') to -= 1;

  let out = from > 0 ? '…' : '';
  let pos = from;
  for (const t of tokens) {
    if (t.end <= from || t.start >= to) continue;
    if (!t.hit) continue;
    out += escapeHtml(flat.slice(pos, t.start));
    out += `<mark>${escapeHtml(flat.slice(t.start, t.end))}</mark>`;
    pos = t.end;
  }
  out += escapeHtml(flat.slice(pos, to));
  if (to < flat.length) out += '…';
  return out;
}
