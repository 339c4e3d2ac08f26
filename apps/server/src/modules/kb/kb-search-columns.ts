import { normaliseForSearch } from '../../platform/text/normalise.ts';
import { romanIndexText } from './kb-romanise.ts';

export interface SearchColumns {
  searchTitle: string;
  searchBody: string;
  searchRoman: string;
}

/** What the search index stores for one translation (same normaliser as the queries). */
export function buildSearchColumns(input: { title: string; bodyText: string }): SearchColumns {
  const searchTitle = normaliseForSearch(input.title);
  const searchBody = normaliseForSearch(input.bodyText);
  return { searchTitle, searchBody, searchRoman: romanIndexText(`${searchTitle} ${searchBody}`) };
}
