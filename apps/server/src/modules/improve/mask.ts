/**
 * Masks personal data in a real ticket's text so it can be used for practice: the customer's names and identities,
 * any email address, phone number, long number (orders, accounts, cards) and link. Digits may be Latin, Bengali or
 * Devanagari. Pure; property-tested with fast-check in mask.test.ts.
 */
export interface KnownPerson {
  names: readonly string[];
  /** emails, phones and other identity values */
  identities: readonly string[];
}

const DIGIT = '[0-9\\u09E6-\\u09EF\\u0966-\\u096F]';
const EMAIL = /[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
const URL = /\bhttps?:\/\/[^\s<>"')]+/giu;
// phone-like: optional +, then digits with spaces, dots, dashes or brackets, 9+ digits in all (shorter runs are
// caught as numbers below)
const PHONE = new RegExp(`\\+?\\(?${DIGIT}(?:[\\s().-]*${DIGIT}){8,}`, 'gu');
const LONG_NUMBER = new RegExp(`${DIGIT}{5,}`, 'gu');

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function maskPersonalData(text: string, person: KnownPerson): string {
  let out = text.normalize('NFC');
  // exact identity values first (they may not look like emails or phones), longest first
  const values = [...person.identities].map((v) => v.normalize('NFC').trim()).filter((v) => v.length >= 3);
  values.sort((a, b) => b.length - a.length);
  for (const v of values) out = out.replace(new RegExp(escapeRe(v), 'giu'), '[contact]');
  out = out.replace(EMAIL, '[email]');
  out = out.replace(URL, '[link]');
  out = out.replace(PHONE, '[phone]');
  out = out.replace(LONG_NUMBER, '[number]');
  // every part of the customer's name, as a whole word in any script
  const parts = new Set<string>();
  for (const n of person.names) {
    for (const p of n.normalize('NFC').split(/[\s,.'"()-]+/u)) if ([...p].length >= 2) parts.add(p);
  }
  const sorted = [...parts].sort((a, b) => b.length - a.length);
  for (const p of sorted) {
    out = out.replace(new RegExp(`(?<![\\p{L}\\p{M}\\p{N}])${escapeRe(p)}(?![\\p{L}\\p{M}\\p{N}])`, 'giu'), '[name]');
  }
  return out;
}
