/**
 * Guesses the language of a text from its script: 'bn' when Bengali script dominates, 'hi' for Devanagari,
 * 'en' for Latin, otherwise null (too little text, or no script with a clear majority).
 * Letters and combining marks are counted; digits, punctuation and emoji are ignored.
 */
const LETTER = /[\p{L}\p{M}]/u;
const MIN_LETTERS = 2;

export type DetectedLanguage = 'bn' | 'hi' | 'en';

export function detectLanguage(text: string): DetectedLanguage | null {
  let bengali = 0;
  let devanagari = 0;
  let latin = 0;
  let letters = 0;
  for (const ch of text) {
    if (!LETTER.test(ch)) continue;
    letters += 1;
    const cp = ch.codePointAt(0) ?? 0;
    if (cp >= 0x0980 && cp <= 0x09ff) bengali += 1;
    else if ((cp >= 0x0900 && cp <= 0x097f) || (cp >= 0xa8e0 && cp <= 0xa8ff)) devanagari += 1;
    else if (
      (cp >= 0x41 && cp <= 0x5a) ||
      (cp >= 0x61 && cp <= 0x7a) ||
      (cp >= 0xc0 && cp <= 0x24f) ||
      (cp >= 0x1e00 && cp <= 0x1eff)
    ) {
      latin += 1;
    }
  }
  if (letters < MIN_LETTERS) return null;
  const best = Math.max(bengali, devanagari, latin);
  if (best * 2 <= letters) return null;
  if (best === bengali) return 'bn';
  if (best === devanagari) return 'hi';
  return 'en';
}
