import { describe, expect, it } from 'vitest';
import { normaliseForSearch } from '../../platform/text/normalise.ts';
import { romanIndexText, romaniseWord, soundKey } from './kb-romanise.ts';

describe('romanised search keys', () => {
  it('transliterates Hindi words with schwa deletion at the end', () => {
    expect(romaniseWord('कब')).toBe('kab');
    expect(romaniseWord('ऑर्डर')).toBe('ordar');
    expect(romaniseWord('आएगा')).toBe('aaegaa');
  });

  it('transliterates Bengali with its inherent o', () => {
    expect(romaniseWord('কবে')).toBe('kobe');
    expect(romaniseWord(normaliseForSearch('অর্ডার'))).toBe('ordar');
  });

  it('gives romanised Hindi and the Devanagari word the same sound key', () => {
    for (const [latin, native] of [
      ['order', 'ऑर्डर'],
      ['kab', 'कब'],
      ['aayega', 'आएगा'],
      ['paisa', 'पैसा'],
      ['wapas', 'वापस'],
    ] as const) {
      expect(soundKey(latin)).toBe(soundKey(romaniseWord(normaliseForSearch(native))));
    }
  });

  it('gives romanised Bengali and the Bengali word the same sound key', () => {
    for (const [latin, native] of [
      ['kobe', 'কবে'],
      ['asbe', 'আসবে'],
      ['taka', 'টাকা'],
    ] as const) {
      expect(soundKey(latin)).toBe(soundKey(romaniseWord(normaliseForSearch(native))));
    }
  });

  it('indexes nothing romanised for English text', () => {
    expect(romanIndexText('where is my order')).toBe('');
    expect(romanIndexText('मेरा ऑर्डर')).toContain('qmr');
  });
});
