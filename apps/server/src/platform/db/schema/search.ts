import { customType, index, pgTable } from 'drizzle-orm/pg-core';

/** Text in code-point order, so a btree answers "is there a word starting with …" by range for any database locale. */
const textC = customType<{ data: string }>({ dataType: () => 'text COLLATE "C"' });

/**
 * Every distinct word (4+ letters, no digits) found in ticket subjects and messages, for typo tolerance: a query word
 * that starts no stored word is looked up here by trigram similarity, and the near words found are searched exactly
 * through the tsvector indexes. Filled by triggers on tickets and messages (no unique constraint, so concurrent
 * writers never wait on each other; a rare duplicate is harmless). Words are never removed.
 */
export const searchWords = pgTable(
  'search_words',
  {
    word: textC('word').notNull(),
  },
  (t) => [
    index('search_words_word_idx').on(t.word),
    index('search_words_trgm_idx').using('gin', t.word.op('gin_trgm_ops')),
  ],
);
