import { describe, expect, it } from 'vitest';
import { normaliseTags } from './normalise-tags.ts';

describe('normaliseTags', () => {
  it('trims, lower-cases and removes duplicates, keeping the first order', () => {
    expect(normaliseTags(['  VIP ', 'billing', 'vip', 'Billing'])).toEqual(['vip', 'billing']);
  });

  it('drops empty tags, splits on commas and joins inner words with a dash', () => {
    expect(normaliseTags(['', '   ', 'a,b', 'late  delivery'])).toEqual(['a', 'b', 'late-delivery']);
  });

  it('keeps Bengali and Hindi tags whole', () => {
    expect(normaliseTags(['জরুরি', 'भुगतान', 'জরুরি'])).toEqual(['জরুরি', 'भुगतान']);
  });
});
