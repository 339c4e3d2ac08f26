import { describe, expect, it } from 'vitest';
import { normaliseForSearch, searchTerms } from './normalise.ts';

describe('normaliseForSearch', () => {
  it('folds precomposed and decomposed nukta forms in Hindi to the same text', () => {
    expect(normaliseForSearch('\u095B')).toBe(normaliseForSearch('\u091C\u093C'));
    expect(normaliseForSearch('ज़रूरत')).toBe(normaliseForSearch('जरूरत'));
  });

  it('folds Bengali য় and ড় variants', () => {
    expect(normaliseForSearch('\u09DF')).toBe(normaliseForSearch('\u09AF'));
    expect(normaliseForSearch('\u09AF\u09BC')).toBe(normaliseForSearch('\u09AF'));
  });

  it('removes ZWJ and ZWNJ inside conjuncts', () => {
    expect(normaliseForSearch('ক্\u200Dষ')).toBe('ক্ষ');
    expect(normaliseForSearch('र्\u200Cय')).toBe('र्य');
  });

  it('treats candrabindu and anusvara alike', () => {
    expect(normaliseForSearch('हँसना')).toBe(normaliseForSearch('हंसना'));
  });

  it('keeps vowel signs and virama so words stay whole', () => {
    expect(searchTerms('আমার অর্ডার কোথায়?')).toEqual(['আমার', 'অর্ডার', 'কোথায']);
    expect(searchTerms('मेरा ऑर्डर कब आएगा')).toEqual(['मेरा', 'ऑर्डर', 'कब', 'आएगा']);
  });

  it('lower-cases English and strips punctuation', () => {
    expect(searchTerms('Refund, PLEASE!')).toEqual(['refund', 'please']);
  });
});
