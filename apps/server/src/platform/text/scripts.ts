/**
 * Which writing systems a text uses, as bits. A ticket keeps the bits of its subject and of every message it has ever
 * had (`tickets.scripts`), so a search for a Bengali word can pass over a ticket written only in English without
 * reading its messages: a word can only be in a ticket whose text has the word's scripts (search.service.ts, the
 * recency walk). The bits only ever grow, so they are always a superset of what the text holds, and a superset is
 * always safe (it can only make the walk test a ticket it could have skipped).
 *
 * The same ranges are in the SQL function `seva_text_scripts` (migration 0041); a test holds the two to each other.
 * Characters in none of the ranges (digits, other scripts) set no bit, and a query word made only of them requires
 * none. Texts are classified after normaliseForSearch (lower case), as they are indexed.
 *
 * `unknown` (8) is never a text's: tickets that existed before migration 0041 start at 15 (every script, and
 * unknown) until the search module's job works their bits out (modules/search/refine-ticket-scripts.job.ts). 15
 * passes every script test, so such a ticket is always read, never skipped; new tickets start at 0.
 */
export const SCRIPT = { latin: 1, bengali: 2, devanagari: 4, unknown: 8 } as const;

/** What a ticket that existed before migration 0041 holds until its bits are worked out: every script, and unknown. */
export const SCRIPTS_NOT_WORKED_OUT = SCRIPT.latin | SCRIPT.bengali | SCRIPT.devanagari | SCRIPT.unknown;

const LATIN = /[a-zA-Z\u00C0-\u024F\u1E00-\u1EFF]/;
const BENGALI = /[\u0980-\u09FF]/;
const DEVANAGARI = /[\u0900-\u097F\uA8E0-\uA8FF]/;

export function textScripts(text: string): number {
  return (
    (LATIN.test(text) ? SCRIPT.latin : 0) |
    (BENGALI.test(text) ? SCRIPT.bengali : 0) |
    (DEVANAGARI.test(text) ? SCRIPT.devanagari : 0)
  );
}
