import { describe, expect, it } from 'vitest';
import { detectLanguage } from './detect-language.ts';

describe('detectLanguage', () => {
  it('recognises Bengali, Hindi and English by their scripts', () => {
    expect(detectLanguage('আমার অর্ডার এখনও আসেনি')).toBe('bn');
    expect(detectLanguage('मेरा ऑर्डर अभी तक नहीं आया')).toBe('hi');
    expect(detectLanguage('My order has not arrived yet')).toBe('en');
  });

  it('goes with the script most of the letters are written in', () => {
    expect(detectLanguage('Order #1234 এখনও আসেনি, অনুগ্রহ করে দেখুন')).toBe('bn');
    expect(detectLanguage('कृपया मदद करें, invoice')).toBe('hi');
    expect(detectLanguage('Hello, আমি')).toBe('en');
  });

  it('answers null when there is too little text or another script', () => {
    expect(detectLanguage('')).toBeNull();
    expect(detectLanguage('1234 !!! 🙂')).toBeNull();
    expect(detectLanguage('Привет, как дела')).toBeNull();
    expect(detectLanguage('こんにちは')).toBeNull();
  });

  it('is not fooled by zero-width joiners and digits', () => {
    expect(detectLanguage('ক্\u200Dষ ১২৩৪৫৬৭৮৯')).toBe('bn');
  });
});
