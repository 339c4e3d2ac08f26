/**
 * Features for short customer texts in any script: lower-cased, NFC-normalised words plus the character
 * n-grams (2 to 4) of each word padded with spaces, so "refund", "refunds" and "refnd" share most features and
 * Bengali or Devanagari words work without a tokeniser or stemmer.
 */
const URL_RE = /https?:\/\/\S+|www\.\S+/g;
const EMAIL_RE = /\S+@\S+\.\S+/g;
const WORD_RE = /[\p{L}\p{M}\p{N}]+/gu;

export function normaliseText(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(URL_RE, ' url ').replace(EMAIL_RE, ' email ').replace(/\p{N}+/gu, '0');
}

export function words(text: string): string[] {
  return normaliseText(text).match(WORD_RE) ?? [];
}

export interface FeatureOptions {
  minN?: number;
  maxN?: number;
}

/** The distinct features of a text (binary: a feature counts once per document). */
export function textFeatures(text: string, opts: FeatureOptions = {}): Set<string> {
  const minN = opts.minN ?? 2;
  const maxN = opts.maxN ?? 4;
  const out = new Set<string>();
  const ws = words(text);
  for (let i = 0; i < ws.length; i += 1) {
    const w = ws[i] as string;
    out.add(`w:${w}`);
    if (i + 1 < ws.length) out.add(`b:${w} ${ws[i + 1]}`);
    const cps = [...` ${w} `];
    for (let n = minN; n <= maxN; n += 1) {
      for (let j = 0; j + n <= cps.length; j += 1) out.add(cps.slice(j, j + n).join(''));
    }
  }
  return out;
}
