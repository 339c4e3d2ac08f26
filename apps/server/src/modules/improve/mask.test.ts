import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskPersonalData } from './mask.ts';

describe('maskPersonalData', () => {
  it('masks names, emails, phones, long numbers and links in English, Bengali and Hindi text', () => {
    const person = { names: ['Rina Das', 'রিনা দাস'], identities: ['rina.das@example.com', '+8801711223344'] };
    const text =
      'Hi, I am Rina Das (rina.das@example.com, +880 1711-223344). আমি রিনা, অর্ডার ১২৩৪৫৬৭ এখনও আসেনি। ' +
      'मेरा नंबर ९८७६५४३२१० है, see https://shop.example.com/track?id=77&token=abc';
    const masked = maskPersonalData(text, person);
    expect(masked).toBe(
      'Hi, I am [name] [name] ([contact], [phone]). আমি [name], অর্ডার [number] এখনও আসেনি। ' +
        'मेरा नंबर [phone] है, see [link]',
    );
  });

  it('leaves ordinary words that merely contain a name alone', () => {
    expect(maskPersonalData('Dashboard and Dasha', { names: ['Das'], identities: [] })).toBe('Dashboard and Dasha');
  });

  it('lets no email, phone or name of the customer survive, whatever surrounds it (property)', () => {
    const word = fc.stringMatching(/^[A-Za-z]{3,10}$/);
    const bnWord = fc.constantFrom('রিনা', 'সুমন', 'আরিফ', 'নাসরিন', 'জাহিদ');
    const hiWord = fc.constantFrom('अमित', 'प्रिया', 'राहुल', 'सुनीता', 'विक्रम');
    const filler = fc.array(fc.constantFrom('please', 'help', 'অর্ডার', 'আসেনি', 'कृपया', 'मदद', ',', '.', '\n'), { maxLength: 6 });
    const digits = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 10, maxLength: 12 }).map((d) => d.join(''));
    fc.assert(
      fc.property(word, word, fc.oneof(word, bnWord, hiWord), digits, filler, filler, (first, last, local, phone, a, b) => {
        const email = `${first.toLowerCase()}.${last.toLowerCase()}@mail.example.org`;
        const names = [`${first} ${last}`, local];
        const text = [...a, first, last, email, `+${phone}`, local, ...b].join(' ');
        // our own placeholders ("[name]" contains "ame") are not the customer's data
        const masked = maskPersonalData(text, { names, identities: [email, `+${phone}`] }).replace(/\[(name|email|phone|number|link|contact)\]/g, ' ');
        return !masked.includes(email) && !masked.includes(phone) && !masked.includes(first) && !masked.includes(last) && !masked.includes(local);
      }),
      { numRuns: 300 },
    );
  });
});
