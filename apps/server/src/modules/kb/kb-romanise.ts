/**
 * Romanised search for Bengali and Hindi: people often type Hindi and Bengali in Latin letters ("order kab aayega",
 * "order kobe asbe"). We store a simplified ITRANS-like transliteration of every Bengali/Hindi article next to the
 * native text, plus a consonant "sound key" per word, and build the same keys from Latin query words. Spelling
 * varies a lot in romanised text (aa/a, v/b/w, ph/f, kh/k, with or without vowels), so the key keeps only the
 * consonant skeleton: `kab` → `kb`, `कब` → `kab` → `kb`; `aayega` → `ag`, `आएगा` → `aega` → `ag`.
 */

const DEVANAGARI_CONSONANTS: Record<string, string> = {
  क: 'k',
  ख: 'kh',
  ग: 'g',
  घ: 'gh',
  ङ: 'n',
  च: 'ch',
  छ: 'chh',
  ज: 'j',
  झ: 'jh',
  ञ: 'n',
  ट: 't',
  ठ: 'th',
  ड: 'd',
  ढ: 'dh',
  ण: 'n',
  त: 't',
  थ: 'th',
  द: 'd',
  ध: 'dh',
  न: 'n',
  प: 'p',
  फ: 'ph',
  ब: 'b',
  भ: 'bh',
  म: 'm',
  य: 'y',
  र: 'r',
  ल: 'l',
  ळ: 'l',
  व: 'v',
  श: 'sh',
  ष: 'sh',
  स: 's',
  ह: 'h',
};
const DEVANAGARI_VOWELS: Record<string, string> = {
  अ: 'a',
  आ: 'aa',
  इ: 'i',
  ई: 'ee',
  उ: 'u',
  ऊ: 'oo',
  ऋ: 'ri',
  ए: 'e',
  ऐ: 'ai',
  ओ: 'o',
  औ: 'au',
  ऑ: 'o',
  ऍ: 'e',
};
const DEVANAGARI_SIGNS: Record<string, string> = {
  'ा': 'aa',
  'ि': 'i',
  'ी': 'ee',
  'ु': 'u',
  'ू': 'oo',
  'ृ': 'ri',
  'े': 'e',
  'ै': 'ai',
  'ो': 'o',
  'ौ': 'au',
  'ॉ': 'o',
  'ॅ': 'e',
  'ं': 'n',
  'ँ': 'n',
  'ः': 'h',
};
const BENGALI_CONSONANTS: Record<string, string> = {
  ক: 'k',
  খ: 'kh',
  গ: 'g',
  ঘ: 'gh',
  ঙ: 'ng',
  চ: 'ch',
  ছ: 'chh',
  জ: 'j',
  ঝ: 'jh',
  ঞ: 'n',
  ট: 't',
  ঠ: 'th',
  ড: 'd',
  ঢ: 'dh',
  ণ: 'n',
  ত: 't',
  থ: 'th',
  দ: 'd',
  ধ: 'dh',
  ন: 'n',
  প: 'p',
  ফ: 'ph',
  ব: 'b',
  ভ: 'bh',
  ম: 'm',
  য: 'y',
  র: 'r',
  ল: 'l',
  শ: 'sh',
  ষ: 'sh',
  স: 's',
  হ: 'h',
  ৎ: 't',
  ড়: 'r',
  ঢ়: 'rh',
  য়: 'y',
};
const BENGALI_VOWELS: Record<string, string> = {
  অ: 'o',
  আ: 'a',
  ই: 'i',
  ঈ: 'i',
  উ: 'u',
  ঊ: 'u',
  ঋ: 'ri',
  এ: 'e',
  ঐ: 'oi',
  ও: 'o',
  ঔ: 'ou',
};
const BENGALI_SIGNS: Record<string, string> = {
  'া': 'a',
  'ি': 'i',
  'ী': 'i',
  'ু': 'u',
  'ূ': 'u',
  'ৃ': 'ri',
  'ে': 'e',
  'ৈ': 'oi',
  'ো': 'o',
  'ৌ': 'ou',
  'ং': 'ng',
  'ঁ': 'n',
  'ঃ': 'h',
};
const VIRAMA = new Set(['्', '্']);
const DIGITS: Record<string, string> = {};
for (let i = 0; i < 10; i++) {
  DIGITS[String.fromCharCode(0x0966 + i)] = String(i);
  DIGITS[String.fromCharCode(0x09e6 + i)] = String(i);
}

/** True when the text contains Devanagari or Bengali letters. */
export function hasIndicScript(text: string): boolean {
  return /[\u0900-\u09FF]/u.test(text);
}

/** True when a word is written in Latin letters only (a romanised query word). */
export function isLatinWord(word: string): boolean {
  return /^[a-z]+$/.test(word);
}

/** Transliterates one Devanagari or Bengali word; Latin and other characters pass through. */
export function romaniseWord(word: string): string {
  const chars = [...word];
  let out = '';
  let pendingInherent = ''; // the inherent vowel of the last consonant, written only if no sign follows
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    const isBengali = c >= '\u0980' && c <= '\u09FF';
    const consonant = isBengali ? BENGALI_CONSONANTS[c] : DEVANAGARI_CONSONANTS[c];
    const vowel = isBengali ? BENGALI_VOWELS[c] : DEVANAGARI_VOWELS[c];
    const sign = isBengali ? BENGALI_SIGNS[c] : DEVANAGARI_SIGNS[c];
    if (consonant !== undefined) {
      out += pendingInherent + consonant;
      pendingInherent = isBengali ? 'o' : 'a';
    } else if (VIRAMA.has(c)) {
      pendingInherent = '';
    } else if (sign !== undefined) {
      const isNasalOrVisarga = sign === 'n' || sign === 'ng' || sign === 'h';
      out += (isNasalOrVisarga ? pendingInherent : '') + sign;
      pendingInherent = '';
    } else if (vowel !== undefined) {
      out += pendingInherent + vowel;
      pendingInherent = '';
    } else if (DIGITS[c] !== undefined) {
      out += pendingInherent + DIGITS[c];
      pendingInherent = '';
    } else if (/[\u0900-\u09FF]/u.test(c)) {
      // other marks (nukta, avagraha, length marks): nothing to write
    } else {
      out += pendingInherent + c;
      pendingInherent = '';
    }
  }
  // schwa deletion: the inherent vowel of the last consonant is not spoken (कब → kab, not kaba); one-letter words keep it
  if (pendingInherent && out.length <= 2) out += pendingInherent;
  return out.toLowerCase();
}

/** Romanises the Bengali/Hindi words of normalised text; other words are dropped. */
export function romaniseText(normalised: string): string[] {
  return normalised
    .split(' ')
    .filter((w) => hasIndicScript(w))
    .map(romaniseWord)
    .filter((w) => /^[a-z0-9]+$/.test(w) && w.length > 0);
}

/**
 * The consonant skeleton of a Latin word: aspirates folded (kh→k, bh→b …), c/q→k, ph→f, w/v→b, z→j, vowels and y
 * dropped except a leading vowel (written as `a`), doubled letters collapsed.
 */
export function soundKey(latinWord: string): string {
  let w = latinWord.toLowerCase().replace(/[^a-z]/g, '');
  if (w.length === 0) return '';
  w = w
    .replace(/chh|ch/g, 'C')
    .replace(/sh/g, 'S')
    .replace(/ph/g, 'f')
    .replace(/([kgjtdbp])h/g, '$1')
    .replace(/c/g, 'k')
    .replace(/C/g, 'c')
    .replace(/S/g, 's')
    .replace(/q/g, 'k')
    .replace(/x/g, 'ks')
    .replace(/[wv]/g, 'b')
    .replace(/z/g, 'j');
  const first = w[0] as string;
  const lead = /[aeiouy]/.test(first) ? 'a' : first;
  const rest = w
    .slice(1)
    .replace(/(?<!^)h/g, '')
    .replace(/[aeiouy]/g, '');
  return (lead + rest).replace(/(.)\1+/g, '$1');
}

/** Token stored for a sound key; the `q` prefix never occurs in a key, so keys never collide with real words. */
export function soundKeyToken(latinWord: string): string | null {
  const key = soundKey(latinWord);
  return key.length >= 2 ? `q${key}` : null;
}

/** The romanised index text of a Bengali/Hindi document: transliterated words, then their sound keys. */
export function romanIndexText(normalised: string): string {
  const words = romaniseText(normalised);
  if (words.length === 0) return '';
  const keys = words.map(soundKeyToken).filter((k): k is string => k !== null);
  return `${words.join(' ')} ${keys.join(' ')}`.trim();
}
