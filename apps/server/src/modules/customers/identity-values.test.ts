import { describe, expect, it } from 'vitest';
import { normaliseDomain, normaliseEmail, normaliseIdentity, normalisePhone } from './identity-values.ts';

describe('customer identity values', () => {
  it('lower-cases and trims emails and refuses what is not an address', () => {
    expect(normaliseEmail('  Asha@Example.COM ')).toBe('asha@example.com');
    expect(normaliseEmail('no-at-sign')).toBeNull();
    expect(normaliseEmail('two@@example.com')).toBeNull();
  });

  it('keeps only + and digits in phone numbers, reading Bengali and Devanagari digits', () => {
    expect(normalisePhone('+880 1712-345678')).toBe('+8801712345678');
    expect(normalisePhone('(0044) 20 7946 0000')).toBe('+442079460000');
    expect(normalisePhone('০১৭১২৩৪৫৬৭৮')).toBe('+01712345678');
    expect(normalisePhone('+९१ ९८७६५ ४३२१०')).toBe('+919876543210');
    expect(normalisePhone('call me')).toBeNull();
    expect(normalisePhone('123')).toBeNull();
    expect(normalisePhone('1234567890123456')).toBeNull();
  });

  it('accepts email domains with or without @ and refuses anything else', () => {
    expect(normaliseDomain('@Example.COM')).toBe('example.com');
    expect(normaliseDomain('sub.example.co.uk.')).toBe('sub.example.co.uk');
    expect(normaliseDomain('not a domain')).toBeNull();
    expect(normaliseDomain('localhost')).toBeNull();
  });

  it('names the field of an invalid identity', () => {
    expect(() => normaliseIdentity('email', 'nope', 'emails.2')).toThrowError(/not a valid email/);
    try {
      normaliseIdentity('phone', 'x', 'value');
    } catch (err) {
      expect((err as { errors: unknown }).errors).toEqual([
        { path: 'value', message: 'not a valid phone number (5 to 15 digits)' },
      ]);
    }
  });
});
