/**
 * Text normalisation for search, shared by indexing and querying so both sides agree:
 * Unicode NFC, lower case, no ZWJ/ZWNJ/soft hyphen, nukta folded away (क़ → क, য় → য), candrabindu folded to
 * anusvara, and whitespace collapsed. PostgreSQL's `simple` text-search configuration then keeps Bengali and
 * Hindi words whole.
 */
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
const NUKTA = /[\u093C\u09BC]/g; // Devanagari and Bengali nukta (NFC leaves them decomposed for these letters)
const CANDRABINDU = /\u0901/g; // Devanagari candrabindu → anusvara
const BN_CANDRABINDU = /\u0981/g; // Bengali candrabindu → anusvara
const PUNCT = /[\p{P}\p{S}]+/gu;
const SPACE = /\s+/gu;

export function normaliseForSearch(input: string): string {
  return input
    .normalize('NFD')
    .replace(NUKTA, '')
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(CANDRABINDU, '\u0902')
    .replace(BN_CANDRABINDU, '\u0982')
    .toLowerCase()
    .replace(PUNCT, ' ')
    .replace(SPACE, ' ')
    .trim();
}

/** Words of a normalised query, without empties. */
export function searchTerms(input: string): string[] {
  const n = normaliseForSearch(input);
  return n.length === 0 ? [] : n.split(' ');
}
