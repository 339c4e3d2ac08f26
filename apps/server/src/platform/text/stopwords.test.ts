import { describe, expect, it } from 'vitest';
import { searchTerms } from './normalise.ts';
import { BENGALI_STOPWORDS, ENGLISH_STOPWORDS, HINDI_STOPWORDS, isStopword, withoutStopwords } from './stopwords.ts';

describe('stopwords', () => {
  it('ships about a hundred words per language', () => {
    for (const list of [ENGLISH_STOPWORDS, BENGALI_STOPWORDS, HINDI_STOPWORDS]) {
      expect(list.length).toBeGreaterThanOrEqual(80);
      expect(list.length).toBeLessThanOrEqual(120);
    }
  });

  it('drops English, Bengali and Hindi function words from a query', () => {
    expect(withoutStopwords(searchTerms('Where is my refund?'))).toEqual(
      ['where', 'refund'].filter((w) => !isStopword(w)),
    );
    expect(withoutStopwords(searchTerms('আমার টাকা ফেরত দিন'))).toEqual(['টাকা', 'ফেরত', 'দিন']);
    expect(withoutStopwords(searchTerms('मेरे पैसे की वापसी'))).toEqual(['मेरे', 'पैसे', 'वापसी']);
  });

  it('keeps words that matter in a help desk', () => {
    for (const w of ['refund', 'order', 'not', 'help', 'problem', 'new', 'open', 'number', 'না', 'नहीं']) {
      expect(isStopword(w), w).toBe(false);
    }
  });

  it('searches a stopword-only query as typed', () => {
    expect(withoutStopwords(['the', 'and'])).toEqual(['the', 'and']);
    expect(withoutStopwords([])).toEqual([]);
  });

  it('matches stopwords written with a nukta or without', () => {
    const withNukta = HINDI_STOPWORDS.find((w) => w.includes('\u093C'));
    if (withNukta) expect(isStopword(searchTerms(withNukta)[0] ?? '')).toBe(true);
    expect(isStopword(searchTerms('এবং')[0] ?? '')).toBe(true);
  });
});
