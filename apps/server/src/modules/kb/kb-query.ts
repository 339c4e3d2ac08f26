import { normaliseForSearch, searchTerms } from '../../platform/text/normalise.ts';
import { withoutStopwords } from '../../platform/text/stopwords.ts';
import { hasIndicScript, isLatinWord, romaniseWord, soundKey, soundKeyToken } from './kb-romanise.ts';

/**
 * A search query, planned: normalised words without stopwords, each with its variants (the word, a prefix, a light
 * stem for inflected Bengali/Hindi/English words, and a sound key for romanised words). Every word becomes one
 * tsquery unit; the ranker weights each unit by how rare it is (IDF).
 */
export interface QueryUnit {
  term: string;
  /** a tsquery in PostgreSQL syntax, built only from quoted lexemes */
  tsquery: string;
  /** prefixes that count as a hit for snippets */
  prefixes: string[];
  /** sound key when the word is Latin (matches romanised Bengali/Hindi words) */
  soundKey: string | null;
}

export interface QueryPlan {
  normalised: string;
  units: QueryUnit[];
}

const MAX_UNITS = 12;

// Longest first. Written in normalised form (nukta folded, candrabindu as anusvara).
const HINDI_SUFFIXES = [
  'ियों',
  'ियां',
  'ाओं',
  'ाएं',
  'ुओं',
  'ुएं',
  'ाइयां',
  'ओं',
  'एं',
  'ों',
  'ें',
  'ीं',
  'ता',
  'ती',
  'ते',
  'ना',
  'नी',
  'ने',
  'ी',
  'े',
  'ा',
  'ो',
  'ि',
  'ु',
  'ू',
];
const BENGALI_SUFFIXES = [
  'গুলো',
  'গুলি',
  'েদের',
  'দের',
  'েরা',
  'ের',
  'কে',
  'টি',
  'টা',
  'রা',
  'তে',
  'েই',
  'ও',
  'ে',
  'র',
  'ি',
  'া',
  'ী',
  'ু',
];
const ENGLISH_SUFFIXES = ['ing', 'ed', 'es', 's', 'ly'];

function codePoints(s: string): number {
  return [...s].length;
}

/** A light stem: one common suffix removed, when at least three letters remain. */
export function lightStem(term: string): string | null {
  const list = /[\u0980-\u09FF]/u.test(term)
    ? BENGALI_SUFFIXES
    : /[\u0900-\u097F]/u.test(term)
      ? HINDI_SUFFIXES
      : /^[a-z]+$/.test(term)
        ? ENGLISH_SUFFIXES
        : [];
  for (const suffix of list) {
    if (term.endsWith(suffix)) {
      const stem = term.slice(0, term.length - suffix.length);
      if (codePoints(stem) >= 3) return stem;
    }
  }
  return null;
}

function lexeme(word: string, prefix: boolean): string {
  return `'${word.replace(/\\/g, '\\\\').replace(/'/g, "''")}'${prefix ? ':*' : ''}`;
}

export function planQuery(query: string): QueryPlan {
  const normalised = normaliseForSearch(query);
  const terms = [...new Set(withoutStopwords(searchTerms(query)))].slice(0, MAX_UNITS);
  const units: QueryUnit[] = [];
  for (const term of terms) {
    const parts: string[] = [];
    const prefixes: string[] = [];
    const long = codePoints(term) >= 3;
    parts.push(lexeme(term, long));
    if (long) prefixes.push(term);
    const stem = codePoints(term) >= 4 ? lightStem(term) : null;
    if (stem && stem !== term) {
      parts.push(lexeme(stem, true));
      prefixes.push(stem);
    }
    let key: string | null = null;
    if (isLatinWord(term)) {
      const token = soundKeyToken(term);
      if (token) {
        parts.push(lexeme(token, false));
        key = soundKey(term);
      }
    }
    units.push({ term, tsquery: parts.join(' | '), prefixes, soundKey: key });
  }
  return { normalised, units };
}

/** Does one normalised word of a document match a unit (for highlighting)? */
export function wordMatches(unit: QueryUnit, normalisedWord: string): boolean {
  if (normalisedWord === unit.term) return true;
  if (unit.prefixes.some((p) => normalisedWord.startsWith(p))) return true;
  if (unit.soundKey && hasIndicScript(normalisedWord)) {
    return soundKey(romaniseWord(normalisedWord)) === unit.soundKey;
  }
  return false;
}
